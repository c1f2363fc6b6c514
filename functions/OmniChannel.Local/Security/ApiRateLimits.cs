using System.Security.Cryptography;
using System.Text;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using OmniChannel.Api;
using OmniChannel.Local.Hosting;

namespace OmniChannel.Local.Security;

/// <summary>
/// Per-key rate limits on /api: a token bucket per presented API key (or per client address without one), so one
/// noisy channel slows down alone. Over the limit: 429 problem+json with Retry-After. (In Azure, API Management in front
/// of the Functions app does this.)
/// </summary>
public static class ApiRateLimits
{
    public static IServiceCollection AddApiRateLimits(this IServiceCollection services, LocalOptions options) =>
        services.AddRateLimiter(limiter =>
        {
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            {
                // Health stays open to probes, as it does without keys.
                if (options.RateLimitPerSecond <= 0 || !context.Request.Path.StartsWithSegments("/" + ApiRoutes.Prefix)
                    || context.Request.Path.StartsWithSegments("/" + ApiRoutes.Prefix + "/" + ApiRoutes.Health))
                {
                    return RateLimitPartition.GetNoLimiter("unlimited");
                }

                return RateLimitPartition.GetTokenBucketLimiter(PartitionOf(context), _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = Math.Max(1, options.RateLimitBurst),
                    TokensPerPeriod = options.RateLimitPerSecond,
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                });
            });
            limiter.OnRejected = async (rejected, cancellationToken) =>
            {
                rejected.HttpContext.Response.Headers.RetryAfter = "1";
                await TypedResults.Problem(
                    "Too many requests for this API key; slow down and retry after the time in Retry-After.",
                    statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests", type: ProblemTypes.TooManyRequests).ExecuteAsync(rejected.HttpContext);
            };
        });

    /// <summary>The key as a hash (raw keys are not kept as partition names), else the client's address.</summary>
    private static string PartitionOf(HttpContext context)
    {
        var key = OmniChannel.Api.Security.ApiAccessCheck.PresentedKey(context.Request);
        return key.Length > 0
            ? "key:" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..16]
            : "address:" + context.Connection.RemoteIpAddress;
    }
}
