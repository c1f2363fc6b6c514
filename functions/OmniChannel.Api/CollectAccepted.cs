namespace OmniChannel.Api;

/// <summary>The 202 answer of <c>POST /api/events</c>: how many events were accepted and their ids.</summary>
public sealed record CollectAccepted(int Accepted, IReadOnlyList<string> Ids);
