using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.DurableTask.Client;
using OmniChannel.Workflows.Clients;

namespace OmniChannel.Functions.Workflows;

/// <summary>
/// Binds the Durable client of every invocation whose function declares one and makes it the invocation's client
/// (<see cref="InvocationDurableClient"/>), so the workflow port works in any function that declares the binding
/// and function bodies stay one-line adapters. The binding is cached by the worker: a function that also takes the
/// client as a parameter gets the same instance.
/// </summary>
internal sealed class DurableClientMiddleware : IFunctionsWorkerMiddleware
{
    /// <summary>The binding type the Durable extension's <c>[DurableClient]</c> writes into functions.metadata.</summary>
    public const string BindingType = "durableClient";

    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        var binding = context.FunctionDefinition.InputBindings.Values
            .FirstOrDefault(candidate => string.Equals(candidate.Type, BindingType, StringComparison.OrdinalIgnoreCase));
        var client = binding is null ? null : (await context.BindInputAsync<DurableTaskClient>(binding)).Value;

        // Set inside this async method: the value flows into the function's calls and is gone when the invocation ends.
        InvocationDurableClient.Set(context.FunctionDefinition.Name, client);
        await next(context);
    }
}
