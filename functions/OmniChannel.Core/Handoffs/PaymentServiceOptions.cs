namespace OmniChannel.Core.Handoffs;

/// <summary>The payment service: where refund requests go, and how its refund callbacks are checked.</summary>
public sealed class PaymentServiceOptions : HandoffReceiverOptions
{
    /// <summary>The <c>whsec_…</c> secret the payment service signs its callbacks with (not the one the backbone signs with).</summary>
    public string? CallbackSecret { get; set; }

    /// <summary>The currency of order amounts (ISO 4217), named in each refund request.</summary>
    public string Currency { get; set; } = "USD";
}
