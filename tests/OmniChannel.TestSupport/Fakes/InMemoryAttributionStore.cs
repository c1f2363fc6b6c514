using OmniChannel.Core.Ports;
using OmniChannel.Core.Remarketing;

namespace OmniChannel.TestSupport.Fakes;

/// <summary>Holdout attribution in memory, with the table's rules: one window per customer and rule at a time, a sale counted once.</summary>
public sealed class InMemoryAttributionStore : IAttributionStore
{
    private readonly Dictionary<(string RuleId, string CustomerId), Window> _windows = [];
    private readonly Lock _lock = new();

    public IReadOnlyList<AttributionWindow> Windows
    {
        get
        {
            lock (_lock)
            {
                return _windows.Values.Select(window => window.Value).ToList();
            }
        }
    }

    public Task<bool> OpenAsync(AttributionWindow window, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(window);
        lock (_lock)
        {
            if (_windows.TryGetValue((window.RuleId, window.CustomerId), out var current) && window.Start < current.Value.End)
            {
                return Task.FromResult(false);
            }

            _windows[(window.RuleId, window.CustomerId)] = new Window(window);
            return Task.FromResult(true);
        }
    }

    public Task<AttributionWindow?> AttributeAsync(string ruleId, string customerId, SaleForAttribution sale, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sale);
        lock (_lock)
        {
            if (!_windows.TryGetValue((ruleId, customerId), out var window))
            {
                return Task.FromResult<AttributionWindow?>(null);
            }

            if (window.Sales.ContainsKey(sale.SaleKey))
            {
                return Task.FromResult<AttributionWindow?>(window.Value);
            }

            if (sale.RedeemedRuleCoupon ? sale.At < window.Value.Start : !window.Value.Covers(sale.At))
            {
                return Task.FromResult<AttributionWindow?>(null);
            }

            window.Sales[sale.SaleKey] = sale;
            return Task.FromResult<AttributionWindow?>(window.Value);
        }
    }

    public Task<int> EraseCustomerAsync(string customerId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var keys = _windows.Keys.Where(key => key.CustomerId == customerId).ToList();
            keys.ForEach(key => _windows.Remove(key));
            return Task.FromResult(keys.Count);
        }
    }

    public Task<IReadOnlyList<AttributionTotals>> ReadTotalsAsync(IReadOnlyCollection<string> ruleIds, DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ruleIds);
        lock (_lock)
        {
            IReadOnlyList<AttributionTotals> totals = _windows.Values
                .Where(window => ruleIds.Contains(window.Value.RuleId))
                .GroupBy(window => (window.Value.RuleId, Day: DateOnly.FromDateTime(window.Value.Start.UtcDateTime), window.Value.Group))
                .Where(group => group.Key.Day >= from && group.Key.Day <= to)
                .Select(group => new AttributionTotals(
                    group.Key.RuleId,
                    group.Key.Day,
                    group.Key.Group,
                    group.LongCount(),
                    group.Sum(window => (long)window.Sales.Count),
                    group.LongCount(window => window.Sales.Values.Any(sale => sale.RedeemedRuleCoupon)),
                    group.Sum(window => window.Total),
                    group.Sum(window => window.Total * window.Total)))
                .ToList();
            return Task.FromResult(totals);
        }
    }

    private sealed class Window(AttributionWindow value)
    {
        public AttributionWindow Value { get; } = value;

        public Dictionary<string, SaleForAttribution> Sales { get; } = new(StringComparer.Ordinal);

        public decimal Total => Sales.Values.Sum(sale => sale.Amount);
    }
}
