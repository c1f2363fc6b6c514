using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Security.KeyVault.Secrets;

namespace OmniChannel.Azure.IntegrationTests.Fixtures;

/// <summary>
/// Key Vault's secrets REST API in memory, as the HTTP transport of a real <see cref="SecretClient"/> (no Key Vault
/// emulator exists), so the SDK's own authentication challenge, retry policy and paging run: get a secret (latest or
/// a version), list its versions, set one. It can answer the next few reads with a status (429 with Retry-After) and
/// counts the reads that reached it.
/// </summary>
public sealed class FakeKeyVault : HttpMessageHandler
{
    public static readonly Uri VaultUri = new("https://omnichannel-test.vault.azure.net/");

    private readonly ConcurrentDictionary<string, List<Version>> _secrets = new(StringComparer.OrdinalIgnoreCase);
    private int _reads;
    private int _throttleNext;

    /// <summary>Authorized reads of a secret (latest or a version) and of its version list.</summary>
    public int Reads => Volatile.Read(ref _reads);

    /// <summary>How many of the next requests answer 429 with <c>Retry-After: 1</c>.</summary>
    public void ThrottleNext(int requests) => Volatile.Write(ref _throttleNext, requests);

    /// <summary>
    /// A client over this vault with the app's own options (retries, transient failures) and a fixed token; only the
    /// back-off's base is shortened, so a test waits for the Retry-After the vault sends rather than for seconds of back-off.
    /// </summary>
    public SecretClient Client()
    {
        var options = ServiceCollectionExtensions.KeyVaultClientOptions();
        options.Retry.Delay = TimeSpan.FromMilliseconds(10);
        options.Transport = new HttpClientTransport(new HttpClient(this));
        return new SecretClient(VaultUri, new FixedToken(), options);
    }

    /// <summary>Adds a version (as another instance, or an operator in the portal, would), created at <paramref name="createdOn"/>.</summary>
    public void AddVersion(string name, string value, DateTimeOffset createdOn) =>
        _secrets.GetOrAdd(name, _ => []).Add(new Version(Guid.NewGuid().ToString("N"), value, createdOn));

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Headers.Authorization is null)
        {
            // The SDK's challenge-based authentication: the first request goes without a token and learns where to get one.
            var challenge = new HttpResponseMessage(HttpStatusCode.Unauthorized);
            challenge.Headers.TryAddWithoutValidation("WWW-Authenticate", "Bearer authorization=\"https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000\", resource=\"https://vault.azure.net\"");
            return challenge;
        }

        if (Interlocked.Decrement(ref _throttleNext) >= 0)
        {
            var throttled = Json(HttpStatusCode.TooManyRequests, new JsonObject { ["error"] = new JsonObject { ["code"] = "Throttled", ["message"] = "Too many requests." } });
            throttled.Headers.TryAddWithoutValidation("Retry-After", "1");
            return throttled;
        }

        // /secrets/{name}[/versions | /{version}]
        var segments = request.RequestUri!.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var name = segments[1];
        if (request.Method == HttpMethod.Put)
        {
            var body = JsonNode.Parse(await request.Content!.ReadAsStringAsync(cancellationToken))!;
            AddVersion(name, body["value"]!.GetValue<string>(), DateTimeOffset.UtcNow);
            return Json(HttpStatusCode.OK, Bundle(name, _secrets[name][^1], withValue: true));
        }

        Interlocked.Increment(ref _reads);
        if (!_secrets.TryGetValue(name, out var versions) || versions.Count == 0)
        {
            return Json(HttpStatusCode.NotFound, new JsonObject { ["error"] = new JsonObject { ["code"] = "SecretNotFound", ["message"] = $"A secret with (name/id) {name} was not found in this key vault." } });
        }

        if (segments.Length == 3 && segments[2] == "versions")
        {
            return Json(HttpStatusCode.OK, new JsonObject { ["value"] = new JsonArray([.. versions.Select(version => (JsonNode)Bundle(name, version, withValue: false))]), ["nextLink"] = null });
        }

        var wanted = segments.Length == 3 ? versions.Single(version => version.Id == segments[2]) : versions.MaxBy(version => version.CreatedOn)!;
        return Json(HttpStatusCode.OK, Bundle(name, wanted, withValue: true));
    }

    private static JsonObject Bundle(string name, Version version, bool withValue)
    {
        var bundle = new JsonObject
        {
            ["id"] = $"{VaultUri}secrets/{name}/{version.Id}",
            ["attributes"] = new JsonObject { ["enabled"] = true, ["created"] = version.CreatedOn.ToUnixTimeSeconds(), ["updated"] = version.CreatedOn.ToUnixTimeSeconds() },
        };
        if (withValue)
        {
            bundle["value"] = version.Value;
        }

        return bundle;
    }

    private static HttpResponseMessage Json(HttpStatusCode status, JsonObject body) =>
        new(status) { Content = new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json") };

    private sealed record Version(string Id, string Value, DateTimeOffset CreatedOn);

    private sealed class FixedToken : TokenCredential
    {
        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) => new("test-token", DateTimeOffset.UtcNow.AddHours(1));

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) => new(GetToken(requestContext, cancellationToken));
    }
}
