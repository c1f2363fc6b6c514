using System.Globalization;
using System.Text;

namespace OmniChannel.Simulation.Bopis;

/// <summary>What a BOPIS load run did; <see cref="ToString"/> renders it as a short report for a terminal.</summary>
public sealed record BopisLoadSummary
{
    /// <summary>The backbone's base address.</summary>
    public required Uri BaseUrl { get; init; }

    public required string StoreId { get; init; }

    /// <summary>The run-unique SKU every order was for.</summary>
    public required string Sku { get; init; }

    public required string RunTag { get; init; }

    /// <summary>Orders the run was asked to drive.</summary>
    public required int Orders { get; init; }

    /// <summary>The price of one unit on every order line.</summary>
    public required decimal UnitPrice { get; init; }

    /// <summary>Units the orders asked for in all: the units the store was stocked with.</summary>
    public required int UnitsOrdered { get; init; }

    /// <summary>Whether the stock check expected a short pick's missing units to leave on-hand too.</summary>
    public required bool ShortUnitsLeaveOnHand { get; init; }

    /// <summary>Per outcome, in <see cref="BopisOutcome"/> order: orders given it, and those that ended in its final state.</summary>
    public required IReadOnlyList<BopisOutcomeCount> Outcomes { get; init; }

    /// <summary>Orders whose <c>POST /api/orders</c> was accepted.</summary>
    public required int Placed { get; init; }

    /// <summary>Orders seen in status <c>ready</c> (picked).</summary>
    public required int Ready { get; init; }

    /// <summary>
    /// Orders that ended in their outcome's final state with their workflow <c>Completed</c>: collected (short ones
    /// too), cancelled when unpicked, expired when nobody came.
    /// </summary>
    public required int Completed { get; init; }

    /// <summary>Orders started that did not complete (rejected, stuck, timed out, or given up on cancellation).</summary>
    public required int Failed { get; init; }

    /// <summary>Orders never started: the stock did not arrive, or the run was cancelled first.</summary>
    public required int NotStarted { get; init; }

    /// <summary>Failed orders by the step they failed at (place, reserved, picked, ready, collected, completed, cancelled, expired).</summary>
    public required IReadOnlyDictionary<string, int> FailuresByStep { get; init; }

    /// <summary>The first few failures, described.</summary>
    public required IReadOnlyList<string> Failures { get; init; }

    /// <summary>Why the store could not be stocked; null when it was.</summary>
    public required string? StockingError { get; init; }

    /// <summary>From posting the stock event until the inventory showed it.</summary>
    public required TimeSpan StockingDuration { get; init; }

    /// <summary>From the first placement until the last order finished (completed or failed).</summary>
    public required TimeSpan Duration { get; init; }

    /// <summary>From the first placement until the last order completed (equal to <see cref="Duration"/> when none failed).</summary>
    public required TimeSpan CompletedWindow { get; init; }

    /// <summary>From the first placement until the last order reached <c>ready</c>.</summary>
    public required TimeSpan ReadyWindow { get; init; }

    public required LatencyPercentiles PlaceToReady { get; init; }

    public required LatencyPercentiles PlaceToCollected { get; init; }

    /// <summary>HTTP requests sent (each attempt counts), polls included.</summary>
    public required long Requests { get; init; }

    /// <summary>Of <see cref="Requests"/>, the <c>GET</c>s of orders and stock while waiting.</summary>
    public required long Polls { get; init; }

    /// <summary>POSTs re-sent after 429/503 or (placements only) a network error.</summary>
    public required long Retries { get; init; }

    /// <summary>Null when the store was never stocked or the final stock could not be read.</summary>
    public required BopisStockCheck? Stock { get; init; }

    /// <summary>Null when the refunds were not checked (turned off, the store never stocked, or the run cancelled).</summary>
    public required BopisRefundCheck? Refunds { get; init; }

    public required bool Cancelled { get; init; }

    /// <summary>Orders that reached <c>ready</c> per second, from the first placement to the last one ready.</summary>
    public double ReadyPerSecond => ReadyWindow > TimeSpan.Zero ? Ready / ReadyWindow.TotalSeconds : 0;

    /// <summary>Orders completed per second, from the first placement to the last one completed.</summary>
    public double CompletedPerSecond => CompletedWindow > TimeSpan.Zero ? Completed / CompletedWindow.TotalSeconds : 0;

    /// <summary>Every order ended in its outcome's final state.</summary>
    public bool AllEndedAsPlanned => Orders > 0 && Completed == Orders;

    /// <summary>The stock reconciles to the unit and the refunds, where checked, to the cent.</summary>
    public bool Reconciled => Stock is { Passed: true } && Refunds is null or { Passed: true };

    /// <summary>Every order ended as planned and everything reconciles.</summary>
    public bool Succeeded => AllEndedAsPlanned && Reconciled;

