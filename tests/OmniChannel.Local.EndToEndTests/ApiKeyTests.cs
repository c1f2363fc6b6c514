using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using OmniChannel.Api;
using OmniChannel.Api.Security;

namespace OmniChannel.Local.EndToEndTests;

/// <summary>A local host started with keys enforces them by role the way the Functions app does (one access check, ApiAccessCheck).</summary>
public sealed class ApiKeyTests : IAsyncLifetime
{
    private static readonly Dictionary<string, string> KeyOfRole = new()
    {
        [KeyRoles.Collect] = "collect-secret", [KeyRoles.Store] = "store-secret", [KeyRoles.Service] = "service-secret", [KeyRoles.Admin] = "admin-secret",
    };

    private LocalHostProcess _host = null!;

    public async Task InitializeAsync() =>
        _host = await LocalHostProcess.StartAsync(new Dictionary<string, string>
        {
            ["CollectKey"] = KeyOfRole[KeyRoles.Collect],
            ["StoreKey"] = KeyOfRole[KeyRoles.Store],
            ["ServiceKey"] = KeyOfRole[KeyRoles.Service],
            ["AdminKey"] = KeyOfRole[KeyRoles.Admin],
        });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task CollectRoute_WithoutOrWithWrongKey_Answers401Problem_WithItsKeyInAHeaderAccepts_InTheUrl400()
    {
        var events = Traffic.Day("a", 1);

        var missing = await _host.Client.PostAsync("/api/events", Traffic.Batch(events));
        using var wrong = new HttpRequestMessage(HttpMethod.Post, "/api/events") { Content = Traffic.Batch(events) };
        wrong.Headers.Add("x-api-key", "guess");
        var wrongResponse = await _host.Client.SendAsync(wrong);
        using var right = new HttpRequestMessage(HttpMethod.Post, "/api/events") { Content = Traffic.Batch(events) };
        right.Headers.Add("x-functions-key", "collect-secret");
        var rightResponse = await _host.Client.SendAsync(right);
        var inTheUrl = await _host.Client.GetAsync("/api/stores/0001?code=admin-secret");

        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);
        Assert.Equal(401, JsonDocument.Parse(await missing.Content.ReadAsStringAsync()).RootElement.GetProperty("status").GetInt32());
        Assert.Equal(HttpStatusCode.Unauthorized, wrongResponse.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, rightResponse.StatusCode);
        Assert.Equal((HttpStatusCode.BadRequest, "application/problem+json"), (inTheUrl.StatusCode, inTheUrl.Content.Headers.ContentType?.MediaType));
        Assert.Contains("x-api-key header", await inTheUrl.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("API keys     enforced", _host.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_AnswersLivenessToAnyone_AndTheDependenciesToAnyValidKey()
    {
        var anonymous = await _host.Client.GetAsync("/api/health");
        using var keyed = await SendAsync(HttpMethod.Get, "/api/health", "store-secret");

        Assert.Equal(HttpStatusCode.OK, anonymous.StatusCode);
        Assert.Equal("alive", JsonDocument.Parse(await anonymous.Content.ReadAsStringAsync()).RootElement.GetProperty("status").GetString());
        Assert.DoesNotContain("dependencies", await anonymous.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, keyed.StatusCode);
        var report = JsonDocument.Parse(await keyed.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal((0, 0), (report.GetProperty("parkedBatches").GetInt32(), report.GetProperty("deadLettersToday").GetInt32()));
        Assert.False(report.TryGetProperty("attention", out var attention) && attention.ValueKind != JsonValueKind.Null, "nothing needs attention");
        var dependencies = report.GetProperty("dependencies").EnumerateArray()
            .ToDictionary(dependency => dependency.GetProperty("name").GetString()!, dependency => dependency.GetProperty("status").GetString());
        Assert.Equal("healthy", dependencies["eventlog"]);
        Assert.Equal("healthy", dependencies["workflows"]);
        Assert.Equal("healthy", dependencies["cosmos"]);
    }

    [Fact]
    public async Task EveryRoute_RefusesNoKeyAndAWrongKeyWith401_AndEveryKeyOfARoleItDoesNotNameWith403_WithProblemJson()
    {
        var wrongAnswers = new List<string>();
        var checkedRefusals = 0;
        foreach (var (method, path) in ApiEndpoints())
        {
            var access = RouteAccess.Of(method, path["/api/".Length..]);
            if (access.Level != AccessLevel.Key)
            {
                continue;
            }

            await ExpectAsync(method, path, key: null, HttpStatusCode.Unauthorized);
            await ExpectAsync(method, path, key: "guess", HttpStatusCode.Unauthorized);
            foreach (var role in KeyRoles.All.Where(role => !access.OpensFor(role)))
            {
                checkedRefusals++;
                await ExpectAsync(method, path, KeyOfRole[role], HttpStatusCode.Forbidden);
            }
        }

        Assert.True(checkedRefusals >= 100, $"only {checkedRefusals} refusals by role were checked");
        Assert.Empty(wrongAnswers);

        async Task ExpectAsync(string method, string path, string? key, HttpStatusCode expected)
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = method is "GET" or "DELETE" ? null : new StringContent("{}", Encoding.UTF8, "application/json") };
            if (key is not null)
            {
                request.Headers.Add("x-api-key", key);
            }

            using var response = await _host.Client.SendAsync(request);
            if (response.StatusCode != expected || response.Content.Headers.ContentType?.MediaType != "application/problem+json")
            {
                wrongAnswers.Add($"{method} {path} with {key ?? "no key"}: {(int)response.StatusCode} {response.Content.Headers.ContentType?.MediaType}");
            }
        }
    }

    [Fact]
    public async Task EraseCustomer_OverHttp_OnlyWithTheAdminKey_Answers200WithTheReport_Then404()
    {
        using var post = new HttpRequestMessage(HttpMethod.Post, "/api/events") { Content = Traffic.Batch(Traffic.Day("erase", 1)) };
        post.Headers.Add("x-api-key", "collect-secret");
        Assert.Equal(HttpStatusCode.Accepted, (await _host.Client.SendAsync(post)).StatusCode);
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (await TimelineLengthAsync() < 10 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }

        Assert.Equal(10, await TimelineLengthAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(HttpMethod.Delete, "/api/customers/erase-c0", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(HttpMethod.Delete, "/api/customers/erase-c0", "service-secret")).StatusCode);

        using var erased = await SendAsync(HttpMethod.Delete, "/api/customers/device:erase-d0", "admin-secret");

        Assert.Equal(HttpStatusCode.OK, erased.StatusCode);
        var report = JsonDocument.Parse(await erased.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal((2, 10, 1), (report.GetProperty("identities").GetInt32(), report.GetProperty("events").GetInt32(), report.GetProperty("liveProfiles").GetInt32()));
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Get, "/api/customers/erase-c0", "service-secret")).StatusCode);
        using var unknown = await SendAsync(HttpMethod.Delete, "/api/customers/nobody-e2e", "admin-secret");
        Assert.Equal((HttpStatusCode.NotFound, "application/problem+json"), (unknown.StatusCode, unknown.Content.Headers.ContentType?.MediaType));
        Assert.DoesNotContain(await _host.ReadContainerAsync("events"), document => document.GetRawText().Contains("erase-c0", StringComparison.Ordinal) || document.GetRawText().Contains("erase-d0", StringComparison.Ordinal));

