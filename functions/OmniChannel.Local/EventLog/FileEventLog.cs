using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using OmniChannel.Core.Ports;

namespace OmniChannel.Local.EventLog;

/// <summary>
/// The local host's event hub: a partitioned append-only log in files under the data folder. An append is written
/// and flushed to disk (fsync) before the collect API answers 202, so what was acknowledged survives a crash of the
/// process; consumers read forward from a checkpoint that is replaced atomically after each ingested batch.
/// <para>
/// Group commit: appends queue their encoded records, and one writer thread per partition writes everything queued
/// and flushes it with a single fsync, then completes every append of that group. Under load many requests share
/// one flush, and the blocking fsync runs on the writer's own thread instead of holding thread-pool threads that
/// the request path and ingest need.
/// </para>
/// <para>
/// Files rather than Azurite: Azurite saves its tables every few seconds, so a hard stop could lose the newest
/// appends; a flushed file cannot.
/// </para>
/// </summary>
public sealed class FileEventLog : IDisposable
{
    private const int HeaderBytes = sizeof(int);

    private readonly EventLogOptions _options;
    private readonly string _directory;
    private readonly Partition[] _partitions;

    private readonly Action<FileStream> _flushToDisk;

    public FileEventLog(string directory, EventLogOptions options)
        : this(directory, options, stream => stream.Flush(flushToDisk: true))
    {
    }

    /// <param name="flushToDisk">How a written group is made durable; tests pass one that fails or waits.</param>
    internal FileEventLog(string directory, EventLogOptions options, Action<FileStream> flushToDisk)
    {
        _options = options;
        _directory = directory;
        _flushToDisk = flushToDisk;
        _partitions = Enumerable.Range(0, options.Partitions).Select(_ => new Partition()).ToArray();
    }

    public int PartitionCount => _options.Partitions;

    public long TotalEvents => _partitions.Sum(partition => partition.Head);

    /// <summary>Opens every partition: indexes its records, cuts off a torn last record, loads its checkpoint.</summary>
    public Task InitializeAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(_directory);
        for (var index = 0; index < _partitions.Length; index++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var partition = _partitions[index];
            partition.Writer = new FileStream(LogPath(index), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, 1, FileOptions.None);
            partition.Offsets.Clear();
            long offset = 0;
            var header = new byte[HeaderBytes];
            partition.Writer.Position = 0;
            while (offset + HeaderBytes <= partition.Writer.Length)
            {
                partition.Writer.ReadExactly(header);
                var length = BinaryPrimitives.ReadInt32LittleEndian(header);
                if (length <= 0 || offset + HeaderBytes + length > partition.Writer.Length)
                {
                    break;
                }

                partition.Offsets.Add(offset);
                offset += HeaderBytes + length;
                partition.Writer.Position = offset;
            }

            // A record cut short by a crash was never acknowledged: drop it.
            partition.Writer.SetLength(offset);
            partition.Writer.Position = offset;
            partition.End = offset;
            partition.Checkpoint = Math.Min(ReadCheckpoint(index), partition.Offsets.Count);
            partition.WriterThread = new Thread(() => WriteQueued(partition)) { IsBackground = true, Name = "event log " + PartitionName(index) };
            partition.WriterThread.Start();
        }

