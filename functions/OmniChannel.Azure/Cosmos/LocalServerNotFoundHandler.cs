using System.Net;
using System.Text;

namespace OmniChannel.Azure.Cosmos;

/// <summary>
/// The local Cosmos protocol server answers a point read of a missing document with 500 ("Cannot read properties of
/// undefined") instead of 404. Added only for that server, below the SDK on the HTTP connection, this handler turns
/// exactly that answer into the 404 the real service gives: the SDK then reports the absence as a status, as it does
/// for the real service, where a 500 would be thrown and caught inside its gateway transport on every miss.
/// </summary>
internal sealed class LocalServerNotFoundHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
{
    private const string NotFoundBody = """{"code":"NotFound","message":"Resource Not Found (local protocol server)"}""";

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        if (request.Method != HttpMethod.Get
            || response.StatusCode != HttpStatusCode.InternalServerError
            || request.RequestUri?.AbsolutePath.Contains("/docs/", StringComparison.Ordinal) != true)
        {
            return response;
        }

        // Buffered, so the SDK can still read the body of any other 500.
        await response.Content.LoadIntoBufferAsync(cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!body.Contains("Cannot read properties of undefined", StringComparison.Ordinal))
        {
            return response;
        }

        var notFound = new HttpResponseMessage(HttpStatusCode.NotFound)
        {
            RequestMessage = request,
            Content = new StringContent(NotFoundBody, Encoding.UTF8, "application/json"),
        };
        foreach (var header in response.Headers)
        {
            notFound.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        response.Dispose();
        return notFound;
    }
}
