namespace OmniChannel.Core.Profiles;

/// <summary>
/// An identifier an event carried that the identity rules kept out of this person (a shared device, a second customer
/// id): it stayed with <see cref="KeptWith"/>, and why.
/// </summary>
public sealed record IdentityDecision(string EventKey, string EventId, DateTimeOffset At, string Identity, string KeptWith, string Reason);
