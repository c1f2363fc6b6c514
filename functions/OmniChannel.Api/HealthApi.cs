using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using OmniChannel.Core.Ports;

namespace OmniChannel.Api;

/// <summary><c>GET /api/health</c>: liveness plus a check of every dependency, 503 when one fails.</summary>
public sealed class HealthApi(IEnumerable<IDependencyProbe> probes)
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(5);

    public async Task<IResult> CheckAsync(CancellationToken cancellationToken)
    {
        var results = await Task.WhenAll(probes.Select(probe => ProbeAsync(probe, cancellationToken)));
        var healthy = results.All(result => result.Status == "healthy");
        var body = new { status = healthy ? "healthy" : "unhealthy", dependencies = results };
        return healthy ? TypedResults.Ok(body) : TypedResults.Json(body, statusCode: StatusCodes.Status503ServiceUnavailable);
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

    private sealed record DependencyHealth(string Name, string Status, double DurationMs, string? Error);
}
