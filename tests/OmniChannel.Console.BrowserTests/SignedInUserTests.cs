using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Playwright;

namespace OmniChannel.Console.BrowserTests;

/// <summary>
/// A local host with keys that trusts the signed-in user header, as the Functions app does behind App Service
/// Authentication (and as a local host behind the Static Web Apps CLI would): the console's people use it without a
/// key, each within their role.
/// </summary>
public sealed class SignedInHost : IAsyncLifetime
{
    public const string AdminKey = "signed-in-admin-key";

    public LocalHostProcess Host { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Host = await LocalHostProcess.StartAsync(new Dictionary<string, string>
        {
            ["CollectKey"] = "signed-in-channel-key",
            ["AdminKey"] = AdminKey,
            ["TrustPlatformPrincipal"] = "true",
        });
        Host.Client.DefaultRequestHeaders.Add("x-api-key", AdminKey);
    }

    public async Task DisposeAsync() => await Host.DisposeAsync();

    /// <summary>The header Static Web Apps forwards for a signed-in user, in its own shape.</summary>
    public static Dictionary<string, string> SignedIn(string user, string role) => new()
    {
        ["x-ms-client-principal"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(
            $$"""{"identityProvider":"aad","userId":"{{user}}","userDetails":"{{user}}@contoso.example","userRoles":["anonymous","authenticated","{{role}}"]}""")),
    };
}

[Collection(ConsoleCollection.Name)]
public sealed class SignedInUserTests(ConsoleHost console, SignedInHost signedIn) : IClassFixture<SignedInHost>
{
    [Fact]
    public async Task AStoreAssociate_HandsAnOrderOverWithoutAKey_ButCannotOpenTheRules()
    {
        var bopis = new BopisDriver(signedIn.Host);
        await bopis.PlaceReservedOrderAsync("ord-signed-in", "c-signed-in", "0002", "SKU-SIGNED-IN", quantity: 1, stock: 2);
        var context = await NewContextAsync(SignedInHost.SignedIn("sam", "store"));
        var page = await context.NewPageAsync();

        await ConsoleHost.GoToAsync(page, "pickup");
        await page.GetByLabel("Store").SelectOptionAsync("0002");
        var order = page.Locator("article[data-order='ord-signed-in']");
        await order.GetByRole(AriaRole.Button, new() { Name = "Picked" }).ClickAsync();
        await Assertions.Expect(order).ToHaveAttributeAsync("data-queue", "Ready", new() { Timeout = 30_000 });
        await order.GetByRole(AriaRole.Button, new() { Name = "Collected" }).ClickAsync();
        await bopis.WaitForStatusAsync("ord-signed-in", "collected");

        await ConsoleHost.GoToAsync(page, "rules");
        var alert = page.GetByRole(AriaRole.Alert);
        await Assertions.Expect(alert).ToContainTextAsync("needs marketing");
        await Assertions.Expect(alert).ToContainTextAsync("ask an administrator for the console role");
        await ConsoleHost.ScreenshotAsync(page, "signed-in-store-rules");
        await context.DisposeAsync();
    }

    [Fact]
    public async Task AMarketer_SeesTheRulesWithoutAKey_ButNeitherTheChannelRoutesNorTheHandOver_AndNobodySignedInIsAskedForTheKey()
    {
        var context = await NewContextAsync(SignedInHost.SignedIn("mara", "marketing"));
        var page = await context.NewPageAsync();

        await ConsoleHost.GoToAsync(page, "rules");
        await Assertions.Expect(page.GetByRole(AriaRole.Table)).ToBeVisibleAsync();
        await ConsoleHost.GoToAsync(page, "insights");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToHaveCountAsync(0);
        var events = await page.APIRequest.PostAsync("api/events", new() { DataString = "{}", Headers = new Dictionary<string, string> { ["content-type"] = "application/cloudevents+json" } });
        var handOver = await page.APIRequest.PostAsync("api/stores/0002/orders/ord-any/picked");
        Assert.Equal(403, events.Status);
        Assert.Equal(403, handOver.Status);
        await context.DisposeAsync();

        var anonymous = await NewContextAsync(new Dictionary<string, string>());
        var anonymousPage = await anonymous.NewPageAsync();
        await ConsoleHost.GoToAsync(anonymousPage, "rules");
        await Assertions.Expect(anonymousPage.GetByRole(AriaRole.Alert)).ToContainTextAsync("enter the admin key");
        await anonymous.DisposeAsync();
    }

    [Fact]
    public async Task StoreAndMarketing_ReadACustomers360WithoutAKey_ButNotTheMergeAudit()
    {
        var view = ConsoleHost.Event("signed-in-c360", "omni.product.viewed", "web", "c-signed-in-360", new JsonObject { ["sku"] = "SKU-SIGNED-360" }, source: "/web");
        using (var posted = await signedIn.Host.Client.PostAsync("/api/events", new StringContent(view.ToJsonString(), Encoding.UTF8, "application/cloudevents+json")))
        {
            Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        }

        var deadline = DateTime.UtcNow.AddSeconds(60);
        while ((await signedIn.Host.Client.GetAsync("/api/customers/c-signed-in-360")).StatusCode != HttpStatusCode.OK)
        {
            Assert.True(DateTime.UtcNow < deadline, "the customer's view was never ingested");
            await Task.Delay(250);
        }

        foreach (var role in new[] { "store", "marketing" })
        {
            var context = await NewContextAsync(SignedInHost.SignedIn("agent-" + role, role));
            var page = await context.NewPageAsync();
            await ConsoleHost.GoToAsync(page, "customers/c-signed-in-360");
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Customer c-signed-in-360" })).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator("tr[data-event='signed-in-c360']")).ToBeVisibleAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToHaveCountAsync(0);
            Assert.Equal(403, (await page.APIRequest.GetAsync("api/customers/c-signed-in-360/merges")).Status);
            await context.DisposeAsync();
        }
    }

    private Task<IBrowserContext> NewContextAsync(Dictionary<string, string> headers) =>
        console.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = signedIn.Host.Client.BaseAddress!.ToString(),
            ViewportSize = new ViewportSize { Width = 1024, Height = 768 },
            ExtraHTTPHeaders = headers,
        });
}
