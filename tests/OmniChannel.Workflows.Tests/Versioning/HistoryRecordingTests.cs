using System.Runtime.CompilerServices;
using Microsoft.DurableTask.Converters;
using OmniChannel.Core.Orders;
using OmniChannel.Core.Prices;
using OmniChannel.Core.Remarketing;
using OmniChannel.TestSupport.Fakes;
using OmniChannel.Workflows.Bopis;
using OmniChannel.Workflows.Tests.Bopis;
using OmniChannel.Workflows.Tests.Builders;
using OmniChannel.Workflows.Tests.Prices;
using OmniChannel.Workflows.Tests.Remarketing;
using P = Microsoft.DurableTask.Protobuf;

namespace OmniChannel.Workflows.Tests.Versioning;

/// <summary>
/// Records the history fixtures that <see cref="HistoryReplayTests"/> replays: real instances of each workflow on the
/// in-process host, driven to the points where instances wait for days in production, each point saved as the work
/// item the engine sent and the orchestrator's answer. Writes into the source tree, under
/// <c>Versioning/Histories/&lt;orchestration&gt;/v&lt;version&gt;/</c> (the version the instances started on); run it
/// once per new version (README "Changing a workflow safely"). Existing files are kept unless told to overwrite.
/// </summary>
public sealed class HistoryRecordingTests
{
    private const string Store = PickupOrderBuilder.StoreId;

    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    [RecordingFact]
    public async Task Record_BopisFulfillment_EveryWaitAndEveryEnding()
    {
        var recorder = new WorkItemRecorder();
        await using var host = await BopisTestHost.StartAsync(recorder);
        host.Inventory.Stock(Store, "SKU-1", onHand: 100);
        host.Inventory.Stock(Store, "SKU-2", onHand: 100);

        // The timer-driven ones first, so their timers run while the others are driven by events.
        var escalated = await host.StartAsync(new PickupOrderBuilder("o-escalated").Build(), TestTimings.ShortSla);
        var unpicked = await host.StartAsync(new PickupOrderBuilder("o-unpicked").Build(), TestTimings.Unpicked);
        var expired = await host.StartAsync(new PickupOrderBuilder("o-expired").Build(), TestTimings.ShortWindow);
        var collected = await host.StartAsync(new PickupOrderBuilder("o-collected").Build(), TestTimings.Patient);
        var cancelled = await host.StartAsync(new PickupOrderBuilder("o-cancelled").Build(), TestTimings.Patient);
        var rejected = await host.StartAsync(new PickupOrderBuilder("o-rejected").WithLine("SKU-NONE", 1, 3.50m).Build(), TestTimings.Patient);

        await host.RaiseAsync(expired, BopisWorkflow.PickedEvent);
        await host.WaitForStatusAsync(collected, OrderStatus.Reserved);
        await host.RaiseAsync(collected, BopisWorkflow.PickedEvent);
        await host.WaitForStatusAsync(collected, OrderStatus.Ready);
        await host.RaiseAsync(collected, BopisWorkflow.ArrivedEvent);
        await host.WaitForProgressAsync(collected, progress => progress.Reason == BopisTexts.Arrived);
        await host.RaiseAsync(collected, BopisWorkflow.CollectedEvent);
        await host.WaitForStatusAsync(cancelled, OrderStatus.Reserved);
        await host.RaiseAsync(cancelled, BopisWorkflow.CancelledEvent, new BopisSignal("customer changed their mind"));
        await host.WaitForProgressAsync(escalated, progress => progress.Reason == BopisTexts.Overdue);
        await host.RaiseAsync(escalated, BopisWorkflow.PickedEvent);
        await host.WaitForStatusAsync(escalated, OrderStatus.Ready);
        await host.RaiseAsync(escalated, BopisWorkflow.CollectedEvent);
        foreach (var instance in new[] { escalated, unpicked, expired, collected, cancelled, rejected })
        {
            await host.WaitForCompletionAsync(instance, TimeSpan.FromMinutes(2));
        }

        // The refund the payment provider refuses beyond the step's retries: asked again on a durable timer.
        var refund = await host.StartAsync(new PickupOrderBuilder("o-refund-pending").Build(), TestTimings.Patient);
        await host.WaitForStatusAsync(refund, OrderStatus.Reserved);
        host.Payments.FailNext(BopisRetry.Policy.MaxNumberOfAttempts + 1);
        await host.RaiseAsync(refund, BopisWorkflow.CancelledEvent);
        await host.WaitForCompletionAsync(refund, TimeSpan.FromMinutes(2));

        Save(recorder, collected, "awaiting-pick", "Reserved, the store told; waiting for picked (the pick SLA timer running).", First(Reason(BopisTexts.AwaitingPick)));
        Save(recorder, collected, "ready-awaiting-collection", "Picked, the customer told; waiting for collected (the reminder timer running).", First(Reason(BopisTexts.AwaitingCollection)));
        Save(recorder, collected, "arrived", "Ready; the customer arrived and the store was told; still waiting for collected.", First(Reason(BopisTexts.Arrived)));
        Save(recorder, collected, "collected", "Collected: the stock handed over, the journey recorded, the instance completed.", First(Ends));
        Save(recorder, escalated, "escalated", "Past the pick SLA: the store alerted; waiting for picked (the unpicked-cancel timer running).", First(Reason(BopisTexts.Overdue)));
        Save(recorder, escalated, "collected-after-escalation", "Picked late, then collected: completed.", First(Ends));
        Save(recorder, expired, "reminded", "Ready; the reminder sent; waiting for collected (the expiry timer running).", First(Reason(BopisTexts.Reminded)));
        Save(recorder, expired, "expired", "Never collected: released, refunded, everyone told; completed.", First(Ends));
        Save(recorder, unpicked, "unpicked", "Never picked: cancelled itself, released, refunded; completed.", First(Ends));
        Save(recorder, cancelled, "cancelled", "Cancelled by the customer before the pick: released, refunded; completed.", First(Ends));
        Save(recorder, rejected, "rejected", "Not enough stock: rejected, the customer told; completed.", First(Ends));
        Save(recorder, refund, "refund-pending", "Cancelled; the refund refused after the step's retries: 'refund pending', waiting on the retry timer.", First(ReasonContains("Refund pending")));
        Save(recorder, refund, "refunded-after-retry", "The refund asked again after the timer and made; completed.", First(Ends));
    }