        return Task.CompletedTask;
    }

    /// <summary>Forgets every checkpoint, so ingest reads the whole log again (the Cosmos server started empty).</summary>
    public async Task RewindAsync(CancellationToken cancellationToken)
    {
        for (var index = 0; index < _partitions.Length; index++)
        {
            await SaveCheckpointAsync(index, 0, cancellationToken);
        }
    }

    public IReadOnlyList<PartitionState> State() =>
        _partitions.Select((partition, index) => new PartitionState(PartitionName(index), partition.Head, Volatile.Read(ref partition.Checkpoint))).ToList();

    /// <summary>The partition a key maps to (FNV-1a), stable across restarts, so one customer's events keep their order.</summary>
    public int PartitionOf(string partitionKey)
    {
        var hash = 2_166_136_261u;
        foreach (var value in Encoding.UTF8.GetBytes(partitionKey))
        {
            hash = (hash ^ value) * 16_777_619u;
        }

        return (int)(hash % (uint)_options.Partitions);
    }

    /// <summary>
    /// Appends records durably: completes once they are written and flushed to disk together with whatever else was
    /// queued meanwhile. Throws a transient fault when the partition already holds too much unconsumed work (queued
    /// appends count) or when the write or flush fails, in which case none of the records is kept.
    /// </summary>
    public Task AppendAsync(int index, IReadOnlyList<LogRecord> records, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var partition = _partitions[index];
        if (partition.WriterThread is null)
        {
            throw new InvalidOperationException("The local event log is not open yet: call InitializeAsync first.");
        }

        if (records.Count == 0)
        {
            return Task.CompletedTask;
        }

        // Encoding happens on the caller's thread, so requests encode side by side and the writer only copies bytes.
        using var buffer = new MemoryStream();
        var starts = new long[records.Count];
        Span<byte> header = stackalloc byte[HeaderBytes];
        for (var position = 0; position < records.Count; position++)
        {
            starts[position] = buffer.Length;
            var payload = Encode(records[position]);
            BinaryPrimitives.WriteInt32LittleEndian(header, payload.Length);
            buffer.Write(header);
            buffer.Write(payload);
        }

        var append = new PendingAppend(buffer.ToArray(), starts);
        lock (partition.Offsets)
        {
            var lag = partition.Offsets.Count + partition.QueuedRecords - Volatile.Read(ref partition.Checkpoint);
            if (lag + records.Count > _options.MaxLagPerPartition)
            {
                throw new TransientStorageException(
                    $"The local event log partition {index} holds {lag} events not yet ingested (limit {_options.MaxLagPerPartition}); retry shortly.",
                    TimeSpan.FromSeconds(2),
                    new InvalidOperationException("The local event log is full."));
            }

            ObjectDisposedException.ThrowIf(partition.Stopping, this);
            partition.Queue.Add(append);
            partition.QueuedRecords += records.Count;
            Monitor.Pulse(partition.Offsets);
        }

        // Once queued, the append is written whatever happens to the caller, as an append that had begun its write was before.
        return append.Done.Task;
    }

    /// <summary>Up to <paramref name="max"/> records after the partition's checkpoint, oldest first.</summary>
    public async Task<IReadOnlyList<LogRecord>> ReadAsync(int index, int max, CancellationToken cancellationToken)
    {
        var partition = _partitions[index];
        var from = Volatile.Read(ref partition.Checkpoint);
        long[] offsets;
        long end;
        lock (partition.Offsets)
        {
            var count = (int)Math.Min(max, partition.Offsets.Count - from);
            if (count <= 0)
            {
                return [];
            }

            offsets = partition.Offsets.GetRange((int)from, count).ToArray();
            end = from + count < partition.Offsets.Count ? partition.Offsets[(int)(from + count)] : partition.End;
        }

        await using var reader = new FileStream(LogPath(index), FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 64 * 1024, FileOptions.Asynchronous);
        var length = end - offsets[0];
        var bytes = new byte[length];
        reader.Position = offsets[0];
        await reader.ReadExactlyAsync(bytes, cancellationToken);

        var records = new List<LogRecord>(offsets.Length);
        for (var position = 0; position < offsets.Length; position++)
        {
            var at = (int)(offsets[position] - offsets[0]);
            var size = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(at, HeaderBytes));
            records.Add(Decode(bytes.AsSpan(at + HeaderBytes, size)) with { Sequence = from + position });
        }

        return records;
    }

    /// <summary>Records that everything before <paramref name="next"/> is ingested (written to a new file, then renamed over the old).</summary>
    public async Task SaveCheckpointAsync(int index, long next, CancellationToken cancellationToken)
    {
        var path = CheckpointPath(index);
        var temporary = path + ".tmp";
        await File.WriteAllTextAsync(temporary, next.ToString(CultureInfo.InvariantCulture), cancellationToken);
        File.Move(temporary, path, overwrite: true);
        Volatile.Write(ref _partitions[index].Checkpoint, next);
    }

    /// <summary>Waits until something is appended to the partition or the idle poll passes.</summary>
    public Task WaitForAppendAsync(int index, CancellationToken cancellationToken) =>
        _partitions[index].Signal.WaitAsync(_options.IdlePoll, cancellationToken);

    public static string PartitionName(int index) => "p" + index.ToString("D2", CultureInfo.InvariantCulture);

    /// <summary>Writes and flushes what is queued, then stops the writers and closes the files.</summary>
    public void Dispose()
    {
        foreach (var partition in _partitions)
        {
            lock (partition.Offsets)
            {
                partition.Stopping = true;
                Monitor.Pulse(partition.Offsets);
            }
        }

        foreach (var partition in _partitions)
        {
            partition.WriterThread?.Join();
            partition.Writer?.Dispose();
            partition.Signal.Dispose();
        }
    }

    /// <summary>A partition's writer thread: takes everything queued, writes it at the end of the file, flushes once, completes the appends.</summary>
    private void WriteQueued(Partition partition)
    {
        var group = new List<PendingAppend>();
        while (true)
        {
            group.Clear();
            lock (partition.Offsets)
            {
                while (partition.Queue.Count == 0 && !partition.Stopping)
                {
                    Monitor.Wait(partition.Offsets);
                }

                if (partition.Queue.Count == 0)
                {
                    return;
                }

                group.AddRange(partition.Queue);
                partition.Queue.Clear();
            }

            var start = partition.End;
            Exception? failure = null;
            try
            {
                var writer = partition.Writer!;

                // A failed group whose truncation failed too left bytes past the end; they were never acknowledged.
                if (writer.Length != start)
                {
                    writer.SetLength(start);
                }

                writer.Position = start;
                foreach (var append in group)
                {
                    writer.Write(append.Bytes);
                }

                _flushToDisk(writer);
            }
            catch (Exception exception)
            {
                failure = exception is IOException ? new TransientStorageException("The local event log could not be written.", TimeSpan.FromSeconds(2), exception) : exception;
                try
                {
                    // Nothing of a failed group may stay behind: its callers are not told 202.
                    partition.Writer!.SetLength(start);
                }
                catch (IOException)
                {
                    // The next group truncates to the end before it writes.
                }
            }

            var written = 0;
            lock (partition.Offsets)
            {
                foreach (var append in group)
                {
                    partition.QueuedRecords -= append.RecordStarts.Length;
                    if (failure is null)
                    {
                        var at = start + written;
                        partition.Offsets.AddRange(append.RecordStarts.Select(recordStart => at + recordStart));
                        written += append.Bytes.Length;
                    }
                }

                partition.End = start + written;
            }

            foreach (var append in group)
            {
                if (failure is null)
                {
                    append.Done.SetResult();
                }
                else
                {
                    append.Done.SetException(failure);
                }
            }

            if (failure is null && partition.Signal.CurrentCount == 0)
            {
                partition.Signal.Release();
            }
        }
    }

    private string LogPath(int index) => Path.Combine(_directory, PartitionName(index) + ".log");

    private string CheckpointPath(int index) => Path.Combine(_directory, PartitionName(index) + ".checkpoint");

    private long ReadCheckpoint(int index) =>
        File.Exists(CheckpointPath(index)) && long.TryParse(File.ReadAllText(CheckpointPath(index)), NumberStyles.None, CultureInfo.InvariantCulture, out var next) ? next : 0;

    /// <summary>A record: partition key and trace parent (each length-prefixed UTF-8), then the message body.</summary>
    private static byte[] Encode(LogRecord record)
    {
        var key = Encoding.UTF8.GetBytes(record.PartitionKey);
        var trace = Encoding.UTF8.GetBytes(record.TraceParent ?? string.Empty);
        var payload = new byte[2 + key.Length + 2 + trace.Length + record.Body.Length];
        BinaryPrimitives.WriteUInt16LittleEndian(payload, (ushort)key.Length);
        key.CopyTo(payload, 2);
        BinaryPrimitives.WriteUInt16LittleEndian(payload.AsSpan(2 + key.Length), (ushort)trace.Length);
        trace.CopyTo(payload, 4 + key.Length);
        record.Body.CopyTo(payload, 4 + key.Length + trace.Length);
        return payload;
    }

    private static LogRecord Decode(ReadOnlySpan<byte> payload)
    {
        var keyLength = BinaryPrimitives.ReadUInt16LittleEndian(payload);
        var key = Encoding.UTF8.GetString(payload.Slice(2, keyLength));
        var traceLength = BinaryPrimitives.ReadUInt16LittleEndian(payload[(2 + keyLength)..]);
        var trace = Encoding.UTF8.GetString(payload.Slice(4 + keyLength, traceLength));
        var body = payload[(4 + keyLength + traceLength)..].ToArray();
        return new LogRecord(body, key, trace.Length == 0 ? null : trace);
    }

    /// <summary>One request's records for one partition, encoded, waiting for the writer.</summary>
    private sealed class PendingAppend(byte[] bytes, long[] recordStarts)
    {
        public byte[] Bytes { get; } = bytes;

        /// <summary>Where each record starts within <see cref="Bytes"/>.</summary>
        public long[] RecordStarts { get; } = recordStarts;

        /// <summary>Completed off the writer thread, so callers' continuations never hold up the next flush.</summary>
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed class Partition
    {
        public readonly SemaphoreSlim Signal = new(0);

        /// <summary>Record offsets; also the lock (and monitor) guarding the queue, its count, the end and stopping.</summary>
        public readonly List<long> Offsets = [];
        public readonly List<PendingAppend> Queue = [];
        public int QueuedRecords;
        public long End;
        public bool Stopping;
        public FileStream? Writer;
        public Thread? WriterThread;
        public long Checkpoint;

        public long Head
        {
            get
            {
                lock (Offsets)
                {
                    return Offsets.Count;
                }
            }
        }
    }
}
