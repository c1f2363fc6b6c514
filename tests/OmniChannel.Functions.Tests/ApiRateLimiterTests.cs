using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OmniChannel.Api.Security;

namespace OmniChannel.Functions.Tests;

/// <summary>
/// The rate limit policy both hosts run: the Functions worker's middleware calls <see cref="ApiRateLimiter.TryAcquire"/>,
/// the local host hands <see cref="ApiRateLimiter.Limiter"/> to ASP.NET Core (its end-to-end RateLimitTests).
/// </summary>
public sealed class ApiRateLimiterTests
{
    private const string CollectKey = "collect-key-5b1f";
    private const string StoreKey = "store-key-77e0";

    [Fact]
    public async Task TryAcquire_AKeyOverItsBurst_Gets429ProblemWithRetryAfter_WhileAnotherKeyIsServed()
    {
        using var limiter = Limiter(perSecond: 1, burst: 3);

        var answers = Enumerable.Range(0, 10).Select(attempt => limiter.TryAcquire(Request("/api/stores/0001", CollectKey), out _)).ToList();
        var other = limiter.TryAcquire(Request("/api/stores/0001", StoreKey), out _);
        limiter.TryAcquire(Request("/api/stores/0001", CollectKey), out var rejection);

        Assert.InRange(answers.Count(served => served), 3, 4);
        Assert.True(other);
        var context = Request("/api/stores/0001", CollectKey);
        context.Response.Body = new MemoryStream();
        context.RequestServices = new ServiceCollection().AddLogging().AddProblemDetails().BuildServiceProvider();
        await rejection!.ExecuteAsync(context);
        Assert.Equal((int)HttpStatusCode.TooManyRequests, context.Response.StatusCode);
        Assert.Equal("application/problem+json", context.Response.ContentType);
        Assert.True(int.Parse(context.Response.Headers.RetryAfter.ToString(), System.Globalization.CultureInfo.InvariantCulture) >= 1);
        context.Response.Body.Position = 0;
        Assert.Equal(429, JsonDocument.Parse(context.Response.Body).RootElement.GetProperty("status").GetInt32());
    }

    [Fact]
    public void TryAcquire_MadeUpKeys_ShareTheirAddresssBucket_InsteadOfEachGettingAFreshOne()
    {
        using var limiter = Limiter(perSecond: 1, burst: 3);

        var answers = Enumerable.Range(0, 10).Select(attempt => limiter.TryAcquire(Request("/api/events", "guess-" + attempt), out _)).ToList();

        Assert.InRange(answers.Count(served => served), 3, 4);
        Assert.True(limiter.TryAcquire(Request("/api/events", CollectKey), out _));
    }

    [Fact]
    public void TryAcquire_AnonymousHealthAndPathsOutsideTheApi_AreNotLimited_KeyedHealthIs()
    {
        using var limiter = Limiter(perSecond: 1, burst: 1);

        Assert.All(Enumerable.Range(0, 10), attempt => Assert.True(limiter.TryAcquire(Request("/api/health", null), out _)));
        Assert.All(Enumerable.Range(0, 10), attempt => Assert.True(limiter.TryAcquire(Request("/index.html", null), out _)));
        Assert.Contains(Enumerable.Range(0, 5), attempt => !limiter.TryAcquire(Request("/api/health", CollectKey), out _));
    }

    [Fact]
    public void TryAcquire_RateZero_TurnsTheLimitOff()
    {
        using var limiter = Limiter(perSecond: 0, burst: 1);

        Assert.All(Enumerable.Range(0, 50), attempt => Assert.True(limiter.TryAcquire(Request("/api/events", CollectKey), out _)));
    }

    private static ApiRateLimiter Limiter(int perSecond, int burst) => new(
        Options.Create(new ApiRateLimitOptions { PerSecond = perSecond, Burst = burst }),
        new ApiAccessCheck(Options.Create(new ApiAccessOptions { CollectKey = CollectKey, StoreKey = StoreKey })));

    private static DefaultHttpContext Request(string path, string? key)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "GET";
        context.Request.Path = path;
        context.Connection.RemoteIpAddress = IPAddress.Loopback;
        if (key is not null)
        {
            context.Request.Headers["x-api-key"] = key;
        }

        return context;
    }
}
