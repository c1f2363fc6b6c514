namespace OmniChannel.Core.Ports;

/// <summary>
/// A receiver outside the backbone (the customer-engagement platform, the payment service) refused a hand-off for good
/// (a 4xx other than 408/429): asking again changes nothing, so the workflow does not retry it.
/// </summary>
public sealed class HandoffRejectedException(string message, int status) : Exception(message)
{
    public int Status { get; } = status;
}
