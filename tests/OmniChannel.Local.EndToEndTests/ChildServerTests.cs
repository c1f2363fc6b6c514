using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace OmniChannel.Local.EndToEndTests;

/// <summary>
/// The host's child servers as the host reports and keeps them: the banner says where Cosmos keeps its data; Azurite
/// killed under the running host is started again on its ports and the host carries on; and a stop (SIGTERM) with
/// Azurite gone still ends the host within seconds.
/// </summary>
public sealed class ChildServerTests : IAsyncLifetime
{
    private LocalHostProcess _host = null!;

    public async Task InitializeAsync() => _host = await LocalHostProcess.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Banner_CosmosLine_NamesTheJournalTheHostWritesAndReplays()
    {
        var line = await _host.WaitForOutputAsync(new Regex("^  Cosmos DB .*$", RegexOptions.Multiline), TimeSpan.FromSeconds(30));

        var journal = Path.Combine(_host.DataDirectory, "cosmos", "journal.jsonl");
        Assert.Contains($"in memory, every write journaled to {journal} and replayed on start", line.Value, StringComparison.Ordinal);
        Assert.True(new FileInfo(journal).Length > 0, "the journal holds nothing after the start's writes");
        Assert.DoesNotContain("rebuilt from the event log", _host.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AzuriteKilled_TheHostRestartsItOnItsPorts_AndTablesAndWorkflowsWorkAgain()
    {
        var azurite = await _host.ServerProcessIdAsync("Azurite");
        await WaitUntilAzuriteSavedTheStartAsync();
        var outputBefore = _host.Output.Length;

        await KillAsync(azurite);

        var ports = string.Join(", ", _host.AzuritePorts.Select(port => port.ToString(CultureInfo.InvariantCulture)));
        await _host.WaitForOutputAsync(new Regex(Regex.Escape($"Azurite exited (code 137); restarting it on ports {ports}")), TimeSpan.FromSeconds(30), outputBefore);

        // Tables: the store directory answers again.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            using var store = await _host.Client.GetAsync("/api/stores/0001");
            if (store.StatusCode == HttpStatusCode.OK)
            {
                break;
            }

            Assert.True(DateTime.UtcNow < deadline, $"the store directory did not answer again ({store.StatusCode}):\n{_host.Output}");
            await Task.Delay(500);
        }

        // The Durable Task engine: a pickup order's workflow runs and reserves its stock.
        await new BopisDriver(_host).PlaceReservedOrderAsync("AZ-1", "c-az1", "0002", "SKU-AZ", quantity: 1, stock: 2);

        // The outage was logged in lines, not a stack trace per retry.
        var outage = _host.Output[outputBefore..];
        var stackFrame = new Regex(@"^\s+at \S+\(", RegexOptions.Multiline).Match(outage);
        Assert.False(stackFrame.Success, "a stack trace was logged during the outage:\n" + outage[Math.Max(0, stackFrame.Index - 1500)..Math.Min(outage.Length, stackFrame.Index + 500)]);
    }

    [Fact]
    public async Task AzuriteKilled_ThenSigterm_TheHostExitsWithin15Seconds_AndLeavesNoServerBehind()
    {
        await KillAsync(await _host.ServerProcessIdAsync("Azurite"));

        var took = await _host.TerminateAsync(TimeSpan.FromSeconds(60));

        Assert.True(took is { } elapsed && elapsed < TimeSpan.FromSeconds(15), $"the host took {took?.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) ?? "more than 60"} s to stop:\n{_host.Output}");
        Assert.True(await _host.ServersStoppedAsync(TimeSpan.FromSeconds(10)), "a server of the host still listens after it stopped");
    }

    /// <summary>
    /// Azurite saves its databases every 5 s and a kill loses what it had not saved (README, state across restarts): wait
    /// until its files hold the seeded store directory and the task hub's tables, queues and lease container.
    /// </summary>
    private async Task WaitUntilAzuriteSavedTheStartAsync()
    {
        var folder = Path.Combine(_host.DataDirectory, "azurite");
        (string File, string[] Markers)[] expected =
        [
            ("__azurite_db_table__.json", ["\"RowKey\":\"0001\"", "\"RowKey\":\"0240\"", "omnichannelInstances", "omnichannelPartitions"]),
            ("__azurite_db_queue__.json", ["omnichannel-control-03", "omnichannel-workitems"]),
            ("__azurite_db_blob__.json", ["omnichannel-applease"]),
        ];
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!expected.All(entry => Saved(Path.Combine(folder, entry.File), entry.Markers)))
        {
            Assert.True(DateTime.UtcNow < deadline, "Azurite never saved the host's start");
            await Task.Delay(250);
        }

        static bool Saved(string file, string[] markers)
        {
            try
            {
                var text = File.ReadAllText(file);
                return markers.All(marker => text.Contains(marker, StringComparison.Ordinal));
            }
            catch (IOException)
            {
                return false;
            }
        }
    }

    private static async Task KillAsync(int processId)
    {
        using var process = Process.GetProcessById(processId);
        process.Kill();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await process.WaitForExitAsync(timeout.Token);
    }
}
