using OmniChannel.Core.Orders;
using OmniChannel.Workflows.Clients;

namespace OmniChannel.Workflows.Tests.Clients;

/// <summary>The Functions app's workflow port outside an invocation that bound a Durable client fails plainly.</summary>
public sealed class InvocationDurableClientTests
{
    private readonly SdkWorkflowClient _workflows = new(InvocationDurableClient.Current);

    [Fact]
    public async Task Start_InAFunctionWithoutTheBinding_FailsNamingTheFunction()
    {
        // The middleware records the invocation with no client for a function that declares no [DurableClient].
        InvocationDurableClient.Set("ReplayParked", client: null);

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            _workflows.StartAsync(BopisWorkflow.OrchestrationName, "o-1", "input", CancellationToken.None));

        Assert.Contains("'ReplayParked'", failure.Message, StringComparison.Ordinal);
        Assert.Contains("[DurableClient]", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Raise_OutsideAnyInvocation_FailsSayingSo()
    {
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            _workflows.RaiseEventAsync("o-1", "picked", null, CancellationToken.None));

        Assert.Contains("outside any function invocation", failure.Message, StringComparison.Ordinal);
    }
}
