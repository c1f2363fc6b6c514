using System.Net;
using System.Text.Json;

namespace OmniChannel.Local.EndToEndTests;

/// <summary>A local host started with an API key behaves like a Functions app with function keys.</summary>
public sealed class ApiKeyTests : IAsyncLifetime
{
    private LocalHostProcess _host = null!;

    public async Task InitializeAsync() =>
        _host = await LocalHostProcess.StartAsync(new Dictionary<string, string> { ["ApiKey"] = "channel-secret", ["AdminKey"] = "admin-secret" });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task ChannelRoute_WithoutOrWithWrongKey_Answers401Problem_WithKeyAccepts()
    {
        var events = Traffic.Day("a", 1);

        var missing = await _host.Client.PostAsync("/api/events", Traffic.Batch(events));
        using var wrong = new HttpRequestMessage(HttpMethod.Post, "/api/events") { Content = Traffic.Batch(events) };
        wrong.Headers.Add("x-api-key", "guess");
        var wrongResponse = await _host.Client.SendAsync(wrong);
        using var right = new HttpRequestMessage(HttpMethod.Post, "/api/events") { Content = Traffic.Batch(events) };
        right.Headers.Add("x-functions-key", "channel-secret");
        var rightResponse = await _host.Client.SendAsync(right);
        var viaAdmin = await _host.Client.GetAsync("/api/stores/0001?code=admin-secret");
        var health = await _host.Client.GetAsync("/api/health");

        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);
        Assert.Equal(401, JsonDocument.Parse(await missing.Content.ReadAsStringAsync()).RootElement.GetProperty("status").GetInt32());
        Assert.Equal(HttpStatusCode.Unauthorized, wrongResponse.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, rightResponse.StatusCode);
        Assert.Equal(HttpStatusCode.OK, viaAdmin.StatusCode);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        var report = JsonDocument.Parse(await health.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal((0, 0), (report.GetProperty("parkedBatches").GetInt32(), report.GetProperty("deadLettersToday").GetInt32()));
        Assert.False(report.TryGetProperty("attention", out var attention) && attention.ValueKind != JsonValueKind.Null, "nothing needs attention");
        var dependencies = report.GetProperty("dependencies").EnumerateArray()
            .ToDictionary(dependency => dependency.GetProperty("name").GetString()!, dependency => dependency.GetProperty("status").GetString());
        Assert.Equal("healthy", dependencies["eventlog"]);
        Assert.Equal("healthy", dependencies["workflows"]);
        Assert.Equal("healthy", dependencies["cosmos"]);
        Assert.Contains("API keys     enforced", _host.Output, StringComparison.Ordinal);
    }
}
