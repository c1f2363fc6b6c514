using BenchmarkDotNet.Attributes;
using OmniChannel.Core.Events;
using OmniChannel.Core.Profiles;
using OmniChannel.Core.Remarketing;
using OmniChannel.Core.Stores;

namespace OmniChannel.Benchmarks;

/// <summary>
/// The remarketing rule engine over 500 active rules and a realistic signal mix (60 % product views, 25 % geofence
/// entries, 15 % abandoned carts; every customer consenting, so every rule is evaluated). One operation is one rule evaluated against
/// one signal, so Ops/s is rule evaluations per second (target: 1,000,000 on one core).
/// </summary>
[MemoryDiagnoser]
public class RuleEngineBenchmarks
{
    private const int Rules = 500;
    private const int Signals = 200;

    private RuleEngine _engine = null!;
    private (SignalFacts Signal, CustomerFacts Customer, StoreCandidate[] Stores)[] _inputs = null!;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        var stores = StoreSeed.Generate(240);
        var skus = Enumerable.Range(1, 2_000).Select(index => $"SKU-{index:D4}").ToArray();
        string[] categories = ["outdoor", "kitchen", "toys", "apparel", "electronics", "garden"];
        RemarketingSignal[] kinds = [RemarketingSignal.ProductViewed, RemarketingSignal.GeofenceEntered, RemarketingSignal.CartAbandoned];
        var start = new DateTimeOffset(2026, 11, 25, 0, 0, 0, TimeSpan.Zero);

        _engine = new RuleEngine(Enumerable.Range(1, Rules).Select(index => new RemarketingRule(
            $"rule-{index:D3}",
            $"Rule {index}",
            Enabled: true,
            Priority: random.Next(0, 100),
            kinds[index % kinds.Length],
            new RuleConditions(
                Skus: index % 3 == 0 ? Enumerable.Range(0, 20).Select(_ => skus[random.Next(skus.Length)]).ToList() : [],
                Categories: index % 4 == 0 ? [categories[random.Next(categories.Length)]] : [],
                MinCartValue: index % 5 == 0 ? random.Next(20, 200) : null,
                JourneyStages: index % 6 == 0 ? [JourneyStage.Considering, JourneyStage.CartAbandoned] : [],
                ViewedWithinDays: index % 7 == 0 ? 7 : null),
            RadiusMeters: random.Next(200, 5_000),
            Stores: index % 8 == 0 ? stores.Take(random.Next(5, 40)).Select(store => store.Id).ToList() : [],
            new Offer(OfferKind.Percent, 10, 30, 48),
            new FrequencyCap(index % 2 == 0 ? 1 : 3, 7),
            index % 3 == 1 ? new QuietHours(new TimeOnly(21, 0), new TimeOnly(8, 0)) : null)));

        _inputs = Enumerable.Range(0, Signals).Select(index =>
        {
            var roll = random.Next(100);
            var kind = roll < 60 ? RemarketingSignal.ProductViewed : roll < 85 ? RemarketingSignal.GeofenceEntered : RemarketingSignal.CartAbandoned;
            var at = start.AddMinutes(random.Next(0, 24 * 60));
            var store = stores[random.Next(stores.Count)];
            var near = stores
                .Select(candidate => new StoreCandidate(candidate, Core.Geo.GeoDistance.Meters(store.Latitude, store.Longitude, candidate.Latitude, candidate.Longitude)))
                .OrderBy(candidate => candidate.DistanceMeters)
                .Take(3)
                .ToArray();
            var signalSkus = kind == RemarketingSignal.GeofenceEntered ? [] : Enumerable.Range(0, kind == RemarketingSignal.CartAbandoned ? 3 : 1).Select(_ => skus[random.Next(skus.Length)]).ToList();
            var signal = new SignalFacts(kind, at, signalSkus, [categories[random.Next(categories.Length)]], kind == RemarketingSignal.CartAbandoned ? random.Next(10, 300) : null, kind == RemarketingSignal.GeofenceEntered ? store.Id : null);
            var customer = new CustomerFacts(
                ConsentState.Granted, // without consent no rule is evaluated at all, which would flatter the figure
                (JourneyStage)random.Next(1, 8),
                Enumerable.Range(0, 5).Select(_ => new ViewedProduct(skus[random.Next(skus.Length)], at.AddDays(-random.Next(0, 10)))).ToList(),
                random.Next(3) == 0 ? [at.AddDays(-random.Next(1, 10))] : []);
            return (signal, customer, near);
        }).ToArray();
    }

    /// <summary>Every rule against every signal (the work a simulate request or a rules change does).</summary>
    [Benchmark(OperationsPerInvoke = Rules * Signals)]
    public int EvaluateEveryRule()
    {
        var matches = 0;
        foreach (var (signal, customer, stores) in _inputs)
        {
            matches += _engine.CountMatches(signal, customer, stores);
        }

        return matches;
    }
}
