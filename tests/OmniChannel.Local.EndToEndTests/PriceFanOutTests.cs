using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using OmniChannel.Core.Prices;

namespace OmniChannel.Local.EndToEndTests;

/// <summary>
/// Price changes on the local host: the real fan-out orchestration on the Durable Task engine delivering signed
/// CloudEvents to the seeded subscribers (the built-in simulator), driven and checked over HTTP. The retry knobs are
/// turned down so a subscriber that cannot be reached fails within seconds.
/// </summary>
public sealed class PriceFanOutTests : IAsyncLifetime
{
    private LocalHostProcess _host = null!;

    public async Task InitializeAsync() =>
        _host = await LocalHostProcess.StartAsync(settings: null, extraArguments: new Dictionary<string, string>
        {
            ["OmniChannel:Prices:RoundBackOff"] = "00:00:00.200",
            ["OmniChannel:Prices:Rounds"] = "2",
            ["OmniChannel:Prices:AttemptBackOff"] = "00:00:00.050",
        });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task ChainWideChange_ReachesEverySeededSubscriber_SignedAndOnce()
    {
        var registered = await SubscriberIdsAsync();
        Assert.True(registered.Count >= 130, $"expected the seeded subscribers, found {registered.Count}");
        Assert.Contains("web-catalogue", registered);
        Assert.Contains("pos-0060", registered);

        var effective = DateTimeOffset.UtcNow.AddMinutes(-1);
        var posted = await _host.Client.PostAsync("/api/prices", PriceDriver.Change("e2e-all-1", "all", effective, ("SKU-FAN-1", "19.99"), ("SKU-FAN-2", "4.50")));
        Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        Assert.Equal("/api/prices/changes/e2e-all-1", posted.Headers.Location?.OriginalString);
        var report = await WaitUntilFinishedAsync("e2e-all-1");

        var counts = report.GetProperty("counts");
        Assert.Equal(registered.Count, counts.GetProperty("total").GetInt32());
        Assert.Equal(registered.Count, counts.GetProperty("delivered").GetInt32());
        Assert.Equal(0, counts.GetProperty("failed").GetInt32());
        Assert.Equal("delivered", report.GetProperty("change").GetProperty("status").GetString());
        Assert.Equal(registered.Order(StringComparer.Ordinal), SubscriberIds(report));
        Assert.All(report.GetProperty("subscribers").EnumerateArray(), row => Assert.Equal("delivered", row.GetProperty("state").GetString()));

        var summary = await _host.Client.GetFromJsonAsync<JsonElement>("/local/subscribers");
        Assert.True(summary.GetProperty("delivered").GetInt32() >= registered.Count, summary.ToString());
        Assert.True(summary.GetProperty("subscribers").GetInt32() >= registered.Count, summary.ToString());
        Assert.Equal(0, summary.GetProperty("badSignatures").GetInt32());

        // What a subscriber took: the CloudEvent of this change, once.
        var taken = (await _host.Client.GetFromJsonAsync<JsonElement>("/local/subscribers/pos-0017")).EnumerateArray()
            .Where(delivery => delivery.GetProperty("eventId").GetString() == "e2e-all-1").ToList();
        var delivery = Assert.Single(taken);
        Assert.Equal("omni.price.changed", delivery.GetProperty("eventType").GetString());
        Assert.Equal(["SKU-FAN-1", "SKU-FAN-2"], delivery.GetProperty("data").GetProperty("items").EnumerateArray().Select(item => item.GetProperty("sku").GetString()));

        // A repeated submission is harmless: the finished fan-out is not started again.
        var repeat = await _host.Client.PostAsync("/api/prices", PriceDriver.Change("e2e-all-1", "all", effective, ("SKU-FAN-1", "19.99"), ("SKU-FAN-2", "4.50")));
        Assert.Equal(HttpStatusCode.Accepted, repeat.StatusCode);
        Assert.True((await repeat.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("repeated").GetBoolean());
        var afterRepeat = await _host.Client.GetFromJsonAsync<JsonElement>("/api/prices/changes/e2e-all-1");
        Assert.Equal("Completed", afterRepeat.GetProperty("workflowStatus").GetString());
        Assert.Equal(PriceFanOut.Version, afterRepeat.GetProperty("workflowVersion").GetString());
        Assert.Equal(registered.Count, afterRepeat.GetProperty("counts").GetProperty("delivered").GetInt32());

        var price = await _host.Client.GetFromJsonAsync<JsonElement>("/api/prices/SKU-FAN-2?store=0017");
        Assert.Equal(4.50m, price.GetProperty("price").GetDecimal());
        Assert.Equal("e2e-all-1", price.GetProperty("changeId").GetString());
    }

    [Fact]
    public async Task StoreChange_ReachesOnlyTheChainWideSubscribers_TheStoresRegionHub_AndTheStoresOwnSystems()
    {
        var store = await _host.Client.GetFromJsonAsync<JsonElement>("/api/stores/0001");
        var region = store.GetProperty("region").GetString()!;

        var posted = await _host.Client.PostAsync("/api/prices", PriceDriver.Change("e2e-store-1", "store:0001", DateTimeOffset.UtcNow.AddMinutes(-1), ("SKU-LOCAL", "7.25")));
        Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        var report = await WaitUntilFinishedAsync("e2e-store-1");

        string[] expected = ["marketplace-1", "marketplace-2", "mobile-app", "pos-0001", "signage-0001", "signage-hub-" + region.ToLowerInvariant(), "web-catalogue"];
        Assert.Equal(expected.Order(StringComparer.Ordinal), SubscriberIds(report));
        Assert.Equal(expected.Length, report.GetProperty("counts").GetProperty("delivered").GetInt32());
        Assert.Equal(expected.Length, report.GetProperty("counts").GetProperty("total").GetInt32());
        var otherStore = await _host.Client.GetFromJsonAsync<JsonElement>("/local/subscribers/pos-0002");
        Assert.DoesNotContain(otherStore.EnumerateArray(), delivery => delivery.GetProperty("eventId").GetString() == "e2e-store-1");

        // The price applies at that store only.
        var atTheStore = await _host.Client.GetAsync("/api/prices/SKU-LOCAL?store=0001");
        var elsewhere = await _host.Client.GetAsync("/api/prices/SKU-LOCAL?store=0002");
        Assert.Equal(HttpStatusCode.OK, atTheStore.StatusCode);
        Assert.Equal(7.25m, (await atTheStore.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("price").GetDecimal());
        Assert.Equal(HttpStatusCode.NotFound, elsewhere.StatusCode);
    }

    [Fact]
    public async Task UnreachableSubscriber_EndsFailedWithItsLastError_FixedAndRetried_TheChangeEndsDelivered()
    {
        const string Id = "e2e-broken-pos";
        const string ChangeId = "e2e-retry-1";
        try
        {
            // Scoped to one store so no other test's change reaches it while it is broken.
            var created = await _host.Client.PutAsync($"/api/prices/subscribers/{Id}", PriceDriver.Subscriber("pos", "store:0042", "http://127.0.0.1:9/"));
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);

            Assert.Equal(HttpStatusCode.Accepted, (await _host.Client.PostAsync("/api/prices", PriceDriver.Change(ChangeId, "store:0042", DateTimeOffset.UtcNow, ("SKU-R", "3.10")))).StatusCode);
            var failed = await WaitUntilFinishedAsync(ChangeId);

            Assert.Equal("partiallyDelivered", failed.GetProperty("change").GetProperty("status").GetString());
            Assert.Equal(1, failed.GetProperty("counts").GetProperty("failed").GetInt32());
            var total = failed.GetProperty("counts").GetProperty("total").GetInt32();
            Assert.Equal(total - 1, failed.GetProperty("counts").GetProperty("delivered").GetInt32());
            var row = Row(failed, Id);
            Assert.Equal("failed", row.GetProperty("state").GetString());
            Assert.False(string.IsNullOrWhiteSpace(row.GetProperty("lastError").GetString()), row.ToString());
            Assert.False(row.GetProperty("permanent").GetBoolean());
            Assert.Equal(3 * 2, row.GetProperty("attempts").GetInt32()); // 3 attempts in each of the 2 rounds
            var onlyFailed = await _host.Client.GetFromJsonAsync<JsonElement>($"/api/prices/changes/{ChangeId}?state=failed");
            Assert.Equal([Id], SubscriberIds(onlyFailed));

            var fixedUp = await _host.Client.PutAsync($"/api/prices/subscribers/{Id}", PriceDriver.Subscriber("pos", "store:0042", $"http://127.0.0.1:{_host.ApiPort}/local/subscribers/{Id}"));
            Assert.Equal(HttpStatusCode.OK, fixedUp.StatusCode);
            var retry = await _host.Client.PostAsync($"/api/prices/changes/{ChangeId}/retry", null);
            var retryBody = await retry.Content.ReadAsStringAsync();
            Assert.True(retry.StatusCode == HttpStatusCode.Accepted, retryBody);
            Assert.Equal(2, JsonDocument.Parse(retryBody).RootElement.GetProperty("run").GetInt32());
            Assert.Equal(1, JsonDocument.Parse(retryBody).RootElement.GetProperty("subscribers").GetInt32());
            var delivered = await WaitUntilFinishedAsync(ChangeId, run: 2);

            Assert.Equal("delivered", delivered.GetProperty("change").GetProperty("status").GetString());
            Assert.Equal(total, delivered.GetProperty("counts").GetProperty("delivered").GetInt32());
            Assert.Equal(total, delivered.GetProperty("counts").GetProperty("total").GetInt32());
            Assert.Equal(0, delivered.GetProperty("counts").GetProperty("failed").GetInt32());
            Assert.Equal("delivered", Row(delivered, Id).GetProperty("state").GetString());
            var taken = await _host.Client.GetFromJsonAsync<JsonElement>($"/local/subscribers/{Id}");
            Assert.Equal(ChangeId, Assert.Single(taken.EnumerateArray()).GetProperty("eventId").GetString());
            Assert.Equal(0, (await _host.Client.GetFromJsonAsync<JsonElement>("/local/subscribers")).GetProperty("badSignatures").GetInt32());

            var again = await _host.Client.PostAsync($"/api/prices/changes/{ChangeId}/retry", null);
            Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
            Assert.Equal("application/problem+json", again.Content.Headers.ContentType?.MediaType);
        }
        finally
        {
            await _host.Client.DeleteAsync($"/api/prices/subscribers/{Id}");
        }
    }

    private Task<List<string>> SubscriberIdsAsync() => PriceDriver.SubscriberIdsAsync(_host);

    /// <summary>Polls the change's report until its latest run's workflow has completed (and the change has its result).</summary>
    private Task<JsonElement> WaitUntilFinishedAsync(string changeId, int run = 1) => PriceDriver.WaitUntilFinishedAsync(_host, changeId, run);

    private static List<string> SubscriberIds(JsonElement report) =>
        report.GetProperty("subscribers").EnumerateArray().Select(row => row.GetProperty("subscriberId").GetString()!).ToList();

    private static JsonElement Row(JsonElement report, string subscriberId) =>
        report.GetProperty("subscribers").EnumerateArray().Single(row => row.GetProperty("subscriberId").GetString() == subscriberId);
}

/// <summary>A local host with channel and admin keys: the price admin routes take only the admin key.</summary>
public sealed class PriceAdminKeyTests : IAsyncLifetime
{
    private const string ChannelKey = "channel-secret";
    private const string AdminKey = "admin-secret";
    private LocalHostProcess _host = null!;

