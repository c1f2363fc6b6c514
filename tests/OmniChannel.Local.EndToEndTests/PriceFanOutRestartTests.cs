using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace OmniChannel.Local.EndToEndTests;

/// <summary>
/// A chain-wide price change whose fan-out is in flight when the local host restarts: the orchestration resumes from
/// its state in Azurite, and every subscriber ends delivered, none failed. Slow subscribers (2 s each) and small
/// batches keep the fan-out running long enough to be interrupted.
/// </summary>
public sealed class PriceFanOutRestartTests : IAsyncLifetime
{
    private LocalHostProcess _host = null!;

    public async Task InitializeAsync() =>
        _host = await LocalHostProcess.StartAsync(settings: null, extraArguments: new Dictionary<string, string>
        {
            ["OmniChannel:Local:Subscribers:Latency"] = "00:00:02",

            // Small batches, two at a time: the report's count then grows in steps of 20 every 2 s (about 25 s in all),
            // so the restart surely lands mid-fan-out.
            ["OmniChannel:Prices:BatchSize"] = "20",
            ["OmniChannel:Prices:MaxParallelActivities"] = "2",
            ["OmniChannel:Prices:DeliveryConcurrency"] = "20",
            ["Logging:LogLevel:DurableTask"] = "Information",
        });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task FanOutInFlight_HostRestarted_EverySubscriberEndsDelivered()
    {
        var registered = await PriceDriver.SubscriberIdsAsync(_host);
        var posted = await _host.Client.PostAsync("/api/prices", PriceDriver.Change("restart-1", "all", DateTimeOffset.UtcNow.AddMinutes(-1), ("SKU-RESTART", "9.99")));
        Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);

        // Wait until the fan-out has delivered to some subscribers but not all, then restart the host (SIGTERM).
        var deadline = DateTime.UtcNow.AddMinutes(1);
        var deliveredBefore = 0;
        while (DateTime.UtcNow < deadline)
        {
            var counts = (await _host.Client.GetFromJsonAsync<JsonElement>("/api/prices/changes/restart-1")).GetProperty("counts");
            deliveredBefore = counts.GetProperty("delivered").GetInt32();
            if (deliveredBefore > 0)
            {
                break;
            }

            await Task.Delay(100);
        }

        Assert.InRange(deliveredBefore, 1, registered.Count - 1);
        await _host.StopAsync();
        await _host.StartProcessAsync();

        var report = await PriceDriver.WaitUntilFinishedAsync(_host, "restart-1");
        var after = report.GetProperty("counts");
        Assert.Equal((registered.Count, registered.Count, 0), (after.GetProperty("total").GetInt32(), after.GetProperty("delivered").GetInt32(), after.GetProperty("failed").GetInt32()));
        Assert.All(report.GetProperty("subscribers").EnumerateArray(), row => Assert.Equal("delivered", row.GetProperty("state").GetString()));

        // The restarted host's subscriber simulator saw only what was still missing (a batch in flight at the stop finishes
        // during the graceful stop), never a subscriber already recorded as delivered twice, and only signed deliveries.
        var summary = await _host.Client.GetFromJsonAsync<JsonElement>("/local/subscribers");
        Assert.InRange(summary.GetProperty("delivered").GetInt32(), 0, registered.Count - deliveredBefore);
        Assert.Equal((0, 0), (summary.GetProperty("duplicates").GetInt32(), summary.GetProperty("badSignatures").GetInt32()));
    }
}
