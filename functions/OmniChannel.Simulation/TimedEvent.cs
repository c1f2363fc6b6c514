using System.Text.Json.Nodes;

namespace OmniChannel.Simulation;

/// <summary>An event with its time kept aside, so the day can be merged in time order without re-reading the JSON.</summary>
internal readonly record struct TimedEvent(DateTimeOffset Time, JsonObject Event);