    public async Task InitializeAsync() =>
        _host = await LocalHostProcess.StartAsync(new Dictionary<string, string> { ["CollectKey"] = ChannelKey, ["AdminKey"] = AdminKey });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task SubmitChange_NoKeyIs401_ChannelKeyIs403_AdminKeyIs202_ThePriceReadsWithTheChannelKey()
    {
        var effective = DateTimeOffset.UtcNow.AddMinutes(-5);

        var noKey = await _host.Client.PostAsync("/api/prices", PriceDriver.Change("e2e-key-1", "all", effective, ("SKU-KEY", "12.00")));
        var channel = await SendAsync(HttpMethod.Post, "/api/prices", ChannelKey, PriceDriver.Change("e2e-key-1", "all", effective, ("SKU-KEY", "12.00")));
        var admin = await SendAsync(HttpMethod.Post, "/api/prices", AdminKey, PriceDriver.Change("e2e-key-1", "all", effective, ("SKU-KEY", "12.00")));
        var price = await SendAsync(HttpMethod.Get, "/api/prices/SKU-KEY", ChannelKey);
        var priceWithoutKey = await _host.Client.GetAsync("/api/prices/SKU-KEY");

        await ExpectRefusedAsync(noKey, HttpStatusCode.Unauthorized);
        await ExpectRefusedAsync(channel, HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.Accepted, admin.StatusCode);
        Assert.False((await admin.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("repeated").GetBoolean()); // the refusals accepted nothing
        Assert.Equal(HttpStatusCode.OK, price.StatusCode);
        Assert.Equal(12.00m, (await price.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("price").GetDecimal());
        await ExpectRefusedAsync(priceWithoutKey, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task AdminReads_ReportAndRegistry_NeedTheAdminKey_WhateverTheCaseOfThePath()
    {
        var attempts = new (HttpMethod Method, string Path, HttpContent? Body)[]
        {
            (HttpMethod.Get, "/api/prices/subscribers", null),
            (HttpMethod.Get, "/api/prices/SUBSCRIBERS", null),
            (HttpMethod.Get, "/api/prices/changes/e2e-none", null),
            (HttpMethod.Post, "/api/Prices", PriceDriver.Change("e2e-key-case", "all", DateTimeOffset.UtcNow, ("SKU-CASE", "1.00"))),
            (HttpMethod.Put, "/api/prices/subscribers/e2e-key-sub", PriceDriver.Subscriber("web", "all", "https://web.example/")),
            (HttpMethod.Put, "/api/PRICES/Subscribers/e2e-key-sub", PriceDriver.Subscriber("web", "all", "https://web.example/")),
        };

        var letThrough = new List<string>();
        foreach (var (method, path, body) in attempts)
        {
            var response = await SendAsync(method, path, ChannelKey, body);
            if (response.StatusCode != HttpStatusCode.Forbidden)
            {
                letThrough.Add($"{method} {path} answered {(int)response.StatusCode}");
            }
        }

        Assert.Empty(letThrough);

        var list = await SendAsync(HttpMethod.Get, "/api/prices/subscribers", AdminKey);
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        var ids = (await list.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray().Select(subscriber => subscriber.GetProperty("id").GetString()).ToList();
        Assert.DoesNotContain("e2e-key-sub", ids);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Get, "/api/prices/changes/e2e-key-case", AdminKey)).StatusCode);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string key, HttpContent? body = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body };
        request.Headers.Add("x-api-key", key);
        return await _host.Client.SendAsync(request);
    }

    private static async Task ExpectRefusedAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"expected {(int)expected}, got {response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal((int)expected, JsonDocument.Parse(body).RootElement.GetProperty("status").GetInt32());
    }
}

/// <summary>Request bodies of the price routes.</summary>
internal static class PriceDriver
{
    public static async Task<List<string>> SubscriberIdsAsync(LocalHostProcess host) =>
        (await host.Client.GetFromJsonAsync<JsonElement>("/api/prices/subscribers")).EnumerateArray()
            .Where(subscriber => subscriber.GetProperty("enabled").GetBoolean())
            .Select(subscriber => subscriber.GetProperty("id").GetString()!)
            .ToList();

