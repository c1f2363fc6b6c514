namespace OmniChannel.Core.Handoffs;

/// <summary>A system outside the backbone that hand-offs are POSTed to, and the <c>whsec_…</c> secret they are signed with.</summary>
public class HandoffReceiverOptions
{
    public Uri? Endpoint { get; set; }

    public string? Secret { get; set; }

    /// <summary>Both the endpoint and the secret are set.</summary>
    public bool IsConfigured => Endpoint is not null && !string.IsNullOrEmpty(Secret);
}
