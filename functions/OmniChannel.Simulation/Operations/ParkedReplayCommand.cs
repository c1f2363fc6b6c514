using System.CommandLine;
using System.Globalization;
using System.Text.Json;

namespace OmniChannel.Simulation.Operations;

/// <summary>
/// The <c>replay-parked</c> sub-command: once Cosmos DB is back, asks a running host
/// (<c>POST /api/admin/parked/replay</c>) to apply the ingest batches it parked during the outage, and prints the outcome.
/// </summary>
public static class ParkedReplayCommand
{
    private const string Epilogue =
        "Exit code: 0 nothing left parked, 1 some batches still parked (the dependency is still down), 2 bad arguments or the host refused.";

    /// <summary>The command line of <c>replay-parked</c>: its description and options, as <c>--help</c> prints them.</summary>
    public static Command Command() => AdminCall.Command(
        "replay-parked", "Applies the ingest batches parked while Cosmos DB was down (oldest first; idempotent).");

    public static async Task<int> RunAsync(string[] args, TextWriter output, HttpMessageHandler? handler, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        var (_, url, adminKey, exit) = AdminCall.Parse(Command(), Epilogue, args, output);
        if (exit is { } code)
        {
            return code;
        }

        var (succeeded, status, body) = await AdminCall.PostAsync(url, "/api/admin/parked/replay", new object(), adminKey, handler, cancellationToken);
        if (status == 503)
        {
            await output.WriteLineAsync($"replay-parked: nothing could be applied yet: {JsonDocument.Parse(body).RootElement.GetProperty("detail").GetString()}");
            return 1;
        }

        if (!succeeded)
        {
            await output.WriteLineAsync($"replay-parked: the host answered {status}: {body}");
            return 2;
        }

        var report = JsonDocument.Parse(body).RootElement;
        var remaining = report.GetProperty("remaining").GetInt32();
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"Parked batches: {report.GetProperty("batches").GetInt32()} replayed ({report.GetProperty("events").GetInt32()} events), {remaining} still parked"));
        if (report.TryGetProperty("error", out var reason) && reason.ValueKind == JsonValueKind.String)
        {
            await output.WriteLineAsync("  " + reason.GetString());
        }

        return remaining == 0 ? 0 : 1;
    }
}
