using Azure;
using Azure.Data.Tables;
using System.Globalization;
using Azure.Storage.Queues;
using OmniChannel.LocalServers;

namespace OmniChannel.Azure.IntegrationTests.Tables;

/// <summary>
/// The local Azurite (<see cref="AzuriteVariant.Patched"/>) answers a table query pinned to one partition from that
/// partition alone, looks single entities up by partition first, and spares its queues index rebuilds and scans
/// (tools/azurite-server.js). These tests hold it to Azurite as published: the same seeded table in both, the same
/// queries, and every page (entities, order, continuation token) must be equal; the same point reads and writes
/// must answer the same; the same queue operations must see the same messages; expired messages must still go.
/// </summary>
public sealed class PatchedAzuriteTests(PatchedAzuriteTests.TwoAzurites azurites)
    : IClassFixture<PatchedAzuriteTests.TwoAzurites>
{
    // Keys a binary index could order differently from Azurite's string comparison: numeric-looking ones (the Loki
    // index compares those as numbers), the empty key, a quote, non-ASCII, case variants.
    private static readonly string[] Partitions =
    [
        "p00", "p01", "p02", "p03", "p04", "p05", "p06", "p07", "p08", "p09",
        "1", "1.0", "01", "2", "10", "1x", "0x1", "1e3", "1000", "-0", " ", "", "x'y", "é", "Ab", "ab", "AB",
    ];

    public static TheoryData<string?> Filters => new(
        null,
        "PartitionKey eq 'p03'",
        "PartitionKey eq 'p03' and RowKey ge 'r07'",
        "(PartitionKey eq 'p04') and (Number lt 3 or Kind eq 'b')",
        "Number gt 2 and PartitionKey eq '10'",
        "RowKey lt 'r05' and (Kind eq 'a' and PartitionKey eq 'p05')",
        "PartitionKey eq '1'",
        "PartitionKey eq '1.0'",
        "PartitionKey eq '01'",
        "PartitionKey eq '1e3'",
        "PartitionKey eq '-0'",
        "PartitionKey eq ' '",
        "PartitionKey eq ''",
        "PartitionKey eq 'x''y'",
        "PartitionKey eq 'é'",
        "PartitionKey eq 'ab'",
        "'p06' eq PartitionKey",
        "PartitionKey eq 'missing'",
        "PartitionKey eq 'p01' and PartitionKey eq 'p02'",
        "PartitionKey eq 'p01' or PartitionKey eq 'p02'",
        "not (PartitionKey eq 'p03') and RowKey eq 'r01'",
        "PartitionKey ge 'p02' and PartitionKey lt 'p05'",
        "PartitionKey ne 'p02' and Number eq 1",
        "RowKey eq 'r03'",
        "partitionkey eq 'p01'",
        "PartitionKey eq 1",
        "Kind eq 'b'");

    [Theory]
    [MemberData(nameof(Filters))]
    public async Task Query_PagesOfAnySize_SameAsPublishedAzurite(string? filter)
    {
        foreach (var pageSize in new int?[] { 1, 3, 7, null })
        {
            var expected = await ReadPagesAsync(azurites.AsPublished, filter, pageSize);
            var actual = await ReadPagesAsync(azurites.Patched, filter, pageSize);
            Assert.Equal(expected, actual);
        }
    }

    [Fact]
    public async Task Query_RandomAndChainsWithPinnedPartition_SameAsPublishedAzurite()
    {
        // Seeded, so a failure names a reproducible filter.
        var random = new Random(20);
        string[] conditions =
        [
            "RowKey ge 'r04'", "RowKey lt 'r09'", "Number gt 1", "Number le 3", "Kind eq 'a'", "Kind ne 'c'",
            "(Number eq 0 or Number eq 4)", "not (Kind eq 'b')", "PartitionKey ge 'p03'", "PartitionKey lt 'p'",
        ];

        for (var i = 0; i < 40; i++)
        {
            var partition = Partitions[random.Next(Partitions.Length)].Replace("'", "''", StringComparison.Ordinal);
            var terms = conditions.OrderBy(_ => random.Next()).Take(random.Next(0, 3)).ToList();
            terms.Insert(random.Next(terms.Count + 1), $"PartitionKey eq '{partition}'");
            var filter = string.Join(" and ", terms);
            var pageSize = random.Next(1, 6);

            var expected = await ReadPagesAsync(azurites.AsPublished, filter, pageSize);
            var actual = await ReadPagesAsync(azurites.Patched, filter, pageSize);
            Assert.True(expected.SequenceEqual(actual), $"filter \"{filter}\", page size {pageSize}");
        }
    }

    [Fact]
    public async Task Query_AfterDeletesAndReinserts_SameAsPublishedAzurite()
    {
        // The partition index must follow removals and later inserts, as the Durable backend's history does.
        foreach (var table in new[] { azurites.AsPublished, azurites.Patched })
        {
            await table.DeleteEntityAsync("p07", "r02");
            await table.DeleteEntityAsync("1", "r05");
            await table.UpsertEntityAsync(Entity("p07", "r02b", 9));
            await table.UpsertEntityAsync(Entity("1", "r00", 8), TableUpdateMode.Replace);
        }

        foreach (var filter in new[] { "PartitionKey eq 'p07'", "PartitionKey eq '1'", "PartitionKey eq '1.0'" })
        {
            Assert.Equal(await ReadPagesAsync(azurites.AsPublished, filter, 2), await ReadPagesAsync(azurites.Patched, filter, 2));
        }
    }

    [Fact]
    public async Task ReceiveAndPeek_MessageExpired_GoneAsInPublishedAzurite()
    {
        foreach (var server in new[] { azurites.AsPublishedServer, azurites.PatchedServer })
        {
            var queue = new QueueServiceClient(server.ConnectionString).GetQueueClient("expiry-" + Guid.NewGuid().ToString("N"));
            await queue.CreateAsync();
            await queue.SendMessageAsync("expiring", timeToLive: TimeSpan.FromSeconds(1));
            await queue.SendMessageAsync("kept");
            Assert.Equal(["expiring", "kept"], (await queue.PeekMessagesAsync(32)).Value.Select(m => m.MessageText));

            await Task.Delay(TimeSpan.FromSeconds(2.5));

            Assert.Equal(["kept"], (await queue.PeekMessagesAsync(32)).Value.Select(m => m.MessageText));
            var received = (await queue.ReceiveMessagesAsync(32, TimeSpan.FromSeconds(30))).Value;
            Assert.Equal(["kept"], received.Select(m => m.MessageText));
            await queue.DeleteMessageAsync(received[0].MessageId, received[0].PopReceipt);
            Assert.Empty((await queue.PeekMessagesAsync(32)).Value);
        }
    }

    [Fact]
    public async Task PointReadsAndWrites_RowKeysRepeatedInEveryPartition_SameAsPublishedAzurite()
    {
        // The patched point lookup narrows by PartitionKey first; as in the Durable history, every partition holds
        // the same row keys, numeric-looking ones included (Loki's index compares "1" and "01" as numbers).
        string[] partitions = ["h1", "h2", "1", "01", "1.0", ""];
        string[] rows = ["0000000000000000", "0000000000000001", "1", "01", "r"];
        var expected = await PointOperationsAsync(azurites.AsPublishedServer, partitions, rows);
        var actual = await PointOperationsAsync(azurites.PatchedServer, partitions, rows);
        Assert.Equal(expected, actual);
        Assert.Contains(expected, line => line.Contains("412", StringComparison.Ordinal));
        Assert.Contains(expected, line => line.Contains("409", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ReceivePeekUpdateDelete_SeveralQueues_SameMessagesAsPublishedAzurite()
    {
        // Batches dequeued (one message at a time in the patched variant), queues found by name, expiry checked only
        // when due: the same messages, in the same order, with the same dequeue counts, as published Azurite.
        var expected = await QueueOperationsAsync(azurites.AsPublishedServer);
        var actual = await QueueOperationsAsync(azurites.PatchedServer);
        Assert.Equal(expected, actual);
        Assert.DoesNotContain(expected, line => line.Contains("expiring late", StringComparison.Ordinal));
    }

    // Reads, replaces, merges, deletes and inserts of single entities, with right and stale ETags, and what each
    // answered (properties or error status), in order.
    private static async Task<List<string>> PointOperationsAsync(AzuriteServer server, string[] partitions, string[] rows)
    {
        var table = new TableServiceClient(server.ConnectionString).GetTableClient("pointoperations");
        await table.CreateIfNotExistsAsync();
        var log = new List<string>();
        async Task Record(string what, Func<Task<string>> operation)
        {
            try
            {
                log.Add($"{what}: {await operation()}");
            }
            catch (RequestFailedException e)
            {
                log.Add($"{what}: failed {e.Status} {e.ErrorCode}");
            }
        }

        var number = 0;
        foreach (var partition in partitions)
        {
            await table.SubmitTransactionAsync(rows.Select(row => new TableTransactionAction(TableTransactionActionType.Add, Entity(partition, row, number++))));
        }

        async Task<string> Read(string partition, string row)
        {
            var entity = (await table.GetEntityAsync<TableEntity>(partition, row)).Value;
            return $"{entity.PartitionKey}|{entity.RowKey}|{entity.GetInt32("Number")}|{entity.GetString("Kind")}";
        }

        foreach (var partition in partitions.Append("h3"))
        {
            foreach (var row in rows.Append("0000000000000002"))
            {
                await Record($"read {partition}/{row}", () => Read(partition, row));
            }
        }

        foreach (var (partition, row) in new[] { ("h2", "1"), ("01", "0000000000000001"), ("", "r"), ("1.0", "01") })
        {
            var stale = (await table.GetEntityAsync<TableEntity>(partition, row)).Value.ETag;
            await Record($"replace {partition}/{row}", async () => (await table.UpdateEntityAsync(Entity(partition, row, 100), stale, TableUpdateMode.Replace)).Status.ToString(CultureInfo.InvariantCulture));
            await Record($"replace {partition}/{row} with a stale etag", async () => (await table.UpdateEntityAsync(Entity(partition, row, 101), stale, TableUpdateMode.Replace)).Status.ToString(CultureInfo.InvariantCulture));
            var current = (await table.GetEntityAsync<TableEntity>(partition, row)).Value.ETag;
            await Record($"merge {partition}/{row}", async () => (await table.UpdateEntityAsync(new TableEntity(partition, row) { ["Kind"] = "m" }, current, TableUpdateMode.Merge)).Status.ToString(CultureInfo.InvariantCulture));
            await Record($"delete {partition}/{row} with a stale etag", async () => (await table.DeleteEntityAsync(partition, row, current)).Status.ToString(CultureInfo.InvariantCulture));
            await Record($"insert {partition}/{row} again", async () => (await table.AddEntityAsync(Entity(partition, row, 102))).Status.ToString(CultureInfo.InvariantCulture));
            await Record($"read {partition}/{row}", () => Read(partition, row));
            await Record($"delete {partition}/{row}", async () => (await table.DeleteEntityAsync(partition, row, ETag.All)).Status.ToString(CultureInfo.InvariantCulture));
            await Record($"read {partition}/{row} after delete", () => Read(partition, row));
            await Record($"upsert {partition}/{row}", async () => (await table.UpsertEntityAsync(Entity(partition, row, 103))).Status.ToString(CultureInfo.InvariantCulture));
        }

        foreach (var partition in partitions)
        {
            foreach (var row in rows)
            {
                await Record($"read {partition}/{row} at the end", () => Read(partition, row));
            }
        }

        return log;
    }

    // Messages sent to three queues (visible ones, durable-timer-like ones hidden for hours that never expire), then
    // peeked, received in batches, made visible again, deleted; later one message that expires in 2 s is sent to
    // each queue, read back once it is due. What each step saw, in order. No step depends on how fast the machine is:
    // nothing becomes visible or expires by itself while the steps run, except the late messages, read only after.
    private static async Task<List<string>> QueueOperationsAsync(AzuriteServer server)
    {
        var service = new QueueServiceClient(server.ConnectionString);
        var queues = new[] { "control-00", "control-01", "workitems" }.Select(name => service.GetQueueClient($"{name}-{Guid.NewGuid():N}")).ToArray();
        var log = new List<string>();
        foreach (var queue in queues)
        {
            await queue.CreateAsync();
        }

        for (var i = 0; i < 24; i++)
        {
            var timer = i % 3 == 1;
            await queues[i % queues.Length].SendMessageAsync(
                $"{(timer ? "timer" : "visible")} {i}",
                timer ? TimeSpan.FromHours(2) : null,
                timer ? TimeSpan.FromSeconds(-1) : null);
        }

        async Task Step(string what)
        {
            foreach (var queue in queues)
            {
                var peeked = (await queue.PeekMessagesAsync(32)).Value;
                log.Add($"{what}, peek {queue.Name[..10]}: {string.Join(", ", peeked.Select(m => $"{m.MessageText} ({m.DequeueCount})"))}");
                var received = (await queue.ReceiveMessagesAsync(3, TimeSpan.FromHours(1))).Value;
                log.Add($"{what}, receive {queue.Name[..10]}: {string.Join(", ", received.Select(m => $"{m.MessageText} ({m.DequeueCount})"))}");
                if (received.Length > 1)
                {
                    await queue.UpdateMessageAsync(received[0].MessageId, received[0].PopReceipt, visibilityTimeout: TimeSpan.Zero);
                    await queue.DeleteMessageAsync(received[1].MessageId, received[1].PopReceipt);
                }
            }
        }

        await Step("first");
        await Step("second");
        await Step("third");

        // Sent once every message left expires never: the queues' expiry must still count these.
        foreach (var queue in queues)
        {
            await queue.SendMessageAsync("expiring late", timeToLive: TimeSpan.FromSeconds(2));
        }

        await Task.Delay(TimeSpan.FromSeconds(3.5));
        await Step("after the late ones expired");
        foreach (var queue in queues)
        {
            log.Add($"{queue.Name[..10]} holds {(await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount}");
            await queue.DeleteAsync();
        }

        return log;
    }

    // Every page of the query: its entities (keys and properties) in order, and the continuation token after it;
    // or the error status when the query is refused.
    private static async Task<List<string>> ReadPagesAsync(TableClient table, string? filter, int? pageSize)
    {
        var pages = new List<string>();
        try
        {
            await foreach (var page in table.QueryAsync<TableEntity>(filter, pageSize).AsPages())
            {
                var rows = page.Values.Select(e => $"{e.PartitionKey}|{e.RowKey}|{e.GetInt32("Number")}|{e.GetString("Kind")}");
                pages.Add($"[{string.Join(", ", rows)}] next: {page.ContinuationToken}");
            }
        }
        catch (RequestFailedException e)
        {
            pages.Add($"failed: {e.Status} {e.ErrorCode}");
        }

        return pages;
    }

    private static TableEntity Entity(string partition, string row, int number) =>
        new(partition, row) { ["Number"] = number, ["Kind"] = "abc"[number % 3].ToString() };

    /// <summary>Two Azurites, one of each query path, each holding the same table.</summary>
    public sealed class TwoAzurites : IAsyncLifetime
    {
        private readonly string _root = Path.Combine(Path.GetTempPath(), "omnichannel-azurite-variants-" + Guid.NewGuid().ToString("N"));
        public AzuriteServer AsPublishedServer { get; private set; } = null!;

        public AzuriteServer PatchedServer { get; private set; } = null!;

        public TableClient AsPublished { get; private set; } = null!;

        public TableClient Patched { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
            AsPublishedServer = await AzuriteServer.StartAsync(
                Path.Combine(_root, "as-published"), null, null, null, AzuriteVariant.AsPublished, timeout.Token);
            PatchedServer = await AzuriteServer.StartAsync(
                Path.Combine(_root, "patched"), null, null, null, AzuriteVariant.Patched, timeout.Token);
            AsPublished = await SeedAsync(AsPublishedServer);
            Patched = await SeedAsync(PatchedServer);
        }

        public async Task DisposeAsync()
        {
            foreach (var server in new AzuriteServer?[] { AsPublishedServer, PatchedServer })
            {
                if (server is not null)
                {
                    await server.DisposeAsync();
                }
            }

            try
            {
                Directory.Delete(_root, recursive: true);
            }
            catch (IOException)
            {
                // A file still held by a stopping server: the temp folder is cleaned by the OS.
            }
        }

        // The same entities in the same order (Loki's insertion order is what a full scan meets first), written in
        // batches per partition as the Durable backend writes history; 12 rows in each partition.
        private static async Task<TableClient> SeedAsync(AzuriteServer server)
        {
            var table = new TableServiceClient(server.ConnectionString).GetTableClient("partitionqueries");
            await table.CreateIfNotExistsAsync();
            foreach (var partition in Partitions)
            {
                var rows = Enumerable.Range(0, 12)
                    .Select(i => new TableTransactionAction(TableTransactionActionType.Add, Entity(partition, $"r{i:00}", i % 5)));
                await table.SubmitTransactionAsync(rows);
            }

            return table;
        }
    }
}
