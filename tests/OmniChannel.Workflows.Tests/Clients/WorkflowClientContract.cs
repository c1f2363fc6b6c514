using Microsoft.DurableTask;
using OmniChannel.Core;
using OmniChannel.Core.Orders;
using OmniChannel.Core.Ports;

namespace OmniChannel.Workflows.Tests.Clients;

/// <summary>
/// What the workflow port promises, whichever host runs it: the same cases against the Functions app's adapter
/// (<see cref="SdkWorkflowClientContractTests"/>) and the local host's (<see cref="CoreWorkflowClientContractTests"/>).
/// The engine runs <see cref="StandIn"/> under the BOPIS orchestration's name (the port stamps that name's version).
/// </summary>
public abstract class WorkflowClientContract
{
    protected const string Orchestration = BopisWorkflow.OrchestrationName;

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    /// <summary>The adapter under test, over a running engine that knows <see cref="StandIn"/>.</summary>
    protected abstract IWorkflowClient Workflows { get; }

    /// <summary>The same adapter as the purge port.</summary>
    protected IWorkflowPurge Purge => (IWorkflowPurge)Workflows;

    /// <summary>The instance's serialised input as the engine keeps it (the port does not expose inputs).</summary>
    protected abstract Task<string?> StoredInputAsync(string instanceId);

    [Fact]
    public async Task Start_TheSameIdTwice_SecondAnswersFalseAndKeepsTheFirstInstance()
    {
        var id = NewId();

        Assert.True(await Workflows.StartAsync(Orchestration, id, "first", CancellationToken.None));
        Assert.False(await Workflows.StartAsync(Orchestration, id, "second", CancellationToken.None));

        Assert.Contains("first", await StoredInputAsync(id), StringComparison.Ordinal);
        await FinishAsync(id);
    }

    [Fact]
    public async Task Start_ConcurrentlyForOneId_ExactlyOneStarts()
    {
        var id = NewId();

        var started = await Task.WhenAll(Enumerable.Range(0, 8).Select(attempt => Task.Run(() => Workflows.StartAsync(Orchestration, id, $"attempt {attempt}", CancellationToken.None))));

        Assert.Single(started, answer => answer);
        await FinishAsync(id);
    }

    [Fact]
    public async Task Start_AfterTheInstanceCompleted_AnswersFalseAndDoesNotRestartIt()
    {
        var id = NewId();
        Assert.True(await Workflows.StartAsync(Orchestration, id, "first", CancellationToken.None));
        await FinishAsync(id);

        Assert.False(await Workflows.StartAsync(Orchestration, id, "again", CancellationToken.None));

        var state = await Workflows.GetAsync(id, CancellationToken.None);
        Assert.Equal("Completed", state!.RuntimeStatus);
        Assert.Contains("first", await StoredInputAsync(id), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Raise_ToAMissingInstance_AnswersFalse()
    {
        Assert.False(await Workflows.RaiseEventAsync(NewId(), StandIn.FinishEvent, "hello", CancellationToken.None));
    }

    [Fact]
    public async Task Raise_ToACompletedInstance_AnswersFalse()
    {
        var id = NewId();
        Assert.True(await Workflows.StartAsync(Orchestration, id, "first", CancellationToken.None));
        await FinishAsync(id);

        Assert.False(await Workflows.RaiseEventAsync(id, StandIn.FinishEvent, "late", CancellationToken.None));
    }

    [Fact]
    public async Task Raise_ToARunningInstance_IsDelivered()
    {
        var id = NewId();
        Assert.True(await Workflows.StartAsync(Orchestration, id, "first", CancellationToken.None));

        Assert.True(await Workflows.RaiseEventAsync(id, StandIn.FinishEvent, "hello", CancellationToken.None));

        var state = await WaitForCompletionAsync(id);
        Assert.Equal("\"hello\"", state.CustomStatusJson);
    }

    [Fact]
    public async Task Get_AStartedInstance_AnswersItsStateAndTheVersionItStartedOn()
    {
        var id = NewId();
        Assert.True(await Workflows.StartAsync(Orchestration, id, "first", CancellationToken.None));

        var state = await Workflows.GetAsync(id, CancellationToken.None);

        Assert.NotNull(state);
        Assert.Equal(id, state.InstanceId);
        Assert.Contains(state.RuntimeStatus, new[] { "Pending", "Running" });
        Assert.Equal(WorkflowVersions.Current(Orchestration), state.Version);
        Assert.Null(await Workflows.GetAsync(NewId(), CancellationToken.None));
        await FinishAsync(id);
    }

    [Fact]
    public async Task PurgeCompleted_RemovesCompletedInstancesCreatedBeforeTheCutOff_AndKeepsRunningAndNewerOnes()
    {
        var (old, running, newer) = (NewId(), NewId(), NewId());
        Assert.True(await Workflows.StartAsync(Orchestration, old, "old", CancellationToken.None));
        Assert.True(await Workflows.StartAsync(Orchestration, running, "running", CancellationToken.None));
        await FinishAsync(old);
        // The engine stamps creation times with this machine's clock; a second either side keeps the cut-off clear of both.
        await Task.Delay(TimeSpan.FromSeconds(1));
        var cutOff = DateTimeOffset.UtcNow;
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.True(await Workflows.StartAsync(Orchestration, newer, "newer", CancellationToken.None));
        await FinishAsync(newer);

        var purged = await Purge.PurgeCompletedAsync(cutOff, CancellationToken.None);

        Assert.True(purged >= 1, $"purged {purged}");
        Assert.Null(await Workflows.GetAsync(old, CancellationToken.None));
        Assert.Equal("Running", (await Workflows.GetAsync(running, CancellationToken.None))?.RuntimeStatus);
        Assert.Equal("Completed", (await Workflows.GetAsync(newer, CancellationToken.None))?.RuntimeStatus);
        await FinishAsync(running);
    }

    private async Task FinishAsync(string id)
    {
        Assert.True(await Workflows.RaiseEventAsync(id, StandIn.FinishEvent, "done", CancellationToken.None));
        await WaitForCompletionAsync(id);
    }

    private async Task<WorkflowState> WaitForCompletionAsync(string id)
    {
        using var patience = new CancellationTokenSource(Patience);
        while (true)
        {
            var state = await Workflows.GetAsync(id, patience.Token);
            if (state is { RuntimeStatus: "Completed" or "Failed" or "Terminated" })
            {
                Assert.Equal("Completed", state.RuntimeStatus);
                return state;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), patience.Token);
        }
    }

    private static string NewId() => "contract-" + Guid.NewGuid().ToString("N");

    /// <summary>Waits for one event and shows its payload as the custom status.</summary>
    public sealed class StandIn : TaskOrchestrator<string, string>
    {
        public const string FinishEvent = "finish";

        public override async Task<string> RunAsync(TaskOrchestrationContext context, string input)
        {
            var payload = await context.WaitForExternalEvent<string>(FinishEvent);
            context.SetCustomStatus(payload);
            return payload;
        }
    }
}
