namespace OmniChannel.Core.Remarketing;

/// <summary>Remarketing settings of the whole backbone (section <c>OmniChannel:Remarketing</c>).</summary>
public sealed class RemarketingOptions
{
    public const string SectionName = "OmniChannel:Remarketing";

    /// <summary>The most a control group may hold back, globally or per rule.</summary>
    public const int MaxHoldoutPercent = 50;

    /// <summary>
    /// The share of customers (0–50 %) who never get any remarketing: the global control group. Their signals that a
    /// rule would have fired on are recorded as held out for that rule.
    /// </summary>
    public int GlobalControlPercent { get; set; }
}
