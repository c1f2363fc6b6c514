using System.Net;
using Microsoft.Azure.Cosmos;

namespace OmniChannel.Azure.Cosmos;

/// <summary>
/// The local Cosmos protocol server answers a point read of a missing document with 500 ("Cannot read properties of
/// undefined") instead of 404. This handler, added only for that server, turns exactly that answer into the 404 the
/// real service gives, so the adapters keep their ordinary not-found handling.
/// </summary>
internal sealed class LocalServerCompatibilityHandler : RequestHandler
{
    public override async Task<ResponseMessage> SendAsync(RequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        if (request.Method == HttpMethod.Get
            && response.StatusCode == HttpStatusCode.InternalServerError
            && response.ErrorMessage?.Contains("Cannot read properties of undefined", StringComparison.Ordinal) == true
            && request.RequestUri?.OriginalString.Contains("/docs/", StringComparison.Ordinal) == true)
        {
            var notFound = new ResponseMessage(HttpStatusCode.NotFound, request, "Resource Not Found (local protocol server)");
            response.Dispose();
            return notFound;
        }

        return response;
    }
}
