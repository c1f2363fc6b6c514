using System.Net;

namespace OmniChannel.Azure.IntegrationTests.Fixtures;

/// <summary>
/// An HTTP handler in front of a real server (Azurite) that answers the first <paramref name="requests"/> requests
/// itself with 429 and <c>Retry-After: 1</c>, as a throttling Azure service does, and passes the rest through.
/// </summary>
public sealed class ThrottleFirstRequests(int requests) : DelegatingHandler(new HttpClientHandler())
{
    private int _remaining = requests;

    public int Throttled { get; private set; }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (Interlocked.Decrement(ref _remaining) < 0)
        {
            return base.SendAsync(request, cancellationToken);
        }

        Throttled++;
        var throttled = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        throttled.Headers.TryAddWithoutValidation("Retry-After", "1");
        return Task.FromResult(throttled);
    }
}
