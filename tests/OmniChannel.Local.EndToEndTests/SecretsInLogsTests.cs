using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OmniChannel.LocalServers;

namespace OmniChannel.Local.EndToEndTests;

/// <summary>
/// No secret in the logs or in an error body: API keys (right or wrong, in a header or in ?code=), a price subscriber's
/// signing secret, the storage and Cosmos DB account keys. The host runs with ASP.NET Core at Information (which would
/// log request URLs, ?code= included) and every OmniChannel category at Debug; the test then searches everything it wrote.
/// </summary>
public sealed class SecretsInLogsTests : IAsyncLifetime
{
    private const string ChannelKey = "channel-key-5f2c9e";
    private const string AdminKey = "admin-key-8d41b7";
    private const string WrongKey = "wrong-key-3a9e60";
    private LocalHostProcess _host = null!;

    public async Task InitializeAsync() =>
        _host = await LocalHostProcess.StartAsync(
            new Dictionary<string, string> { ["CollectKey"] = ChannelKey, ["AdminKey"] = AdminKey },
            new Dictionary<string, string>
            {
                ["Logging:LogLevel:Default"] = "Information",
                ["Logging:LogLevel:Microsoft.AspNetCore"] = "Information",
                ["Logging:LogLevel:OmniChannel"] = "Debug",
                ["Logging:LogLevel:OmniChannel.Core.Ingest.IngestService"] = "Debug",
            });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task KeysAndSecrets_NeverAppearInLogsOrErrorBodies()
    {
        var bodies = new List<string>();
        async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, HttpContent? content, string? key)
        {
            using var request = new HttpRequestMessage(method, path) { Content = content };
            if (key is not null)
            {
                request.Headers.Add("x-api-key", key);
            }

            var response = await _host.Client.SendAsync(request);
            bodies.Add(await response.Content.ReadAsStringAsync());
            return response;
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(HttpMethod.Post, "/api/events", Traffic.Batch(Traffic.Day("s", 1)), WrongKey)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(HttpMethod.Get, "/api/remarketing/rules", null, ChannelKey)).StatusCode);
        // Keys in the URL are refused (400), right or wrong, but the URL still reaches the host: it must not log it.
        Assert.Equal(HttpStatusCode.BadRequest, (await SendAsync(HttpMethod.Get, $"/api/stores/0001?code={WrongKey}", null, null)).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await SendAsync(HttpMethod.Post, "/api/events", Traffic.Batch(Traffic.Day("s", 2)), ChannelKey)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await SendAsync(HttpMethod.Get, $"/api/stores/0001?code={AdminKey}", null, null)).StatusCode);
        var created = await SendAsync(HttpMethod.Put, "/api/prices/subscribers/log-check", PriceDriver.Subscriber("pos", "store:0001", $"http://127.0.0.1:{_host.ApiPort}/local/subscribers/log-check"), AdminKey);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var secret = JsonDocument.Parse(bodies[^1]).RootElement.GetProperty("secret").GetString()!;
        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);

        // A listing and a read answer the subscriber without its secret.
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Get, "/api/prices/subscribers/log-check", null, AdminKey)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Get, "/api/prices/subscribers", null, AdminKey)).StatusCode);
        await SendAsync(HttpMethod.Get, "/api/health", null, null);
        _host.Client.DefaultRequestHeaders.Add("x-api-key", AdminKey);
        await _host.WaitUntilIngestedAsync(1);

        var output = _host.Output;
        Assert.Contains("Ingested batch", output, StringComparison.Ordinal); // the logs were really written at this level
        string[] secrets = [ChannelKey, AdminKey, WrongKey, secret, secret["whsec_".Length..], AzuriteServer.AccountKey, CosmosServer.AccountKey, "AccountKey="];
        foreach (var value in secrets)
        {
            var leak = output.Split('\n').FirstOrDefault(line => line.Contains(value, StringComparison.Ordinal));
            Assert.True(leak is null, $"the host's log contains a secret ({value[..Math.Min(8, value.Length)]}…) in: {leak?.Replace(value, "<secret>", StringComparison.Ordinal)}");
        }

        foreach (var body in bodies.Where(body => !body.Contains("\"secret\"", StringComparison.Ordinal)))
        {
            Assert.DoesNotContain(secrets, value => body.Contains(value, StringComparison.Ordinal));
        }

        Assert.DoesNotContain(WrongKey, bodies[0], StringComparison.Ordinal);
    }
}
