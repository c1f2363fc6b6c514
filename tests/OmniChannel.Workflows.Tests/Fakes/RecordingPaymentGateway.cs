using OmniChannel.Core.Ports;

namespace OmniChannel.Workflows.Tests.Fakes;

/// <summary>Records refunds once per refund id, as a provider's idempotency key would, and counts every call.</summary>
public sealed class RecordingPaymentGateway : IPaymentGateway
{
    private readonly Dictionary<string, Refund> _refunds = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    private readonly List<string> _asked = [];

    private int _failuresLeft;

    public int Calls { get; private set; }

    /// <summary>The refund id of every call, repeated ones included.</summary>
    public IReadOnlyList<string> Asked
    {
        get
        {
            lock (_lock)
            {
                return _asked.ToList();
            }
        }
    }

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

    /// <summary>What a refund request answers: settled at once (the simulator) or awaiting the payment service's callback.</summary>
    public RefundStatus Answer { get; set; } = RefundStatus.Settled;

    public Task<RefundStatus> RefundAsync(string refundId, string orderId, string? paymentReference, decimal amount, string reason, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            Calls++;
            _asked.Add(refundId);
            if (_failuresLeft > 0)
            {
                _failuresLeft--;
                throw new HttpRequestException("The payment provider refused the connection.");
            }

            _refunds.TryAdd(refundId, new Refund(refundId, orderId, paymentReference, amount, reason));
        }

        return Task.FromResult(Answer);
    }

    public sealed record Refund(string RefundId, string OrderId, string? PaymentReference, decimal Amount, string Reason);
}
