using System.Net;
using System.Reflection;
using System.Text;
using Azure.Messaging.EventHubs;
using Microsoft.Azure.Cosmos;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Moq;
using OmniChannel.Azure.Cosmos;
using OmniChannel.Azure.EventHubs;
using OmniChannel.Azure.IntegrationTests.Fixtures;
using OmniChannel.Core.Ingest;
using OmniChannel.Core.Ports;
using OmniChannel.Functions.Ingest;
using static OmniChannel.Azure.IntegrationTests.Fixtures.Events;

namespace OmniChannel.Azure.IntegrationTests.Ingest;

/// <summary>
/// The Event Hubs trigger's own method (compiled here against a stand-in of the extension's attribute) over the real
/// Cosmos protocol server and Azurite, with one kind of failure injected at a time. The trigger checkpoints a batch
/// once the method returns (or its retry policy gives up), so whatever fails, every event must end stored, parked or
/// dead-lettered when it returns.
/// </summary>
[Collection(ServersCollection.Name)]
public sealed class IngestFunctionsTests(ServersFixture servers)
{
    public enum Failure
    {
        Transient,
        ConflictAfterItsRetries,
        UnexpectedCosmosStatus,
        UnexpectedException,
        DeadLetterWriteTransient,
        DeadLetterWriteUnexpected,
        ReactionThrows,
    }

