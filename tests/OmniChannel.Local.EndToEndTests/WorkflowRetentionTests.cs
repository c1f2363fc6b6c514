using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace OmniChannel.Local.EndToEndTests;

/// <summary>
/// The local host purges completed workflow instances (<c>OmniChannel:Workflows:PurgeCompletedAfter</c>, here a second,
/// every two seconds): a collected order's instance leaves the engine, the order itself stays collected, a retry of the
/// same order starts nothing and holds no stock again, and an order still in flight keeps its running workflow.
/// </summary>
public sealed class WorkflowRetentionTests : IAsyncLifetime
{
    private LocalHostProcess _host = null!;

    public async Task InitializeAsync() =>
        _host = await LocalHostProcess.StartAsync(settings: null, extraArguments: new Dictionary<string, string>
        {
            ["OmniChannel:Workflows:PurgeCompletedAfter"] = "00:00:01",
            ["OmniChannel:Workflows:PurgeEvery"] = "00:00:02",
        });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private BopisDriver Driver => new(_host);

    [Fact]
    public async Task CollectedOrder_ItsCompletedWorkflowIsPurged_TheOrderStays_AndARetryStartsNothingAgain()
    {
        await Driver.PlaceReservedOrderAsync("R-1", "c-r1", "0001", "SKU-R", 2, stock: 5);
        await Driver.PlaceReservedOrderAsync("R-2", "c-r2", "0001", "SKU-R2", 1, stock: 5);
        Assert.Equal(HttpStatusCode.Accepted, (await _host.Client.PostAsync("/api/stores/0001/orders/R-1/picked", null)).StatusCode);
        await Driver.WaitForStatusAsync("R-1", "ready");
        Assert.Equal(HttpStatusCode.Accepted, (await _host.Client.PostAsync("/api/stores/0001/orders/R-1/collected", null)).StatusCode);

        var purged = await WaitUntilPurgedAsync("R-1", TimeSpan.FromSeconds(90));

        Assert.Equal("collected", purged.GetProperty("order").GetProperty("status").GetString());
        using (var retry = await _host.Client.PostAsync("/api/orders", BopisDriver.Order("R-1", "c-r1", "0001", "SKU-R", 2)))
        {
            Assert.Equal(HttpStatusCode.Accepted, retry.StatusCode);
        }

        // A start creates the instance (Pending) before the answer, so a workflow started by the retry would show here.
        var again = await _host.Client.GetFromJsonAsync<JsonElement>("/api/orders/R-1");
        Assert.Equal("collected", again.GetProperty("order").GetProperty("status").GetString());
        Assert.True(WorkflowStatusOf(again) is null, again.ToString());
        Assert.Equal((3, 0, 3), await Driver.StockLevelAsync("0001", "SKU-R"));

        // The order still waiting to be picked was created before the cut-off too, but it is running: it stays.
        var inFlight = await _host.Client.GetFromJsonAsync<JsonElement>("/api/orders/R-2");
        Assert.Equal("Running", WorkflowStatusOf(inFlight));
        Assert.Equal(HttpStatusCode.Accepted, (await _host.Client.PostAsync("/api/stores/0001/orders/R-2/picked", null)).StatusCode);
        await Driver.WaitForStatusAsync("R-2", "ready");
    }

    private async Task<JsonElement> WaitUntilPurgedAsync(string orderId, TimeSpan patience)
    {
        var deadline = DateTime.UtcNow + patience;
        JsonElement order = default;
        while (DateTime.UtcNow < deadline)
        {
            order = await _host.Client.GetFromJsonAsync<JsonElement>($"/api/orders/{orderId}");
            if (order.GetProperty("order").GetProperty("status").GetString() == "collected" && WorkflowStatusOf(order) is null)
            {
                return order;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"The workflow of order {orderId} was not purged: {order}\n{_host.Output}");
    }

    private static string? WorkflowStatusOf(JsonElement order) =>
        order.TryGetProperty("workflowStatus", out var status) && status.ValueKind == JsonValueKind.String ? status.GetString() : null;
}
