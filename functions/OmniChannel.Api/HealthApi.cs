using System.Diagnostics;
using System.Net.Http;
using System.Net.Sockets;
using Microsoft.AspNetCore.Http;
using OmniChannel.Api.Security;
using OmniChannel.Core.Ports;

namespace OmniChannel.Api;

/// <summary>
/// <c>GET /api/health</c>. Anyone gets liveness only (<c>{"status":"alive"}</c>): nothing is probed, nothing about the
/// dependencies is said. A caller that <see cref="ApiAccessCheck.MayReadHealthDetails">may read the details</see> gets a
/// check of every dependency (503 when one fails, with a short classified reason, never exception text) and what waits
/// for operations: how many batches are parked while Cosmos DB was down, and today's dead-lettered events (null when
/// they cannot be counted).
/// </summary>
public sealed class HealthApi(IEnumerable<IDependencyProbe> probes, IParkedBatchStore parked, IDeadLetterStore deadLetters, ApiAccessCheck access, TimeProvider clock)
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(5);

    public async Task<IResult> CheckAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!access.MayReadHealthDetails(request))
        {
            return TypedResults.Ok(new HealthLiveness("alive"));
        }

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

    /// <summary>
    /// What went wrong, in a word or two a caller can act on. Exception messages and types stay in the logs: they can
    /// name hosts, accounts and versions.
    /// </summary>
    public static string Classify(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        for (var cause = exception; cause is not null; cause = cause.InnerException)
        {
            switch (cause)
            {
                case TimeoutException or OperationCanceledException:
                    return "timeout";
                case HttpRequestException { StatusCode: { } status }:
                    return "HTTP " + (int)status;
                case SocketException or HttpRequestException:
                    return "unreachable";
                case TransientStorageException:
                    return "unavailable";
            }
        }

        return "failed";
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
            return new DependencyHealth(probe.Name, "unhealthy", watch.Elapsed.TotalMilliseconds, Classify(exception));
        }
    }
}

/// <summary>The answer of <c>GET /api/health</c> to anyone: <c>alive</c>, nothing more.</summary>
public sealed record HealthLiveness(string Status);

/// <summary>The answer of <c>GET /api/health</c> to a caller that may read the details (200 when every dependency is healthy, else 503).</summary>
public sealed record HealthReport(string Status, IReadOnlyList<DependencyHealth> Dependencies, int? ParkedBatches, int? DeadLettersToday, string? Attention);

/// <summary>One dependency's probe: healthy or not, how long it took, and the error when it failed.</summary>
public sealed record DependencyHealth(string Name, string Status, double DurationMs, string? Error);
