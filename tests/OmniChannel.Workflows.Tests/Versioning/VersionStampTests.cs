using OmniChannel.Core;
using OmniChannel.Core.Orders;
using OmniChannel.Workflows.Bopis;
using OmniChannel.Workflows.Tests.Bopis;
using OmniChannel.Workflows.Tests.Builders;

namespace OmniChannel.Workflows.Tests.Versioning;

/// <summary>A new instance carries its orchestration's current version, in the engine's history and in its tags.</summary>
public sealed class VersionStampTests
{
    [Fact]
    public async Task Start_NewBopisInstance_RunsOnTheCurrentVersionAndShowsIt()
    {
        var recorder = new WorkItemRecorder();
        await using var host = await BopisTestHost.StartAsync(recorder);
        host.Inventory.Stock(PickupOrderBuilder.StoreId, "SKU-1", onHand: 5);
        host.Inventory.Stock(PickupOrderBuilder.StoreId, "SKU-2", onHand: 5);

        var instanceId = await host.StartAsync(new PickupOrderBuilder("o-versioned").Build(), TestTimings.Patient);
        await host.WaitForStatusAsync(instanceId, OrderStatus.Reserved);

        var started = recorder.EpisodesOf(instanceId)[0].Request.NewEvents.Select(historyEvent => historyEvent.ExecutionStarted).First(startedEvent => startedEvent is not null);
        Assert.Equal((BopisWorkflow.OrchestrationName, BopisFulfillment.Version), (started.Name, started.Version));
        var instance = await host.Client.GetInstanceAsync(instanceId);
        Assert.Equal(BopisFulfillment.Version, instance!.Tags[WorkflowVersions.Tag]);
        await host.RaiseAsync(instanceId, BopisWorkflow.CancelledEvent);
        await host.WaitForCompletionAsync(instanceId);
    }
}
