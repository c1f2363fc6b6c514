using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using OmniChannel.Core.Ports;

namespace OmniChannel.Api;

/// <summary>
/// <c>GET /api/health</c>: liveness plus a check of every dependency, 503 when one fails; and what waits for operations:
/// batches parked while Cosmos DB was down, and today's dead-lettered events (null when they cannot be counted).
/// </summary>
public sealed class HealthApi(IEnumerable<IDependencyProbe> probes, IParkedBatchStore parked, IDeadLetterStore deadLetters, TimeProvider clock)
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(5);

    public async Task<IResult> CheckAsync(CancellationToken cancellationToken)
    {
        var results = await Task.WhenAll(probes.Select(probe => ProbeAsync(probe, cancellationToken)));
        var healthy = results.All(result => result.Status == "healthy");
        var parkedBatches = await CountAsync(() => parked.CountAsync(cancellationToken));
        var today = clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var deadLettersToday = await CountAsync(async () => (await deadLetters.ListAsync(today, Core.Ingest.DeadLetterReplayer.MaxPerCall, cancellationToken)).Count);
        var body = new HealthReport(
            healthy ? "healthy" : "unhealthy",
            results,
            parkedBatches,
            deadLettersToday,
            parkedBatches > 0
                ? $"{parkedBatches} ingest batch(es) parked while Cosmos DB was down: replay them with POST /api/admin/parked/replay once it is healthy."
                : null);
        return healthy ? TypedResults.Ok(body) : TypedResults.Json(body, statusCode: StatusCodes.Status503ServiceUnavailable);
    }

    private static async Task<int?> CountAsync(Func<Task<int>> count)
    {
        try
        {
            using var timeout = new CancellationTokenSource(ProbeTimeout);
            return await count().WaitAsync(timeout.Token);
        }
        catch (Exception exception) when (exception is TransientStorageException or OperationCanceledException or TimeoutException)
        {
            return null;
        }
    }

    private static async Task<DependencyHealth> ProbeAsync(IDependencyProbe probe, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ProbeTimeout);
        try
        {
            await probe.ProbeAsync(timeout.Token);
            return new DependencyHealth(probe.Name, "healthy", watch.Elapsed.TotalMilliseconds, null);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new DependencyHealth(probe.Name, "unhealthy", watch.Elapsed.TotalMilliseconds, exception.GetType().Name + ": " + exception.Message.Split('\n')[0]);
        }
    }
}

/// <summary>The answer of <c>GET /api/health</c> (200 when every dependency is healthy, else 503).</summary>
public sealed record HealthReport(string Status, IReadOnlyList<DependencyHealth> Dependencies, int? ParkedBatches, int? DeadLettersToday, string? Attention);

/// <summary>One dependency's probe: healthy or not, how long it took, and the error when it failed.</summary>
public sealed record DependencyHealth(string Name, string Status, double DurationMs, string? Error);
