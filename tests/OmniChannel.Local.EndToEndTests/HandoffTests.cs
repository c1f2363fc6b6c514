using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using OmniChannel.TestSupport.Receivers;

namespace OmniChannel.Local.EndToEndTests;

/// <summary>
/// The local host with its hand-offs pointed at receivers on loopback (a customer-engagement platform and a payment
/// service that verify signatures with the Standard Webhooks library): the real path of the Functions app, not the
/// simulators, driven over HTTP from the order to the payment service's signed confirmation.
/// </summary>
public sealed class HandoffTests : IAsyncLifetime
{
    private readonly string _engagementSecret = HandoffReceiver.NewSecret();
    private readonly string _paymentsSecret = HandoffReceiver.NewSecret();
    private readonly string _callbackSecret = HandoffReceiver.NewSecret();
    private HandoffReceiver _engagement = null!;
    private HandoffReceiver _payments = null!;
    private LocalHostProcess _host = null!;

    public async Task InitializeAsync()
    {
        _engagement = await HandoffReceiver.StartAsync(_engagementSecret);
        _payments = await HandoffReceiver.StartAsync(_paymentsSecret);
        _host = await LocalHostProcess.StartAsync(settings: null, extraArguments: new Dictionary<string, string>
        {
            ["OmniChannel:Bopis:PickSla"] = "00:01:00",
            ["OmniChannel:Bopis:PickupWindow"] = "00:00:06",
            ["OmniChannel:Bopis:ReminderBeforeExpiry"] = "00:00:03",
            ["OmniChannel:Bopis:RefundConfirmWithin"] = "00:05:00",
            ["OmniChannel:Handoffs:CustomerEngagement:Endpoint"] = _engagement.Endpoint.ToString(),
            ["OmniChannel:Handoffs:CustomerEngagement:Secret"] = _engagementSecret,
            ["OmniChannel:Handoffs:Payments:Endpoint"] = _payments.Endpoint.ToString(),
            ["OmniChannel:Handoffs:Payments:Secret"] = _paymentsSecret,
            ["OmniChannel:Handoffs:Payments:CallbackSecret"] = _callbackSecret,
        });
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _engagement.DisposeAsync();
        await _payments.DisposeAsync();
    }

    [Fact]
    public async Task PickedThenExpired_RefundRequestReachesThePaymentServiceSigned_ItsSignedCallbackEndsTheOrderRefunded()
    {
        var driver = new BopisDriver(_host);
        await driver.StockAsync("0001", "SKU-HO", 4);
        var order = JsonNode.Parse(await BopisDriver.Order("HO-1", "c-ho1", "0001", "SKU-HO", 2).ReadAsStringAsync())!.AsObject();
        order["paymentreference"] = "pay_HO1";
        using (var placed = await _host.Client.PostAsJsonAsync("/api/orders", order))
        {
            Assert.Equal(HttpStatusCode.Accepted, placed.StatusCode);
        }

        await driver.WaitForStatusAsync("HO-1", "reserved");
        var pickTask = await _engagement.WaitForAsync(item => item.Id == "HO-1:pick", TimeSpan.FromSeconds(30));
        Assert.Equal(("store", "0001"), (pickTask.Text("audience"), pickTask.Text("recipient")));
        Assert.Equal(HttpStatusCode.Accepted, (await _host.Client.PostAsync("/api/stores/0001/orders/HO-1/picked", null)).StatusCode);
        var ready = await _engagement.WaitForAsync(item => item.Id == "HO-1:ready", TimeSpan.FromSeconds(30));
        Assert.Equal(("customer", "c-ho1", "omni.order.notification"), (ready.Text("audience"), ready.Text("recipient"), ready.Type));

        // Not collected: it expires, and the refund goes to the payment service, which accepts it (202) for now.
        var refund = await _payments.WaitForAsync(item => item.Type == "omni.payment.refund.requested", TimeSpan.FromSeconds(60));
        Assert.Equal(("HO-1:refund", "HO-1", "pay_HO1", "19.98", "msg_refund_HO-1:refund"),
            (refund.Text("refundId"), refund.Text("orderId"), refund.Text("paymentReference"), refund.Text("amount"), refund.WebhookId));
        var pending = await WaitForReasonAsync("HO-1", "Refund pending");
        Assert.Equal("expired", pending.GetProperty("order").GetProperty("status").GetString());
        Assert.Equal("Running", pending.GetProperty("workflowStatus").GetString());

        using var callback = await _host.Client.SendAsync(PaymentServiceCallback.Request(PaymentServiceCallback.Body("HO-1:refund", "HO-1", succeeded: true, "19.98"), _callbackSecret));
        Assert.Equal(HttpStatusCode.Accepted, callback.StatusCode);

        var done = await driver.WaitForStatusAsync("HO-1", "expired");
        Assert.DoesNotContain("Refund", done.GetProperty("order").GetProperty("statusReason").GetString(), StringComparison.Ordinal);
        Assert.Equal("pay_HO1", done.GetProperty("order").GetProperty("paymentReference").GetString());
        var expired = await _engagement.WaitForAsync(item => item.Id == "HO-1:expired", TimeSpan.FromSeconds(30));
        Assert.Contains("refunded 19.98", expired.Text("text"), StringComparison.Ordinal);
        Assert.Equal((0, 0), (_engagement.BadSignatures, _payments.BadSignatures));

        // The banner names where hand-offs go, never the secrets they are signed with.
        Assert.Contains($"refunds to {_payments.Endpoint}", _host.Output, StringComparison.Ordinal);
        Assert.All(new[] { _engagementSecret, _paymentsSecret, _callbackSecret }, secret => Assert.DoesNotContain(secret, _host.Output, StringComparison.Ordinal));

        // The real hand-offs were used: the simulators recorded nothing.
        var simulated = await _host.Client.GetFromJsonAsync<JsonElement>("/api/local/orders/HO-1/messages");
        Assert.Empty(simulated.GetProperty("notifications").EnumerateArray());
        Assert.Empty(simulated.GetProperty("refunds").EnumerateArray());
    }

    private async Task<JsonElement> WaitForReasonAsync(string orderId, string text)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        JsonElement order = default;
        while (DateTime.UtcNow < deadline)
        {
            order = await _host.Client.GetFromJsonAsync<JsonElement>($"/api/orders/{orderId}");
            if (order.GetProperty("order").GetProperty("statusReason").GetString()?.Contains(text, StringComparison.Ordinal) == true)
            {
                return order;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"Order {orderId}'s reason never said '{text}': {order}");
    }
}
