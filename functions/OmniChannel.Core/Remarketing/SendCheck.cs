namespace OmniChannel.Core.Remarketing;

/// <summary>What to do with an issued coupon's push when it is about to be sent.</summary>
public enum SendVerdict
{
    Send,

    /// <summary>Quiet hours at the store now (or, for a rule only when the store is open, the store closed), and the rule waits for their end: check again after <see cref="SendCheck.WaitFor"/>.</summary>
    Wait,

    /// <summary>Not sent, ever: consent withdrawn, quiet hours or the store closed (the rule drops), or the coupon is no longer issued. The coupon is voided.</summary>
    Withhold,
}

/// <summary>The send-time check's answer and why, in words for the workflow's record.</summary>
public sealed record SendCheck(SendVerdict Verdict, string Reason, TimeSpan? WaitFor = null);

/// <summary>What the send-time check needs: whose coupon, which, under which rule, at which store's clock.</summary>
public sealed record SendCheckRequest(string CustomerId, string Code, string RuleId, string? StoreTimeZone);

/// <summary>What a rule does with a push that falls in its quiet hours (or, for a rule only when the store is open, while the store is closed) at the moment of sending.</summary>
public enum QuietHoursAtSend
{
    /// <summary>Not sent; the coupon is voided (a proximity coupon after the customer has gone home is noise).</summary>
    Drop,

    /// <summary>Sent when the quiet hours end (the store opens), if the coupon is still valid then.</summary>
    Wait,
}