    public override string ToString()
    {
        var culture = CultureInfo.InvariantCulture;
        var report = new StringBuilder();
        report.Append(culture, $"BOPIS load {(Cancelled ? "cancelled" : "finished")}: {Orders:N0} pickup orders of {Sku} at {UnitPrice:0.00} at store {StoreId}, {BaseUrl}").AppendLine();
        if (StockingError is not null)
        {
            report.Append(culture, $"  stocking failed: {StockingError}").AppendLine();
        }
        else
        {
            report.Append(culture, $"  stocked    {UnitsOrdered,8:N0} units, visible in the inventory after {StockingDuration.TotalSeconds:0.0} s").AppendLine();
        }

        report.Append(culture, $"  placed     {Placed,8:N0}").AppendLine();
        report.Append(culture, $"  ready      {Ready,8:N0}   {ReadyPerSecond:N1} orders/s reached ready ({ReadyWindow.TotalSeconds:0.0} s from first placement to last ready)").AppendLine();
        report.Append(culture, $"  completed  {Completed,8:N0}   {CompletedPerSecond:N1} orders/s ended as planned ({CompletedWindow.TotalSeconds:0.0} s from first placement to the last)").AppendLine();
        report.Append(culture, $"  wall time  {Duration.TotalSeconds,8:0.0} s from first placement to last order finished{(Succeeded ? " (all completed)" : string.Empty)}").AppendLine();
        report.Append(culture, $"  failed     {Failed,8:N0}{(FailuresByStep.Count > 0 ? "   at " + string.Join(", ", FailuresByStep.OrderBy(step => step.Key, StringComparer.Ordinal).Select(step => $"{step.Key}: {step.Value:N0}")) : string.Empty)}").AppendLine();
        if (NotStarted > 0)
        {
            report.Append(culture, $"  not started {NotStarted,7:N0}").AppendLine();
        }

        report.Append(culture, $"  place->ready      {PlaceToReady}").AppendLine();
        report.Append(culture, $"  place->collected  {PlaceToCollected}").AppendLine();
        report.Append(culture, $"  requests   {Requests,8:N0}   polls {Polls:N0}, re-sent after 429/503 or network errors: {Retries:N0}").AppendLine();
        foreach (var failure in Failures)
        {
            report.Append(culture, $"  failed: {failure}").AppendLine();
        }

        AppendReconciliation(report, culture);
        return report.ToString().TrimEnd();
    }

    private static string Verdict(bool passed) => passed ? "OK" : "MISMATCH";

    private static string Describe(BopisOutcome outcome) => outcome switch
    {
        BopisOutcome.Short => string.Create(CultureInfo.InvariantCulture,
            $"short      {BopisExpectations.ShortOrderUnits} units, picked {BopisExpectations.ShortOrderUnits - BopisExpectations.ShortUnits}, collected"),
        BopisOutcome.Unpicked => "unpicked   never picked, cancelled",
        BopisOutcome.NoShow => "no-show    picked, never collected, expired",
        _ => "collected  1 unit, picked, collected",
    };

    private void AppendReconciliation(StringBuilder report, CultureInfo culture)
    {
        report.Append("reconciliation").AppendLine();
        foreach (var outcome in Outcomes.Where(outcome => outcome.Orders > 0))
        {
            report.Append(culture,
                $"  {Describe(outcome.Outcome),-44} {outcome.AsExpected,7:N0} of {outcome.Orders,7:N0} ended '{BopisExpectations.FinalStatus(outcome.Outcome)}': {Verdict(outcome.AsExpected == outcome.Orders)}").AppendLine();
        }

        if (Stock is { } stock)
        {
            var why = ShortUnitsLeaveOnHand ? "units handed over and short units booked missing" : "units handed over";
            report.Append(culture,
                $"  stock      on hand {stock.StockedOnHand:N0} -> {stock.FinalOnHand:N0} (down {stock.Decrease:N0}, expected {stock.ExpectedDecrease:N0}: {why}), reserved {stock.FinalReserved:N0} (expected 0), available {stock.FinalAvailable:N0} (expected {stock.FinalOnHand:N0}): {Verdict(stock.Passed)}").AppendLine();
        }
        else if (StockingError is null)
        {
            report.Append("  stock      could not be read at the end: MISMATCH").AppendLine();
        }

        if (Refunds is { Error: { } error })
        {
            report.Append(culture, $"  refunds    could not be read: {error}: MISMATCH").AppendLine();
        }
        else if (Refunds is { } refunds)
        {
            report.Append(culture,
                $"  refunds    {refunds.Refunds:N0} refunds over {refunds.Orders:N0} orders ended as planned: received {refunds.Received:N2}, expected {refunds.Expected:N2}, {refunds.Mismatches.Count:N0} orders off, {refunds.DuplicateRefundIds.Count:N0} refund ids twice: {Verdict(refunds.Passed)}").AppendLine();
            foreach (var mismatch in refunds.Mismatches)
            {
                report.Append(culture, $"  refund off: {mismatch}").AppendLine();
            }

            foreach (var duplicate in refunds.DuplicateRefundIds)
            {
                report.Append(culture, $"  refund id twice: {duplicate}").AppendLine();
            }
        }
        else
        {
            report.Append("  refunds    not checked").AppendLine();
        }

        report.Append(culture, $"  result     {(Succeeded ? "every order ended as planned; stock and refunds reconcile" : AllEndedAsPlanned ? "every order ended as planned, but the books do not reconcile" : "some orders did not end as planned")}").AppendLine();
    }
}
