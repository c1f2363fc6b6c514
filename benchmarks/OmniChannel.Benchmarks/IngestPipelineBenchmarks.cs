using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging.Abstractions;
using OmniChannel.Benchmarks.InMemory;
using OmniChannel.Core.Events;
using OmniChannel.Core.Identity;
using OmniChannel.Core.Ingest;
using OmniChannel.Core.Insights;
using OmniChannel.Core.Inventory;
using OmniChannel.Core.Stores;
using OmniChannel.Simulation;

namespace OmniChannel.Benchmarks;

/// <summary>
/// The ingest pipeline without I/O: parse + validate (<see cref="EventDecoder.DecodeStored"/>), stitch identities and
/// project the Customer 360 (<see cref="ProfileStitcher"/>), move stock (<see cref="InventoryUpdater"/>), over batches
/// of <see cref="BatchSize"/> events of a simulated retail day, grouped by partition as the Event Hubs trigger hands
/// them over. The ports are in-memory and complete synchronously. Every figure is per event
/// (<c>OperationsPerInvoke</c> = events per batch).
/// <para>
/// State carries over from batch to batch as in production (later batches update profiles earlier ones created,
/// stitch devices to customers, merge profiles); after the last batch of the day the stores are cleared and the
/// day starts again.
/// </para>
/// </summary>
[MemoryDiagnoser]
public class IngestPipelineBenchmarks
{
    public const int BatchSize = 500;
    private const int Customers = 5_000;
    private const int Partitions = 8;

    private readonly SyncEventStore _events = new();
    private readonly SyncIdentityLinkStore _links = new();
    private readonly SyncProfileStore _profiles = new();
    private readonly SyncInventoryStore _inventory = new();
    private readonly SyncDeadLetterStore _deadLetters = new();
    private IReadOnlyList<IngestMessage>[] _batches = [];
    private IReadOnlyList<OmniEvent>[] _decodedBatches = [];
    private EventDecoder _decoder = null!;
    private IngestService _ingest = null!;
    private ProfileStitcher _stitcher = null!;
    private InventoryUpdater _inventoryUpdater = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        var start = new DateTimeOffset(2026, 11, 24, 0, 0, 0, TimeSpan.Zero);
        var clock = new FixedClock(start.AddDays(2));
        var contract = new ContractOptions();
        var ingestOptions = new IngestOptions();
        _decoder = new EventDecoder(new EventValidator(clock, contract), contract);
        _stitcher = new ProfileStitcher(_links, _profiles, _events, _decoder, ingestOptions);
        _inventoryUpdater = new InventoryUpdater(_inventory, ingestOptions);
        _ingest = new IngestService(_decoder, _events, _stitcher, _inventoryUpdater, _deadLetters, [], new InsightsCounters(new NoInsights(), NullLogger<InsightsCounters>.Instance), new NoViolations(), ingestOptions, clock, NullLogger<IngestService>.Instance);

        var simulator = new OmniDaySimulator(new SimulationOptions(42, Customers, StoreSeed.Generate(), start));
        _batches = new EventHubBatcher(EventHubBatchingOptions.Backlog(BatchSize, Partitions))
            .Batch(simulator.Generate())
            .Where(batch => batch.Events.Count == BatchSize)
            .Select(batch => batch.ToIngestMessages())
            .ToArray();
        _decodedBatches = _batches.Select(batch => (IReadOnlyList<OmniEvent>)batch.Select(message => _decoder.DecodeStored(message.Body)).ToList()).ToArray();
        Console.WriteLine($"// {_batches.Length} batches of {BatchSize} events from a simulated day of {Customers} customers, {Partitions} partitions");
    }

    /// <summary>Parse and validate only.</summary>
    [Benchmark(OperationsPerInvoke = BatchSize)]
    public int Decode()
    {
        var batch = _batches[Next()];
        var valid = 0;
        foreach (var message in batch)
        {
            valid += _decoder.DecodeStored(message.Body).Payload is null ? 0 : 1;
        }

        return valid;
    }

    /// <summary>
    /// Store, stitch and project events decoded beforehand (their keys are cached after the first day, so this part
    /// is slightly flattered): the Customer 360 and the inventory.
    /// </summary>
    [Benchmark(OperationsPerInvoke = BatchSize)]
    public int StitchAndProject()
    {
        var batch = _decodedBatches[Next()];
        _events.AppendAsync(batch, CancellationToken.None).GetAwaiter().GetResult();
        var outcome = _stitcher.ApplyAsync(batch, CancellationToken.None).GetAwaiter().GetResult();
        return outcome.ProfilesWritten + _inventoryUpdater.ApplyAsync(batch, batch, CancellationToken.None).GetAwaiter().GetResult();
    }

    /// <summary>The whole batch handler: parse, validate, store, stitch, project, move stock.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = BatchSize)]
    public int Ingest()
    {
        var report = _ingest.IngestAsync(_batches[Next()], CancellationToken.None).GetAwaiter().GetResult();
        return report.DeadLettered == 0 ? report.Stored : throw new InvalidOperationException("A simulated event was dead-lettered.");
    }

    private int Next()
    {
        if (_next == _batches.Length)
        {
            Reset();
        }

        return _next++;
    }

    private void Reset()
    {
        _next = 0;
        _events.Clear();
        _links.Clear();
        _profiles.Clear();
        _inventory.Clear();
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
