using System.Globalization;
using Microsoft.AspNetCore.Http;
using OmniChannel.Core.Ingest;
using OmniChannel.Core.Ports;

namespace OmniChannel.Api;

/// <summary>
/// Operations (admin): list the dead-lettered events of a day and replay them after a fix; list the batches ingest
/// parked while Cosmos DB was down and replay them once it is back; list the data fields outside the tracking plan.
/// </summary>
public sealed class AdminApi(
    DeadLetterReplayer replayer,
    ParkedBatchReplayer parked,
    IPlanViolationStore violations,
    ICouponConflictLog couponConflicts,
    IRefundWatch refunds,
    IOrderStore orders,
    TimeProvider clock)
{
    /// <summary>
    /// Orders whose refund is pending or needs attention, the longest wait first, each as its order says now (a watch
    /// row its order no longer backs, left by a crash between the two writes, is skipped and removed).
    /// </summary>
    public async Task<IResult> ListRefundsAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (Limit(request) is not { } limit)
        {
            return LimitProblem();
        }

        var listed = new List<RefundListing>();
        foreach (var entry in await refunds.ListAsync(limit, cancellationToken))
        {
            if ((await orders.GetAsync(entry.OrderId, cancellationToken))?.Value is not { RefundState: not Core.Orders.RefundState.None } order)
            {
                await refunds.ForgetAsync(entry.OrderId, cancellationToken);
                continue;
            }

            listed.Add(new RefundListing(order.Id, order.StoreId, order.CustomerId, order.RefundState, order.RefundStateSince ?? entry.Since,
                order.Status, order.StatusReason, order.Total, order.Refunded, order.PaymentReference));
        }

        return TypedResults.Ok(new RefundList(listed.Count, listed));
    }

    /// <summary>The tracking plan's violations, one row per source, type and field, the most recently seen first.</summary>
    public async Task<IResult> ListViolationsAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (Limit(request) is not { } limit)
        {
            return LimitProblem();
        }

        var rows = await violations.ListAsync(limit, cancellationToken);
        return TypedResults.Ok(new ViolationList(rows.Count, rows));
    }

    /// <summary>Coupon codes on ingested sales that did not redeem (offline tills), the latest sale first.</summary>
    public async Task<IResult> ListCouponConflictsAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (Limit(request) is not { } limit)
        {
            return LimitProblem();
        }

        var rows = await couponConflicts.ListAsync(limit, cancellationToken);
        return TypedResults.Ok(new CouponConflictList(rows.Count, rows));
    }

    /// <summary>The <c>limit</c> query parameter (1–1000, default 100), or null when it is not one.</summary>
    private static int? Limit(HttpRequest request)
    {
        var limitText = request.Query["limit"].ToString();
        var limit = 100;
        return limitText.Length > 0 && (!int.TryParse(limitText, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > 1000) ? null : limit;
    }

    private static IResult LimitProblem() => Problems.InvalidParameter("limit", "'limit' is a whole number from 1 to 1000 (default 100).");

    public async Task<IResult> ListParkedAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var limit = int.TryParse(request.Query["limit"].ToString(), CultureInfo.InvariantCulture, out var asked) ? asked : 100;
        var batches = await parked.ListAsync(limit, cancellationToken);
        return TypedResults.Ok(new ParkedList(batches.Count, batches.Sum(batch => batch.Events), batches));
    }

    /// <summary>Applies the parked batches, oldest first; 503 with Retry-After when the first one still cannot be applied.</summary>
    public async Task<IResult> ReplayParkedAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var report = await parked.ReplayAsync(cancellationToken);
        if (report.Error is not null && report.Batches == 0)
        {
            return Problems.Unavailable(request.HttpContext, TimeSpan.FromSeconds(30), report.Error);
        }

        return TypedResults.Ok(report);
    }

    public async Task<IResult> ListDeadLettersAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (Day(request.Query["day"].ToString()) is not { } day)
        {
            return Problems.InvalidParameter("day", "'day' is a UTC date, yyyy-MM-dd (default today).");
        }

        var limit = int.TryParse(request.Query["limit"].ToString(), CultureInfo.InvariantCulture, out var asked) ? asked : 100;
        var letters = await replayer.ListAsync(day, limit, cancellationToken);
        return TypedResults.Ok(new DeadLetterList(day, letters.Count, letters));
    }

    public async Task<IResult> ReplayDeadLettersAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var body = await RequestBodies.ReadOptionalObjectAsync(request, cancellationToken);
        if (body is null)
        {
            return Problems.MalformedBody("optionally day (yyyy-MM-dd, default today)");
        }

        var asked = body["day"] is System.Text.Json.Nodes.JsonValue value && value.GetValueKind() == System.Text.Json.JsonValueKind.String ? value.GetValue<string>() : null;
        if ((body["day"] is not null && asked is null) || Day(asked) is not { } day)
        {
            return Problems.InvalidParameter("day", "'day' is a UTC date, yyyy-MM-dd (default today).");
        }

        return TypedResults.Ok(await replayer.ReplayAsync(day, cancellationToken));
    }

    private string? Day(string? text) =>
        string.IsNullOrEmpty(text)
            ? clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
            : DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) ? day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : null;
}

/// <summary>The answer of <c>GET /api/operations/refunds</c>.</summary>
public sealed record RefundList(int Count, IReadOnlyList<RefundListing> Orders);

/// <summary>An order whose refund waits or needs attention, as the order says now.</summary>
public sealed record RefundListing(
    string OrderId, string StoreId, string CustomerId, Core.Orders.RefundState State, DateTimeOffset Since, Core.Orders.OrderStatus Status,
    string? Reason, decimal Total, decimal Refunded, string? PaymentReference);

/// <summary>The answer of <c>GET /api/operations/violations</c>.</summary>
public sealed record ViolationList(int Count, IReadOnlyList<Core.Events.PlanViolation> Violations);

/// <summary>The answer of <c>GET /api/operations/coupon-conflicts</c>.</summary>
public sealed record CouponConflictList(int Count, IReadOnlyList<CouponConflict> Conflicts);

/// <summary>The answer of <c>GET /api/admin/parked</c>.</summary>
public sealed record ParkedList(int Count, int Events, IReadOnlyList<ParkedBatchSummary> Batches);

/// <summary>The answer of <c>GET /api/admin/deadletters</c>.</summary>
public sealed record DeadLetterList(string Day, int Count, IReadOnlyList<DeadLetter> DeadLetters);
