using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using OmniChannel.Azure.IntegrationTests.Fixtures;
using OmniChannel.Core.Remarketing;

namespace OmniChannel.Azure.IntegrationTests.Remarketing;

/// <summary>The remarketing rule routes on Kestrel over Azurite: ETag/If-Match, validation, the stored shape.</summary>
[Collection(ServersCollection.Name)]
public sealed class RulesApiTests(ServersFixture servers)
{
    [Fact]
    public async Task Rule_CreatedReadUpdatedDeleted_WithETags_AStaleWriteGets412()
    {
        await using var host = await HttpBackbone.StartAsync(servers);
        var id = "it-" + Guid.NewGuid().ToString("N")[..8];
        var url = $"/api/remarketing/rules/{id}";

        var created = await host.Client.PutAsync(url, Body(RuleSeed.Example with { Id = id }));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var firstETag = created.Headers.ETag?.ToString();
        Assert.False(string.IsNullOrEmpty(firstETag));

        var read = await host.Client.GetAsync(url);
        Assert.Equal(firstETag, read.Headers.ETag?.ToString());
        var readBody = await read.Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal(RuleSeed.Example.Name, readBody!["name"]!.GetValue<string>());
        Assert.Equal("21:00", readBody["quietHours"]!["from"]!.GetValue<string>());

        // The answered shape goes back as it came: edit one field and save with the ETag read.
        readBody["priority"] = 42;
        var updated = await Send(host, HttpMethod.Put, url, readBody.ToJsonString(), firstETag);
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        var secondETag = updated.Headers.ETag?.ToString();
        Assert.NotEqual(firstETag, secondETag);
        Assert.Equal(42, (await host.Client.GetFromJsonAsync<JsonObject>(url))!["priority"]!.GetValue<int>());

        // A colleague still holding the first version: refused, nothing overwritten.
        readBody["priority"] = 7;
        var stale = await Send(host, HttpMethod.Put, url, readBody.ToJsonString(), firstETag);
        await Expect(stale, HttpStatusCode.PreconditionFailed);
        Assert.Equal(42, (await host.Client.GetFromJsonAsync<JsonObject>(url))!["priority"]!.GetValue<int>());

        var withoutIfMatch = await host.Client.PutAsync(url, Body(RuleSeed.Example with { Id = id }));
        await Expect(withoutIfMatch, (HttpStatusCode)428);

        await Expect(await Send(host, HttpMethod.Delete, url, null, firstETag), HttpStatusCode.PreconditionFailed);
        Assert.Equal(HttpStatusCode.NoContent, (await Send(host, HttpMethod.Delete, url, null, secondETag)).StatusCode);
        await Expect(await host.Client.GetAsync(url), HttpStatusCode.NotFound);
        await Expect(await host.Client.DeleteAsync(url), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Rule_Invalid_Answers400NamingEveryField_AndStoresNothing()
    {
        await using var host = await HttpBackbone.StartAsync(servers);
        var id = "it-" + Guid.NewGuid().ToString("N")[..8];

        var bad = await host.Client.PutAsync($"/api/remarketing/rules/{id}", new StringContent(
            """{"name":"","signal":"store.visited","radiusMeters":5,"offer":{"kind":"percent","value":95,"minSpend":0,"validHours":24},"quietHours":{"from":"9pm","to":"8am"}}""",
            Encoding.UTF8, "application/json"));

        var problem = JsonDocument.Parse(await Expect(bad, HttpStatusCode.BadRequest)).RootElement;
        Assert.Equal(
            ["name", "offer.value", "quietHours", "radiusMeters", "signal"],
            problem.GetProperty("errors").EnumerateArray().Select(error => error.GetProperty("field").GetString()!).Order(StringComparer.Ordinal));
        await Expect(await host.Client.GetAsync($"/api/remarketing/rules/{id}"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Rule_MoneyAsDecimalStrings_IsSaved_AWrongJsonTypeIsATypeErrorInTheProblem()
    {
        await using var host = await HttpBackbone.StartAsync(servers);
        var id = "it-" + Guid.NewGuid().ToString("N")[..8];
        var body = RuleJson.Write(RuleSeed.Example with { Id = id });
        body["offer"] = JsonNode.Parse("""{"kind":"percent","value":"15","minSpend":"0","validHours":24}""");

        var saved = await host.Client.PutAsync($"/api/remarketing/rules/{id}", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
        body["offer"]!["value"] = new JsonArray(15);
        var wrongType = await host.Client.PutAsync($"/api/remarketing/rules/{id}-b", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));

        Assert.True(saved.StatusCode == HttpStatusCode.Created, await saved.Content.ReadAsStringAsync());
        var offer = (await host.Client.GetFromJsonAsync<JsonObject>($"/api/remarketing/rules/{id}"))!["offer"]!;
        Assert.Equal((15m, 0m), (offer["value"]!.GetValue<decimal>(), offer["minSpend"]!.GetValue<decimal>()));
        var error = Assert.Single(JsonDocument.Parse(await Expect(wrongType, HttpStatusCode.BadRequest)).RootElement.GetProperty("errors").EnumerateArray());
        Assert.Equal(("offer.value", "type"), (error.GetProperty("field").GetString(), error.GetProperty("kind").GetString()));
        Assert.Contains("not an array", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rules_List_HasEachRuleWithItsETag()
    {
        await using var host = await HttpBackbone.StartAsync(servers);
        var id = "it-" + Guid.NewGuid().ToString("N")[..8];
        var created = await host.Client.PutAsync($"/api/remarketing/rules/{id}", Body(RuleSeed.Example with { Id = id, Enabled = false }));

        var rules = await host.Client.GetFromJsonAsync<JsonArray>("/api/remarketing/rules");

        var listed = Assert.Single(rules!, rule => rule!["id"]!.GetValue<string>() == id)!;
        Assert.False(listed["enabled"]!.GetValue<bool>());
        Assert.Equal(created.Headers.ETag?.ToString(), listed["etag"]!.GetValue<string>());
    }

    private static StringContent Body(RemarketingRule rule) => new(RuleJson.Write(rule).ToJsonString(), Encoding.UTF8, "application/json");

    private static async Task<HttpResponseMessage> Send(HttpBackbone host, HttpMethod method, string url, string? json, string? ifMatch)
    {
        using var request = new HttpRequestMessage(method, url);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return await host.Client.SendAsync(request);
    }

    private static async Task<string> Expect(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {status}, got {response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return body;
    }
}
