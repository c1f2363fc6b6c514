namespace OmniChannel.Core.Prices;

/// <summary>
/// One SKU's price from one change: the effective-dated record a price query reads. Every record stays, so the price
/// at any moment (past or future) is the newest record in force then that applies at the store.
/// </summary>
public sealed record PriceRecord(string Sku, string ChangeId, decimal Price, string Currency, DateTimeOffset EffectiveAt, PriceScope Scope, DateTimeOffset AcceptedAt)
{
    /// <summary>
    /// Orders the records that apply at one place: later effective time first; at the same moment the more specific
    /// scope first (a store's own price over its region's); then the later accepted change.
    /// </summary>
    public static IComparer<PriceRecord> Precedence { get; } = Comparer<PriceRecord>.Create((left, right) =>
    {
        var byTime = right.EffectiveAt.CompareTo(left.EffectiveAt);
        if (byTime != 0)
        {
            return byTime;
        }

        var bySpecificity = right.Scope.Specificity.CompareTo(left.Scope.Specificity);
        return bySpecificity != 0 ? bySpecificity : right.AcceptedAt.CompareTo(left.AcceptedAt);
    });
}