    public static TheoryData<Failure, bool> Failures()
    {
        var data = new TheoryData<Failure, bool>();
        foreach (var failure in Enum.GetValues<Failure>())
        {
            data.Add(failure, false);
            data.Add(failure, true);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task IngestEvents_AnyFailure_EveryEventIsStoredParkedOrDeadLetteredWhenItReturns_AndAReplayAppliesTheRest(Failure failure, bool outlastsTheBudget)
    {
        await using var backbone = await Backbone.StartAsync(servers, IngestFaults.Register, new Dictionary<string, string?>
        {
            ["OmniChannel:Ingest:ParkAfter"] = "00:00:01",
            ["OmniChannel:Ingest:MaxTransientBackoff"] = "00:00:00.200",
        });
        var faults = backbone.Get<IngestFaults>();
        var run = Guid.NewGuid().ToString("N")[..8];
        var good = new[]
        {
            Viewed($"{run}-1", 1, "SKU-1", deviceId: $"dev-{run}"),
            InventoryAdjusted($"{run}-2", 2, "0001", $"SKU-{run}", 3),
            Identified($"{run}-3", 3, $"c-{run}", $"dev-{run}"),
        };
        var poisonBody = $"{{\"specversion\": \"1.0\", \"id\": \"{run}-poison\", ";
        var batch = good.Select(Backbone.ToEventData).Append(new EventData(Encoding.UTF8.GetBytes(poisonBody))).ToArray();
        var (site, fault) = Injected(failure);
        faults.Arm(site, fault, outlastsTheBudget ? int.MaxValue : 1);

        var trigger = new IngestFunctions(backbone.Get<EventHubBatchHandler>());
        await trigger.IngestEvents(batch, new Mock<DurableTaskClient>("test").Object, CancellationToken.None);

        Assert.True(faults.Failures > 0, "the fault never bit");
        var stored = await StoredAsync(backbone, run);
        var parked = (await backbone.Get<IParkedBatchStore>().ListAsync(ParkedBatchReplayer.MaxPerCall, CancellationToken.None))
            .Where(parkedBatch => parkedBatch.Messages.Any(message => message.Body.Contains(run, StringComparison.Ordinal)))
            .ToList();
        var parkedBodies = parked.SelectMany(parkedBatch => parkedBatch.Messages).Select(message => message.Body).ToList();
        foreach (var cloudEvent in good)
        {
            var id = cloudEvent["id"]!.GetValue<string>();
            Assert.True(stored.Contains(id) || parkedBodies.Any(body => body.Contains($"\"{id}\"", StringComparison.Ordinal)), $"event {id} was neither stored nor parked");
        }

        Assert.True(await DeadLetteredAsync(backbone, poisonBody) || parkedBodies.Contains(poisonBody), "the poison event was neither dead-lettered nor parked");
        Assert.Equal(outlastsTheBudget, parked.Count > 0);

        // The fault gone, a replay of what was parked applies the rest: every good event stored, the poison one dead-lettered.
        faults.Disarm();
        foreach (var parkedBatch in parked)
        {
            await backbone.Get<IngestService>().IngestAsync(parkedBatch.ToMessages(), CancellationToken.None, allowParking: false);
            await backbone.Get<IParkedBatchStore>().RemoveAsync(parkedBatch.Id, CancellationToken.None);
        }

        Assert.Equal(good.Select(cloudEvent => cloudEvent["id"]!.GetValue<string>()).Order(), (await StoredAsync(backbone, run)).Order());
        Assert.True(await DeadLetteredAsync(backbone, poisonBody), "the poison event was not dead-lettered after the replay");
        Assert.Equal(3, (await backbone.Get<IInventoryStore>().ReadAsync("0001", $"SKU-{run}", CancellationToken.None))!.Value.OnHand);
    }

    [Fact]
    public void IngestEvents_HasAnExponentialBackoffRetryForEver_SoTheCheckpointWaitsForAFailedBatch()
    {
        var method = typeof(IngestFunctions).GetMethod(nameof(IngestFunctions.IngestEvents))!;

        var retry = method.GetCustomAttribute<ExponentialBackoffRetryAttribute>();

        Assert.NotNull(retry);
        Assert.Equal(-1, retry.MaxRetryCount);
        Assert.Equal(TimeSpan.FromSeconds(5), TimeSpan.Parse(retry.MinimumInterval, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(TimeSpan.FromMinutes(15), TimeSpan.Parse(retry.MaximumInterval, System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(method.GetParameters()[0].GetCustomAttribute<EventHubTriggerAttribute>()!.IsBatched);
    }

    private static (IngestFaultSite Site, Func<Exception> Fault) Injected(Failure failure) => failure switch
    {
        Failure.Transient => (IngestFaultSite.EventAppend, () => new TransientStorageException("Injected: Cosmos DB unavailable (503).", null, new IOException("injected"))),
        Failure.ConflictAfterItsRetries => (IngestFaultSite.EventAppend, () => new StorageConflictException("Injected: the document changed under every retry.")),
        Failure.UnexpectedCosmosStatus => (IngestFaultSite.EventAppend, () => new CosmosException("Injected: request entity too large.", HttpStatusCode.RequestEntityTooLarge, 0, "injected", 1)),
        Failure.UnexpectedException => (IngestFaultSite.EventAppend, () => new InvalidOperationException("Injected: a bug.")),
        Failure.DeadLetterWriteTransient => (IngestFaultSite.DeadLetterWrite, () => new TransientStorageException("Injected: Cosmos DB unavailable (503).", null, new IOException("injected"))),
        Failure.DeadLetterWriteUnexpected => (IngestFaultSite.DeadLetterWrite, () => new CosmosException("Injected: forbidden.", HttpStatusCode.Forbidden, 0, "injected", 1)),
        Failure.ReactionThrows => (IngestFaultSite.Reaction, () => new InvalidOperationException("Injected: the workflow engine refused.")),
        _ => throw new ArgumentOutOfRangeException(nameof(failure)),
    };

    private static async Task<HashSet<string>> StoredAsync(Backbone backbone, string run) =>
        (await backbone.ReadAllAsync(CosmosContainers.Events.Name))
            .Select(document => document.GetProperty("eventId").GetString()!)
            .Where(id => id.StartsWith(run, StringComparison.Ordinal))
            .ToHashSet(StringComparer.Ordinal);

    private static async Task<bool> DeadLetteredAsync(Backbone backbone, string body)
    {
        var today = DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var letters = await backbone.Get<IDeadLetterStore>().ListAsync(today, 1000, CancellationToken.None);
        return letters.Any(letter => letter.Body == body);
    }
}
