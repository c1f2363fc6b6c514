namespace OmniChannel.Core.Ports;

/// <summary>
/// A record an adapter keeps per order besides the order itself (the messages sent about it, the refunds asked for
/// it), as erasure sees it: what in it is personal goes, what accounting needs stays.
/// </summary>
public interface IOrderRecords
{
    /// <summary>The record's name in an erasure report (<c>notifications</c>, <c>refunds</c>).</summary>
    string Name { get; }

    /// <summary>Removes the personal data the record holds for one order; idempotent.</summary>
    Task<OrderRecordsErased> EraseAsync(string orderId, CancellationToken cancellationToken);
}

/// <summary>Rows deleted, and rows kept because they hold nothing personal (a refund's order, amount and reason).</summary>
public sealed record OrderRecordsErased(int Deleted, int Kept);
