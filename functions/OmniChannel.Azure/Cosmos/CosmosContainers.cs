using OmniChannel.Core;

namespace OmniChannel.Azure.Cosmos;

/// <summary>Every Cosmos container the code uses; infra/ declares the same ones and a test checks they agree.</summary>
public static class CosmosContainers
{
    /// <summary>Every event once; partitioned by the event's strongest identity (or store), id = hashed source + id.</summary>
    public static ContainerDefinition Events { get; } = new(OmniChannelNames.Containers.Events, "/pk", ["/pk/?", "/sortKey/?"]);

    /// <summary>Customer 360 documents, read by id only.</summary>
    public static ContainerDefinition Profiles { get; } = new(OmniChannelNames.Containers.Profiles, "/id", []);

    /// <summary>Identity → profile links, read by id only.</summary>
    public static ContainerDefinition Identities { get; } = new(OmniChannelNames.Containers.Identities, "/id", []);

    /// <summary>Stock per store and SKU; partitioned by store so a store's queries and reservations stay in one partition.</summary>
    public static ContainerDefinition Inventory { get; } = new(OmniChannelNames.Containers.Inventory, "/storeId", ["/storeId/?", "/sku/?", "/reserved/?"]);

    /// <summary>Poison events with their reason, partitioned by day for listing and replay.</summary>
    public static ContainerDefinition DeadLetters { get; } = new(OmniChannelNames.Containers.DeadLetters, "/day", ["/day/?", "/failedAt/?"]);

    /// <summary>Pickup orders, read by id.</summary>
    public static ContainerDefinition Orders { get; } = new(OmniChannelNames.Containers.Orders, "/id", []);

    /// <summary>
    /// A projection of the open pickup orders, partitioned by store so a store's queue is one query in one partition;
    /// id = the order's id, sorted by when it was placed. The order documents stay the truth.
    /// </summary>
    public static ContainerDefinition StoreOrders { get; } = new(OmniChannelNames.Containers.StoreOrders, "/storeId", ["/storeId/?", "/sortKey/?"]);

    /// <summary>Effective-dated prices, partitioned by SKU; queried by SKU and effective time only.</summary>
    public static ContainerDefinition Prices { get; } = new(OmniChannelNames.Containers.Prices, "/sku", ["/sku/?", "/effectiveKey/?"]);

    /// <summary>Price changes, read by id.</summary>
    public static ContainerDefinition PriceChanges { get; } = new(OmniChannelNames.Containers.PriceChanges, "/id", []);

    /// <summary>
    /// Erasures: tombstones of erased identities (partition <c>tombstones</c>, id = a hash of the key, sorted by when
    /// written, so ingest reads only the new ones) and erasures in progress (partition <c>jobs</c>).
    /// </summary>
    public static ContainerDefinition Erasures { get; } = new(OmniChannelNames.Containers.Erasures, "/pk", ["/pk/?", "/sortKey/?"]);

    public static IReadOnlyList<ContainerDefinition> All { get; } = [Events, Profiles, Identities, Inventory, DeadLetters, Orders, StoreOrders, Prices, PriceChanges, Erasures];
}
