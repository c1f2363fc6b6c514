using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace OmniChannel.Simulation.Tests.Subscribers;

/// <summary>An HTTP handler that keeps the requests sent through it (headers and body) and answers <see cref="Status"/>, or throws <see cref="Failure"/>.</summary>
public sealed class CapturingHandler : HttpMessageHandler
{
    private readonly List<CapturedRequest> _requests = [];

    public HttpStatusCode Status { get; set; } = HttpStatusCode.NoContent;

    public Exception? Failure { get; set; }

    public IReadOnlyList<CapturedRequest> Requests => _requests;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken);
        var headers = new HeaderDictionary();
        foreach (var (name, values) in request.Headers.Concat(request.Content?.Headers ?? Enumerable.Empty<KeyValuePair<string, IEnumerable<string>>>()))
        {
            headers[name] = new StringValues(values.ToArray());
        }

        _requests.Add(new CapturedRequest(request.Method, request.RequestUri!, request.Content?.Headers.ContentType, headers, body));
        if (Failure is not null)
        {
            throw Failure;
        }

        return new HttpResponseMessage(Status) { RequestMessage = request };
    }
}

public sealed record CapturedRequest(HttpMethod Method, Uri Uri, MediaTypeHeaderValue? ContentType, HeaderDictionary Headers, byte[] Body);
