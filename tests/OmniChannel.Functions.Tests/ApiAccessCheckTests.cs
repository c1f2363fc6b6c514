using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OmniChannel.Api.Security;

namespace OmniChannel.Functions.Tests;

/// <summary>
/// The access check both hosts run in front of /api: keys, the console's signed-in users (Static Web Apps' and App
/// Service's principal shapes), forged principals, unresolved Key Vault references, and what each refusal says.
/// </summary>
public sealed class ApiAccessCheckTests
{
    private const string ChannelKey = "channel-key-5b1f";
    private const string AdminKey = "admin-key-9c07";

    [Theory]
    [InlineData("POST", "/api/events", ChannelKey, 0)]
    [InlineData("POST", "/api/events", AdminKey, 0)]
    [InlineData("POST", "/api/events", "guess", 401)]
    [InlineData("POST", "/api/events", null, 401)]
    [InlineData("GET", "/api/prices/SKU-1", ChannelKey, 0)]
    [InlineData("POST", "/api/prices", ChannelKey, 403)]
    [InlineData("POST", "/api/prices", AdminKey, 0)]
    [InlineData("GET", "/api/admin/parked", ChannelKey, 403)]
    [InlineData("GET", "/api/operations/violations", ChannelKey, 403)]
    [InlineData("GET", "/api/operations/violations", AdminKey, 0)]
    [InlineData("POST", "/api/admin/parked/replay", null, 401)]
    [InlineData("PUT", "/api/remarketing/rules/r1", ChannelKey, 403)]
    [InlineData("GET", "/api/Remarketing/Rules", ChannelKey, 403)]
    [InlineData("GET", "/api/customers/c-1", ChannelKey, 0)]
    [InlineData("DELETE", "/api/customers/c-1", ChannelKey, 403)]
    [InlineData("DELETE", "/api/customers/device:d-1", AdminKey, 0)]
    [InlineData("DELETE", "/api/customers/c-1", null, 401)]
    [InlineData("GET", "/api/health", null, 0)]
    [InlineData("POST", "/api/console/roles", null, 0)]
    [InlineData("POST", "/api/payments/refunds/events", null, 0)]
    [InlineData("POST", "/api/Payments/Refunds/Events", "guess", 0)]
    [InlineData("GET", "/api/payments/refunds/events", null, 401)]
    [InlineData("POST", "/api/payments/refunds", null, 401)]
    [InlineData("GET", "/index.html", null, 0)]
    public void Keys_OpenTheirRoutesOnly(string method, string path, string? key, int refusedWith)
    {
        var decision = Check(Keyed(), Request(method, path, key));

        Assert.Equal(refusedWith, Status(decision));
    }

    [Fact]
    public void Key_IsReadFromEitherHeaderOrTheCodeParameter_AndTheCallerIsNamedByItsKind()
    {
        var header = Request("GET", "/api/stores", key: null);
        header.Headers["x-functions-key"] = ChannelKey;
        var query = Request("GET", "/api/admin/deadletters", key: null);
        query.QueryString = new QueryString("?code=" + AdminKey);

        Assert.Equal("channel", Check(Keyed(), header).Caller);
        Assert.Equal("admin", Check(Keyed(), query).Caller);
    }

    [Fact]
    public void NoKeysConfigured_IsOpenOnlyWhereTheHostSaysSo()
    {
        var open = new ApiAccessOptions { OpenWithoutKeys = true };
        var closed = new ApiAccessOptions();

        Assert.True(Check(open, Request("POST", "/api/prices", null)).Allowed);
        Assert.Equal(401, Status(Check(closed, Request("POST", "/api/events", null))));
        Assert.Equal(401, Status(Check(closed, Request("POST", "/api/events", ""))));
    }

    [Fact]
    public void UnresolvedKeyVaultReference_IsNeverAKey()
    {
        const string reference = "@Microsoft.KeyVault(VaultName=kv-omni;SecretName=apiAdminKey)";
        var options = new ApiAccessOptions { AdminKey = reference, OpenWithoutKeys = true };

        // Not a key anyone may send, and not "no key configured" either (that would open a local host).
        Assert.Equal(401, Status(Check(options, Request("POST", "/api/prices", reference))));
        Assert.Equal(401, Status(Check(options, Request("POST", "/api/prices", null))));
    }

