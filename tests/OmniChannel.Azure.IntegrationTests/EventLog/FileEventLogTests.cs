using System.Text;
using OmniChannel.Core.Ports;
using OmniChannel.Local.EventLog;

namespace OmniChannel.Azure.IntegrationTests.EventLog;

/// <summary>
/// The local event log on real files in a temporary folder: group commit (many appends, one flush), order and
/// completeness across a reopen, the lag bound, and a flush that fails.
/// </summary>
public sealed class FileEventLogTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "eventlog-tests-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task ManyConcurrentAppends_AfterReopening_EveryRecordIsThereOnceInEachWritersOrder()
    {
        var options = new EventLogOptions { Partitions = 8, MaxLagPerPartition = 100_000 };
        const int Writers = 32;
        const int AppendsPerWriter = 40;
        using (var log = new FileEventLog(_directory, options))
        {
            await log.InitializeAsync(CancellationToken.None);

            // Each writer appends one record at a time to every partition in turn, awaiting each: its own records
            // must come back in its order; between writers any interleaving is fine.
            await Task.WhenAll(Enumerable.Range(0, Writers).Select(writer => Task.Run(async () =>
            {
                for (var sequence = 0; sequence < AppendsPerWriter; sequence++)
                {
                    await log.AppendAsync(sequence % options.Partitions, [Record(writer, sequence)], CancellationToken.None);
                }
            })));
        }

        using var reopened = new FileEventLog(_directory, options);
        await reopened.InitializeAsync(CancellationToken.None);
        var seen = new List<(int Writer, int Sequence)>();
        for (var partition = 0; partition < options.Partitions; partition++)
        {
            var records = await reopened.ReadAsync(partition, int.MaxValue, CancellationToken.None);
            var parsed = records.Select(Parse).ToList();
            Assert.All(parsed, record => Assert.Equal(partition, record.Sequence % options.Partitions));
            foreach (var writerRecords in parsed.GroupBy(record => record.Writer))
            {
                var sequences = writerRecords.Select(record => record.Sequence).ToList();
                Assert.Equal(sequences.Order(), sequences);
            }

            seen.AddRange(parsed);
        }

        var expected = Enumerable.Range(0, Writers).SelectMany(writer => Enumerable.Range(0, AppendsPerWriter).Select(sequence => (writer, sequence)));
        Assert.Equal(expected.Order(), seen.Order());
        Assert.Equal(Writers * AppendsPerWriter, reopened.TotalEvents);
    }

    [Fact]
    public async Task OneAppendToEachPartition_EachCompletes_AndLandsInItsOwnPartition()
    {
        var options = new EventLogOptions { Partitions = 16 };
        using var log = new FileEventLog(_directory, options);
        await log.InitializeAsync(CancellationToken.None);

        // Bounded wait: a partition without its own writer would leave its append pending for ever.
        await Task.WhenAll(Enumerable.Range(0, options.Partitions).Select(partition => log.AppendAsync(partition, [Record(partition, partition)], CancellationToken.None)))
            .WaitAsync(TimeSpan.FromSeconds(60));

        for (var partition = 0; partition < options.Partitions; partition++)
        {
            var records = await log.ReadAsync(partition, int.MaxValue, CancellationToken.None);
            Assert.Equal([(partition, partition)], records.Select(Parse));
        }
    }

    [Fact]
    public async Task AppendsQueuedDuringAFlush_AreWrittenTogetherWithTheNextSingleFlush()
    {
        using var firstFlushStarted = new SemaphoreSlim(0);
        using var releaseFirstFlush = new SemaphoreSlim(0);
        var flushes = 0;
        using var log = new FileEventLog(_directory, new EventLogOptions { Partitions = 1 }, stream =>
        {
            if (Interlocked.Increment(ref flushes) == 1)
            {
                firstFlushStarted.Release();
                releaseFirstFlush.Wait();
            }

            stream.Flush(flushToDisk: true);
        });
        await log.InitializeAsync(CancellationToken.None);

        var first = log.AppendAsync(0, [Record(0, 0)], CancellationToken.None);
        await firstFlushStarted.WaitAsync();
        var queued = Enumerable.Range(1, 50).Select(sequence => log.AppendAsync(0, [Record(0, sequence)], CancellationToken.None)).ToList();
        Assert.All(queued, append => Assert.False(append.IsCompleted));
        releaseFirstFlush.Release();
        await Task.WhenAll(queued.Append(first));

        Assert.Equal(2, flushes);
        var records = await log.ReadAsync(0, int.MaxValue, CancellationToken.None);
        Assert.Equal(Enumerable.Range(0, 51), records.Select(record => Parse(record).Sequence));
    }

    [Fact]
    public async Task AppendsWaitingForTheWriter_CountTowardsTheLagBound()
    {
        using var releaseFlush = new SemaphoreSlim(0);
        using var log = new FileEventLog(_directory, new EventLogOptions { Partitions = 1, MaxLagPerPartition = 3 }, stream =>
        {
            releaseFlush.Wait();
            stream.Flush(flushToDisk: true);
        });
        await log.InitializeAsync(CancellationToken.None);

        var waiting = Enumerable.Range(0, 3).Select(sequence => log.AppendAsync(0, [Record(0, sequence)], CancellationToken.None)).ToList();
        var refused = Assert.Throws<TransientStorageException>(() => { _ = log.AppendAsync(0, [Record(0, 3)], CancellationToken.None); });
        Assert.Contains("limit 3", refused.Message, StringComparison.Ordinal);

        releaseFlush.Release(10);
        await Task.WhenAll(waiting);
        Assert.Equal(3, log.TotalEvents);
    }

    [Fact]
    public async Task AnAppendWhoseFlushFails_FailsTransiently_AndItsRecordIsNeitherReadableNorThereAfterReopening()
    {
        var options = new EventLogOptions { Partitions = 1 };
        var failNextFlush = false;
        using (var log = new FileEventLog(_directory, options, stream =>
        {
            if (failNextFlush)
            {
                failNextFlush = false;
                throw new IOException("No space left on device");
            }

            stream.Flush(flushToDisk: true);
        }))
        {
            await log.InitializeAsync(CancellationToken.None);
            await log.AppendAsync(0, [Record(0, 0)], CancellationToken.None);

            failNextFlush = true;
            var failed = await Assert.ThrowsAsync<TransientStorageException>(() => log.AppendAsync(0, [Record(0, 1), Record(0, 2)], CancellationToken.None));
            Assert.IsType<IOException>(failed.InnerException);
            Assert.Equal(1, log.TotalEvents);

            await log.AppendAsync(0, [Record(0, 3)], CancellationToken.None);
            var records = await log.ReadAsync(0, int.MaxValue, CancellationToken.None);
            Assert.Equal([0, 3], records.Select(record => Parse(record).Sequence));
        }

        using var reopened = new FileEventLog(_directory, options);
        await reopened.InitializeAsync(CancellationToken.None);
        var afterRestart = await reopened.ReadAsync(0, int.MaxValue, CancellationToken.None);
        Assert.Equal([0, 3], afterRestart.Select(record => Parse(record).Sequence));
    }

    private static LogRecord Record(int writer, int sequence) =>
        new(Encoding.UTF8.GetBytes($"{writer}:{sequence}"), "customer-" + writer, null);

    private static (int Writer, int Sequence) Parse(LogRecord record)
    {
        var parts = Encoding.UTF8.GetString(record.Body).Split(':');
        return (int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture), int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture));
    }
}
