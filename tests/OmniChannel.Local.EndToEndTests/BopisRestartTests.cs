using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OmniChannel.Local.EndToEndTests;

/// <summary>A pickup order in flight while the local host restarts (timings long enough to outlast the restart).</summary>
public sealed class BopisRestartTests : IAsyncLifetime
{
    private LocalHostProcess _host = null!;

    public async Task InitializeAsync() =>
        _host = await LocalHostProcess.StartAsync(settings: null, extraArguments: new Dictionary<string, string>
        {
            ["OmniChannel:Bopis:PickSla"] = "00:01:00",
            ["OmniChannel:Bopis:PickupWindow"] = "00:05:00",
            ["OmniChannel:Bopis:ReminderBeforeExpiry"] = "00:01:00",
            // The engine's own log is printed if the test fails: what was fetched, drained and redelivered around the stop.
            ["Logging:LogLevel:DurableTask"] = "Information",
        });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private BopisDriver Driver => new(_host);

    [Fact]
    public async Task PickupOrder_HostRestartedWhileReady_FinishesCorrectly()
    {
        await Driver.PlaceReservedOrderAsync("K-1", "c-k1", "0004", "SKU-K", quantity: 2, stock: 5);
        await _host.Client.PostAsync("/api/stores/0004/orders/K-1/picked", null);
        await Driver.WaitForStatusAsync("K-1", "ready");

        // A restart mid-order (SIGTERM, as a deployment or Ctrl+C does): Cosmos replays its journal, the workflow
        // resumes from its state in Azurite. (After a hard kill Azurite may lose its last few seconds; see README.)
        // The stop often lands while the workflow is between steps: a step result the old host had fetched becomes
        // visible again after the control queue's visibility timeout (1 minute in the local host), hence the wait.
        await _host.StopAsync();
        await _host.StartProcessAsync();
        var afterRestart = await _host.Client.GetFromJsonAsync<JsonElement>("/api/stores/0004/inventory/SKU-K");
        Assert.Equal(2, afterRestart.GetProperty("reserved").GetInt32());
        Assert.Equal(HttpStatusCode.Accepted, (await _host.Client.PostAsync("/api/stores/0004/orders/K-1/collected", null)).StatusCode);
        var done = await Driver.WaitForStatusAsync("K-1", "collected", TimeSpan.FromMinutes(2));

        Assert.Equal("Completed", done.GetProperty("workflowStatus").GetString());
        var stock = await _host.Client.GetFromJsonAsync<JsonElement>("/api/stores/0004/inventory/SKU-K");
        Assert.Equal(3, stock.GetProperty("onHand").GetInt32());
        Assert.Equal(0, stock.GetProperty("reserved").GetInt32());
    }
}
