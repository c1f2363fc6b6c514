using System.Text.Json.Nodes;
using OmniChannel.Core.Stores;

namespace OmniChannel.Simulation.Tests.Replay;

/// <summary>A small simulated day at a fixed start, so every test sees the same events.</summary>
internal static class TestDay
{
    public static readonly DateTimeOffset Start = new(2025, 3, 1, 0, 0, 0, TimeSpan.Zero);

    public static OmniDaySimulator Create(int seed = 1, int customers = 20) =>
        new(new SimulationOptions(seed, customers, StoreSeed.Generate(), Start));

    public static IReadOnlyList<string> Ids(IEnumerable<JsonObject> events) => [.. events.Select(cloudEvent => (string)cloudEvent["id"]!)];
}
