using System.Net;
using System.Text;
using System.Text.Json;
using OmniChannel.Azure.Webhooks;
using OmniChannel.Core.Prices;
using StandardWebhooks;
using StandardWebhooks.Diagnostics;

namespace OmniChannel.Simulation.Tests.Subscribers;

/// <summary>The webhook channel's body and signature, checked with the Standard Webhooks library a subscriber would use.</summary>
public sealed class WebhookPriceChannelTests
{
    private const string Secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private const string OtherSecret = "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD";

    private static readonly PriceSubscriber Pos = new(
        "pos-0001", SubscriberKind.Pos, PriceScope.ForStore("0001"), new Uri("https://pos.example/prices"), Enabled: true, DateTimeOffset.UnixEpoch);

    [Fact]
    public void Body_IsAStructuredCloudEventCarryingTheChange()
    {
        using var document = JsonDocument.Parse(WebhookPriceChannel.Body(PriceChanges.Sample()));
        var root = document.RootElement;

        Assert.Equal("1.0", root.GetProperty("specversion").GetString());
        Assert.Equal("omni.price.changed", root.GetProperty("type").GetString());
        Assert.Equal("chg-1", root.GetProperty("id").GetString());
        Assert.Equal("/omnichannel/prices", root.GetProperty("source").GetString());
        Assert.Equal("application/json", root.GetProperty("datacontenttype").GetString());
        Assert.Equal(PriceChanges.AcceptedAt, root.GetProperty("time").GetDateTimeOffset());
        var data = root.GetProperty("data");
        Assert.Equal("chg-1", data.GetProperty("changeId").GetString());
        Assert.Equal("2026-12-01T06:00:00.000Z", data.GetProperty("effectiveAt").GetString());
        Assert.Equal("region:NY", data.GetProperty("scope").GetString());
        Assert.Equal(
            [("SKU-1", 9.99m, "USD"), ("SKU-2", 120m, "EUR")],
            data.GetProperty("items").EnumerateArray().Select(item => (item.GetProperty("sku").GetString(), item.GetProperty("price").GetDecimal(), item.GetProperty("currency").GetString())));
    }

    [Fact]
    public async Task Deliver_SignedRequest_VerifiesWithTheSubscribersSecret()
    {
        var request = await DeliverCapturedAsync(Secret);

        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal(Pos.Endpoint, request.Uri);
        Assert.Equal("application/cloudevents+json", request.ContentType!.MediaType);
        Assert.Equal(WebhookPriceChannel.Body(PriceChanges.Sample()), request.Body);
        Assert.Equal("msg_chg-1_pos-0001", request.Headers["webhook-id"].ToString());
        Assert.StartsWith("v1,", request.Headers["webhook-signature"].ToString(), StringComparison.Ordinal);

        // Throws if the signature or its timestamp does not hold.
        new StandardWebhook(Secret).Verify(Encoding.UTF8.GetString(request.Body), request.Headers);
    }

    [Fact]
    public async Task Deliver_SignedRequest_IsRejectedWithAnotherSecret()
    {
        var request = await DeliverCapturedAsync(Secret);

        Assert.Throws<WebhookVerificationException>(() => new StandardWebhook(OtherSecret).Verify(Encoding.UTF8.GetString(request.Body), request.Headers));
    }

    [Fact]
    public async Task Deliver_SignedRequest_IsRejectedWhenTheBodyIsTampered()
    {
        var request = await DeliverCapturedAsync(Secret);
        var tampered = Encoding.UTF8.GetString(request.Body).Replace("9.99", "0.99", StringComparison.Ordinal);

        Assert.NotEqual(Encoding.UTF8.GetString(request.Body), tampered);
        Assert.Throws<WebhookVerificationException>(() => new StandardWebhook(Secret).Verify(tampered, request.Headers));
    }

