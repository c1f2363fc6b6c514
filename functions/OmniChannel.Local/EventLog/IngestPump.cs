using Azure.Messaging.EventHubs;
using Microsoft.Extensions.Options;
using OmniChannel.Azure.EventHubs;
using OmniChannel.Core.Ports;

namespace OmniChannel.Local.EventLog;

/// <summary>
/// Delivers the local log to the ingest handler as <see cref="EventData"/> batches, one loop per partition, and
/// checkpoints after each batch. Like the Event Hubs trigger under its retry policy, it does not checkpoint a batch
/// that failed (ingest parks what it cannot apply, so that is rare): the batch is retried with back-off, so nothing
/// acknowledged with 202 is skipped.
/// </summary>
public sealed partial class IngestPump(FileEventLog log, EventHubBatchHandler handler, IOptions<EventLogOptions> options, ILogger<IngestPump> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, log.PartitionCount).Select(partition => Task.Run(() => PumpAsync(partition, stoppingToken), stoppingToken)));

    private async Task PumpAsync(int partition, CancellationToken stoppingToken)
    {
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var records = await log.ReadAsync(partition, options.Value.MaxBatchSize, stoppingToken);
                if (records.Count == 0)
                {
                    await log.WaitForAppendAsync(partition, stoppingToken);
                    continue;
                }

                var batch = records.Select(ToEventData).ToArray();
                var partitionName = FileEventLog.PartitionName(partition);
                await handler.HandleAsync(batch, partitionName, stoppingToken);
                await log.SaveCheckpointAsync(partition, records[^1].Sequence + 1, stoppingToken);
                failures = 0;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                failures++;
                var delay = TimeSpan.FromMilliseconds(Math.Min(30_000, 250 * Math.Pow(2, Math.Min(failures, 7))));
                if (exception is TransientStorageException)
                {
                    // Storage down (ingest already retried in place): one line, no stack trace, per retry.
                    LogBatchWaitsForStorage(logger, FileEventLog.PartitionName(partition), delay.TotalSeconds, exception.Message.Split('\n')[0]);
                }
                else
                {
                    LogBatchFailed(logger, FileEventLog.PartitionName(partition), delay.TotalSeconds, exception);
                }

                try
                {
                    await Task.Delay(delay, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private static EventData ToEventData(LogRecord record)
    {
        var data = new EventData(record.Body) { ContentType = Core.Events.EventDecoder.StructuredMediaType };
        if (record.TraceParent is not null)
        {
            data.Properties[TraceProperties.TraceParent] = record.TraceParent;
        }

        return data;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ingest of a batch from local partition {Partition} waits for storage; it is kept and retried in {DelaySeconds:0.0} s: {Reason}")]
    private static partial void LogBatchWaitsForStorage(ILogger logger, string partition, double delaySeconds, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Ingest of a batch from local partition {Partition} failed; it is kept and retried in {DelaySeconds:0.0} s")]
    private static partial void LogBatchFailed(ILogger logger, string partition, double delaySeconds, Exception exception);
}
