namespace OmniChannel.Core.Orders;

/// <summary>
/// One ordered SKU as the associate picked it (<c>POST /api/orders/{id}/picked</c>): <see cref="Picked"/> units of the
/// SKU itself, and <see cref="Substituted"/> units of <see cref="SubstituteSku"/> put in place of missing ones (at the
/// ordered line's price: the customer is never charged more). The rest of the ordered units are short.
/// </summary>
public sealed record PickedLine(string Sku, int Picked, string? SubstituteSku = null, int Substituted = 0);

/// <summary>How one ordered SKU of a pickup order was picked, as <c>GET /api/orders/{id}</c> shows it.</summary>
/// <param name="Price">The unit price the customer paid (the average over the order's lines of the SKU).</param>
public sealed record OrderLinePick(string Sku, int Ordered, int Picked, int Short, string? SubstituteSku, int Substituted, decimal Price)
{
    /// <summary>What the short units are refunded at, to the cent.</summary>
    public decimal ShortAmount => decimal.Round(Short * Price, 2, MidpointRounding.AwayFromZero);
}
