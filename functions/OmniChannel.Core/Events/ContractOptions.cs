namespace OmniChannel.Core.Events;

/// <summary>Limits of the collect contract. Bound from the <c>OmniChannel:Contract</c> configuration section.</summary>
public sealed class ContractOptions
{
    public const string SectionName = "OmniChannel:Contract";

    /// <summary>At most this many events in one batched request.</summary>
    public int MaxBatchEvents { get; set; } = 500;

    /// <summary>At most this many bytes in one request body.</summary>
    public int MaxBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>How far an event's <c>time</c> may lie ahead of the server's clock (channel clocks drift).</summary>
    public TimeSpan MaxClockSkew { get; set; } = TimeSpan.FromMinutes(5);
}
