using OmniChannel.Azure.Webhooks;
using OmniChannel.Core.Prices;
using OmniChannel.Simulation.Subscribers;

namespace OmniChannel.Simulation.Tests.Subscribers;

/// <summary>
/// The real webhook channel over real HTTP to the subscriber simulator on Kestrel at a free loopback port, served the
/// way <c>simulate-prices --simulator-port</c> serves it (its own web app, the secrets it was handed).
/// </summary>
public sealed class SubscriberSimulatorLoopbackTests : IAsyncLifetime
{
    private readonly Dictionary<string, string> _secrets = new(StringComparer.Ordinal)
    {
        ["pos-0001"] = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
        ["web-catalogue"] = "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD",
    };

    private readonly HttpClient _http = new();
    private StandaloneSubscriberSimulator _server = null!;
    private SubscriberSimulator _simulator = null!;
    private WebhookPriceChannel _channel = null!;

    public async Task InitializeAsync()
    {
        // No injected failures unless an endpoint asks for them in its query string.
        _server = await StandaloneSubscriberSimulator.StartAsync(0, CancellationToken.None);
        foreach (var (id, secret) in _secrets)
        {
            _server.Add(id, secret);
        }

        _simulator = _server.Simulator;
        _channel = new WebhookPriceChannel(_http, TimeProvider.System);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Deliver_WithTheSubscribersSecret_IsDeliveredAndTheSimulatorHasTheCloudEvent()
    {
        var attempt = await _channel.DeliverAsync(PriceChanges.Sample(), Subscriber("pos-0001"), [_secrets["pos-0001"]], CancellationToken.None);

        Assert.Equal((AttemptOutcome.Delivered, (int?)204), (attempt.Outcome, attempt.StatusCode));
        var received = Assert.Single(_simulator.Deliveries("pos-0001"));
        Assert.Equal(("omni.price.changed", "chg-1", "msg_chg-1_pos-0001", 1), (received.EventType, received.EventId, received.WebhookId, received.Attempt));
        Assert.Equal("region:NY", received.Data.GetProperty("scope").GetString());
        Assert.Equal(
            [("SKU-1", 9.99m, "USD"), ("SKU-2", 120m, "EUR")],
            received.Data.GetProperty("items").EnumerateArray().Select(item => (item.GetProperty("sku").GetString(), item.GetProperty("price").GetDecimal(), item.GetProperty("currency").GetString())));
        Assert.Equal(0, _simulator.Summary().BadSignatures);
    }

    [Fact]
    public async Task Deliver_WithAnotherSubscribersSecret_IsRefused401AndClassifiedPermanent()
    {
        var attempt = await _channel.DeliverAsync(PriceChanges.Sample(), Subscriber("pos-0001"), [_secrets["web-catalogue"]], CancellationToken.None);

        Assert.Equal((AttemptOutcome.Permanent, (int?)401), (attempt.Outcome, attempt.StatusCode));
        Assert.Empty(_simulator.Deliveries());
        Assert.Equal(1, _simulator.Summary().BadSignatures);
    }

    [Fact]
    public async Task Deliver_ToAnEndpointFailingTransiently_Gets503AndIsClassifiedTransient()
    {
        var attempt = await _channel.DeliverAsync(PriceChanges.Sample(), Subscriber("pos-0001", "?transient=1"), [_secrets["pos-0001"]], CancellationToken.None);

        Assert.Equal((AttemptOutcome.Transient, (int?)503), (attempt.Outcome, attempt.StatusCode));
        Assert.Empty(_simulator.Deliveries());
        Assert.Equal(1, _simulator.Summary().TransientFailures);
    }

    [Fact]
    public async Task Deliver_ToAGoneEndpoint_Gets410AndIsClassifiedPermanent()
    {
        var attempt = await _channel.DeliverAsync(PriceChanges.Sample(), Subscriber("pos-0001", "?permanent=1"), [_secrets["pos-0001"]], CancellationToken.None);

        Assert.Equal((AttemptOutcome.Permanent, (int?)410), (attempt.Outcome, attempt.StatusCode));
        Assert.Equal(1, _simulator.Summary().PermanentFailures);
    }

    [Fact]
    public async Task Deliver_ToASubscriberTheSimulatorDoesNotKnow_Gets404AndIsClassifiedPermanent()
    {
        var attempt = await _channel.DeliverAsync(PriceChanges.Sample(), Subscriber("pos-9999"), [_secrets["pos-0001"]], CancellationToken.None);

        Assert.Equal((AttemptOutcome.Permanent, (int?)404), (attempt.Outcome, attempt.StatusCode));
    }

    [Fact]
    public async Task Deliver_Repeated_IsAcknowledgedButRecordedOnce()
    {
        var subscriber = Subscriber("pos-0001");

        var first = await _channel.DeliverAsync(PriceChanges.Sample(), subscriber, [_secrets["pos-0001"]], CancellationToken.None);
        var repeat = await _channel.DeliverAsync(PriceChanges.Sample(), subscriber, [_secrets["pos-0001"]], CancellationToken.None);

        Assert.Equal((AttemptOutcome.Delivered, AttemptOutcome.Delivered), (first.Outcome, repeat.Outcome));
        Assert.Single(_simulator.Deliveries("pos-0001"));
        Assert.Equal((1, 1), (_simulator.Summary().Delivered, _simulator.Summary().Duplicates));
    }

    private PriceSubscriber Subscriber(string id, string query = "") =>
        new(id, SubscriberKind.Pos, PriceScope.ForStore("0001"), new Uri($"{_server.BaseUrl}/{id}{query}"), Enabled: true, DateTimeOffset.UnixEpoch);
}
