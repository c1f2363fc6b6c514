using Microsoft.DurableTask;
using OmniChannel.Core.Remarketing;
using OmniChannel.Workflows.Bopis;

namespace OmniChannel.Workflows.Remarketing;

/// <summary>
/// One signal's remarketing: decide (consent, frequency cap, marketing's rules, the nearest store in radius that has
/// the product) → issue a coupon (unless consent was withdrawn meanwhile) → tell the customer → wait for the coupon to
/// be redeemed at a POS or to expire → record the outcome and the attributed sale in the Customer 360.
/// </summary>
/// <remarks>
/// Deterministic: time from the context, the coupon code from an activity, every wait on an event races a timer that is
/// cancelled when the event wins. Versioned: a change of the steps goes behind <c>context.CompareVersionTo(...)</c>
/// (README "Changing a workflow safely").
/// </remarks>
public sealed class ProximityRemarketing : TaskOrchestrator<RemarketingInput, RemarketingProgress>
{
    public const string Name = RemarketingWorkflow.OrchestrationName;

    /// <summary>The version new instances start on (1.1: the send-time check before the push; 1.2: the dwell wait).</summary>
    public const string Version = RemarketingWorkflow.Version;

    /// <summary>How often a push waits for quiet hours to end before it is given up (the check answers the wait, bounded here too).</summary>
    private const int MaxQuietWaits = 3;

    public override async Task<RemarketingProgress> RunAsync(TaskOrchestrationContext context, RemarketingInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var now = () => new DateTimeOffset(DateTime.SpecifyKind(context.CurrentUtcDateTime, DateTimeKind.Utc));

        var decision = await context.CallActivityAsync<RemarketingDecision>(DecideRemarketing.Name, input, BopisRetry.Options);

        // Version 1.2: a rule with a dwell time fires only if the customer is still near the store after it. Wait until
        // then (a timer at the entry's time plus the dwell, so a late signal waits only what is left), then decide again:
        // the decision sees an exit ingested meanwhile. Before 1.2 such a decision has no grant and ends the instance.
        if (decision.Dwell is { } dwell && context.CompareVersionTo(RemarketingWorkflow.DwellVersion) >= 0)
        {
            Report(context, new RemarketingProgress(RemarketingStatus.Waiting, decision.Reason, null, now()));
            var stayedUntil = input.At.AddMinutes(dwell.Minutes).UtcDateTime;
            if (stayedUntil > context.CurrentUtcDateTime)
            {
                await context.CreateTimer(stayedUntil, CancellationToken.None);
            }

            input = input with { DwelledMinutes = dwell.Minutes };
            decision = await context.CallActivityAsync<RemarketingDecision>(DecideRemarketing.Name, input, BopisRetry.Options);
        }

        // The control group: the decide step recorded it for attribution; the instance ends here with no step of its
        // own, so every version's histories replay (a decision recorded before holdouts existed has no HeldOut).
        if (decision.HeldOut is not null)
        {
            return Report(context, new RemarketingProgress(RemarketingStatus.HeldOut, decision.Reason, null, now()));
        }

        if (decision.Grant is not { } grant)
        {
            return Report(context, new RemarketingProgress(RemarketingStatus.NotEligible, decision.Reason, null, now()));
        }

        var coupon = await context.CallActivityAsync<Coupon?>(IssueCoupon.Name, new CouponRequest(input, grant, context.InstanceId), BopisRetry.Options);
        if (coupon is null)
        {
            return Report(context, new RemarketingProgress(RemarketingStatus.Withheld, "Consent was withdrawn, the rule changed, the frequency cap filled or the rule's daily budget of coupons was spent before the coupon was issued.", null, now()));
        }

        // Version 1.1: consent and quiet hours judged again at the moment of sending (the issue step judged them at the
        // signal's time, which can be minutes or hours before when the signal was late). Instances of 1.0 replay as they ran.
        if (context.CompareVersionTo(RemarketingWorkflow.SendTimeChecksVersion) >= 0)
        {
            var check = await CheckBeforeSendingAsync(context, input, grant, coupon);
            if (check.Verdict != SendVerdict.Send)
            {
                return Report(context, new RemarketingProgress(RemarketingStatus.Withheld, check.Reason, coupon.Code, now()));
            }
        }

        await context.CallActivityAsync<string>(
            NotifyCustomer.Name,
            new BopisMessage(coupon.Code, input.CustomerId, "coupon", CouponTexts.Offer(coupon, grant), now()),
            BopisRetry.Options);
        Report(context, new RemarketingProgress(RemarketingStatus.Waiting, $"Coupon {coupon.Code} issued; waiting for it to be used.", coupon.Code, now()));

        using var expiry = new CancellationTokenSource();
        var redeemed = context.WaitForExternalEvent<object?>(RemarketingWorkflow.RedeemedEvent);
        var timer = context.CreateTimer(coupon.ExpiresAt.UtcDateTime, expiry.Token);
        if (await Task.WhenAny(redeemed, timer) == redeemed)
        {
            expiry.Cancel();
            var used = await context.CallActivityAsync<Coupon?>(RecordCouponOutcome.Name, coupon.Code, BopisRetry.Options);
            return Report(context, new RemarketingProgress(RemarketingStatus.Redeemed, CouponTexts.Redeemed(used ?? coupon), coupon.Code, now()));
        }

        var ended = await context.CallActivityAsync<Coupon?>(ExpireCoupon.Name, coupon.Code, BopisRetry.Options);

        // A sale may have redeemed it in the last moment before the timer: the ledger decides.
        return ended?.State == CouponState.Redeemed
            ? Report(context, new RemarketingProgress(RemarketingStatus.Redeemed, CouponTexts.Redeemed(ended), coupon.Code, now()))
            : Report(context, new RemarketingProgress(RemarketingStatus.Expired, $"Coupon {coupon.Code} expired unused.", coupon.Code, now()));
    }

