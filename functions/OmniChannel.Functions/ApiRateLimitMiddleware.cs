using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using OmniChannel.Api.Security;

namespace OmniChannel.Functions;

/// <summary>
/// The Functions app's adapter over <see cref="ApiRateLimiter"/>, the policy the local host's rate limiter runs too (the
/// worker's pipeline has no <c>UseRateLimiter</c>). It runs before the access check, so callers that flood the API with
/// made-up keys are slowed down as well. Buckets are per instance: see the README on the instance cap.
/// </summary>
internal sealed class ApiRateLimitMiddleware(ApiRateLimiter limiter) : IFunctionsWorkerMiddleware
{
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        if (context.GetHttpContext() is { } http && !limiter.TryAcquire(http, out var rejection))
        {
            context.GetInvocationResult().Value = rejection;
            return;
        }

        await next(context);
    }
}
