using Microsoft.DurableTask;
using OmniChannel.Core.Ports;
using OmniChannel.Core.Remarketing;

namespace OmniChannel.Workflows.Remarketing;

/// <summary>What the issue step needs: the signal, the grant and the instance (so a retried step issues nothing new).</summary>
public sealed record CouponRequest(RemarketingInput Input, RemarketingGrant Grant, string InstanceId);

/// <summary>Decides whether the signal earns a coupon, and why.</summary>
public sealed class DecideRemarketing(RemarketingService remarketing) : TaskActivity<RemarketingInput, RemarketingDecision>
{
    public const string Name = nameof(DecideRemarketing);

    public override Task<RemarketingDecision> RunAsync(TaskActivityContext context, RemarketingInput input) => ExecuteAsync(input, CancellationToken.None);

    public Task<RemarketingDecision> ExecuteAsync(RemarketingInput input, CancellationToken cancellationToken) => remarketing.DecideAsync(input, cancellationToken);
}

/// <summary>Issues the coupon (null when consent was withdrawn, the cap filled or the rule's daily budget was spent meanwhile).</summary>
public sealed class IssueCoupon(RemarketingService remarketing) : TaskActivity<CouponRequest, Coupon?>
{
    public const string Name = nameof(IssueCoupon);

    public override Task<Coupon?> RunAsync(TaskActivityContext context, CouponRequest input) => ExecuteAsync(input, CancellationToken.None);

    public Task<Coupon?> ExecuteAsync(CouponRequest input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        return remarketing.IssueAsync(input.Input, input.Grant, input.InstanceId, cancellationToken);
    }
}

/// <summary>The check at the moment of sending the push (consent, quiet hours now); voids the coupon when it will not be sent.</summary>
public sealed class CheckBeforeSending(RemarketingService remarketing) : TaskActivity<SendCheckRequest, SendCheck>
{
    public const string Name = nameof(CheckBeforeSending);

    public override Task<SendCheck> RunAsync(TaskActivityContext context, SendCheckRequest input) => ExecuteAsync(input, CancellationToken.None);

    public Task<SendCheck> ExecuteAsync(SendCheckRequest input, CancellationToken cancellationToken) => remarketing.CheckSendAsync(input, cancellationToken);
}

/// <summary>Marks the coupon expired unless a sale redeemed it first; answers it as it ended.</summary>
public sealed class ExpireCoupon(RemarketingService remarketing) : TaskActivity<string, Coupon?>
{
    public const string Name = nameof(ExpireCoupon);

    public override Task<Coupon?> RunAsync(TaskActivityContext context, string input) => ExecuteAsync(input, CancellationToken.None);

    public Task<Coupon?> ExecuteAsync(string code, CancellationToken cancellationToken) => remarketing.ExpireAsync(code, cancellationToken);
}

/// <summary>Writes the coupon as the ledger has it (redeemed, with the sale) to the Customer 360; answers it.</summary>
public sealed class RecordCouponOutcome(ICouponLedger coupons, Core.Customers.CustomerJourney journey) : TaskActivity<string, Coupon?>
{
    public const string Name = nameof(RecordCouponOutcome);

    public override Task<Coupon?> RunAsync(TaskActivityContext context, string input) => ExecuteAsync(input, CancellationToken.None);

    public async Task<Coupon?> ExecuteAsync(string code, CancellationToken cancellationToken)
    {
        var coupon = await coupons.GetAsync(code, cancellationToken);
        if (coupon is not null)
        {
            await journey.RecordCouponAsync(coupon, cancellationToken);
        }

        return coupon;
    }
}

/// <summary>The remarketing orchestrator and its activities, listed once for every host (it also calls BOPIS's <c>NotifyCustomer</c>).</summary>
public static class RemarketingRegistration
{
    public static Type Orchestrator { get; } = typeof(ProximityRemarketing);

    public static IReadOnlyList<Type> Activities { get; } =
    [
        typeof(DecideRemarketing),
        typeof(IssueCoupon),
        typeof(CheckBeforeSending),
        typeof(ExpireCoupon),
        typeof(RecordCouponOutcome),
    ];

    public static DurableTaskRegistry AddRemarketingWorkflow(this DurableTaskRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        registry.AddOrchestrator(Orchestrator.Name, Orchestrator);
        foreach (var activity in Activities)
        {
            registry.AddActivity(activity.Name, activity);
        }

        return registry;
    }
}
