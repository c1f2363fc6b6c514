using System.Globalization;
using System.Text;
using Azure;
using Azure.Data.Tables;
using OmniChannel.Core.Ports;

namespace OmniChannel.Local.EventLog;

/// <summary>
/// The local host's event hub: a partitioned, durable log in Azure Tables on Azurite. An append is one entity-group
/// transaction per partition (the events and the partition's head move together), so what the collect API answered
/// 202 for is on disk; consumers read forward from their checkpoint.
/// </summary>
public sealed class TableEventLog(TableServiceClient tables, EventLogOptions options)
{
    public const string LogTable = "eventlog";
    public const string CheckpointTable = "checkpoints";
    private const string HeadRowKey = "~head";
    private const string CheckpointPartition = "ingest";
    private const int MaxPropertyBytes = 60 * 1024;
    private const int MaxChunks = 15;
    private const int MaxTransactionEntities = 99;
    private const int MaxTransactionBytes = 3 * 1024 * 1024;

    private readonly SemaphoreSlim[] _appendLocks = Enumerable.Range(0, options.Partitions).Select(_ => new SemaphoreSlim(1, 1)).ToArray();
    private readonly long[] _heads = new long[options.Partitions];
    private readonly long[] _checkpoints = new long[options.Partitions];
    private readonly SemaphoreSlim[] _signals = Enumerable.Range(0, options.Partitions).Select(_ => new SemaphoreSlim(0)).ToArray();

    private TableClient Log => tables.GetTableClient(LogTable);

    private TableClient Checkpoints => tables.GetTableClient(CheckpointTable);

    public int PartitionCount => options.Partitions;