    [Fact]
    public void ConsoleUser_FromStaticWebApps_ReachesTheRoutesOfItsRole()
    {
        var marketing = StaticWebAppsPrincipal("mara@contoso.example", "authenticated", "anonymous", "marketing");
        var store = StaticWebAppsPrincipal("sam@contoso.example", "authenticated", "store");

        Assert.Equal("user:mara@contoso.example", Check(Trusting(), Request("PUT", "/api/remarketing/rules/r1", null, marketing)).Caller);
        Assert.True(Check(Trusting(), Request("GET", "/api/insights/summary", null, marketing)).Allowed);
        Assert.True(Check(Trusting(), Request("GET", "/api/stores/0004/orders", null, marketing)).Allowed);
        Assert.Equal(403, Status(Check(Trusting(), Request("POST", "/api/stores/0004/orders/o-1/picked", null, marketing))));
        Assert.True(Check(Trusting(), Request("POST", "/api/stores/0004/orders/o-1/collected", null, store)).Allowed);
        Assert.True(Check(Trusting(), Request("POST", "/api/stores/0004/returns", null, store)).Allowed);
        Assert.Equal(403, Status(Check(Trusting(), Request("POST", "/api/stores/0004/returns", null, marketing))));
        Assert.True(Check(Trusting(), Request("POST", "/api/coupons/OC-AAAA-BBBB-CC/redeem", null, store)).Allowed);
        Assert.True(Check(Trusting(), Request("POST", "/api/orders/o-1/picked", null, store)).Allowed);
        Assert.Equal(403, Status(Check(Trusting(), Request("POST", "/api/orders/o-1/picked", null, marketing))));
        Assert.Equal(403, Status(Check(Trusting(), Request("POST", "/api/coupons/OC-AAAA-BBBB-CC/validate", null, marketing))));
        Assert.Equal(403, Status(Check(Trusting(), Request("GET", "/api/operations/coupon-conflicts", null, store))));
        Assert.Equal(403, Status(Check(Trusting(), Request("DELETE", "/api/remarketing/rules/r1", null, store))));
    }

    [Fact]
    public void ConsoleUser_NeverReachesChannelOrOperatorRoutes()
    {
        var marketing = StaticWebAppsPrincipal("mara@contoso.example", "marketing");

        Assert.Equal(403, Status(Check(Trusting(), Request("POST", "/api/events", null, marketing))));
        Assert.Equal(403, Status(Check(Trusting(), Request("POST", "/api/prices", null, marketing))));
        Assert.Equal(403, Status(Check(Trusting(), Request("POST", "/api/admin/parked/replay", null, marketing))));
        Assert.Equal(403, Status(Check(Trusting(), Request("GET", "/api/customers/c-1/merges", null, marketing))));
        Assert.Equal(403, Status(Check(Trusting(), Request("DELETE", "/api/customers/c-1", null, marketing))));
        Assert.Equal(403, Status(Check(Trusting(), Request("POST", "/api/orders/o-1/cancel", null, marketing))));
    }

    [Fact]
    public void ConsoleUser_OfEitherRole_ReadsACustomer360_ItsTimeline_AndItsOrders()
    {
        foreach (var role in new[] { "marketing", "store" })
        {
            var user = StaticWebAppsPrincipal("agent@contoso.example", "authenticated", role);
            Assert.True(Check(Trusting(), Request("GET", "/api/customers/device:d-1", null, user)).Allowed);
            Assert.True(Check(Trusting(), Request("GET", "/api/customers/c-1/events", null, user)).Allowed);
            Assert.True(Check(Trusting(), Request("GET", "/api/orders/o-1", null, user)).Allowed);
        }
    }

    [Fact]
    public void ConsoleUser_InAppServiceShape_ReadsRolesFromItsRoleClaimType()
    {
        var principal = Encode(new JsonObject
        {
            ["auth_typ"] = "aad",
            ["name_typ"] = "name",
            ["role_typ"] = "http://schemas.microsoft.com/ws/2008/06/identity/claims/role",
            ["claims"] = new JsonArray(
                new JsonObject { ["typ"] = "name", ["val"] = "Sam Store" },
                new JsonObject { ["typ"] = "http://schemas.microsoft.com/ws/2008/06/identity/claims/role", ["val"] = "Store" }),
        });

        Assert.Equal("user:Sam Store", Check(Trusting(), Request("POST", "/api/stores/0004/orders/o-1/picked", null, principal)).Caller);
        Assert.Equal(403, Status(Check(Trusting(), Request("GET", "/api/remarketing/rules", null, principal))));
    }

