using System.Globalization;
using System.Text.Json;

namespace OmniChannel.Simulation.Operations;

/// <summary>
/// The <c>replay-deadletters</c> sub-command: asks a running host (<c>POST /api/admin/deadletters/replay</c>) to
/// re-ingest a day's dead letters after a fix, and prints what was replayed and what is still refused, and why.
/// </summary>
public static class DeadLetterReplayCommand
{
    public const string Usage = """
        replay-deadletters: re-ingest a day's dead-lettered events after a fix (those that still fail stay, with the reason).
          --url <base>        the host (default http://127.0.0.1:7071)
          --day <yyyy-MM-dd>  the UTC day the events failed (default today)
          --admin-key <key>   the host's admin key, when it enforces keys
        Exit code: 0 all replayed, 1 some still refused, 2 bad arguments or the host refused the request.
        """;

    public static async Task<int> RunAsync(string[] args, TextWriter output, HttpMessageHandler? handler, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        var day = "";
        var (url, adminKey, exit) = await AdminCall.ParseAsync("replay-deadletters", Usage, "--day 2026-11-25", args, output, ["day"], (name, value) =>
        {
            var valid = name == "day" && DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _);
            day = valid ? value : day;
            return valid;
        });
        if (exit is { } code)
        {
            return code;
        }

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
