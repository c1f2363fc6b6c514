using OmniChannel.Core.Prices;
using OmniChannel.Core.UnitTests.Builders;
using OmniChannel.TestSupport.Fakes;

namespace OmniChannel.Core.UnitTests.Prices;

public sealed class SubscriberAdminTests
{
    private static readonly SubscriberRequest Pos = new("pos-0001", SubscriberKind.Pos, PriceScope.ForStore("0001"), new Uri("https://pos.example/prices"), Enabled: true);

    private readonly InMemorySubscriberRegistry _registry = new();
    private readonly InMemorySubscriberSecretStore _secrets = new();
    private readonly Microsoft.Extensions.Time.Testing.FakeTimeProvider _clock = TestClock.Create();
    private readonly SubscriberAdmin _admin;

    public SubscriberAdminTests() => _admin = new SubscriberAdmin(_registry, _secrets, _clock);

    [Fact]
    public async Task Put_NewSubscriber_AnswersAStandardWebhooksSecretAndKeepsIt()
    {
        var (subscriber, secret) = await _admin.PutAsync(Pos, CancellationToken.None);

        Assert.NotNull(secret);
        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        Assert.Equal(32, Convert.FromBase64String(secret["whsec_".Length..]).Length);
        Assert.Equal(secret, await _secrets.GetAsync("pos-0001", CancellationToken.None));
        Assert.Equal(TestClock.Now, subscriber.CreatedAt);
        Assert.Equal(subscriber, await _registry.GetAsync("pos-0001", CancellationToken.None));
    }

    [Fact]
    public async Task Put_ExistingSubscriber_ReplacesItButNeitherAnswersNorChangesTheSecret()
    {
        var (_, secret) = await _admin.PutAsync(Pos, CancellationToken.None);
        _clock.Advance(TimeSpan.FromDays(1));

        var (replaced, again) = await _admin.PutAsync(Pos with { Endpoint = new Uri("https://pos2.example/prices"), Enabled = false }, CancellationToken.None);

        Assert.Null(again);
        Assert.Equal(secret, await _secrets.GetAsync("pos-0001", CancellationToken.None));
        Assert.Equal((new Uri("https://pos2.example/prices"), false, TestClock.Now), (replaced.Endpoint, replaced.Enabled, replaced.CreatedAt));
    }

    [Fact]
    public async Task Put_ExistingSubscriberWhoseSecretWasLost_MakesANewOne()
    {
        await _admin.PutAsync(Pos, CancellationToken.None);
        await _secrets.DeleteAsync("pos-0001", CancellationToken.None);

        var (_, secret) = await _admin.PutAsync(Pos, CancellationToken.None);

        Assert.NotNull(secret);
        Assert.Equal(secret, await _secrets.GetAsync("pos-0001", CancellationToken.None));
    }

    [Fact]
    public async Task Delete_RemovesTheSubscriberAndItsSecret()
    {
        await _admin.PutAsync(Pos, CancellationToken.None);

        Assert.True(await _admin.DeleteAsync("pos-0001", CancellationToken.None));
        Assert.False(await _admin.DeleteAsync("pos-0001", CancellationToken.None));
        Assert.Null(await _registry.GetAsync("pos-0001", CancellationToken.None));
        Assert.Null(await _secrets.GetAsync("pos-0001", CancellationToken.None));
    }

    [Fact]
    public void NewSecret_IsDifferentEachTime()
    {
        Assert.NotEqual(SubscriberAdmin.NewSecret(), SubscriberAdmin.NewSecret());
    }
}
