using System.Text.Json;
using OmniChannel.Core.Events;
using OmniChannel.Core.Identity;
using OmniChannel.Core.Ports;

namespace OmniChannel.Core.Remarketing;

/// <summary>
/// One past signal and what the rule says about it. <c>Identifier</c>: the strongest identity the signal came with
/// (<c>device:d-1</c>); <c>CustomerId</c>: the customer it resolved to through the identity graph, null when anonymous.
/// </summary>
public sealed record SimulatedSignal(string EventId, string Type, DateTimeOffset Time, string? CustomerId, bool WouldFire, string Reason, string? StoreId, string? Identifier);

/// <summary>A rule's simulation over a time window: every signal it listens to, fired or not, and why.</summary>
public sealed record RuleSimulation(string RuleId, DateTimeOffset From, DateTimeOffset To, int Signals, int WouldFire, IReadOnlyList<SimulatedSignal> Results);

/// <summary>
/// Runs a rule over the recent signals it listens to and explains each verdict, issuing nothing: marketing's check
/// before enabling a rule. Customer facts and stock are today's, so the answer is what the rule would do now. A signal
/// is judged for the person it resolves to as the live reaction resolves it (<see cref="PersonResolver"/>), so a
/// known customer's device-only geofence entry is theirs.
/// </summary>
public sealed class RuleSimulator(IEventHistory history, RemarketingService remarketing, PersonResolver people)
{
    public const int MaxSignals = 500;

    public async Task<RuleSimulation> SimulateAsync(RemarketingRule rule, DateTimeOffset from, DateTimeOffset to, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var type = EventTypeOf(rule.Signal);
        var entries = await history.ReadRecentAsync([type], from, to, Math.Clamp(limit, 1, MaxSignals), cancellationToken);
        var results = new List<SimulatedSignal>(entries.Count);
        foreach (var entry in entries)
        {
            var identifier = entry.Identities.Primary?.ToString();
            if (await people.CustomerIdAsync(entry.Identities, cancellationToken) is not { } customerId)
            {
                results.Add(new SimulatedSignal(entry.EventId, entry.Type, entry.Time, null, false, "An anonymous visitor: coupons go to known customers only.", null, identifier));
                continue;
            }

            var verdict = await remarketing.ExplainAsync(InputFor(entry, rule.Signal, customerId), rule, cancellationToken);
            results.Add(new SimulatedSignal(entry.EventId, entry.Type, entry.Time, customerId, verdict.Fired, verdict.Explanation, verdict.StoreId, identifier));
        }

        return new RuleSimulation(rule.Id, from, to, results.Count, results.Count(result => result.WouldFire), results);
    }

    public static string EventTypeOf(RemarketingSignal signal) => signal switch
    {
        RemarketingSignal.GeofenceEntered => EventTypes.GeofenceEntered,
        RemarketingSignal.ProductViewed => EventTypes.ProductViewed,
        _ => EventTypes.CartAbandoned,
    };

    /// <summary>The workflow's input for a stored event (its data as the contract wrote it: lower-case names) on behalf of the customer it resolved to.</summary>
    private static RemarketingInput InputFor(TimelineEntry entry, RemarketingSignal signal, string customerId)
    {
        var data = entry.Data;
        return signal switch
        {
            RemarketingSignal.GeofenceEntered => new(customerId, entry.EventId, signal, entry.Time, [], null, Text(data, "storeid"), Number(data, "lat"), Number(data, "lon")),
            RemarketingSignal.ProductViewed => new(customerId, entry.EventId, signal, entry.Time, Text(data, "sku") is { } sku ? [sku] : [], null, Text(data, "storeid"), null, null,
                Text(data, "category") is { } category ? [category] : null),
            _ => new(customerId, entry.EventId, signal, entry.Time, data.ValueKind == JsonValueKind.Object && data.TryGetProperty("skus", out var skus) && skus.ValueKind == JsonValueKind.Array
                ? skus.EnumerateArray().Where(sku => sku.ValueKind == JsonValueKind.String).Select(sku => sku.GetString()!).ToList()
                : [], null, null, null, null),
        };
    }

    private static string? Text(JsonElement data, string name) =>
        data.ValueKind == JsonValueKind.Object && data.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static double? Number(JsonElement data, string name) =>
        data.ValueKind == JsonValueKind.Object && data.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : null;
}
