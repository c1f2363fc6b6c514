using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using OmniChannel.Azure.IntegrationTests.Fixtures;
using OmniChannel.Core.Ports;
using OmniChannel.Core.Prices;
using OmniChannel.Core.Stores;

namespace OmniChannel.Azure.IntegrationTests.Prices;

/// <summary>The price routes on Kestrel over the real protocol servers; the workflow client only records what would start.</summary>
[Collection(ServersCollection.Name)]
public sealed class PricesApiTests(ServersFixture servers)
{
    private static readonly DateTimeOffset Effective = new(2026, 12, 1, 6, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task SubmitChange_Valid_Answers202WithTheStatusUrl_StartsTheFanOutOnce_RepeatIsHarmless_OtherContentIs409()
    {
        await using var host = await StartAsync();

        var first = await host.Client.PostAsync("/api/prices", Change("pc-100", "SKU-A", "19.99"));
        var repeat = await host.Client.PostAsync("/api/prices", Change("pc-100", "SKU-A", "19.99"));
        var clash = await host.Client.PostAsync("/api/prices", Change("pc-100", "SKU-A", "18.99"));

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal("/api/prices/changes/pc-100", first.Headers.Location?.OriginalString);
        var accepted = await first.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("pc-100", accepted.GetProperty("changeId").GetString());
        Assert.False(accepted.GetProperty("repeated").GetBoolean());
        Assert.Equal("delivering", accepted.GetProperty("status").GetString());
        Assert.Equal("all", accepted.GetProperty("scope").GetString());
        Assert.Equal(HttpStatusCode.Accepted, repeat.StatusCode);
        Assert.Equal("/api/prices/changes/pc-100", repeat.Headers.Location?.OriginalString);
        Assert.True((await repeat.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("repeated").GetBoolean());
        Assert.Contains("pc-100", await Expect(clash, HttpStatusCode.Conflict), StringComparison.Ordinal);

        var started = Assert.Single(host.Workflows.Started);
        Assert.Equal(PriceFanOut.InstanceIdFor("pc-100", 1), started.Key);
        Assert.Equal("price-pc-100", started.Key);
        var input = Assert.IsType<PriceFanOutInput>(started.Value);
        Assert.Equal("pc-100", input.ChangeId);
        Assert.Equal(1, input.Run);

        // The first content stands: the clash changed nothing.
        var stored = (await host.Backbone.Get<IPriceStore>().GetChangeAsync("pc-100", CancellationToken.None))!.Value;
        Assert.Equal(19.99m, Assert.Single(stored.Items).Price);
        var report = await host.Client.GetFromJsonAsync<JsonElement>("/api/prices/changes/pc-100");
        Assert.Equal("pc-100", report.GetProperty("change").GetProperty("id").GetString());
        Assert.Equal("Running", report.GetProperty("workflowStatus").GetString());
        Assert.Equal(0, report.GetProperty("counts").GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task SubmitChange_BadInput_Answers400NamingEveryBadField_AndStartsNothing()
    {
        await using var host = await StartAsync();

        var bad = await host.Client.PostAsync("/api/prices", Raw("""
            {"changeId":"has spaces","effectiveAt":"2026-12-01T06:00:00","scope":"planet:mars",
             "items":[{"sku":"SKU-1","price":-1},{"sku":"SKU-2","price":"1.5"},{"price":"2","currency":"usd"},{"sku":"SKU-2","price":"3"}]}
            """));
        var noItems = await host.Client.PostAsync("/api/prices", Raw("""{"changeId":"pc-x","effectiveAt":"2026-12-01T06:00:00Z","items":[]}"""));
        var notJson = await host.Client.PostAsync("/api/prices", Raw("{\"changeId\":"));
        var array = await host.Client.PostAsync("/api/prices", Raw("[]"));
        var unknownStore = await host.Client.PostAsync("/api/prices", Change("pc-y", "SKU-A", "1.00", scope: "store:9999"));
        var unknownRegion = await host.Client.PostAsync("/api/prices", Change("pc-z", "SKU-A", "1.00", scope: "region:mars"));

        var fields = Fields(await Expect(bad, HttpStatusCode.BadRequest));
        Assert.Equal(["changeId", "effectiveAt", "items[0].price", "items[2].currency", "items[2].sku", "items[3].sku", "scope"], fields.Order(StringComparer.Ordinal));
        Assert.Equal(["items"], Fields(await Expect(noItems, HttpStatusCode.BadRequest)));
        await Expect(notJson, HttpStatusCode.BadRequest);
        await Expect(array, HttpStatusCode.BadRequest);
        var storeProblem = await Expect(unknownStore, HttpStatusCode.BadRequest);
        Assert.Equal(["scope"], Fields(storeProblem));
        Assert.Contains("9999", storeProblem, StringComparison.Ordinal);
        Assert.Equal(["scope"], Fields(await Expect(unknownRegion, HttpStatusCode.BadRequest)));
        Assert.Empty(host.Workflows.Started);
        Assert.Null(await host.Backbone.Get<IPriceStore>().GetChangeAsync("pc-y", CancellationToken.None));
    }

    [Fact]
    public async Task Price_BeforeAndAfterTheEffectiveTime_404ThenThePrice_StorePriceOutranksTheChainsAtThatStore()
    {
        await using var host = await StartAsync();
        Assert.Equal(HttpStatusCode.Accepted, (await host.Client.PostAsync("/api/prices", Change("pc-200", "SKU-B", "24.00"))).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await host.Client.PostAsync("/api/prices", Change("pc-201", "SKU-B", "21.50", scope: "store:0001"))).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await host.Client.PostAsync("/api/prices", Change("pc-202", "SKU-B", "26.00", effectiveAt: Effective.AddDays(7)))).StatusCode);

        var before = await host.Client.GetAsync($"/api/prices/SKU-B?at={At(Effective.AddSeconds(-1))}");
        var atTheMoment = await host.Client.GetFromJsonAsync<JsonElement>($"/api/prices/SKU-B?at={At(Effective)}");
        var after = await host.Client.GetFromJsonAsync<JsonElement>($"/api/prices/SKU-B?at={At(Effective.AddHours(3))}");
        var atTheStore = await host.Client.GetFromJsonAsync<JsonElement>($"/api/prices/SKU-B?at={At(Effective.AddHours(3))}&store=0001");
        var atAnotherStore = await host.Client.GetFromJsonAsync<JsonElement>($"/api/prices/SKU-B?at={At(Effective.AddHours(3))}&store=0002");
        var nextWeekAtTheStore = await host.Client.GetFromJsonAsync<JsonElement>($"/api/prices/SKU-B?at={At(Effective.AddDays(8))}&store=0001");
        var unknownStore = await host.Client.GetAsync($"/api/prices/SKU-B?at={At(Effective.AddHours(3))}&store=9999");
        var badTime = await host.Client.GetAsync("/api/prices/SKU-B?at=yesterday");
        var unknownSku = await host.Client.GetAsync($"/api/prices/SKU-NONE?at={At(Effective.AddHours(3))}");

        Assert.Contains("SKU-B", await Expect(before, HttpStatusCode.NotFound), StringComparison.Ordinal);
        Assert.Equal(24.00m, atTheMoment.GetProperty("price").GetDecimal());
        Assert.Equal("pc-200", after.GetProperty("changeId").GetString());
        Assert.Equal(24.00m, after.GetProperty("price").GetDecimal());
        Assert.Equal("USD", after.GetProperty("currency").GetString());
        Assert.Equal("all", after.GetProperty("scope").GetString());
        Assert.Equal(21.50m, atTheStore.GetProperty("price").GetDecimal());
        Assert.Equal("pc-201", atTheStore.GetProperty("changeId").GetString());
        Assert.Equal("0001", atTheStore.GetProperty("storeId").GetString());
        Assert.Equal(24.00m, atAnotherStore.GetProperty("price").GetDecimal());
        Assert.Equal(26.00m, nextWeekAtTheStore.GetProperty("price").GetDecimal()); // the later change wins, wherever it applies
        Assert.Equal(["store"], Fields(await Expect(unknownStore, HttpStatusCode.BadRequest)));
        Assert.Equal(["at"], Fields(await Expect(badTime, HttpStatusCode.BadRequest)));
        await Expect(unknownSku, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Subscribers_PutCreatesWithASecretOnce_PutAgainReplacesWithout_ListNeverShowsSecrets_DeleteThen404()
    {
        await using var host = await StartAsync();
        var id = "it-" + Guid.NewGuid().ToString("N")[..8];

        var created = await host.Client.PutAsync($"/api/prices/subscribers/{id}", Subscriber("pos", "store:0001", "https://pos.example/0001"));
        var replaced = await host.Client.PutAsync($"/api/prices/subscribers/{id}", Subscriber("pos", "store:0001", "https://pos.example/0001/v2"));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal($"/api/prices/subscribers/{id}", created.Headers.Location?.OriginalString);
        var createdBody = await created.Content.ReadFromJsonAsync<JsonElement>();
        var secret = createdBody.GetProperty("secret").GetString()!;
        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        Assert.Equal("store:0001", createdBody.GetProperty("scope").GetString());
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        var replacedText = await replaced.Content.ReadAsStringAsync();
        Assert.DoesNotContain("secret", replacedText, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("https://pos.example/0001/v2", JsonDocument.Parse(replacedText).RootElement.GetProperty("endpoint").GetString());
        Assert.Equal(secret, await host.Backbone.Get<ISubscriberSecretStore>().GetAsync(id, CancellationToken.None)); // kept, not re-made

        var list = await host.Client.GetAsync("/api/prices/subscribers");
        var listText = await list.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.DoesNotContain("secret", listText, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("whsec_", listText, StringComparison.Ordinal);
        var listed = JsonDocument.Parse(listText).RootElement.EnumerateArray().Single(subscriber => subscriber.GetProperty("id").GetString() == id);
        Assert.Equal("pos", listed.GetProperty("kind").GetString());
        Assert.Equal("https://pos.example/0001/v2", listed.GetProperty("endpoint").GetString());
        Assert.True(listed.GetProperty("enabled").GetBoolean());
        var one = await host.Client.GetAsync($"/api/prices/subscribers/{id}");
        Assert.Equal(HttpStatusCode.OK, one.StatusCode);
        Assert.DoesNotContain("whsec_", await one.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var deleted = await host.Client.DeleteAsync($"/api/prices/subscribers/{id}");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        await Expect(await host.Client.GetAsync($"/api/prices/subscribers/{id}"), HttpStatusCode.NotFound);
        await Expect(await host.Client.DeleteAsync($"/api/prices/subscribers/{id}"), HttpStatusCode.NotFound);
        Assert.Null(await host.Backbone.Get<ISubscriberSecretStore>().GetAsync(id, CancellationToken.None));
    }

    [Fact]
    public async Task Subscribers_BadInput_Answers400NamingTheFields()
    {
        await using var host = await StartAsync();

        var bad = await host.Client.PutAsync("/api/prices/subscribers/it-bad", Raw("""{"kind":"fax","scope":"everywhere","endpoint":"ftp://x.example/","enabled":"yes"}"""));
        var badId = await host.Client.PutAsync("/api/prices/subscribers/has%20space", Subscriber("web", "all", "https://web.example/"));
        var notJson = await host.Client.PutAsync("/api/prices/subscribers/it-bad", Raw("nope"));

        Assert.Equal(["enabled", "endpoint", "kind", "scope"], Fields(await Expect(bad, HttpStatusCode.BadRequest)).Order(StringComparer.Ordinal));
        Assert.Equal(["id"], Fields(await Expect(badId, HttpStatusCode.BadRequest)));
        await Expect(notJson, HttpStatusCode.BadRequest);
        await Expect(await host.Client.GetAsync("/api/prices/subscribers/it-bad"), HttpStatusCode.NotFound);
    }

    private async Task<HttpBackbone> StartAsync()
    {
        var host = await HttpBackbone.StartAsync(servers);
        await host.Backbone.Get<IStoreDirectory>().UpsertAsync(StoreSeed.Generate(), CancellationToken.None);
        return host;
    }

    private static async Task<string> Expect(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {status}, got {response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal((int)status, JsonDocument.Parse(body).RootElement.GetProperty("status").GetInt32());
        return body;
    }

    private static List<string> Fields(string problem) =>
        JsonDocument.Parse(problem).RootElement.GetProperty("errors").EnumerateArray().Select(error => error.GetProperty("field").GetString()!).ToList();

    private static string At(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static StringContent Raw(string json) => new(json, Encoding.UTF8, "application/json");

    private static StringContent Change(string changeId, string sku, string price, string scope = "all", DateTimeOffset? effectiveAt = null) =>
        Raw(new JsonObject
        {
            ["changeId"] = changeId,
            ["effectiveAt"] = At(effectiveAt ?? Effective),
            ["scope"] = scope,
            ["items"] = new JsonArray(new JsonObject { ["sku"] = sku, ["price"] = price }),
        }.ToJsonString());

    private static StringContent Subscriber(string kind, string scope, string endpoint) =>
        Raw(new JsonObject { ["kind"] = kind, ["scope"] = scope, ["endpoint"] = endpoint }.ToJsonString());
}
