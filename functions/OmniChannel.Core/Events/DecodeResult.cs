namespace OmniChannel.Core.Events;

/// <summary>The events of one collect request, or why the request was rejected whole.</summary>
public sealed record DecodeResult(IReadOnlyList<OmniEvent> Events, CollectFailure? Failure)
{
    public static DecodeResult Rejected(CollectFailure failure) => new([], failure);
}
