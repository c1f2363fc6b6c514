using OmniChannel.Core.Ports;

namespace OmniChannel.Workflows.Tests.Fakes;

/// <summary>Records refunds once per refund id, as a provider's idempotency key would, and counts every call.</summary>
public sealed class RecordingPaymentGateway : IPaymentGateway
{
    private readonly Dictionary<string, Refund> _refunds = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    private int _failuresLeft;

    public int Calls { get; private set; }

    /// <summary>The next <paramref name="calls"/> refunds fail as a provider that is down does (the connection refused).</summary>
    public void FailNext(int calls)
    {
        lock (_lock)
        {
            _failuresLeft = calls;
        }
    }

    public IReadOnlyList<Refund> Refunds
    {
        get
        {
            lock (_lock)
            {
                return _refunds.Values.ToList();
            }
        }
    }

    public Task RefundAsync(string refundId, string orderId, decimal amount, string reason, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            Calls++;
            if (_failuresLeft > 0)
            {
                _failuresLeft--;
                throw new HttpRequestException("The payment provider refused the connection.");
            }

            _refunds.TryAdd(refundId, new Refund(refundId, orderId, amount, reason));
        }

        return Task.CompletedTask;
    }

    public sealed record Refund(string RefundId, string OrderId, decimal Amount, string Reason);
}
