using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using OmniChannel.Api.OpenApi;

namespace OmniChannel.Local.EndToEndTests;

/// <summary>
/// The OpenAPI document as the local host serves it, its reference page, and every route's error answers, each held to
/// the document by <see cref="OpenApiConformanceHandler"/> (status documented, body valid against its schema).
/// </summary>
public sealed partial class OpenApiTests(OpenApiTests.Host fixture) : IClassFixture<OpenApiTests.Host>
{
    private const string CollectKey = "collect-secret";
    private const string AdminKey = "admin-secret";

    /// <summary>One local host, with keys, for the whole class: starting one costs seconds on a shared machine.</summary>
    public sealed class Host : IAsyncLifetime
    {
        public LocalHostProcess Process { get; private set; } = null!;

        public async Task InitializeAsync() =>
            Process = await LocalHostProcess.StartAsync(new Dictionary<string, string> { ["CollectKey"] = CollectKey, ["AdminKey"] = AdminKey });

        public async Task DisposeAsync() => await Process.DisposeAsync();
    }

    private HttpClient Client => fixture.Process.Client;

    [Fact]
    public async Task OpenApiDocument_WithoutAKey_IsTheDocumentTheFunctionsAppServes()
    {
        var response = await Client.GetAsync("/api/openapi.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        // The Functions app's GetOpenApiDocument answers OpenApiApi's text, from this same source.
        Assert.Equal(await new OpenApiDocumentSource().GetJsonAsync(), await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ApiReference_WithoutAKey_LoadsItsScriptFromTheHostItself()
    {
        var page = await Client.GetAsync("/api/docs");
        var html = await page.Content.ReadAsStringAsync();
        var scripts = ScriptSource().Matches(html).Select(match => match.Groups["src"].Value).ToList();

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        // Scalar redirects to /api/docs/ and resolves the document's address against the site's root.
        Assert.Equal("/api/docs/", page.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Contains("\"url\":\"api/openapi.json\"", html, StringComparison.Ordinal);
        Assert.NotEmpty(scripts);
        Assert.DoesNotContain(scripts, source => source.StartsWith("http", StringComparison.OrdinalIgnoreCase) || source.StartsWith("//", StringComparison.Ordinal));
        var sizes = new List<int>();
        foreach (var source in scripts)
        {
            var script = await Client.GetAsync(new Uri(page.RequestMessage!.RequestUri!, source));
            Assert.Equal(HttpStatusCode.OK, script.StatusCode);
            sizes.Add((await script.Content.ReadAsByteArrayAsync()).Length);
        }

        // The reference's whole bundle (megabytes), not a loader that fetches it from a CDN.
        Assert.Contains(sizes, size => size > 1_000_000);
    }

    public static TheoryData<string, string, string?, string?, HttpStatusCode> ErrorAnswers => new()
    {
        { "POST", "/api/events", "not json", AdminKey, HttpStatusCode.BadRequest },
        { "POST", "/api/events", null, null, HttpStatusCode.Unauthorized },
        { "GET", "/api/customers/nobody", null, AdminKey, HttpStatusCode.NotFound },
        { "DELETE", "/api/customers/nobody", null, CollectKey, HttpStatusCode.Forbidden },
        { "DELETE", "/api/customers/nobody", null, AdminKey, HttpStatusCode.NotFound },
        { "GET", "/api/customers/nobody/events?limit=0", null, AdminKey, HttpStatusCode.BadRequest },
        { "GET", "/api/customers/nobody/events", null, AdminKey, HttpStatusCode.NotFound },
        { "GET", "/api/customers/nobody/merges", null, AdminKey, HttpStatusCode.NotFound },
        { "POST", "/api/customers/nobody/merges/m-1/undo", null, AdminKey, HttpStatusCode.NotFound },
        { "GET", "/api/stores", null, AdminKey, HttpStatusCode.OK },
        { "GET", "/api/stores/0001", null, AdminKey, HttpStatusCode.OK },
        { "GET", "/api/stores/nope", null, AdminKey, HttpStatusCode.NotFound },
        { "GET", "/api/stores/0001/inventory/SKU-1", null, AdminKey, HttpStatusCode.OK },
        { "GET", "/api/stores/nope/inventory/SKU-1", null, AdminKey, HttpStatusCode.NotFound },
        { "GET", "/api/stores/0001/orders", null, AdminKey, HttpStatusCode.OK },
        { "GET", "/api/stores/0001/orders?status=bogus", null, AdminKey, HttpStatusCode.BadRequest },
        { "GET", "/api/stores/nope/orders", null, AdminKey, HttpStatusCode.NotFound },
        { "POST", "/api/stores/0001/returns", "{}", AdminKey, HttpStatusCode.BadRequest },
        { "POST", "/api/stores/0001/returns", """{"returnId":"r-1","orderId":"nope","lines":[{"sku":"SKU-1","quantity":1}]}""", AdminKey, HttpStatusCode.NotFound },
        { "GET", "/api/health", null, null, HttpStatusCode.OK },
        { "GET", "/api/health", null, AdminKey, HttpStatusCode.OK },
        { "GET", "/api/health?code=guess", null, null, HttpStatusCode.BadRequest },
        { "GET", "/api/openapi.json?code=guess", null, null, HttpStatusCode.BadRequest },
        { "POST", "/api/orders", "[]", AdminKey, HttpStatusCode.BadRequest },
        { "POST", "/api/orders", """{"orderid":"o-1","customerid":"c-1","storeid":"0001","fulfilment":"ship","lines":[{"sku":"SKU-1","quantity":1,"price":"1.00"}]}""", AdminKey, HttpStatusCode.BadRequest },
        { "GET", "/api/orders/nope", null, AdminKey, HttpStatusCode.NotFound },
        { "POST", "/api/orders/nope/cancel", null, AdminKey, HttpStatusCode.NotFound },
        { "POST", "/api/orders/nope/arrived", null, AdminKey, HttpStatusCode.NotFound },
        { "POST", "/api/orders/nope/picked", """{"lines":"all"}""", AdminKey, HttpStatusCode.BadRequest },
        { "POST", "/api/orders/nope/picked", null, AdminKey, HttpStatusCode.NotFound },
        { "POST", "/api/stores/0001/orders/nope/picked", null, AdminKey, HttpStatusCode.NotFound },
        { "POST", "/api/stores/0001/orders/nope/collected", null, AdminKey, HttpStatusCode.NotFound },
        { "POST", "/api/prices", "{}", AdminKey, HttpStatusCode.BadRequest },
        { "POST", "/api/prices", null, CollectKey, HttpStatusCode.Forbidden },
        { "GET", "/api/prices/SKU-1?at=yesterday", null, AdminKey, HttpStatusCode.BadRequest },
        { "GET", "/api/prices/NO-SUCH-SKU", null, AdminKey, HttpStatusCode.NotFound },
        { "GET", "/api/prices/changes/nope", null, AdminKey, HttpStatusCode.NotFound },
        { "GET", "/api/prices/changes/nope?state=bogus", null, AdminKey, HttpStatusCode.BadRequest },
        { "POST", "/api/prices/changes/nope/retry", null, AdminKey, HttpStatusCode.NotFound },
        { "GET", "/api/prices/subscribers", null, AdminKey, HttpStatusCode.OK },
        { "GET", "/api/prices/subscribers/nope", null, AdminKey, HttpStatusCode.NotFound },
        { "PUT", "/api/prices/subscribers/s-1", "{}", AdminKey, HttpStatusCode.BadRequest },
        { "DELETE", "/api/prices/subscribers/nope", null, AdminKey, HttpStatusCode.NotFound },
        { "GET", "/api/remarketing/rules", null, AdminKey, HttpStatusCode.OK },
        { "GET", "/api/remarketing/rules/nope", null, AdminKey, HttpStatusCode.NotFound },
        { "PUT", "/api/remarketing/rules/r-1", "{}", AdminKey, HttpStatusCode.BadRequest },
        { "DELETE", "/api/remarketing/rules/nope", null, AdminKey, HttpStatusCode.NotFound },
        { "POST", "/api/remarketing/rules/nope/simulate", null, AdminKey, HttpStatusCode.NotFound },
        { "POST", "/api/remarketing/rules/nope/simulate", """{"limit":0}""", AdminKey, HttpStatusCode.BadRequest },
        { "GET", "/api/admin/deadletters", null, AdminKey, HttpStatusCode.OK },
        { "GET", "/api/admin/deadletters?day=someday", null, AdminKey, HttpStatusCode.BadRequest },
        { "POST", "/api/admin/deadletters/replay", """{"day":5}""", AdminKey, HttpStatusCode.BadRequest },
        { "GET", "/api/admin/parked", null, AdminKey, HttpStatusCode.OK },
        { "POST", "/api/admin/parked/replay", null, AdminKey, HttpStatusCode.OK },
        { "GET", "/api/operations/violations?limit=0", null, AdminKey, HttpStatusCode.BadRequest },
        { "GET", "/api/operations/refunds?limit=0", null, AdminKey, HttpStatusCode.BadRequest },
        { "GET", "/api/operations/refunds", null, AdminKey, HttpStatusCode.OK },
        { "GET", "/api/operations/coupon-conflicts?limit=0", null, AdminKey, HttpStatusCode.BadRequest },
        { "GET", "/api/operations/coupon-conflicts", null, AdminKey, HttpStatusCode.OK },
        { "POST", "/api/coupons/NOPE/validate", "{}", AdminKey, HttpStatusCode.BadRequest },
        { "POST", "/api/coupons/NOPE/validate", """{"storeId":"0001","customer":{"loyaltyid":"L-1"},"basketTotal":10}""", AdminKey, HttpStatusCode.OK },
        { "POST", "/api/coupons/NOPE/redeem", """{"storeId":"0001","saleId":"s-1","customer":{"loyaltyid":"L-1"},"basketTotal":10}""", AdminKey, HttpStatusCode.NotFound },
        { "GET", "/api/insights/summary?from=someday", null, AdminKey, HttpStatusCode.BadRequest },
        { "POST", "/api/payments/refunds/events", "{}", null, HttpStatusCode.Unauthorized },
        { "POST", "/api/console/roles", "not json", null, HttpStatusCode.BadRequest },
        { "POST", "/api/console/roles", """{"identityProvider":"aad","userId":"u","userDetails":"u","claims":[]}""", null, HttpStatusCode.OK },
    };

    [Theory]
    [MemberData(nameof(ErrorAnswers))]
    public async Task Route_Answer_IsDocumentedAndValidAgainstItsSchema(string method, string path, string? body, string? key, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
        {
            // The collect API takes CloudEvents; every other body goes as plain JSON, also the payment callback's, whose
            // handler (not routing) refuses it: the document's body types must not turn requests away.
            var mediaType = path is "/api/events" ? "application/cloudevents+json" : "application/json";
            request.Content = new StringContent(body, Encoding.UTF8, mediaType);
        }

        if (key is not null)
        {
            request.Headers.Add("x-api-key", key);
        }

        // OpenApiConformanceHandler throws when the answer is not what the document says it can be.
        var response = await Client.SendAsync(request);

        Assert.True(expected == response.StatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    [Fact]
    public async Task BodyOverTheLimit_Answers413_AsDocumented()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/prices") { Content = new StringContent(new string(' ', 300 * 1024) + "{}", Encoding.UTF8, "application/json") };
        request.Headers.Add("x-api-key", AdminKey);

        var response = await Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [GeneratedRegex("<script[^>]*\\ssrc=\"(?<src>[^\"]+)\"", RegexOptions.IgnoreCase)]
    private static partial Regex ScriptSource();
}
