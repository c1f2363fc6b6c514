using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using OmniChannel.Api.Security;

namespace OmniChannel.Functions;

/// <summary>
/// The Functions app's adapter over <see cref="ApiAccessCheck"/>, the check the local host runs too. Every HTTP trigger
/// is anonymous to the Functions host, so this is the one place a caller is let in: by a key of a role the route names
/// (app settings that reference Key Vault) or as a console user that App Service Authentication signed in through the
/// Static Web App. A refused call never reaches its function.
/// </summary>
internal sealed class ApiAccessMiddleware(ApiAccessCheck access) : IFunctionsWorkerMiddleware
{
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        if (context.GetHttpContext() is { } http && access.Check(http.Request).Refusal is { } refusal)
        {
            context.GetInvocationResult().Value = refusal;
            return;
        }

        await next(context);
    }
}
