using Microsoft.DurableTask.Client;

namespace OmniChannel.Workflows.Clients;

/// <summary>
/// The <see cref="DurableTaskClient"/> of the Functions invocation in flight, for <see cref="SdkWorkflowClient"/>. The
/// isolated worker hands a client out only as an input binding, while the core's services that reach the workflow port
/// are singletons, so the Functions app's middleware binds it once per invocation and it flows with the invocation's
/// async calls.
/// </summary>
public static class InvocationDurableClient
{
    private static readonly AsyncLocal<Binding?> CurrentBinding = new();

    /// <summary>Makes <paramref name="client"/> (none if the function declares no binding) the client of the invocation of <paramref name="functionName"/>.</summary>
    public static void Set(string functionName, DurableTaskClient? client) => CurrentBinding.Value = new Binding(functionName, client);

    /// <summary>The invocation's client; a clear failure, naming the function, where it declares no Durable client binding.</summary>
    public static DurableTaskClient Current() =>
        CurrentBinding.Value switch
        {
            { Client: { } client } => client,
            { FunctionName: var name } => throw new InvalidOperationException(
                $"Function '{name}' reached the workflow port but declares no Durable client binding: add a [DurableClient] DurableTaskClient parameter to it."),
            null => throw new InvalidOperationException(
                "The workflow port was called outside any function invocation: no Durable client is bound."),
        };

    private sealed record Binding(string FunctionName, DurableTaskClient? Client);
}
