using System.CommandLine;
using System.Globalization;
using System.Text.Json;

namespace OmniChannel.Simulation.Operations;

/// <summary>
/// The <c>replay-deadletters</c> sub-command: asks a running host (<c>POST /api/admin/deadletters/replay</c>) to
/// re-ingest a day's dead letters after a fix, and prints what was replayed and what is still refused, and why.
/// </summary>
public static class DeadLetterReplayCommand
{
    private const string Epilogue = "Exit code: 0 all replayed, 1 some still refused, 2 bad arguments or the host refused the request.";

    /// <summary>The command line of <c>replay-deadletters</c>: its description and options, as <c>--help</c> prints them.</summary>
    public static Command Command() => AdminCall.Command(
        "replay-deadletters", "Re-ingests a day's dead-lettered events after a fix (those that still fail stay, with the reason).",
        CommandLineOptions.Typed(
            "--day", "the UTC day the events failed (default today)", "yyyy-MM-dd",
            value => (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _), value),
            value => $"Option '--day': '{value}' is not a day written yyyy-MM-dd, e.g. 2026-11-25.", () => ""));

    public static async Task<int> RunAsync(string[] args, TextWriter output, HttpMessageHandler? handler, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        var (result, url, adminKey, exit) = AdminCall.Parse(Command(), Epilogue, args, output);
        if (exit is { } code)
        {
            return code;
        }

        var day = result.GetRequiredValue<string>("--day");
        var (succeeded, status, body) = await AdminCall.PostAsync(url, "/api/admin/deadletters/replay", day.Length > 0 ? new { day } : new object(), adminKey, handler, cancellationToken);
        if (!succeeded)
        {
            await output.WriteLineAsync($"replay-deadletters: the host answered {status}: {body}");
            return 2;
        }

        var report = JsonDocument.Parse(body).RootElement;
        var stillPoison = report.GetProperty("stillPoison").EnumerateArray().ToList();
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"Dead letters of {report.GetProperty("day").GetString()}: {report.GetProperty("examined").GetInt32()} examined, {report.GetProperty("replayed").GetInt32()} replayed, {stillPoison.Count} still refused"));
        foreach (var letter in stillPoison)
        {
            await output.WriteLineAsync($"  {letter.GetProperty("id").GetString()}: {letter.GetProperty("reason").GetString()}");
        }

        return stillPoison.Count == 0 ? 0 : 1;
    }
}
