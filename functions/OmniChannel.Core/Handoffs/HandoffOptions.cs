namespace OmniChannel.Core.Handoffs;

/// <summary>
/// Where notifications and refunds leave the backbone, bound from <c>OmniChannel:Handoffs</c>: the customer-engagement
/// platform (customer and store messages) and the payment service (refund requests, and the secret its refund
/// callbacks are signed with). Every hand-off is a structured-mode CloudEvent signed per Standard Webhooks with the
/// receiver's own <c>whsec_…</c> secret.
/// </summary>
public sealed class HandoffOptions
{
    public const string SectionName = "OmniChannel:Handoffs";

    /// <summary>The customer-engagement platform: <c>omni.order.notification</c> events.</summary>
    public HandoffReceiverOptions CustomerEngagement { get; set; } = new();

    /// <summary>The payment service: <c>omni.payment.refund.requested</c> events, and its signed callbacks.</summary>
    public PaymentServiceOptions Payments { get; set; } = new();

    /// <summary>One hand-off's deadline; past it the attempt counts as transient (the workflow retries it).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The settings a host without them must name, for its startup error.</summary>
    public IReadOnlyList<string> Missing()
    {
        var missing = new List<string>();
        if (CustomerEngagement.Endpoint is null)
        {
            missing.Add($"{SectionName}:CustomerEngagement:Endpoint");
        }

        if (string.IsNullOrEmpty(CustomerEngagement.Secret))
        {
            missing.Add($"{SectionName}:CustomerEngagement:Secret");
        }

        if (Payments.Endpoint is null)
        {
            missing.Add($"{SectionName}:Payments:Endpoint");
        }

        if (string.IsNullOrEmpty(Payments.Secret))
        {
            missing.Add($"{SectionName}:Payments:Secret");
        }

        if (string.IsNullOrEmpty(Payments.CallbackSecret))
        {
            missing.Add($"{SectionName}:Payments:CallbackSecret");
        }

        return missing;
    }
}
