using OmniChannel.Core.Events;

namespace OmniChannel.Core.Profiles;

/// <summary>A customer's consent for one purpose, and when (by event time) it last changed.</summary>
public sealed record ConsentRecord(ConsentState State, DateTimeOffset? ChangedAt);
