namespace OmniChannel.Core.Prices;

/// <summary>Names shared by the price fan-out orchestration, both hosts and the API.</summary>
public static class PriceFanOut
{
    public const string OrchestrationName = "PriceChangeFanOut";

    /// <summary>
    /// The version new instances start on (<see cref="WorkflowVersions"/>); raise it for a change of the steps. Major.minor,
    /// so the SDK compares versions as numbers ("10.0" after "9.0"), not as text.
    /// </summary>
    public const string Version = "1.0";

    /// <summary>One instance per run of a change: run 1 is the change itself, later runs retry its failed subscribers.</summary>
    public static string InstanceIdFor(string changeId, int run) => run <= 1 ? "price-" + changeId : $"price-{changeId}-run{run}";
}

/// <summary>How deliveries are spread over activities.</summary>
public enum FanOutMode
{
    /// <summary>A batch of subscribers per activity, delivered in parallel inside it (the default).</summary>
    Batched,

    /// <summary>One activity per subscriber (kept to compare against in the benchmark).</summary>
    PerSubscriber,
}

/// <summary>The fan-out's knobs (configuration section <c>OmniChannel:Prices</c>).</summary>
public sealed class PriceFanOutOptions
{
    public const string SectionName = "OmniChannel:Prices";

    public FanOutMode Mode { get; set; } = FanOutMode.Batched;

    /// <summary>
    /// Subscribers per batch activity: a few thousand subscribers make tens of history rows, not thousands. 700 with 8
    /// activities in flight covers 5,600 subscribers in one wave; 250 made 22 activities, and their extra orchestration
    /// episodes cost the local storage server more CPU per fan-out (docs/benchmarks.md).
    /// </summary>
    public int BatchSize { get; set; } = 700;

    /// <summary>Batch activities (or, per subscriber, activities) in flight at once.</summary>
    public int MaxParallelActivities { get; set; } = 8;

    /// <summary>HTTP deliveries in flight at once inside one batch activity.</summary>
    public int DeliveryConcurrency { get; set; } = 32;

    /// <summary>Attempts per subscriber inside one round (back-off <see cref="AttemptBackOff"/>, doubling).</summary>
    public int AttemptsPerRound { get; set; } = 3;

    public TimeSpan AttemptBackOff { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Rounds over the subscribers still failing transiently, a durable timer apart (<see cref="RoundBackOff"/>, doubling).</summary>
    public int Rounds { get; set; } = 4;

    public TimeSpan RoundBackOff { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long one delivery may take before it counts as a transient failure.</summary>
    public TimeSpan DeliveryTimeout { get; set; } = TimeSpan.FromSeconds(10);
}

/// <summary>What a fan-out orchestration runs with: the options are copied in, so a config change never alters a run in flight.</summary>
public sealed record PriceFanOutInput(
    string ChangeId,
    int Run,
    FanOutMode Mode,
    int BatchSize,
    int MaxParallelActivities,
    int AttemptsPerRound,
    int Rounds,
    TimeSpan RoundBackOff)
{
    public static PriceFanOutInput From(string changeId, int run, PriceFanOutOptions options, FanOutMode? mode = null) =>
        new(changeId, run, mode ?? options.Mode, options.BatchSize, options.MaxParallelActivities, options.AttemptsPerRound, options.Rounds, options.RoundBackOff);
}

/// <summary>The fan-out's custom status while it runs.</summary>
public sealed record PriceFanOutProgress(int Total, int Delivered, int Failed, int Pending, int Round);
