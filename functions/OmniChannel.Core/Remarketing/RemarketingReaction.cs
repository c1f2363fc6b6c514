using OmniChannel.Core.Events;
using OmniChannel.Core.Ports;

namespace OmniChannel.Core.Remarketing;

/// <summary>
/// Ingest's remarketing hook: a signal of a known customer that some enabled rule could fire on starts a
/// <c>ProximityRemarketing</c> instance (one per event); a POS sale with a coupon code redeems the coupon and tells
/// the coupon's instance. Redelivered events start and redeem nothing twice.
/// </summary>
public sealed class RemarketingReaction(RemarketingService remarketing, IWorkflowClient workflows) : IIngestReaction
{
    public async Task ReactAsync(IReadOnlyList<OmniEvent> events, CancellationToken cancellationToken)
    {
        foreach (var omniEvent in events)
        {
            if (omniEvent.Payload is PosSale { CouponCode: { Length: > 0 } code } sale)
            {
                await RedeemAsync(code, sale, omniEvent.Time, cancellationToken);
            }
            else if (RemarketingService.InputFor(omniEvent) is { } input && await remarketing.MayFireAsync(input, cancellationToken))
            {
                await workflows.StartAsync(RemarketingWorkflow.OrchestrationName, RemarketingWorkflow.InstanceIdFor(omniEvent.Key), input, cancellationToken);
            }
        }
    }

    private async Task RedeemAsync(string code, PosSale sale, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var (outcome, coupon) = await remarketing.RedeemAsync(code, sale.StoreId, sale.Total, at, cancellationToken);

        // Also when this very sale redeemed it before (a redelivered batch): the instance may not have heard yet.
        var thisSale = outcome == RedeemOutcome.Redeemed
            || (outcome == RedeemOutcome.AlreadyRedeemed && coupon is not null && coupon.RedeemedAt == at && coupon.RedeemedStoreId == sale.StoreId && coupon.SaleTotal == sale.Total);
        if (thisSale)
        {
            await workflows.RaiseEventAsync(coupon!.InstanceId, RemarketingWorkflow.RedeemedEvent, null, cancellationToken);
        }
    }
}