    /// <summary>Polls the change's report until its latest run's workflow has completed (and the change has its result).</summary>
    public static async Task<JsonElement> WaitUntilFinishedAsync(LocalHostProcess host, string changeId, int run = 1)
    {
        var deadline = DateTime.UtcNow.AddMinutes(3);
        JsonElement report = default;
        while (DateTime.UtcNow < deadline)
        {
            report = await host.Client.GetFromJsonAsync<JsonElement>($"/api/prices/changes/{changeId}");
            var change = report.GetProperty("change");
            if (change.GetProperty("runs").GetInt32() == run
                && report.TryGetProperty("workflowStatus", out var status) && status.GetString() is { } text
                && text is not ("Pending" or "Running"))
            {
                Assert.Equal("Completed", text);
                Assert.NotEqual("delivering", change.GetProperty("status").GetString());
                return report;
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"Price change {changeId} (run {run}) did not finish: {report}\n{host.Output}");
    }

    public static StringContent Change(string changeId, string scope, DateTimeOffset effectiveAt, params (string Sku, string Price)[] items) =>
        Json(new JsonObject
        {
            ["changeId"] = changeId,
            ["effectiveAt"] = effectiveAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            ["scope"] = scope,
            ["items"] = new JsonArray(items.Select(item => (JsonNode)new JsonObject { ["sku"] = item.Sku, ["price"] = item.Price, ["currency"] = "USD" }).ToArray()),
        });

    public static StringContent Subscriber(string kind, string scope, string endpoint) =>
        Json(new JsonObject { ["kind"] = kind, ["scope"] = scope, ["endpoint"] = endpoint });

    private static StringContent Json(JsonObject body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");
}
