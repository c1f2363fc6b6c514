using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using OmniChannel.Core.Identity;
using OmniChannel.Core.Ingest;
using OmniChannel.Core.Inventory;
using OmniChannel.Core.UnitTests.Builders;
using OmniChannel.TestSupport.Fakes;

namespace OmniChannel.Core.UnitTests.Fakes;

/// <summary>An <see cref="IngestService"/> wired to the in-memory ports and the fake clock.</summary>
public sealed class IngestHarness
{
    /// <param name="parking">Give ingest a parking store (<see cref="Parked"/>): storage down past the budget parks the batch.</param>
    /// <param name="logger">Where ingest logs; nowhere by default.</param>
    public IngestHarness(IngestOptions? options = null, bool parking = false, Microsoft.Extensions.Logging.ILogger<IngestService>? logger = null)
    {
        Options = options ?? new IngestOptions();
        var decoder = Decoding.Decoder(Clock);
        Stitcher = new ProfileStitcher(Links, Profiles, Events, decoder, Options);
        Service = new IngestService(
            decoder, Events, Stitcher, new InventoryUpdater(Inventory, Options), DeadLetters, [], Insights.Counters(), Violations, Options, Clock,
            logger ?? NullLogger<IngestService>.Instance, parking ? Parked : null, Erasures);
        Replayer = new ParkedBatchReplayer(Parked, Service);
    }

    public InMemoryParkedBatchStore Parked { get; } = new();

    /// <summary>The erasure tombstones ingest reads once per batch.</summary>
    public InMemoryErasureLog Erasures { get; } = new();

    public ParkedBatchReplayer Replayer { get; }

    public FakeTimeProvider Clock { get; } = TestClock.Create();

    public IngestOptions Options { get; }

    public InMemoryEventStore Events { get; } = new();

    public InMemoryIdentityLinkStore Links { get; } = new();

    public InMemoryProfileStore Profiles { get; } = new();

    public InMemoryInventoryStore Inventory { get; } = new();

    public InMemoryDeadLetterStore DeadLetters { get; } = new();

    public InMemoryInsights Insights { get; } = new();

    public InMemoryPlanViolations Violations { get; } = new();

    public ProfileStitcher Stitcher { get; }

    public IngestService Service { get; }

    public Task<IngestReport> IngestAsync(params CloudEventBuilder[] events) =>
        Service.IngestAsync(Messages(events), CancellationToken.None);

    public static IReadOnlyList<IngestMessage> Messages(params CloudEventBuilder[] events) =>
        events.Select((builder, index) => new IngestMessage(builder.Bytes(), null, "0", index)).ToList();
}
