using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Context.Features;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.DurableTask.Client;
using OmniChannel.Workflows.Clients;

namespace OmniChannel.Functions.Workflows;

/// <summary>
/// Makes the Durable client of every invocation whose function declares one the invocation's client
/// (<see cref="InvocationDurableClient"/>), so the workflow port works in any function that declares the binding and
/// function bodies stay one-line adapters.
/// </summary>
internal sealed class DurableClientMiddleware : IFunctionsWorkerMiddleware
{
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        var parameters = context.FunctionDefinition.Parameters;
        var clientAt = parameters.ToList().FindIndex(parameter => parameter.Type == typeof(DurableTaskClient));
        DurableTaskClient? client = null;
        if (clientAt >= 0)
        {
            // The worker binds a function's parameters once per invocation, each with its binding's own converter, and
            // keeps the result for the function's call: this is the very client the function receives, bound early.
            var inputs = await context.Features.Get<IFunctionInputBindingFeature>()!.BindFunctionInputAsync(context);
            client = (DurableTaskClient?)inputs.Values[clientAt];
        }

        // Set inside this async method: the value flows into the function's calls and is gone when the invocation ends.
        InvocationDurableClient.Set(context.FunctionDefinition.Name, client);
        await next(context);
    }
}
