using OmniChannel.Core.Events;
using OmniChannel.Core.Identity;
using OmniChannel.Core.Ports;

namespace OmniChannel.Core.Remarketing;

/// <summary>
/// Ingest's remarketing hook: a signal that some enabled rule could fire on and whose person resolves (through the
/// identity graph, so a device-only geofence entry of a signed-in app user counts) to a known customer starts a
/// <c>ProximityRemarketing</c> instance for that customer (one per event); a POS sale with a coupon code goes to the
/// <see cref="CouponTill"/> (redeemed if it is the customer's and valid at the sale's time, else recorded as a conflict);
/// every POS sale of a known customer is attributed to the rules whose windows cover it. Redelivered events start and
/// redeem nothing twice.
/// </summary>
public sealed class RemarketingReaction(RemarketingService remarketing, CouponTill till, PersonResolver people, IWorkflowClient workflows) : IIngestReaction
{
    public async Task ReactAsync(IReadOnlyList<OmniEvent> events, CancellationToken cancellationToken)
    {
        foreach (var omniEvent in events)
        {
            if (omniEvent.Payload is PosSale sale)
            {
                // The sale's key is its id: a redelivered sale redeems nothing twice and records no second conflict.
                var redeemed = sale.CouponCode is { Length: > 0 } code
                    && await till.RedeemFromSaleAsync(code, omniEvent.Key, new TillRequest(sale.StoreId, omniEvent.Identities, sale.Total, omniEvent.Time), cancellationToken) is { Verdict: TillVerdict.Redeemed } answer
                    ? answer.Coupon
                    : null;

                // The sale's person, or (a till that scanned only the coupon) the coupon's holder.
                // No rule, no window to attribute to: the sale costs no profile read.
                if (await remarketing.HasRulesAsync(cancellationToken)
                    && (await people.CustomerIdAsync(omniEvent.Identities, cancellationToken) ?? redeemed?.CustomerId) is { } buyer)
                {
                    await remarketing.AttributeSaleAsync(buyer, omniEvent.Key, omniEvent.Time, sale.Total, redeemed?.RuleId, cancellationToken);
                }
            }
            else if (RemarketingService.InputFor(omniEvent, RemarketingService.Unresolved) is { } signal
                && await remarketing.MayFireAsync(signal, cancellationToken)
                && await people.CustomerIdAsync(omniEvent.Identities, cancellationToken) is { } customerId)
            {
                // The rules are checked first (from a cached snapshot): a signal no rule listens to costs no profile read.
                await workflows.StartAsync(RemarketingWorkflow.OrchestrationName, RemarketingWorkflow.InstanceIdFor(omniEvent.Key), signal with { CustomerId = customerId }, cancellationToken);
            }
        }
    }
}
