using OmniChannel.Api.Security;
using OmniChannel.Local.Hosting;

namespace OmniChannel.Local.Security;

/// <summary>
/// The local host's adapter over <see cref="ApiAccessCheck"/>, the check the Functions app runs too. Its keys come from
/// <c>OmniChannel:Local:CollectKey</c>, <c>StoreKey</c>, <c>ServiceKey</c> and <c>AdminKey</c> (and the deprecated
/// <c>ApiKey</c>, a second collect key); with none set (loopback only) every route is open, as under <c>func start</c>. A console principal header is trusted only when <c>OmniChannel:Local:TrustPlatformPrincipal</c> says
/// something in front of the host (the Static Web Apps CLI) signs people in and sets it.
/// </summary>
public sealed class ApiAccessMiddleware(RequestDelegate next, ApiAccessCheck access)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (access.Check(context.Request).Refusal is { } refusal)
        {
            await refusal.ExecuteAsync(context);
            return;
        }

        await next(context);
    }

    /// <summary>The access settings a local host runs with.</summary>
    public static void Configure(ApiAccessOptions access, LocalOptions local)
    {
        access.CollectKey = local.CollectKey;
        access.StoreKey = local.StoreKey;
        access.ServiceKey = local.ServiceKey;
        access.AdminKey = local.AdminKey;
        access.ApiKey = local.ApiKey;
        access.OpenWithoutKeys = true;
        access.TrustPlatformPrincipal = local.TrustPlatformPrincipal;
    }
}
