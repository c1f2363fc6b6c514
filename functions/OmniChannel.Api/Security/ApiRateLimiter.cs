using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace OmniChannel.Api.Security;

/// <summary>
/// The rate limit policy of both hosts: a token bucket per caller on <c>/api</c>, so one noisy channel slows down
/// alone. A caller is its key (by hash; raw keys are not kept as partition names), else the console user the platform
/// signed in, else the client address (so made-up keys share one bucket instead of each getting a fresh one).
/// Anonymous health (liveness, nothing probed) is not limited. Over the limit: 429 problem+json with Retry-After.
/// The local host hands <see cref="Limiter"/> to ASP.NET Core's rate limiting middleware; the Functions worker, whose
/// pipeline has none, calls <see cref="TryAcquire"/> from its own middleware.
/// </summary>
public sealed class ApiRateLimiter : IDisposable
{
    private readonly ApiAccessCheck _access;

    public ApiRateLimiter(IOptions<ApiRateLimitOptions> options, ApiAccessCheck access)
    {
        ArgumentNullException.ThrowIfNull(options);
        _access = access;
        var settings = options.Value;
        Limiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            settings.PerSecond <= 0 || PartitionOf(context) is not { } partition
                ? RateLimitPartition.GetNoLimiter("unlimited")
                : RateLimitPartition.GetTokenBucketLimiter(partition, _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = Math.Max(1, settings.Burst),
                    TokensPerPeriod = settings.PerSecond,
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                }));
    }

    public PartitionedRateLimiter<HttpContext> Limiter { get; }

    /// <summary>Takes one request from the caller's bucket; false, with the 429 answer, when it is empty.</summary>
    public bool TryAcquire(HttpContext context, out IResult? rejection)
    {
        using var lease = Limiter.AttemptAcquire(context);
        rejection = lease.IsAcquired ? null : Rejected(lease);
        return lease.IsAcquired;
    }

    /// <summary>429 problem+json with Retry-After: when the bucket has a token again, at least a second.</summary>
    public static IResult Rejected(RateLimitLease lease)
    {
        ArgumentNullException.ThrowIfNull(lease);
        var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromSeconds(1);
        return new TooManyRequests(Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)));
    }

    public void Dispose() => Limiter.Dispose();

    /// <summary>The caller's bucket; null for requests that are not limited.</summary>
    private string? PartitionOf(HttpContext context)
    {
        var request = context.Request;
        if (!request.Path.StartsWithSegments("/" + ApiRoutes.Prefix, out var rest))
        {
            return null;
        }

        var key = ApiAccessCheck.PresentedKey(request);
        if (key.Length > 0 && _access.RoleOfKey(key) is not null)
        {
            return "key:" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..16];
        }

        if (key.Length == 0 && string.Equals(rest.Value?.Trim('/'), ApiRoutes.Health, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return _access.SignedInUser(request) is { } user ? "user:" + user : "address:" + context.Connection.RemoteIpAddress;
    }

    private sealed class TooManyRequests(int retryAfterSeconds) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.RetryAfter = retryAfterSeconds.ToString(CultureInfo.InvariantCulture);
            return TypedResults.Problem(
                "Too many requests from this caller; slow down and retry after the time in Retry-After.",
                statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests", type: ProblemTypes.TooManyRequests).ExecuteAsync(httpContext);
        }
    }
}
