using OmniChannel.Core.Events;

namespace OmniChannel.Core.Orders;

/// <summary>
/// The rules of a partial pick, in one place for the API (which answers 400 naming the field) and the workflow's step
/// (which refuses the same input): every listed SKU is an ordered one, listed once; counts are not negative; picked
/// plus substituted is at most what was ordered; a substitute names its SKU, another than the ordered one.
/// </summary>
public static class OrderPick
{
    /// <summary>Every bad field of <paramref name="lines"/> against <paramref name="order"/>; empty when the pick is valid.</summary>
    public static IReadOnlyList<FieldError> Check(PickupOrder order, IReadOnlyList<PickedLine> lines)
    {
        ArgumentNullException.ThrowIfNull(order);
        ArgumentNullException.ThrowIfNull(lines);
        var errors = new List<FieldError>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var index = 0; index < lines.Count; index++)
        {
            var line = lines[index];
            var field = $"lines[{index}].";
            var ordered = Ordered(order, line.Sku);
            if (ordered == 0)
            {
                errors.Add(new FieldError(field + "sku", $"'{line.Sku}' is not a line of order '{order.Id}'."));
                continue;
            }

            if (!seen.Add(line.Sku))
            {
                errors.Add(new FieldError(field + "sku", $"'{line.Sku}' is listed twice; list each ordered SKU once."));
            }

            if (line.Picked < 0)
            {
                errors.Add(new FieldError(field + "picked", "'picked' cannot be negative."));
            }

            if (line.Substituted < 0)
            {
                errors.Add(new FieldError(field + "substituted", "'substituted' cannot be negative."));
            }
            else if (line.Substituted > 0 && string.IsNullOrWhiteSpace(line.SubstituteSku))
            {
                errors.Add(new FieldError(field + "substituteSku", "'substituteSku' is required when units are substituted."));
            }

            if (line.SubstituteSku is { } substitute && string.Equals(substitute, line.Sku, StringComparison.Ordinal))
            {
                errors.Add(new FieldError(field + "substituteSku", "'substituteSku' must be another SKU than the ordered one."));
            }

            if (line.Picked >= 0 && line.Substituted >= 0 && line.Picked + line.Substituted > ordered)
            {
                errors.Add(new FieldError(field + "picked", $"'picked' plus 'substituted' is {line.Picked + line.Substituted}, more than the {ordered} ordered."));
            }
        }

        return errors;
    }

    /// <summary>The lines that differ from a full pick (some units short or substituted); none means "picked in full".</summary>
    public static List<PickedLine> Adjustments(PickupOrder order, IReadOnlyList<PickedLine> lines) => lines
        .Where(line => line.Picked < Ordered(order, line.Sku))
        .Select(line => line.Substituted == 0 ? line with { SubstituteSku = null } : line)
        .ToList();

    /// <summary>Per ordered SKU, in the order's line order: ordered, picked, short, substitute (a SKU not adjusted is picked in full).</summary>
    public static IReadOnlyList<OrderLinePick> Lines(PickupOrder order)
    {
        ArgumentNullException.ThrowIfNull(order);
        return order.Lines
            .GroupBy(line => line.Sku, StringComparer.Ordinal)
            .Select(group =>
            {
                var ordered = group.Sum(line => line.Quantity);
                var price = ordered == 0 ? 0m : group.Sum(line => line.Price * line.Quantity) / ordered;
                var adjusted = order.PickAdjustments.Find(pick => pick.Sku == group.Key);
                return adjusted is null
                    ? new OrderLinePick(group.Key, ordered, ordered, 0, null, 0, price)
                    : new OrderLinePick(group.Key, ordered, adjusted.Picked, ordered - adjusted.Picked - adjusted.Substituted, adjusted.SubstituteSku, adjusted.Substituted, price);
            })
            .ToList();
    }

    /// <summary>
    /// What the customer leaves with: the picked units of each ordered SKU at its price, and each substitute under its own
    /// SKU at the price of the line it stands in for. The order's lines when nothing was adjusted.
    /// </summary>
    public static IReadOnlyList<OrderLine> HandedOver(PickupOrder order)
    {
        ArgumentNullException.ThrowIfNull(order);
        if (order.PickAdjustments.Count == 0)
        {
            return order.Lines;
        }

        var handedOver = new List<OrderLine>();
        foreach (var line in Lines(order))
        {
            if (line.Picked > 0)
            {
                handedOver.Add(new OrderLine(line.Sku, line.Picked, line.Price));
            }

            if (line is { SubstituteSku: { } substitute, Substituted: > 0 })
            {
                handedOver.Add(new OrderLine(substitute, line.Substituted, line.Price));
            }
        }

        return handedOver;
    }

    /// <summary>Every SKU the order may hold units of at its store: the ordered ones and their substitutes (for release and hand-over).</summary>
    public static IReadOnlyList<OrderLine> HeldLines(PickupOrder order)
    {
        ArgumentNullException.ThrowIfNull(order);
        return [.. order.Lines, .. order.PickAdjustments.Where(pick => pick is { SubstituteSku: not null, Substituted: > 0 }).Select(pick => new OrderLine(pick.SubstituteSku!, pick.Substituted, 0m))];
    }

    private static int Ordered(PickupOrder order, string sku) =>
        order.Lines.Where(line => string.Equals(line.Sku, sku, StringComparison.Ordinal)).Sum(line => line.Quantity);
}
