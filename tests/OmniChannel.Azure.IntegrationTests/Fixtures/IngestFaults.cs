using Microsoft.Extensions.DependencyInjection;
using OmniChannel.Azure.Cosmos;
using OmniChannel.Core.Events;
using OmniChannel.Core.Ports;

namespace OmniChannel.Azure.IntegrationTests.Fixtures;

/// <summary>Where <see cref="IngestFaults"/> fails: the event store's append, the dead-letter store's write, or a reaction.</summary>
public enum IngestFaultSite
{
    EventAppend,
    DeadLetterWrite,
    Reaction,
}

/// <summary>
/// The real Cosmos event and dead-letter stores, plus a reaction, with a fault armed at one of them: its next
/// <see cref="Arm"/>ed number of calls throw the given exception before reaching the store; the calls after go through.
/// </summary>
public sealed class IngestFaults(IEventStore events, IDeadLetterStore deadLetters) : IEventStore, IDeadLetterStore, IIngestReaction
{
    private IngestFaultSite _site;
    private Func<Exception>? _fault;
    private int _remaining;

    /// <summary>Puts the faulty stores in place of the real ones (which they wrap) and adds the reaction, in a backbone's services.</summary>
    public static void Register(IServiceCollection services)
    {
        services.AddSingleton<CosmosEventStore>();
        services.AddSingleton<CosmosDeadLetterStore>();
        services.AddSingleton(provider => new IngestFaults(provider.GetRequiredService<CosmosEventStore>(), provider.GetRequiredService<CosmosDeadLetterStore>()));
        services.AddSingleton<IEventStore>(provider => provider.GetRequiredService<IngestFaults>());
        services.AddSingleton<IDeadLetterStore>(provider => provider.GetRequiredService<IngestFaults>());
        services.AddSingleton<IIngestReaction>(provider => provider.GetRequiredService<IngestFaults>());
    }

    /// <summary>How many calls at the armed site failed.</summary>
    public int Failures { get; private set; }

    /// <summary>The next <paramref name="times"/> calls at <paramref name="site"/> throw what <paramref name="fault"/> makes.</summary>
    public void Arm(IngestFaultSite site, Func<Exception> fault, int times) =>
        (_site, _fault, _remaining, Failures) = (site, fault, times, 0);

    public void Disarm() => _remaining = 0;

    public async Task<IReadOnlyList<OmniEvent>> AppendAsync(IReadOnlyList<OmniEvent> toAppend, CancellationToken cancellationToken)
    {
        ThrowIfArmed(IngestFaultSite.EventAppend);
        return await events.AppendAsync(toAppend, cancellationToken);
    }

    public Task<IReadOnlyList<TimelineEntry>> ReadTimelineAsync(IReadOnlyCollection<string> partitionKeys, int limit, string? before, CancellationToken cancellationToken) =>
        events.ReadTimelineAsync(partitionKeys, limit, before, cancellationToken);

    public Task<int> DeletePartitionAsync(string partitionKey, CancellationToken cancellationToken) =>
        events.DeletePartitionAsync(partitionKey, cancellationToken);

    public async Task WriteAsync(DeadLetter letter, CancellationToken cancellationToken)
    {
        ThrowIfArmed(IngestFaultSite.DeadLetterWrite);
        await deadLetters.WriteAsync(letter, cancellationToken);
    }

    public Task<IReadOnlyList<DeadLetter>> ListAsync(string day, int limit, CancellationToken cancellationToken) =>
        deadLetters.ListAsync(day, limit, cancellationToken);

    public Task DeleteAsync(DeadLetter letter, CancellationToken cancellationToken) =>
        deadLetters.DeleteAsync(letter, cancellationToken);

    public Task ReactAsync(IReadOnlyList<OmniEvent> reactTo, CancellationToken cancellationToken)
    {
        ThrowIfArmed(IngestFaultSite.Reaction);
        return Task.CompletedTask;
    }

    private void ThrowIfArmed(IngestFaultSite site)
    {
        if (site == _site && _fault is { } fault && Interlocked.Decrement(ref _remaining) >= 0)
        {
            Failures++;
            throw fault();
        }
    }
}
