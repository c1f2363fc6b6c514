using OmniChannel.Core.Ports;

namespace OmniChannel.TestSupport.Fakes;

/// <summary>A record kept per order (notifications, refunds) in memory: rows per order; erasure deletes them, or keeps them when <see cref="Keeps"/>.</summary>
public sealed class InMemoryOrderRecords(string name, bool keeps = false) : IOrderRecords
{
    private readonly Dictionary<string, List<string>> _rows = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public string Name { get; } = name;

    public bool Keeps { get; } = keeps;

    public void Add(string orderId, string row)
    {
        lock (_lock)
        {
            (_rows.TryGetValue(orderId, out var rows) ? rows : _rows[orderId] = []).Add(row);
        }
    }

    public IReadOnlyList<string> Rows(string orderId)
    {
        lock (_lock)
        {
            return _rows.TryGetValue(orderId, out var rows) ? rows.ToList() : [];
        }
    }

    public Task<OrderRecordsErased> EraseAsync(string orderId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var count = _rows.TryGetValue(orderId, out var rows) ? rows.Count : 0;
            if (Keeps)
            {
                return Task.FromResult(new OrderRecordsErased(0, count));
            }

            _rows.Remove(orderId);
            return Task.FromResult(new OrderRecordsErased(count, 0));
        }
    }
}
