using Azure.Data.Tables;
using OmniChannel.Azure.Cosmos;
using OmniChannel.Core;
using OmniChannel.Core.Ports;
using OmniChannel.Core.Prices;
using OmniChannel.Core.Remarketing;
using OmniChannel.Core.Stores;
using OmniChannel.Local.EventLog;

namespace OmniChannel.Local.Hosting;

/// <summary>
/// Makes local state consistent before the API opens. The Cosmos protocol server keeps everything in memory while
/// Azurite persists: when Cosmos comes up empty, every checkpoint is rewound and the durable local event log is
/// ingested again, which rebuilds events, profiles, identity links and inventory exactly as they were (ingest is
/// idempotent). Nothing then points at Cosmos documents that vanished.
/// </summary>
public static class LocalBootstrapper
{
    public sealed record Outcome(bool CosmosWasEmpty, long EventsToReplay, int StoresSeeded, int SubscribersSeeded);

    public static async Task<Outcome> RunAsync(IServiceProvider services, LocalOptions options, Uri subscriberSimulator, CancellationToken cancellationToken)
    {
        var cosmosWasEmpty = await services.GetRequiredService<CosmosDatabaseAccessor>().InitializeAsync(cancellationToken);
        var tables = services.GetRequiredService<TableServiceClient>();
        foreach (var table in OmniChannelNames.Tables.All)
        {
            await tables.CreateTableIfNotExistsAsync(table, cancellationToken);
        }

        var log = services.GetRequiredService<FileEventLog>();
        await log.InitializeAsync(cancellationToken);
        long replay = 0;
        if (cosmosWasEmpty && log.TotalEvents > 0)
        {
            await log.RewindAsync(cancellationToken);
            replay = log.TotalEvents;
        }

        var seeded = 0;
        var subscribersSeeded = 0;
        if (options.Seed)
        {
            var stores = StoreSeed.Generate(options.SeedStores);
            await services.GetRequiredService<IStoreDirectory>().UpsertAsync(stores, cancellationToken);
            seeded = stores.Count;
            subscribersSeeded = await SeedSubscribersAsync(services, stores, subscriberSimulator, cancellationToken);
            await SeedExampleRuleAsync(services.GetRequiredService<IRuleStore>(), cancellationToken);
        }

        return new Outcome(cosmosWasEmpty, replay, seeded, subscribersSeeded);
    }

    /// <summary>The example remarketing rule, once: a rule marketing edited or deleted stays as they left it.</summary>
    private static async Task SeedExampleRuleAsync(IRuleStore rules, CancellationToken cancellationToken)
    {
        if ((await rules.ListAsync(cancellationToken)).Count > 0)
        {
            return;
        }

        try
        {
            await rules.SaveAsync(RuleSeed.Example, ifMatch: null, cancellationToken);
        }
        catch (StorageConflictException)
        {
            // Another start seeded it meanwhile.
        }
    }

    /// <summary>
    /// The seeded price subscribers, pointed at this run's simulator address (the port may differ between runs); a
    /// subscriber keeps its secret across runs, and one that lacks it gets one.
    /// </summary>
    private static async Task<int> SeedSubscribersAsync(IServiceProvider services, IReadOnlyList<Store> stores, Uri simulator, CancellationToken cancellationToken)
    {
        var secrets = services.GetRequiredService<ISubscriberSecretStore>();
        var subscribers = SubscriberSeed.Generate(stores, simulator, services.GetRequiredService<TimeProvider>().GetUtcNow());
        await Parallel.ForEachAsync(subscribers, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (subscriber, token) =>
        {
            if (await secrets.GetAsync(subscriber.Id, token) is null)
            {
                await secrets.SetAsync(subscriber.Id, SubscriberAdmin.NewSecret(), token);
            }
        });
        await services.GetRequiredService<ISubscriberRegistry>().UpsertAsync(subscribers, cancellationToken);
        return subscribers.Count;
    }
}
