using OmniChannel.Core.Ports;
using OmniChannel.Core.Remarketing;
using OmniChannel.TestSupport.Fakes;

namespace OmniChannel.Core.UnitTests.Remarketing;

/// <summary>The shared fake keeps the Tables rule store's ETag rules (the integration tests check the real one the same way).</summary>
public sealed class InMemoryRuleStoreTests
{
    [Fact]
    public async Task ETags_CreateTwiceConflicts_AStaleReplaceOrDeleteIsRefused()
    {
        var store = new InMemoryRuleStore();
        var rule = RuleSeed.Example;

        var first = await store.SaveAsync(rule, null, CancellationToken.None);
        await Assert.ThrowsAsync<StorageConflictException>(() => store.SaveAsync(rule, null, CancellationToken.None));
        var second = await store.SaveAsync(rule with { Priority = 42 }, first, CancellationToken.None);
        await Assert.ThrowsAsync<PreconditionFailedException>(() => store.SaveAsync(rule with { Priority = 7 }, first, CancellationToken.None));
        await Assert.ThrowsAsync<PreconditionFailedException>(() => store.DeleteAsync(rule.Id, first, CancellationToken.None));

        var current = await store.GetAsync(rule.Id, CancellationToken.None);
        Assert.NotEqual(first, second);
        Assert.Equal((42, second), (current!.Value.Priority, current.ETag));
        Assert.Equal([second], (await store.ListAsync(CancellationToken.None)).Select(stored => stored.ETag));
        Assert.True(await store.DeleteAsync(rule.Id, second, CancellationToken.None));
        Assert.False(await store.DeleteAsync(rule.Id, null, CancellationToken.None));
        Assert.Null(await store.GetAsync(rule.Id, CancellationToken.None));
        await Assert.ThrowsAsync<PreconditionFailedException>(() => store.SaveAsync(rule, "*", CancellationToken.None));
    }
}