    /// <summary>The send-time check; while it says wait (quiet hours, the rule waits) a durable timer, then the check again.</summary>
    private static async Task<SendCheck> CheckBeforeSendingAsync(TaskOrchestrationContext context, RemarketingInput input, RemarketingGrant grant, Coupon coupon)
    {
        var request = new SendCheckRequest(input.CustomerId, coupon.Code, grant.RuleId, grant.StoreTimeZone);
        for (var round = 0; ; round++)
        {
            var check = await context.CallActivityAsync<SendCheck>(CheckBeforeSending.Name, request, BopisRetry.Options);
            if (check.Verdict != SendVerdict.Wait || check.WaitFor is not { } waitFor)
            {
                return check;
            }

            if (round == MaxQuietWaits)
            {
                await context.CallActivityAsync<Coupon?>(ExpireCoupon.Name, coupon.Code, BopisRetry.Options);
                return new SendCheck(SendVerdict.Withhold, $"Still quiet hours at the store after {MaxQuietWaits} waits: not sent, the coupon voided.");
            }

            var at = new DateTimeOffset(DateTime.SpecifyKind(context.CurrentUtcDateTime, DateTimeKind.Utc));
            Report(context, new RemarketingProgress(RemarketingStatus.Waiting, $"Coupon {coupon.Code} issued; {check.Reason}", coupon.Code, at));
            await context.CreateTimer(context.CurrentUtcDateTime + waitFor, CancellationToken.None);
        }
    }

    private static RemarketingProgress Report(TaskOrchestrationContext context, RemarketingProgress progress)
    {
        context.SetCustomStatus(progress);
        return progress;
    }
}

/// <summary>The words of the remarketing messages and outcomes, culture-invariant.</summary>
internal static class CouponTexts
{
    public static string Offer(Coupon coupon, RemarketingGrant grant)
    {
        var discount = coupon.Offer.Kind == OfferKind.Percent
            ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{coupon.Offer.Value:0.##}% off")
            : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{coupon.Offer.Value:0.00} off");
        var minimum = coupon.Offer.MinSpend > 0 ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $" when you spend {coupon.Offer.MinSpend:0.00} or more") : string.Empty;
        var product = coupon.Sku is null ? string.Empty : $" {coupon.Sku} is in stock there.";
        return $"{discount}{minimum} at {grant.StoreName}, nearby.{product} Show code {coupon.Code} at the till until {BopisTexts.StoreTime(coupon.ExpiresAt, grant.StoreTimeZone)}.";
    }

    public static string Redeemed(Coupon coupon) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"Coupon {coupon.Code} redeemed at store {coupon.RedeemedStoreId} on a sale of {coupon.SaleTotal:0.00}.");
}
