namespace OmniChannel.Simulation.Tests.Fakes;

/// <summary>One request the fake backbone received, in arrival order.</summary>
/// <param name="Number">1-based arrival number.</param>
/// <param name="IsBatch">The body was a JSON array (batched mode) rather than one object (structured mode).</param>
public sealed record RecordedRequest(int Number, string? ContentType, string? ApiKey, bool IsBatch, IReadOnlyList<string> Ids, IReadOnlyList<DateTimeOffset> Times);
