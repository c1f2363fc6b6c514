using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using OmniChannel.Core.Prices;
using OmniChannel.Workflows.Prices;

namespace OmniChannel.Functions.Workflows;

/// <summary>Function-based wrappers of the price fan-out (see <see cref="BopisFunctions"/>).</summary>
public sealed class PriceFunctions(IServiceProvider services)
{
    [Function(nameof(PriceChangeFanOut))]
    public Task<DeliveryCounts> PriceChangeFanOut([OrchestrationTrigger] TaskOrchestrationContext context) =>
        new PriceChangeFanOut().RunAsync(context, context.GetInput<PriceFanOutInput>()!);

    [Function(nameof(PlanPriceDelivery))]
    public Task<List<string>> PlanPriceDelivery([ActivityTrigger] PriceRunRef input, [DurableClient] DurableTaskClient durableClient, CancellationToken cancellationToken) =>
        Create<PlanPriceDelivery>().ExecuteAsync(input, cancellationToken);

    [Function(nameof(DeliverPriceBatch))]
    public Task<BatchOutcome> DeliverPriceBatch([ActivityTrigger] PriceBatch input, [DurableClient] DurableTaskClient durableClient, CancellationToken cancellationToken) =>
        Create<DeliverPriceBatch>().ExecuteAsync(input, cancellationToken);

    [Function(nameof(DeliverPriceToSubscriber))]
    public Task<DeliveryAttempt> DeliverPriceToSubscriber([ActivityTrigger] PriceTarget input, [DurableClient] DurableTaskClient durableClient, CancellationToken cancellationToken) =>
        Create<DeliverPriceToSubscriber>().ExecuteAsync(input, cancellationToken);

    [Function(nameof(FinishPriceChange))]
    public Task<DeliveryCounts> FinishPriceChange([ActivityTrigger] PriceRunRef input, [DurableClient] DurableTaskClient durableClient, CancellationToken cancellationToken) =>
        Create<FinishPriceChange>().ExecuteAsync(input, cancellationToken);

    private T Create<T>() => Microsoft.Extensions.DependencyInjection.ActivatorUtilities.CreateInstance<T>(services);
}