    [Fact]
    public async Task Deliver_SameChangeTwice_KeepsTheWebhookIdSoTheSubscriberCanDropTheRepeat()
    {
        var handler = new CapturingHandler();
        var channel = new WebhookPriceChannel(new HttpClient(handler), TimeProvider.System);

        await channel.DeliverAsync(PriceChanges.Sample(), Pos, [Secret], CancellationToken.None);
        await channel.DeliverAsync(PriceChanges.Sample(), Pos, [Secret], CancellationToken.None);
        await channel.DeliverAsync(PriceChanges.Sample(), Pos with { Id = "web-catalogue" }, [Secret], CancellationToken.None);

        Assert.Equal(
            ["msg_chg-1_pos-0001", "msg_chg-1_pos-0001", "msg_chg-1_web-catalogue"],
            handler.Requests.Select(request => request.Headers["webhook-id"].ToString()));
    }

    [Theory]
    [InlineData(HttpStatusCode.OK, AttemptOutcome.Delivered)]
    [InlineData(HttpStatusCode.Accepted, AttemptOutcome.Delivered)]
    [InlineData(HttpStatusCode.TooManyRequests, AttemptOutcome.Transient)]
    [InlineData(HttpStatusCode.BadGateway, AttemptOutcome.Transient)]
    [InlineData(HttpStatusCode.Unauthorized, AttemptOutcome.Permanent)]
    [InlineData(HttpStatusCode.Gone, AttemptOutcome.Permanent)]
    public async Task Deliver_ClassifiesTheSubscribersAnswer(HttpStatusCode status, AttemptOutcome outcome)
    {
        var handler = new CapturingHandler { Status = status };
        var channel = new WebhookPriceChannel(new HttpClient(handler), TimeProvider.System);

        var attempt = await channel.DeliverAsync(PriceChanges.Sample(), Pos, [Secret], CancellationToken.None);

        Assert.Equal((outcome, (int?)status), (attempt.Outcome, attempt.StatusCode));
    }

    [Fact]
    public async Task Deliver_ConnectionRefused_IsTransientRatherThanThrown()
    {
        var handler = new CapturingHandler { Failure = new HttpRequestException("Connection refused (pos.example:443)") };
        var channel = new WebhookPriceChannel(new HttpClient(handler), TimeProvider.System);

        var attempt = await channel.DeliverAsync(PriceChanges.Sample(), Pos, [Secret], CancellationToken.None);

        Assert.Equal((AttemptOutcome.Transient, (int?)null), (attempt.Outcome, attempt.StatusCode));
        Assert.Contains("Connection refused", attempt.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deliver_WhileTheSecretRotates_SignedWithBoth_AStandardVerifierAcceptsEither()
    {
        const string Previous = "whsec_dGhlIHByZXZpb3VzIHNpZ25pbmcga2V5IQ==";
        var request = await DeliverCapturedAsync(Secret, Previous);

        // Space-separated v1 entries, as Standard Webhooks allows; a receiver on either secret verifies, no other does.
        Assert.Equal(2, request.Headers["webhook-signature"].ToString().Split(' ').Where(entry => entry.StartsWith("v1,", StringComparison.Ordinal)).Distinct().Count());
        new StandardWebhook(Secret).Verify(Encoding.UTF8.GetString(request.Body), request.Headers);
        new StandardWebhook(Previous).Verify(Encoding.UTF8.GetString(request.Body), request.Headers);
        Assert.Throws<WebhookVerificationException>(() => new StandardWebhook(OtherSecret).Verify(Encoding.UTF8.GetString(request.Body), request.Headers));
    }

    private static async Task<CapturedRequest> DeliverCapturedAsync(params string[] secrets)
    {
        var handler = new CapturingHandler();

        // The real clock: Verify refuses timestamps more than five minutes from now.
        var channel = new WebhookPriceChannel(new HttpClient(handler), TimeProvider.System);
        var attempt = await channel.DeliverAsync(PriceChanges.Sample(), Pos, secrets, CancellationToken.None);

        Assert.Equal(AttemptOutcome.Delivered, attempt.Outcome);
        return Assert.Single(handler.Requests);
    }
}
