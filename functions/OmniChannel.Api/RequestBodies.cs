using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace OmniChannel.Api;

/// <summary>
/// Reads a JSON object body; null when the body is not one (the caller answers 400 saying what it expects). Bodies
/// over <see cref="MaxBytes"/> are refused with 413 (also when sent chunked, without a length), and JSON nested deeper
/// than <see cref="MaxDepth"/> is not an object we accept: the same limits on every route that takes a body.
/// </summary>
internal static class RequestBodies
{
    public const int MaxBytes = 256 * 1024;
    public const int MaxDepth = 32;

    private static readonly JsonDocumentOptions Options = new() { MaxDepth = MaxDepth };

    public static Task<JsonObject?> ReadObjectAsync(HttpRequest request, CancellationToken cancellationToken) =>
        ReadObjectAsync(request, emptyIsObject: false, cancellationToken);

    private static async Task<JsonObject?> ReadObjectAsync(HttpRequest request, bool emptyIsObject, CancellationToken cancellationToken)
    {
        var body = await ReadBytesAsync(request, cancellationToken);
        if (emptyIsObject && body.Length == 0)
        {
            return [];
        }

        try
        {
            return JsonNode.Parse(body, documentOptions: Options) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The body's bytes as sent (a signature covers them exactly), within the same size limit.</summary>
    public static async Task<byte[]> ReadBytesAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBytes)
        {
            throw TooLarge();
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBytes)
            {
                throw TooLarge();
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    /// <summary>As <see cref="ReadObjectAsync"/>, where an empty body (also one sent chunked) means "all defaults" (an empty object).</summary>
    public static async Task<JsonObject?> ReadOptionalObjectAsync(HttpRequest request, CancellationToken cancellationToken) =>
        request.ContentLength is 0 ? [] : await ReadObjectAsync(request, emptyIsObject: true, cancellationToken);

    private static BadHttpRequestException TooLarge() =>
        new($"The body is larger than {MaxBytes / 1024} KiB, the most this route accepts.", StatusCodes.Status413PayloadTooLarge);
}
