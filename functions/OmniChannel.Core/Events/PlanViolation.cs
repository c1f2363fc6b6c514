namespace OmniChannel.Core.Events;

/// <summary>
/// A field outside the tracking plan, as ops see it: one row per source, event type and field (the line of an order
/// or sale as <c>data.lines[].colour</c>), with how many events carried it, the event times of the first and the last,
/// and the id of the last, to look it up.
/// </summary>
public sealed record PlanViolation(
    string Source,
    string Type,
    string Field,
    string Kind,
    DateTimeOffset FirstSeen,
    DateTimeOffset LastSeen,
    long Count,
    string ExampleEventId)
{
    /// <summary>A data field the plan of the event's type does not list.</summary>
    public const string UnplannedProperty = "unplanned property";

    /// <summary>The rows of a batch's events, each field counted once per event; empty (and nothing allocated) when no event has one.</summary>
    public static IReadOnlyList<PlanViolation> Of(IReadOnlyList<OmniEvent> events)
    {
        Dictionary<(string Source, string Type, string Field), PlanViolation>? rows = null;
        foreach (var omniEvent in events)
        {
            if (omniEvent.UnplannedFields is not { } fields)
            {
                continue;
            }

            rows ??= [];
            foreach (var field in fields.Select(RowField).Distinct(StringComparer.Ordinal))
            {
                var row = new PlanViolation(omniEvent.Source, omniEvent.Type, field, UnplannedProperty, omniEvent.Time, omniEvent.Time, 1, omniEvent.Id);
                var key = (omniEvent.Source, omniEvent.Type, field);
                rows[key] = rows.TryGetValue(key, out var earlier) ? earlier.Merge(row) : row;
            }
        }

        return rows is null ? [] : [.. rows.Values];
    }

    /// <summary>
    /// This row and another of the same source, type and field together: the earliest first sighting, the latest last
    /// one with its example, the counts added. The same whichever comes first, so writers may merge in any order.
    /// </summary>
    public PlanViolation Merge(PlanViolation other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var latest = other.LastSeen > LastSeen || (other.LastSeen == LastSeen && string.CompareOrdinal(other.ExampleEventId, ExampleEventId) > 0) ? other : this;
        return this with
        {
            FirstSeen = FirstSeen <= other.FirstSeen ? FirstSeen : other.FirstSeen,
            LastSeen = latest.LastSeen,
            Count = Count + other.Count,
            ExampleEventId = latest.ExampleEventId,
        };
    }

    /// <summary>An event's field path as a row names it: the index of a line left out (<c>data.lines[3].colour</c> → <c>data.lines[].colour</c>).</summary>
    private static string RowField(string path)
    {
        var open = path.IndexOf('[', StringComparison.Ordinal);
        var close = open < 0 ? -1 : path.IndexOf(']', open);
        return close < 0 ? path : string.Concat(path.AsSpan(0, open + 1), path.AsSpan(close));
    }
}
