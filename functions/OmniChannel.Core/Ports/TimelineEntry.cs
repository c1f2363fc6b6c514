using System.Text.Json;
using OmniChannel.Core.Identity;

namespace OmniChannel.Core.Ports;

/// <summary>One event of a customer's timeline, as stored.</summary>
public sealed record TimelineEntry(
    string SortKey,
    string EventId,
    string Source,
    string Type,
    DateTimeOffset Time,
    string Channel,
    string PartitionKey,
    string? StoreId,
    JsonElement Data,
    IdentitySet Identities);
