using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using OmniChannel.Core.Orders;
using OmniChannel.Workflows.Bopis;

namespace OmniChannel.Functions.Workflows;

/// <summary>
/// Function-based wrappers of the BOPIS workflow (the Durable source generator is not available here): each names
/// the orchestrator or activity class it runs, and the workflows library does the work.
/// </summary>
public sealed class BopisFunctions(IServiceProvider services)
{
    [Function(nameof(BopisFulfillment))]
    public Task<BopisProgress> BopisFulfillment([OrchestrationTrigger] TaskOrchestrationContext context) =>
        new BopisFulfillment().RunAsync(context, context.GetInput<BopisInput>()!);

    [Function(nameof(ReserveOrderStock))]
    public Task<ReservationResult> ReserveOrderStock([ActivityTrigger] OrderRef input, [DurableClient] DurableTaskClient durableClient, CancellationToken cancellationToken) =>
        Create<ReserveOrderStock>().ExecuteAsync(input, cancellationToken);

    [Function(nameof(SetOrderStatus))]
    public Task<bool> SetOrderStatus([ActivityTrigger] OrderStatusChange input, [DurableClient] DurableTaskClient durableClient, CancellationToken cancellationToken) =>
        Create<SetOrderStatus>().ExecuteAsync(input, cancellationToken);

    [Function(nameof(NotifyStore))]
    public Task<string> NotifyStore([ActivityTrigger] BopisMessage input, [DurableClient] DurableTaskClient durableClient, CancellationToken cancellationToken) =>
        Create<NotifyStore>().ExecuteAsync(input, cancellationToken);

    [Function(nameof(NotifyCustomer))]
    public Task<string> NotifyCustomer([ActivityTrigger] BopisMessage input, [DurableClient] DurableTaskClient durableClient, CancellationToken cancellationToken) =>
        Create<NotifyCustomer>().ExecuteAsync(input, cancellationToken);

    [Function(nameof(ReleaseOrderStock))]
    public Task<bool> ReleaseOrderStock([ActivityTrigger] OrderRef input, [DurableClient] DurableTaskClient durableClient, CancellationToken cancellationToken) =>
        Create<ReleaseOrderStock>().ExecuteAsync(input, cancellationToken);

    [Function(nameof(HandOverOrderStock))]
    public Task<bool> HandOverOrderStock([ActivityTrigger] OrderRef input, [DurableClient] DurableTaskClient durableClient, CancellationToken cancellationToken) =>
        Create<HandOverOrderStock>().ExecuteAsync(input, cancellationToken);

    [Function(nameof(RefundOrder))]
    public Task<RefundReceipt> RefundOrder([ActivityTrigger] RefundRequest input, [DurableClient] DurableTaskClient durableClient, CancellationToken cancellationToken) =>
        Create<RefundOrder>().ExecuteAsync(input, cancellationToken);

    [Function(nameof(RecordJourney))]
    public Task<bool> RecordJourney([ActivityTrigger] JourneyUpdate input, [DurableClient] DurableTaskClient durableClient, CancellationToken cancellationToken) =>
        Create<RecordJourney>().ExecuteAsync(input, cancellationToken);

    [Function(nameof(RecordOrderPick))]
    public Task<PickOutcome> RecordOrderPick([ActivityTrigger] PickRequest input, [DurableClient] DurableTaskClient durableClient, CancellationToken cancellationToken) =>
        Create<RecordOrderPick>().ExecuteAsync(input, cancellationToken);

    private T Create<T>() => Microsoft.Extensions.DependencyInjection.ActivatorUtilities.CreateInstance<T>(services);
}