    [RecordingFact]
    public async Task Record_PriceChangeFanOut_BetweenRoundsAndCompleted()
    {
        var recorder = new WorkItemRecorder();
        await using var host = await PriceTestHost.StartAsync(recorder);
        var endpoints = new Uri("http://127.0.0.1:7071/subscribers/");
        var subscribers = Enumerable.Range(1, 4)
            .Select(index => new PriceSubscriber($"sub-{index}", SubscriberKind.Pos, PriceScope.All, new Uri(endpoints, $"sub-{index}"), Enabled: true, Now))
            .ToList();
        await host.AddSubscribersAsync(subscribers);

        // One subscriber busy for longer than a round's attempts: a second round, a back-off timer before it.
        host.Channel.Script = (id, attempt) => id == "sub-3" && attempt <= host.Options.AttemptsPerRound ? ScriptedPriceChannel.Busy : ScriptedPriceChannel.Ok;
        var change = new PriceChange
        {
            Id = "chg-recorded",
            Items = [new PriceItem("SKU-1", 9.99m, "USD")],
            EffectiveAt = Now.AddDays(6),
            Scope = PriceScope.All,
            AcceptedAt = Now,
        };
        var instance = await host.StartFanOutAsync(change, PriceFanOutInput.From(change.Id, 1, host.Options) with { BatchSize = 2 });
        await host.WaitForCompletionAsync(instance, TimeSpan.FromMinutes(2));

        Save(recorder, instance, "between-rounds", "Round 1 delivered to all but one subscriber; waiting on the back-off timer before round 2.", First(response => response.Actions.Any(action => action.CreateTimer is not null)));
        Save(recorder, instance, "completed", "Every subscriber delivered after round 2; the run closed with its counts.", First(Ends));
    }

    [RecordingFact]
    public async Task Record_ProximityRemarketing_WaitingRedeemedAndExpired()
    {
        var recorder = new WorkItemRecorder();
        await using (var host = await RemarketingTestHost.StartAsync(recorder: recorder))
        {
            host.Rules.Seed(RemarketingTestHost.Rule());
            var redeemed = await host.StartAsync(RemarketingTestHost.Geofence("evt-redeemed"));
            var waiting = await host.WaitForProgressAsync(redeemed, progress => progress.Status == RemarketingStatus.Waiting);
            await host.Service.RedeemAsync(waiting.CouponCode!, "sale-11", RemarketingTestHost.Downtown.Id, 42.50m, DateTimeOffset.UtcNow, CancellationToken.None);
            await host.Client.RaiseEventAsync(redeemed, RemarketingWorkflow.RedeemedEvent);
            await host.WaitForOutcomeAsync(redeemed);
            Save(recorder, redeemed, "waiting", "Coupon issued and sent; waiting for the redemption (the expiry timer running).", First(response => Remarketing(response)?.Status == RemarketingStatus.Waiting));
            Save(recorder, redeemed, "redeemed", "Redeemed at a till: the outcome recorded; completed.", First(Ends));
        }

        // The host's timers cannot be fast-forwarded: a coupon issued two hours ago, valid for one, is born expired.
        await using (var host = await RemarketingTestHost.StartAsync(DateTimeOffset.UtcNow.AddHours(-2), recorder))
        {
            host.Rules.Seed(RemarketingTestHost.Rule(validHours: 1));
            var expired = await host.StartAsync(RemarketingTestHost.Geofence("evt-expired"));
            await host.WaitForOutcomeAsync(expired);
            Save(recorder, expired, "expired", "The coupon ran out unused: expired in the ledger; completed.", First(Ends));
        }
    }

