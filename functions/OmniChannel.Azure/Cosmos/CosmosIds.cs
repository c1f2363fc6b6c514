using System.Buffers.Text;
using System.Text;

namespace OmniChannel.Azure.Cosmos;

/// <summary>
/// Cosmos ids may not contain '/', '\', '?' or '#'; identity values and SKUs come from channels and might. Such a
/// value is stored base64url-encoded behind a marker; every other value is its own id, readable in the data explorer.
/// </summary>
internal static class CosmosIds
{
    private const string EncodedMarker = "b64~";
    private static readonly char[] Forbidden = ['/', '\\', '?', '#'];

    public static string Encode(string value) =>
        value.IndexOfAny(Forbidden) < 0 && !value.StartsWith(EncodedMarker, StringComparison.Ordinal)
            ? value
            : EncodedMarker + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(value));
}
