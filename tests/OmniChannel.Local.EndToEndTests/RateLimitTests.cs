using System.Net;
using System.Text.Json;

namespace OmniChannel.Local.EndToEndTests;

/// <summary>Per-key rate limits: a key over its rate gets 429 problem+json with Retry-After; another key is not slowed.</summary>
public sealed class RateLimitTests : IAsyncLifetime
{
    private LocalHostProcess _host = null!;

    public async Task InitializeAsync() =>
        _host = await LocalHostProcess.StartAsync(new Dictionary<string, string>
        {
            ["CollectKey"] = "collect-secret",
            ["AdminKey"] = "admin-secret",
            ["RateLimitPerSecond"] = "1",
            ["RateLimitBurst"] = "3",
        });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task OneKeyOverItsRate_Gets429WithRetryAfter_AnotherKeyIsServed()
    {
        // Twenty at once against a bucket of 3 refilled at 1/s: however slow the machine, most must be refused.
        var answers = (await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => GetStoreAsync("collect-secret")))).ToList();

        var other = await GetStoreAsync("admin-secret");
        var health = await _host.Client.GetAsync("/api/health");

        Assert.Contains(answers, answer => answer.StatusCode == HttpStatusCode.OK);
        var limited = answers.First(answer => answer.StatusCode == HttpStatusCode.TooManyRequests);
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);
        Assert.Equal(429, JsonDocument.Parse(await limited.Content.ReadAsStringAsync()).RootElement.GetProperty("status").GetInt32());
        Assert.True(limited.Headers.RetryAfter is not null, "no Retry-After");
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    private Task<HttpResponseMessage> GetStoreAsync(string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/stores/0001");
        request.Headers.Add("x-api-key", key);
        return _host.Client.SendAsync(request);
    }
}
