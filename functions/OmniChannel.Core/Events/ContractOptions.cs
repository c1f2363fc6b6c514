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

    /// <summary>
    /// Sources whose tracking plan is strict (<c>/pos</c>, <c>/app/ios</c>): a data field the contract does not know
    /// rejects the event there. Each matches a <c>source</c> by whole path segments (<c>/pos</c> matches
    /// <c>/pos/store/0042</c>, not <c>/posters</c>). Every other source is lenient: the event is accepted, stored whole
    /// and the field reported (<c>GET /api/operations/violations</c>).
    /// </summary>
    public string[] StrictSources { get; set; } = [];

    /// <summary>The entry of <see cref="StrictSources"/> that makes <paramref name="source"/> strict, or null when it is lenient.</summary>
    public string? StrictPrefix(string source)
    {
        foreach (var prefix in StrictSources)
        {
            if (prefix.Length > 0
                && source.StartsWith(prefix, StringComparison.Ordinal)
                && (source.Length == prefix.Length || prefix[^1] == '/' || source[prefix.Length] == '/'))
            {
                return prefix;
            }
        }

        return null;
    }
}