    /// <summary>Creates the tables and loads each partition's head and checkpoint.</summary>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await Log.CreateIfNotExistsAsync(cancellationToken);
        await Checkpoints.CreateIfNotExistsAsync(cancellationToken);
        for (var partition = 0; partition < options.Partitions; partition++)
        {
            var head = await Log.GetEntityIfExistsAsync<TableEntity>(PartitionName(partition), HeadRowKey, cancellationToken: cancellationToken);
            _heads[partition] = head.HasValue ? head.Value!.GetInt64("Next") ?? 0 : 0;
            var checkpoint = await Checkpoints.GetEntityIfExistsAsync<TableEntity>(CheckpointPartition, PartitionName(partition), cancellationToken: cancellationToken);
            _checkpoints[partition] = checkpoint.HasValue ? checkpoint.Value!.GetInt64("Next") ?? 0 : 0;
        }
    }

    /// <summary>Forgets every checkpoint, so ingest reads the whole log again (the Cosmos server started empty).</summary>
    public async Task RewindAsync(CancellationToken cancellationToken)
    {
        for (var partition = 0; partition < options.Partitions; partition++)
        {
            await SaveCheckpointAsync(partition, 0, cancellationToken);
        }
    }

    public long TotalEvents => _heads.Sum();

    public IReadOnlyList<PartitionState> State() =>
        Enumerable.Range(0, options.Partitions)
            .Select(partition => new PartitionState(PartitionName(partition), Volatile.Read(ref _heads[partition]), Volatile.Read(ref _checkpoints[partition])))
            .ToList();

    /// <summary>The partition a key maps to (FNV-1a), stable across restarts.</summary>
    public int PartitionOf(string partitionKey)
    {
        var hash = 2_166_136_261u;
        foreach (var value in Encoding.UTF8.GetBytes(partitionKey))
        {
            hash = (hash ^ value) * 16_777_619u;
        }

        return (int)(hash % (uint)options.Partitions);
    }

    /// <summary>Appends records to one partition durably; throws when the partition already holds too much unconsumed work.</summary>
    public async Task AppendAsync(int partition, IReadOnlyList<LogRecord> records, CancellationToken cancellationToken)
    {
        var lag = Volatile.Read(ref _heads[partition]) - Volatile.Read(ref _checkpoints[partition]);
        if (lag + records.Count > options.MaxLagPerPartition)
        {
            throw new TransientStorageException(
                $"The local event log partition {partition} holds {lag} events not yet ingested (limit {options.MaxLagPerPartition}); retry shortly.",
                TimeSpan.FromSeconds(2),
                new InvalidOperationException("event log full"));
        }

        await _appendLocks[partition].WaitAsync(cancellationToken);
        try
        {
            var next = _heads[partition];
            var actions = new List<TableTransactionAction>();
            var bytes = 0;
            foreach (var record in records)
            {
                var entity = ToEntity(partition, next++, record);
                var size = record.Body.Length + 256;
                if (actions.Count > 0 && (actions.Count >= MaxTransactionEntities || bytes + size > MaxTransactionBytes))
                {
                    await CommitAsync(partition, actions, next - 1, cancellationToken);
                    actions = [];
                    bytes = 0;
                }

                actions.Add(new TableTransactionAction(TableTransactionActionType.Add, entity));
                bytes += size;
            }

            if (actions.Count > 0)
            {
                await CommitAsync(partition, actions, next, cancellationToken);
            }
        }
        finally
        {
            _appendLocks[partition].Release();
        }

        _signals[partition].Release();
    }

    /// <summary>Up to <paramref name="max"/> records after the partition's checkpoint, oldest first.</summary>
    public async Task<IReadOnlyList<LogRecord>> ReadAsync(int partition, int max, CancellationToken cancellationToken)
    {
        var from = RowKey(Volatile.Read(ref _checkpoints[partition]));
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {PartitionName(partition)} and RowKey ge {from} and RowKey lt {HeadRowKey}");
        var records = new List<LogRecord>(Math.Min(max, 1000));
        await foreach (var entity in Log.QueryAsync<TableEntity>(filter, maxPerPage: Math.Min(max, 1000), cancellationToken: cancellationToken))
        {
            records.Add(FromEntity(entity));
            if (records.Count >= max)
            {
                break;
            }
        }

        return records;
    }

    /// <summary>Records that everything before <paramref name="next"/> is ingested.</summary>
    public async Task SaveCheckpointAsync(int partition, long next, CancellationToken cancellationToken)
    {
        var entity = new TableEntity(CheckpointPartition, PartitionName(partition)) { ["Next"] = next };
        await Checkpoints.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken);
        Volatile.Write(ref _checkpoints[partition], next);
    }

    /// <summary>Waits until something is appended to the partition or the idle poll passes.</summary>
    public Task WaitForAppendAsync(int partition, CancellationToken cancellationToken) =>
        _signals[partition].WaitAsync(options.IdlePoll, cancellationToken);

    public static string PartitionName(int partition) => "p" + partition.ToString("D2", CultureInfo.InvariantCulture);

    private async Task CommitAsync(int partition, List<TableTransactionAction> actions, long next, CancellationToken cancellationToken)
    {
        actions.Add(new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity(PartitionName(partition), HeadRowKey) { ["Next"] = next }));
        try
        {
            await Log.SubmitTransactionAsync(actions, cancellationToken);
        }
        catch (RequestFailedException exception) when (exception.Status is 429 or 500 or 503 or 408 || exception.Status == 0)
        {
            throw new TransientStorageException("Azurite (the local event log) is unavailable.", TimeSpan.FromSeconds(2), exception);
        }

        Volatile.Write(ref _heads[partition], next);
    }

    private static string RowKey(long sequence) => sequence.ToString("D19", CultureInfo.InvariantCulture);

    private static TableEntity ToEntity(int partition, long sequence, LogRecord record)
    {
        if (record.Body.Length > MaxPropertyBytes * MaxChunks)
        {
            throw new InvalidOperationException($"An event of {record.Body.Length} bytes is larger than the local event log takes.");
        }

        var entity = new TableEntity(PartitionName(partition), RowKey(sequence))
        {
            ["PartitionKey2"] = record.PartitionKey,
            ["TraceParent"] = record.TraceParent,
        };
        var chunks = 0;
        for (var offset = 0; offset < record.Body.Length; offset += MaxPropertyBytes)
        {
            entity["Body" + chunks++.ToString(CultureInfo.InvariantCulture)] = record.Body.AsSpan(offset, Math.Min(MaxPropertyBytes, record.Body.Length - offset)).ToArray();
        }

        entity["Chunks"] = chunks;
        return entity;
    }

    private static LogRecord FromEntity(TableEntity entity)
    {
        var chunks = entity.GetInt32("Chunks") ?? 0;
        var body = new List<byte>();
        for (var index = 0; index < chunks; index++)
        {
            body.AddRange(entity.GetBinary("Body" + index.ToString(CultureInfo.InvariantCulture)) ?? []);
        }

        return new LogRecord(body.ToArray(), entity.GetString("PartitionKey2") ?? string.Empty, entity.GetString("TraceParent"))
        {
            Sequence = long.Parse(entity.RowKey, CultureInfo.InvariantCulture),
        };
    }
}