    [Fact]
    public void ConsoleUser_WithoutRoleInformation_IsLetIntoConsoleRoutes_BecauseStaticWebAppsCheckedTheRoleBeforeForwarding()
    {
        var principal = Encode(new JsonObject { ["identityProvider"] = "azureStaticWebApps", ["userId"] = "u-1", ["userRoles"] = new JsonArray("anonymous", "authenticated") });

        Assert.True(Check(Trusting(), Request("GET", "/api/remarketing/rules", null, principal)).Allowed);
        Assert.Equal(403, Status(Check(Trusting(), Request("POST", "/api/events", null, principal))));
    }

    [Fact]
    public void ConsoleUser_WithAnUnknownRoleOnly_IsRefused()
    {
        var principal = StaticWebAppsPrincipal("eve@contoso.example", "authenticated", "auditor");

        Assert.Equal(403, Status(Check(Trusting(), Request("GET", "/api/insights/summary", null, principal))));
    }

    [Fact]
    public void ForgedPrincipal_IsIgnoredWhereThePlatformDoesNotSetIt()
    {
        var forged = StaticWebAppsPrincipal("mallory", "marketing");

        Assert.Equal(401, Status(Check(Keyed(), Request("GET", "/api/remarketing/rules", null, forged))));
    }

    [Fact]
    public void MalformedPrincipal_Is401WithAMessage()
    {
        var decision = Check(Trusting(), Request("GET", "/api/remarketing/rules", null, "not base64 %%%"));

        Assert.Equal(401, Status(decision));
        Assert.Contains("sign in again", Detail(decision), StringComparison.Ordinal);
    }

    [Fact]
    public void AKey_WinsOverAPrincipal_SoAWrongKeyIsNotRescuedByOne()
    {
        var marketing = StaticWebAppsPrincipal("mara@contoso.example", "marketing");

        Assert.Equal(401, Status(Check(Trusting(), Request("GET", "/api/remarketing/rules", "guess", marketing))));
        Assert.Equal("admin", Check(Trusting(), Request("POST", "/api/prices", AdminKey, marketing)).Caller);
    }

    [Fact]
    public void Refusals_AreProblemJson_ThatSayWhatToSend()
    {
        var admin = Check(Keyed(), Request("POST", "/api/prices", ChannelKey));
        var none = Check(Keyed(), Request("POST", "/api/events", null));

        Assert.Contains("admin key", Detail(admin), StringComparison.Ordinal);
        Assert.Contains("x-api-key", Detail(none), StringComparison.Ordinal);
        Assert.DoesNotContain(ChannelKey, Detail(admin), StringComparison.Ordinal);
    }

    private static ApiAccessOptions Keyed() => new() { ApiKey = ChannelKey, AdminKey = AdminKey };

    private static ApiAccessOptions Trusting() => new() { ApiKey = ChannelKey, AdminKey = AdminKey, TrustPlatformPrincipal = true };

    private static ApiAccessDecision Check(ApiAccessOptions options, HttpRequest request) =>
        new ApiAccessCheck(Options.Create(options)).Check(request);

    private static HttpRequest Request(string method, string path, string? key, string? principal = null)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.Path = path;
        if (key is not null)
        {
            context.Request.Headers["x-api-key"] = key;
        }

        if (principal is not null)
        {
            context.Request.Headers[PlatformPrincipal.Header] = principal;
        }

        return context.Request;
    }

    private static string StaticWebAppsPrincipal(string user, params string[] roles) => Encode(new JsonObject
    {
        ["identityProvider"] = "aad",
        ["userId"] = "u-" + user.Length,
        ["userDetails"] = user,
        ["userRoles"] = new JsonArray([.. roles.Select(role => (JsonNode)role)]),
    });

    private static string Encode(JsonObject payload) => Convert.ToBase64String(Encoding.UTF8.GetBytes(payload.ToJsonString()));

    private static int Status(ApiAccessDecision decision) => decision.Refusal is null ? 0 : Execute(decision).Response.StatusCode;

    private static string Detail(ApiAccessDecision decision)
    {
        var context = Execute(decision);
        Assert.Equal("application/problem+json", context.Response.ContentType);
        context.Response.Body.Position = 0;
        return JsonDocument.Parse(context.Response.Body).RootElement.GetProperty("detail").GetString()!;
    }

    private static DefaultHttpContext Execute(ApiAccessDecision decision)
    {
        var context = new DefaultHttpContext { RequestServices = new ServiceCollection().AddLogging().AddProblemDetails().BuildServiceProvider() };
        context.Response.Body = new MemoryStream();
        decision.Refusal!.ExecuteAsync(context).GetAwaiter().GetResult();
        return context;
    }
}
