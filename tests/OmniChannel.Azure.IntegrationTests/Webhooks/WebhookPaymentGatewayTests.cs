using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using OmniChannel.Azure.Webhooks;
using OmniChannel.Core.Handoffs;
using OmniChannel.Core.Ports;
using OmniChannel.TestSupport.Receivers;

namespace OmniChannel.Azure.IntegrationTests.Webhooks;

/// <summary>
/// Refund requests to a payment service on loopback that checks them as a real one would: the Standard Webhooks
/// library verifies the signature, the CNCF CloudEvents SDK reads the event. Also how each answer is classified.
/// </summary>
public sealed class WebhookPaymentGatewayTests : IAsyncLifetime
{
    private readonly string _secret = HandoffReceiver.NewSecret();
    private HandoffReceiver _payments = null!;

    public async Task InitializeAsync() => _payments = await HandoffReceiver.StartAsync(_secret);

    public async Task DisposeAsync() => await _payments.DisposeAsync();

    [Fact]
    public async Task RefundAsync_AcceptedByThePaymentService_PostsASignedRefundRequestCloudEvent_AndAwaitsItsConfirmation()
    {
        var status = await Gateway().RefundAsync("A-7:refund", "A-7", "pay_3QxZ", 49.98m, "Cancelled by the customer.", CancellationToken.None);

        Assert.Equal(RefundStatus.AwaitingConfirmation, status);
        Assert.Equal(0, _payments.BadSignatures);
        var request = Assert.Single(_payments.Received);
        Assert.Equal(("omni.payment.refund.requested", "A-7:refund", "msg_refund_A-7:refund"), (request.Type, request.Id, request.WebhookId));
        Assert.StartsWith("application/cloudevents+json", request.ContentType, StringComparison.Ordinal);
        Assert.Equal(("A-7:refund", "A-7", "pay_3QxZ", "49.98", "USD", "Cancelled by the customer."),
            (request.Text("refundId"), request.Text("orderId"), request.Text("paymentReference"), request.Text("amount"), request.Text("currency"), request.Text("reason")));
    }

    [Fact]
    public async Task RefundAsync_AskedAgain_CarriesTheSameWebhookId_SoThePaymentServiceRefundsOnce()
    {
        _payments.Respond = attempt => attempt == 1 ? 503 : 202;
        var gateway = Gateway();

        await Assert.ThrowsAsync<HttpRequestException>(() => gateway.RefundAsync("A-8:refund", "A-8", null, 10m, "expired", CancellationToken.None));
        await gateway.RefundAsync("A-8:refund", "A-8", null, 10m, "expired", CancellationToken.None);

        Assert.Equal(["msg_refund_A-8:refund", "msg_refund_A-8:refund"], _payments.Received.Select(request => request.WebhookId).ToArray());
    }

    [Theory]
    [InlineData(408)]
    [InlineData(429)]
    [InlineData(500)]
    [InlineData(503)]
    public async Task RefundAsync_TimeoutThrottledOrServerError_IsTransient_AnHttpRequestExceptionTheWorkflowRetries(int answer)
    {
        _payments.Respond = _ => answer;

        var failure = await Assert.ThrowsAsync<HttpRequestException>(() => Gateway().RefundAsync("A-9:refund", "A-9", null, 10m, "expired", CancellationToken.None));

        Assert.Equal((HttpStatusCode)answer, failure.StatusCode);
        Assert.Contains("payment service", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(400)]
    [InlineData(404)]
    [InlineData(410)]
    [InlineData(422)]
    public async Task RefundAsync_OtherClientError_IsPermanent_NotRetried(int answer)
    {
        _payments.Respond = _ => answer;

        var failure = await Assert.ThrowsAsync<HandoffRejectedException>(() => Gateway().RefundAsync("A-10:refund", "A-10", null, 10m, "expired", CancellationToken.None));

        Assert.Equal(answer, failure.Status);
    }

    [Fact]
    public async Task RefundAsync_SignedWithAnotherSecret_IsRefusedByTheReceiver_AndThat401IsPermanent()
    {
        var failure = await Assert.ThrowsAsync<HandoffRejectedException>(() => Gateway(secret: HandoffReceiver.NewSecret()).RefundAsync("A-11:refund", "A-11", null, 10m, "expired", CancellationToken.None));

        Assert.Equal(401, failure.Status);
        Assert.Equal(1, _payments.BadSignatures);
        Assert.Empty(_payments.Received);
    }

    [Fact]
    public async Task RefundAsync_NobodyListening_IsTransient()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var closedPort = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        await Assert.ThrowsAsync<HttpRequestException>(() => Gateway(endpoint: new Uri($"http://127.0.0.1:{closedPort}/handoffs")).RefundAsync("A-12:refund", "A-12", null, 10m, "expired", CancellationToken.None));
    }

    [Fact]
    public async Task RefundAsync_NoAnswerWithinTheDeadline_IsTransient_WithTheTimeoutInside()
    {
        _payments.Latency = TimeSpan.FromSeconds(3);

        var failure = await Assert.ThrowsAsync<HttpRequestException>(() => Gateway(timeout: TimeSpan.FromMilliseconds(300)).RefundAsync("A-13:refund", "A-13", null, 10m, "expired", CancellationToken.None));

        Assert.IsType<TimeoutException>(failure.InnerException);
    }

    private WebhookPaymentGateway Gateway(string? secret = null, Uri? endpoint = null, TimeSpan? timeout = null) =>
        new(
            new WebhookHandoff(new HttpClient { Timeout = timeout ?? TimeSpan.FromSeconds(10) }, TimeProvider.System),
            Options.Create(new HandoffOptions { Payments = new PaymentServiceOptions { Endpoint = endpoint ?? _payments.Endpoint, Secret = secret ?? _secret } }));
}
