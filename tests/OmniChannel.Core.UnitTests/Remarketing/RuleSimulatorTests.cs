using Moq;
using OmniChannel.Core.Events;
using OmniChannel.Core.Identity;
using OmniChannel.Core.Ports;
using OmniChannel.Core.Remarketing;
using OmniChannel.Core.UnitTests.Builders;
using static OmniChannel.Core.UnitTests.Remarketing.RemarketingTestData;

namespace OmniChannel.Core.UnitTests.Remarketing;

public sealed class RuleSimulatorTests
{
    private readonly RemarketingTestData _data = new();
    private readonly Mock<IEventHistory> _history = new();
    private readonly RuleSimulator _simulator;

    public RuleSimulatorTests() => _simulator = new RuleSimulator(_history.Object, _data.Service, new PersonResolver(_data.Stitcher));

    [Fact]
    public async Task SimulateAsync_GeofenceWithOnlyADeviceOfAKnownCustomer_WouldFireForThatCustomer()
    {
        _data.SeedCustomer();
        _data.Inventory.Stock(Near.Id, "SKU-1", 5);
        await _data.LinkDeviceAsync("d-1");
        await HistoryHoldsAsync(CloudEventBuilder.Of(EventTypes.GeofenceEntered).WithId("geo-1").Anonymous("d-1"));

        var simulation = await SimulateAsync();

        var signal = Assert.Single(simulation.Results);
        Assert.True(signal.WouldFire, signal.Reason);
        Assert.Equal(("device:d-1", CustomerId, Near.Id), (signal.Identifier, signal.CustomerId, signal.StoreId));
    }

    [Fact]
    public async Task SimulateAsync_DeviceNobodySignedInOn_IsAnAnonymousVisitorWithItsIdentifier()
    {
        await HistoryHoldsAsync(CloudEventBuilder.Of(EventTypes.GeofenceEntered).WithId("geo-2").Anonymous("d-9"));

        var signal = Assert.Single((await SimulateAsync()).Results);

        Assert.False(signal.WouldFire);
        Assert.Equal(("device:d-9", null), (signal.Identifier, signal.CustomerId));
        Assert.Contains("anonymous", signal.Reason, StringComparison.Ordinal);
    }

    private Task<RuleSimulation> SimulateAsync() =>
        _simulator.SimulateAsync(GeofenceRule(), TestClock.Now.AddDays(-1), TestClock.Now, 100, CancellationToken.None);

    /// <summary>The history answers the event as the events container stores it.</summary>
    private async Task HistoryHoldsAsync(CloudEventBuilder signal)
    {
        await _data.Events.AppendAsync([Decoding.Event(signal)], CancellationToken.None);
        var stored = await _data.Events.ReadTimelineAsync(_data.Events.Events.Select(omniEvent => omniEvent.PartitionKey.ToString()).ToList(), 10, null, CancellationToken.None);
        _history.Setup(history => history.ReadRecentAsync(It.IsAny<IReadOnlyCollection<string>>(), It.IsAny<DateTimeOffset>(), It.IsAny<DateTimeOffset>(), It.IsAny<int>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(stored);
    }
}