    [RecordingFact]
    public async Task Record_ProximityRemarketing_HeldOut()
    {
        // C1's bucket for rule "holdout" is 2970 of 10,000: a 30 % holdout holds them out.
        var recorder = new WorkItemRecorder();
        await using var host = await RemarketingTestHost.StartAsync(recorder: recorder);
        host.Rules.Seed(RemarketingTestHost.Rule() with { Id = "holdout", HoldoutPercent = 30 });
        var heldOut = await host.StartAsync(RemarketingTestHost.Geofence("evt-held-out"));
        await host.WaitForOutcomeAsync(heldOut);
        Save(recorder, heldOut, "held-out", "The rule would have fired but holds the customer out: nothing issued or sent; completed.", First(Ends));
    }

    [RecordingFact]
    public async Task Record_ProximityRemarketing_Dwell()
    {
        var recorder = new WorkItemRecorder();
        await using var host = await RemarketingTestHost.StartAsync(recorder: recorder);
        host.Rules.Seed(RemarketingTestHost.Rule() with { DwellMinutes = 10 });

        // Entered almost 10 min ago: the dwell timer has 2 s left.
        var dwelled = await host.StartAsync(RemarketingTestHost.Geofence("evt-dwelled") with { At = DateTimeOffset.UtcNow.AddMinutes(-10).AddSeconds(2) });
        var waiting = await host.WaitForProgressAsync(dwelled, progress => progress.CouponCode is not null);
        await host.Service.RedeemAsync(waiting.CouponCode!, "sale-12", RemarketingTestHost.Downtown.Id, 20m, DateTimeOffset.UtcNow, CancellationToken.None);
        await host.Client.RaiseEventAsync(dwelled, RemarketingWorkflow.RedeemedEvent);
        await host.WaitForOutcomeAsync(dwelled);
        Save(recorder, dwelled, "dwelling", "A rule with a 10 min dwell matched: waiting on the dwell timer, nothing issued yet.",
            First(response => response.Actions.Any(action => action.CreateTimer is not null) && Remarketing(response)?.CouponCode is null));
        Save(recorder, dwelled, "dwelled", "The customer stayed: decided again, the coupon issued and sent; waiting for the redemption.",
            First(response => Remarketing(response) is { Status: RemarketingStatus.Waiting, CouponCode: not null }));
    }

    private static Func<IReadOnlyList<RecordedEpisode>, RecordedEpisode> First(Func<P.OrchestratorResponse, bool> matches) =>
        episodes => episodes.First(episode => matches(episode.Response));

    private static bool Ends(P.OrchestratorResponse response) => response.Actions.Any(action => action.CompleteOrchestration is not null);

    private static Func<P.OrchestratorResponse, bool> Reason(string reason) => response => Bopis(response)?.Reason == reason;

    private static Func<P.OrchestratorResponse, bool> ReasonContains(string text) =>
        response => Bopis(response)?.Reason?.Contains(text, StringComparison.Ordinal) == true;

    private static BopisProgress? Bopis(P.OrchestratorResponse response) =>
        response.CustomStatus is null ? null : JsonDataConverter.Default.Deserialize<BopisProgress>(response.CustomStatus);

    private static RemarketingProgress? Remarketing(P.OrchestratorResponse response) =>
        response.CustomStatus is null ? null : JsonDataConverter.Default.Deserialize<RemarketingProgress>(response.CustomStatus);

    /// <summary>
    /// Recording: writes the fixture into the source tree. Otherwise: writes it into a scratch folder and asserts that
    /// the source tree has the fixture of that point (the same file name) for the version the instance started on.
    /// </summary>
    private static void Save(WorkItemRecorder recorder, string instanceId, string scenario, string point, Func<IReadOnlyList<RecordedEpisode>, RecordedEpisode> pick)
    {
        var fixture = HistoryFixture.Of(pick(recorder.EpisodesOf(instanceId)), scenario, point);
        if (RecordingFactAttribute.Recording)
        {
            fixture.Save(SourceFolder(), RecordingFactAttribute.Overwriting);
            return;
        }

        var scratch = Path.Combine(Path.GetTempPath(), "omnichannel-histories-" + Guid.NewGuid().ToString("N"));
        try
        {
            fixture.Save(scratch, overwrite: false);
            Assert.True(
                File.Exists(Path.Combine(SourceFolder(), fixture.RelativePath)),
                $"Today's code reaches '{scenario}' ({point}) of {fixture.Orchestration} {fixture.Version}, which has no committed history: record it ({RecordingFactAttribute.Variable}=1, README \"Changing a workflow safely\").");
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    /// <summary>The fixtures' folder in the source tree, next to this file.</summary>
    private static string SourceFolder([CallerFilePath] string thisFile = "") => Path.Combine(Path.GetDirectoryName(thisFile)!, "Histories");
}
