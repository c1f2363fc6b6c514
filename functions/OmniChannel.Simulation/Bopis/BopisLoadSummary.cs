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

    /// <summary>Orders whose <c>POST /api/orders</c> was accepted.</summary>
    public required int Placed { get; init; }

    /// <summary>Orders seen in status <c>ready</c> (picked).</summary>
    public required int Ready { get; init; }

    /// <summary>Orders seen <c>collected</c> with their workflow <c>Completed</c>.</summary>
    public required int Completed { get; init; }

    /// <summary>Orders started that did not complete (rejected, stuck, timed out, or given up on cancellation).</summary>
    public required int Failed { get; init; }

    /// <summary>Orders never started: the stock did not arrive, or the run was cancelled first.</summary>
    public required int NotStarted { get; init; }

    /// <summary>Failed orders by the step they failed at (place, reserved, picked, ready, collected, completed).</summary>
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

    public required bool Cancelled { get; init; }

    /// <summary>Orders that reached <c>ready</c> per second, from the first placement to the last one ready.</summary>
    public double ReadyPerSecond => ReadyWindow > TimeSpan.Zero ? Ready / ReadyWindow.TotalSeconds : 0;

    /// <summary>Orders completed per second, from the first placement to the last one completed.</summary>
    public double CompletedPerSecond => CompletedWindow > TimeSpan.Zero ? Completed / CompletedWindow.TotalSeconds : 0;

    /// <summary>Every order went place → picked → collected and its workflow completed.</summary>
    public bool Succeeded => Orders > 0 && Completed == Orders;

    public override string ToString()
    {
        var culture = CultureInfo.InvariantCulture;
        var report = new StringBuilder();
        report.Append(culture, $"BOPIS load {(Cancelled ? "cancelled" : "finished")}: {Orders:N0} pickup orders of 1 x {Sku} at store {StoreId}, {BaseUrl}").AppendLine();
        if (StockingError is not null)
        {
            report.Append(culture, $"  stocking failed: {StockingError}").AppendLine();
        }
        else
        {
            report.Append(culture, $"  stocked    {Orders,8:N0} units, visible in the inventory after {StockingDuration.TotalSeconds:0.0} s").AppendLine();
        }

        report.Append(culture, $"  placed     {Placed,8:N0}").AppendLine();
        report.Append(culture, $"  ready      {Ready,8:N0}   {ReadyPerSecond:N1} orders/s reached ready ({ReadyWindow.TotalSeconds:0.0} s from first placement to last ready)").AppendLine();
        report.Append(culture, $"  completed  {Completed,8:N0}   {CompletedPerSecond:N1} orders/s ({CompletedWindow.TotalSeconds:0.0} s from first placement to last completed)").AppendLine();
        report.Append(culture, $"  wall time  {Duration.TotalSeconds,8:0.0} s from first placement to last order finished{(Succeeded ? " (all completed)" : string.Empty)}").AppendLine();
        report.Append(culture, $"  failed     {Failed,8:N0}{(FailuresByStep.Count > 0 ? "   at " + string.Join(", ", FailuresByStep.OrderBy(step => step.Key, StringComparer.Ordinal).Select(step => $"{step.Key}: {step.Value:N0}")) : string.Empty)}").AppendLine();
        if (NotStarted > 0)
        {
            report.Append(culture, $"  not started {NotStarted,7:N0}").AppendLine();
        }

        report.Append(culture, $"  place->ready      {PlaceToReady}").AppendLine();
        report.Append(culture, $"  place->collected  {PlaceToCollected}").AppendLine();
        report.Append(culture, $"  requests   {Requests,8:N0}   polls {Polls:N0}, re-sent after 429/503 or network errors: {Retries:N0}").AppendLine();
        if (Stock is { } stock)
        {
            report.Append(culture,
                $"  stock      on hand {stock.StockedOnHand:N0} -> {stock.FinalOnHand:N0} (down {stock.Decrease:N0}, expected {stock.ExpectedDecrease:N0}: one per order collected), reserved {stock.FinalReserved:N0} (expected 0): {(stock.Passed ? "OK" : "MISMATCH")}").AppendLine();
        }
        else if (StockingError is null)
        {
            report.Append("  stock      could not be read at the end").AppendLine();
        }

        foreach (var failure in Failures)
        {
            report.Append(culture, $"  failed: {failure}").AppendLine();
        }

        return report.ToString().TrimEnd();
    }
}
