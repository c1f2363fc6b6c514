using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using OmniChannel.Azure.IntegrationTests.Fixtures;
using OmniChannel.Core.Orders;
using OmniChannel.Core.Ports;
using OmniChannel.Core.Stores;
using OmniChannel.TestSupport.Receivers;
using static OmniChannel.Azure.IntegrationTests.Fixtures.Events;

namespace OmniChannel.Azure.IntegrationTests.Payments;

/// <summary>
/// <c>POST /api/payments/refunds/events</c>: the payment service's signed refund callbacks, over HTTP with the real
/// handlers and stores; the workflow client records what would be raised. Also the payment reference on orders.
/// </summary>
[Collection(ServersCollection.Name)]
public sealed class PaymentsApiTests(ServersFixture servers)
{
    private static readonly string CallbackSecret = HandoffReceiver.NewSecret();

    [Fact]
    public async Task RefundEvent_SignedSucceeded_Answers202_AndRaisesRefundSettledIntoTheOrdersWorkflow()
    {
        await using var host = await StartAsync();
        await PlaceAsync(host, "o-pay-1");

        using var response = await host.Client.SendAsync(PaymentServiceCallback.Request(PaymentServiceCallback.Body("o-pay-1:refund", "o-pay-1", succeeded: true, "25.00"), CallbackSecret));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal((BopisWorkflow.InstanceIdFor("o-pay-1"), BopisWorkflow.RefundSettledEvent), Assert.Single(host.Workflows.Raised));
        Assert.Equal(new RefundSettlement("o-pay-1:refund", Succeeded: true, 25.00m, null), Assert.Single(host.Workflows.Payloads));
    }

    [Fact]
    public async Task RefundEvent_FailedCallback_RaisesTheRefusalWithItsReason()
    {
        await using var host = await StartAsync();
        await PlaceAsync(host, "o-pay-2");

        using var response = await host.Client.SendAsync(PaymentServiceCallback.Request(PaymentServiceCallback.Body("o-pay-2:refund", "o-pay-2", succeeded: false, reason: "card closed"), CallbackSecret));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var settlement = Assert.IsType<RefundSettlement>(Assert.Single(host.Workflows.Payloads));
        Assert.Equal((false, "card closed"), (settlement.Succeeded, settlement.Reason));
    }

    [Fact]
    public async Task RefundEvent_MissingWrongOrStaleSignature_Answers401ProblemJson_AndRaisesNothing()
    {
        await using var host = await StartAsync();
        await PlaceAsync(host, "o-pay-3");
        var body = PaymentServiceCallback.Body("o-pay-3:refund", "o-pay-3", succeeded: true);

        var unsigned = await host.Client.SendAsync(PaymentServiceCallback.Request(body, secret: null));
        var wrongSecret = await host.Client.SendAsync(PaymentServiceCallback.Request(body, HandoffReceiver.NewSecret()));
        var stale = await host.Client.SendAsync(PaymentServiceCallback.Request(body, CallbackSecret, timestamp: DateTimeOffset.UtcNow.AddMinutes(-10)));
        using var tampered = PaymentServiceCallback.Request(body, CallbackSecret);
        tampered.Content = new StringContent(body.Replace("succeeded", "failed", StringComparison.Ordinal), Encoding.UTF8, "application/cloudevents+json");
        var tamperedResponse = await host.Client.SendAsync(tampered);

        foreach (var response in new[] { unsigned, wrongSecret, stale, tamperedResponse })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        Assert.Empty(host.Workflows.Raised);
    }

    [Fact]
    public async Task RefundEvent_SignedButNotARefundCloudEvent_Answers400NamingWhatIsWrong()
    {
        await using var host = await StartAsync();
        await PlaceAsync(host, "o-pay-4");

        var notCloudEvent = await host.Client.SendAsync(PaymentServiceCallback.Request("""{"refundId":"o-pay-4:refund"}""", CallbackSecret, contentType: "application/json"));
        var otherType = await host.Client.SendAsync(PaymentServiceCallback.Request(
            PaymentServiceCallback.Body("o-pay-4:refund", "o-pay-4", succeeded: true).Replace("omni.payment.refund.succeeded", "omni.payment.captured", StringComparison.Ordinal), CallbackSecret));
        var noRefundId = await host.Client.SendAsync(PaymentServiceCallback.Request(
            PaymentServiceCallback.Body("", "o-pay-4", succeeded: true, amount: "lots"), CallbackSecret));

        Assert.Equal(HttpStatusCode.BadRequest, notCloudEvent.StatusCode);
        Assert.Contains("omni.payment.captured", await Problem(otherType, HttpStatusCode.BadRequest), StringComparison.Ordinal);
        var fields = await Problem(noRefundId, HttpStatusCode.BadRequest);
        Assert.Contains("data.refundId", fields, StringComparison.Ordinal);
        Assert.Contains("data.amount", fields, StringComparison.Ordinal);
        Assert.Empty(host.Workflows.Raised);
    }

    [Fact]
    public async Task RefundEvent_UnknownOrder_Answers404()
    {
        await using var host = await StartAsync();

        using var response = await host.Client.SendAsync(PaymentServiceCallback.Request(PaymentServiceCallback.Body("o-nobody:refund", "o-nobody", succeeded: true), CallbackSecret));

        Assert.Contains("o-nobody", await Problem(response, HttpStatusCode.NotFound), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PlaceOrder_WithPaymentReference_KeepsItOnTheOrder_AndWithoutOneStillPlaces()
    {
        await using var host = await StartAsync();

        await PlaceAsync(host, "o-pay-5", paymentReference: "pay_8Jk2");
        await PlaceAsync(host, "o-pay-6", paymentReference: null);

        var withReference = await host.Client.GetFromJsonAsync<JsonElement>("/api/orders/o-pay-5");
        Assert.Equal("pay_8Jk2", withReference.GetProperty("order").GetProperty("paymentReference").GetString());
        var without = await host.Client.GetFromJsonAsync<JsonElement>("/api/orders/o-pay-6");
        Assert.False(without.GetProperty("order").TryGetProperty("paymentReference", out _));
    }

    private async Task<HttpBackbone> StartAsync()
    {
        var settings = new Dictionary<string, string?> { ["OmniChannel:Handoffs:Payments:CallbackSecret"] = CallbackSecret };
        var host = await HttpBackbone.StartAsync(servers, settings);
        await host.Backbone.Get<IStoreDirectory>().UpsertAsync(StoreSeed.Generate(), CancellationToken.None);
        return host;
    }

    private static async Task PlaceAsync(HttpBackbone host, string orderId, string? paymentReference = "pay_1")
    {
        await host.Backbone.IngestAsync([InventoryAdjusted("stock-" + orderId, 1, "0001", "SKU-PAY", 2)]);
        var body = new JsonObject
        {
            ["orderid"] = orderId,
            ["customerid"] = "c-" + orderId,
            ["storeid"] = "0001",
            ["fulfilment"] = "pickup",
            ["lines"] = new JsonArray(new JsonObject { ["sku"] = "SKU-PAY", ["quantity"] = 1, ["price"] = "25.00" }),
        };
        if (paymentReference is not null)
        {
            body["paymentreference"] = paymentReference;
        }

        using var response = await host.Client.PostAsync("/api/orders", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    private static async Task<string> Problem(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadAsStringAsync();
    }
}
