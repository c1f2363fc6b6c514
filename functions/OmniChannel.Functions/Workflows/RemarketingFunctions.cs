using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using OmniChannel.Core.Remarketing;
using OmniChannel.Workflows.Remarketing;

namespace OmniChannel.Functions.Workflows;

/// <summary>Function-based wrappers of the remarketing workflow (see <see cref="BopisFunctions"/>; it also calls BOPIS's NotifyCustomer).</summary>
public sealed class RemarketingWorkflowFunctions(IServiceProvider services)
{
    [Function(nameof(ProximityRemarketing))]
    public Task<RemarketingProgress> ProximityRemarketing([OrchestrationTrigger] TaskOrchestrationContext context) =>
        new ProximityRemarketing().RunAsync(context, context.GetInput<RemarketingInput>()!);

    [Function(nameof(DecideRemarketing))]
    public Task<RemarketingDecision> DecideRemarketing([ActivityTrigger] RemarketingInput input, [DurableClient] DurableTaskClient durableClient, CancellationToken cancellationToken) =>
        Create<DecideRemarketing>().ExecuteAsync(input, cancellationToken);

    [Function(nameof(IssueCoupon))]
    public Task<Coupon?> IssueCoupon([ActivityTrigger] CouponRequest input, [DurableClient] DurableTaskClient durableClient, CancellationToken cancellationToken) =>
        Create<IssueCoupon>().ExecuteAsync(input, cancellationToken);

    [Function(nameof(CheckBeforeSending))]
    public Task<SendCheck> CheckBeforeSending([ActivityTrigger] SendCheckRequest input, [DurableClient] DurableTaskClient durableClient, CancellationToken cancellationToken) =>
        Create<CheckBeforeSending>().ExecuteAsync(input, cancellationToken);

    [Function(nameof(ExpireCoupon))]
    public Task<Coupon?> ExpireCoupon([ActivityTrigger] string input, [DurableClient] DurableTaskClient durableClient, CancellationToken cancellationToken) =>
        Create<ExpireCoupon>().ExecuteAsync(input, cancellationToken);

    [Function(nameof(RecordCouponOutcome))]
    public Task<Coupon?> RecordCouponOutcome([ActivityTrigger] string input, [DurableClient] DurableTaskClient durableClient, CancellationToken cancellationToken) =>
        Create<RecordCouponOutcome>().ExecuteAsync(input, cancellationToken);

    private T Create<T>() => Microsoft.Extensions.DependencyInjection.ActivatorUtilities.CreateInstance<T>(services);
}
