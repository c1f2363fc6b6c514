using System.Text.Json;

namespace OmniChannel.Core.Orders;

/// <summary>The <c>?status=</c> of a store's queue: queue states, comma-separated, in any case; none means every state.</summary>
public static class StoreQueueFilter
{
    // Names only: Enum.TryParse would also take numbers ("1") and combinations.
    private static readonly Dictionary<string, StoreQueueState> ByName =
        Enum.GetValues<StoreQueueState>().ToDictionary(state => state.ToString(), StringComparer.OrdinalIgnoreCase);

    /// <summary>The values as the API writes them (camelCase), for messages and clients.</summary>
    public static IReadOnlyList<string> AllowedValues { get; } =
        Enum.GetValues<StoreQueueState>().Select(state => JsonNamingPolicy.CamelCase.ConvertName(state.ToString())).ToArray();

    /// <summary>Parses the filter; answers false, with the values it does not know, when any is not a queue state.</summary>
    public static bool TryParse(string? text, out IReadOnlySet<StoreQueueState> states, out IReadOnlyList<string> unknown)
    {
        var parsed = new HashSet<StoreQueueState>();
        var notStates = new List<string>();
        foreach (var value in (text ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (ByName.TryGetValue(value, out var state))
            {
                parsed.Add(state);
            }
            else
            {
                notStates.Add(value);
            }
        }

        states = parsed;
        unknown = notStates;
        return notStates.Count == 0;
    }
}
