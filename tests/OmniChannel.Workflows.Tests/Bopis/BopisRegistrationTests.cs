using System.Reflection;
using Microsoft.DurableTask;
using OmniChannel.Core.Orders;
using OmniChannel.Core.Ports;
using OmniChannel.Workflows.Bopis;

namespace OmniChannel.Workflows.Tests.Bopis;

public sealed class BopisRegistrationTests
{
    [Fact]
    public void NameOf_EveryTask_IsItsNameConstant()
    {
        foreach (var type in BopisRegistration.Activities.Append(BopisRegistration.Orchestrator))
        {
            var constant = type.GetField("Name", BindingFlags.Public | BindingFlags.Static)?.GetRawConstantValue();
            Assert.Equal(constant, BopisRegistration.NameOf(type));
        }

        Assert.Equal(BopisWorkflow.OrchestrationName, BopisRegistration.NameOf(BopisRegistration.Orchestrator));
    }

    [Fact]
    public void AddBopisWorkflow_Registry_HasEveryTaskByName()
    {
        var registry = new DurableTaskRegistry().AddBopisWorkflow();

        var activities = registry.GetActivities().Select(activity => activity.Key.Name.ToString()).ToList();
        Assert.Equal(BopisRegistration.Activities.Select(BopisRegistration.NameOf).Order(), activities.Order());
        Assert.Equal([BopisWorkflow.OrchestrationName], registry.GetOrchestrators().Select(orchestrator => orchestrator.Key.Name.ToString()));
    }

    [Fact]
    public void WorkflowFailuresIsTransient_StorageThrottledOrPermanentError_RetriesOnlyTheTransient()
    {
        Assert.True(WorkflowFailures.IsTransient(TaskFailureDetails.FromException(new TransientStorageException("429", null, new TimeoutException()))));
        Assert.True(WorkflowFailures.IsTransient(TaskFailureDetails.FromException(new StorageConflictException("412"))));
        Assert.False(WorkflowFailures.IsTransient(TaskFailureDetails.FromException(new InvalidOperationException("no such order"))));
        Assert.True(WorkflowFailures.IsTransient(TaskFailureDetails.FromException(new HttpRequestException("connection refused"))));

        // As a worker reports an activity's failure: the type's namespace-qualified name only.
        Assert.True(WorkflowFailures.IsTransient(new TaskFailureDetails("OmniChannel.Core.Ports.TransientStorageException", "503", null, null, null)));
        Assert.True(WorkflowFailures.IsTransient(new TaskFailureDetails("System.InvalidOperationException", "wrapped", null, new TaskFailureDetails("System.Net.Http.HttpRequestException", "refused", null, null, null), null)));
        Assert.False(WorkflowFailures.IsTransient(new TaskFailureDetails("OmniChannel.Core.Orders.OrderNotFoundException", "no such order", null, null, null)));
    }

    [Fact]
    public void WorkflowFailuresIsTransient_HandOffBusyOrRefused_RetriesTheBusyOnly()
    {
        // What the webhook hand-offs throw: 408/429/5xx, refused or timed out as HttpRequestException; other 4xx as HandoffRejectedException.
        Assert.True(WorkflowFailures.IsTransient(TaskFailureDetails.FromException(new HttpRequestException("503", null, System.Net.HttpStatusCode.ServiceUnavailable))));
        Assert.True(WorkflowFailures.IsTransient(TaskFailureDetails.FromException(new HttpRequestException("no answer", new TimeoutException()))));
        Assert.False(WorkflowFailures.IsTransient(TaskFailureDetails.FromException(new HandoffRejectedException("400 Bad Request", 400))));
        Assert.False(WorkflowFailures.IsTransient(new TaskFailureDetails("OmniChannel.Core.Ports.HandoffRejectedException", "410 Gone", null, null, null)));
    }
}
