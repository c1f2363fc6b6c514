using OmniChannel.Core.Ports;

namespace OmniChannel.Core.Customers;

/// <summary>One page of a customer's timeline; <see cref="Continuation"/> is null on the last page.</summary>
public sealed record TimelinePage(string ProfileId, IReadOnlyList<TimelineEntry> Events, string? Continuation);
