using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OmniChannel.Api.Security;

namespace OmniChannel.Functions.Tests;

/// <summary>
/// The access check both hosts run in front of /api: keys by role over every route, keys in the URL, the console's signed-in users (Static Web Apps' and App
/// Service's principal shapes), forged principals, unresolved Key Vault references, and what each refusal says.
/// </summary>
public sealed class ApiAccessCheckTests
{
    private const string CollectKey = "collect-key-5b1f";
    private const string StoreKey = "store-key-77e0";
    private const string ServiceKey = "service-key-31aa";
    private const string AdminKey = "admin-key-9c07";

    private static readonly Dictionary<string, string> KeyOfRole = new()
    {
        [KeyRoles.Collect] = CollectKey, [KeyRoles.Store] = StoreKey, [KeyRoles.Service] = ServiceKey, [KeyRoles.Admin] = AdminKey,
    };

    /// <summary>Every route the Functions app has (its functions.metadata test holds the same table) × every key role.</summary>
    public static TheoryData<string, string, string, string> RoutesByRole()
    {
        var data = new TheoryData<string, string, string, string>();
        foreach (var row in FunctionsMetadataTests.HttpFunctions)
        {
            foreach (var role in KeyRoles.All)
            {
                data.Add((string)row[1], (string)row[2], (string)row[3], role);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(RoutesByRole))]
    public void EveryRoute_OpensForTheKeysOfItsRoles_AndRefusesOtherKeysWith403NamingTheRolesItNeeds(string method, string route, string opens, string role)
    {
        var decision = Check(Keyed(), Request(method.ToUpperInvariant(), "/api/" + FunctionsMetadataTests.Concrete(route), KeyOfRole[role]));

        if (opens is "open" or "signed" || opens.Split('+').Contains(role))
        {
            Assert.True(decision.Allowed, $"{method} {route} refused the {role} key");
            return;
        }

        Assert.Equal(403, Status(decision));
        var detail = Detail(decision);
        Assert.Contains($"needs the {opens.Replace("+", " or ", StringComparison.Ordinal)} key", detail, StringComparison.Ordinal);
        Assert.DoesNotContain(KeyOfRole[role], detail, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(FunctionsMetadataTests.HttpFunctions), MemberType = typeof(FunctionsMetadataTests))]
    public void EveryKeyedRoute_RefusesNoKeyAndAnUnknownKeyWith401(string name, string method, string route, string opens)
    {
        _ = name;
        if (opens is "open" or "signed")
        {
            return;
        }

        Assert.Equal(401, Status(Check(Keyed(), Request(method.ToUpperInvariant(), "/api/" + FunctionsMetadataTests.Concrete(route), null))));
        Assert.Equal(401, Status(Check(Keyed(), Request(method.ToUpperInvariant(), "/api/" + FunctionsMetadataTests.Concrete(route), "guess"))));
    }

    [Theory]
    // The defects: one channel key read any customer's 360 and timeline (also by e-mail hash), cancelled (and so
    // refunded) orders and marked them collected.
    [InlineData("GET", "/api/customers/c-1", CollectKey, 403)]
    [InlineData("GET", "/api/customers/email:5f2b9a", CollectKey, 403)]
    [InlineData("GET", "/api/customers/email:5f2b9a", ServiceKey, 0)]
    [InlineData("GET", "/api/customers/c-1/events", CollectKey, 403)]
    [InlineData("GET", "/api/customers/c-1/events", ServiceKey, 0)]
    [InlineData("POST", "/api/orders/o-1/cancel", CollectKey, 403)]
    [InlineData("POST", "/api/orders/o-1/cancel", ServiceKey, 403)]
    [InlineData("POST", "/api/orders/o-1/cancel", StoreKey, 0)]
    [InlineData("POST", "/api/stores/0001/orders/o-1/collected", CollectKey, 403)]
    [InlineData("POST", "/api/stores/0001/orders/o-1/collected", StoreKey, 0)]
    [InlineData("POST", "/api/events", CollectKey, 0)]
    [InlineData("POST", "/api/events", StoreKey, 403)]
    [InlineData("POST", "/api/events", "guess", 401)]
    [InlineData("POST", "/api/events", null, 401)]
    [InlineData("GET", "/api/prices/SKU-1", CollectKey, 0)]
    [InlineData("GET", "/api/prices/subscribers", CollectKey, 403)]
    [InlineData("POST", "/api/prices", CollectKey, 403)]
    [InlineData("POST", "/api/prices", AdminKey, 0)]
    [InlineData("GET", "/api/Remarketing/Rules", StoreKey, 403)]
    [InlineData("GET", "/api/STORES/0001/ORDERS", StoreKey, 0)]
    [InlineData("DELETE", "/api/customers/c-1", ServiceKey, 403)]
    [InlineData("DELETE", "/api/customers/device:d-1", AdminKey, 0)]
    [InlineData("GET", "/api/no-such-route", CollectKey, 403)]
    [InlineData("GET", "/api/health", null, 0)]
    [InlineData("POST", "/api/console/roles", null, 0)]
    [InlineData("POST", "/api/Payments/Refunds/Events", "guess", 0)]
    [InlineData("GET", "/api/payments/refunds/events", null, 401)]
    [InlineData("GET", "/index.html", null, 0)]
    public void Keys_OpenTheRoutesOfTheirRoleOnly(string method, string path, string? key, int refusedWith)
    {
        var decision = Check(Keyed(), Request(method, path, key));

        Assert.Equal(refusedWith, Status(decision));
    }

    [Theory]
    [InlineData("/api/stores/0001?code=" + AdminKey, "code")]
    [InlineData("/api/stores/0001?code=guess", "code")]
    [InlineData("/api/stores/0001?status=ready&Code=", "code")]
    [InlineData("/api/events?key=" + CollectKey, "key")]
    [InlineData("/api/events?api-key=" + CollectKey, "api-key")]
    [InlineData("/api/health?code=" + AdminKey, "code")]
    [InlineData("/api/payments/refunds/events?code=x", "code")]
    public void KeyInTheUrl_IsRefusedWith400_ValidOrNot_SayingToSendItInTheHeader(string url, string parameter)
    {
        var request = Request("POST", url.Split('?')[0], key: null);
        request.QueryString = new QueryString("?" + url.Split('?')[1]);

        var decision = Check(Keyed(), request);

        Assert.Equal(400, Status(decision));
        var detail = Detail(decision);
        Assert.Contains($"?{parameter}=", detail, StringComparison.Ordinal);
        Assert.Contains("x-api-key header", detail, StringComparison.Ordinal);
        Assert.DoesNotContain(AdminKey, detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Key_IsReadFromEitherHeader_AndTheCallerIsNamedByItsRole()
    {
        var header = Request("GET", "/api/stores", key: null);
        header.Headers["x-functions-key"] = StoreKey;

        Assert.Equal(KeyRoles.Store, Check(Keyed(), header).Caller);
        Assert.Equal(KeyRoles.Admin, Check(Keyed(), Request("GET", "/api/admin/deadletters", AdminKey)).Caller);
    }

    [Fact]
    public void NextKey_OpensTheSameRoutesAsItsRolesKey_SoAKeyCanBeRotatedWithoutDowntime()
    {
        var rotating = new ApiAccessOptions { StoreKey = StoreKey, StoreKeyNext = "store-key-next", AdminKeyNext = "@Microsoft.KeyVault(VaultName=kv;SecretName=apiAdminKeyNext)" };

        Assert.Equal(KeyRoles.Store, Check(rotating, Request("POST", "/api/coupons/OC-1/redeem", "store-key-next")).Caller);
        Assert.Equal(KeyRoles.Store, Check(rotating, Request("POST", "/api/coupons/OC-1/redeem", StoreKey)).Caller);
        Assert.Equal(403, Status(Check(rotating, Request("POST", "/api/events", "store-key-next"))));
        Assert.Equal(401, Status(Check(rotating, Request("POST", "/api/prices", "@Microsoft.KeyVault(VaultName=kv;SecretName=apiAdminKeyNext)"))));
    }

    [Fact]
    public void DeprecatedApiKey_IsACollectKeyOnly()
    {
        var legacy = new ApiAccessOptions { ApiKey = "legacy-channel-key", AdminKey = AdminKey };

        Assert.Equal(KeyRoles.Collect, Check(legacy, Request("POST", "/api/events", "legacy-channel-key")).Caller);
        Assert.Equal(403, Status(Check(legacy, Request("GET", "/api/customers/c-1", "legacy-channel-key"))));
    }

    [Fact]
    public void NoKeysConfigured_IsOpenOnlyWhereTheHostSaysSo()
    {
        var open = new ApiAccessOptions { OpenWithoutKeys = true };
        var closed = new ApiAccessOptions();
        var oneKey = new ApiAccessOptions { ServiceKey = ServiceKey, OpenWithoutKeys = true };

        Assert.True(Check(open, Request("POST", "/api/prices", null)).Allowed);
        Assert.Equal(401, Status(Check(closed, Request("POST", "/api/events", null))));
        Assert.Equal(401, Status(Check(closed, Request("POST", "/api/events", ""))));
        Assert.Equal(401, Status(Check(oneKey, Request("POST", "/api/events", null))));
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
    public void HealthDetails_AreForAnyValidKeyOrSignedInUser_NotForAnonymousOrAMadeUpKey()
    {
        var user = StaticWebAppsPrincipal("sam@contoso.example", "authenticated", "store");
        var access = new ApiAccessCheck(Options.Create(Trusting()));

        Assert.False(access.MayReadHealthDetails(Request("GET", "/api/health", null)));
        Assert.False(access.MayReadHealthDetails(Request("GET", "/api/health", "guess")));
        Assert.All(KeyOfRole.Values, key => Assert.True(access.MayReadHealthDetails(Request("GET", "/api/health", key))));
        Assert.True(access.MayReadHealthDetails(Request("GET", "/api/health", null, user)));
        Assert.False(new ApiAccessCheck(Options.Create(Keyed())).MayReadHealthDetails(Request("GET", "/api/health", null, user)));
        Assert.True(new ApiAccessCheck(Options.Create(new ApiAccessOptions { OpenWithoutKeys = true })).MayReadHealthDetails(Request("GET", "/api/health", null)));
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
        Assert.Equal(403, Status(Check(Trusting(), Request("GET", "/api/remarketing/rules", StoreKey, marketing))));
        Assert.Equal("admin", Check(Trusting(), Request("POST", "/api/prices", AdminKey, marketing)).Caller);
    }

    [Fact]
    public void Refusals_AreProblemJson_ThatSayWhatToSend()
    {
        var admin = Check(Keyed(), Request("POST", "/api/prices", CollectKey));
        var none = Check(Keyed(), Request("POST", "/api/events", null));

        Assert.Contains("The collect key does not open this route: it needs the admin key", Detail(admin), StringComparison.Ordinal);
        Assert.Contains("needs the collect or admin key", Detail(none), StringComparison.Ordinal);
        Assert.Contains("x-api-key", Detail(none), StringComparison.Ordinal);
        Assert.DoesNotContain(CollectKey, Detail(admin), StringComparison.Ordinal);
    }

    private static ApiAccessOptions Keyed() => new() { CollectKey = CollectKey, StoreKey = StoreKey, ServiceKey = ServiceKey, AdminKey = AdminKey };

    private static ApiAccessOptions Trusting()
    {
        var options = Keyed();
        options.TrustPlatformPrincipal = true;
        return options;
    }

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
