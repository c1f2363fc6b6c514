using Microsoft.AspNetCore.RateLimiting;
using OmniChannel.Api.Security;
using OmniChannel.Local.Hosting;

namespace OmniChannel.Local.Security;

/// <summary>
/// The local host's adapter over <see cref="ApiRateLimiter"/>, the per-caller policy the Functions app runs too: ASP.NET
/// Core's rate limiting middleware with the shared limiter as its global limiter and the shared 429 answer. The rate
/// comes from <c>OmniChannel:Local:RateLimitPerSecond</c> and <c>RateLimitBurst</c>.
/// </summary>
public static class ApiRateLimits
{
    public static IServiceCollection AddApiRateLimits(this IServiceCollection services, LocalOptions options)
    {
        services.Configure<ApiRateLimitOptions>(limits =>
        {
            limits.PerSecond = options.RateLimitPerSecond;
            limits.Burst = options.RateLimitBurst;
        });
        services.AddOptions<RateLimiterOptions>().Configure<ApiRateLimiter>((limiter, policy) =>
        {
            limiter.GlobalLimiter = policy.Limiter;
            limiter.OnRejected = (rejected, _) => new ValueTask(ApiRateLimiter.Rejected(rejected.Lease).ExecuteAsync(rejected.HttpContext));
        });
        return services.AddRateLimiter(_ => { });
    }
}
