namespace OmniChannel.Core.Ports;

/// <summary>Where a refund stands once the payment provider has accepted the request.</summary>
public enum RefundStatus
{
    /// <summary>The money is on its way back (the local simulator settles at once).</summary>
    Settled,

    /// <summary>Accepted; the provider confirms (or refuses) later with a signed callback.</summary>
    AwaitingConfirmation,
}