        async Task<int> TimelineLengthAsync()
        {
            using var response = await SendAsync(HttpMethod.Get, "/api/customers/erase-c0/events?limit=50", "service-secret");
            return response.IsSuccessStatusCode
                ? JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("events").GetArrayLength()
                : 0;
        }
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? key)
    {
        using var request = new HttpRequestMessage(method, path);
        if (key is not null)
        {
            request.Headers.Add("x-api-key", key);
        }

        return await _host.Client.SendAsync(request);
    }

    [Fact]
    public async Task AConsolePrincipalHeader_IsNotTrustedByTheLocalHost()
    {
        var forged = Convert.ToBase64String(Encoding.UTF8.GetBytes("""{"identityProvider":"aad","userDetails":"mallory","userRoles":["authenticated","marketing"]}"""));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/remarketing/rules");
        request.Headers.Add(PlatformPrincipal.Header, forged);

        using var response = await _host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    /// <summary>Every API route the hosts map, with its parameters filled in.</summary>
    private static IEnumerable<(string Method, string Path)> ApiEndpoints()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Services.AddRouting().AddOmniChannelApi();
        var app = builder.Build();
        app.MapOmniChannelApi();
        return ((IEndpointRouteBuilder)app).DataSources
            .SelectMany(source => source.Endpoints)
            .OfType<RouteEndpoint>()
            .Select(endpoint => (
                endpoint.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods.Single(),
                "/" + endpoint.RoutePattern.RawText!.TrimStart('/')
                    .Replace("{storeId}", "0001", StringComparison.Ordinal)
                    .Replace("{sku}", "SKU-1", StringComparison.Ordinal)
                    .Replace("{id}", "x-1", StringComparison.Ordinal)))
            .ToList();
    }
}
