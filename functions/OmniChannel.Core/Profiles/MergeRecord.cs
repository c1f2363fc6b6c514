namespace OmniChannel.Core.Profiles;

/// <summary>
/// The audit of one merge, kept on the surviving profile and written with it: which profile was joined, with which
/// identities, by which event (<see cref="EventKey"/> is the idempotency key, <see cref="EventId"/> the channel's id), when;
/// and when an administrator undid it, if one did.
/// </summary>
public sealed record MergeRecord(string MergeId, string MergedProfileId, IReadOnlyList<string> Identities, string? EventKey, string? EventId, DateTimeOffset At, DateTimeOffset? UndoneAt = null);
