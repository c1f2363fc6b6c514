using System.Collections.Concurrent;
using OmniChannel.Core.Ports;
using OmniChannel.Core.Prices;

namespace OmniChannel.TestSupport.Fakes;

/// <summary>
/// A delivery channel that answers from a script: given the subscriber and the attempt number (1-based, per
/// subscriber, counted across calls), the outcome. Counts the attempts and remembers the (current) secret each call was signed with.
/// </summary>
public sealed class ScriptedPriceChannel(Func<string, int, DeliveryAttempt> script) : IPriceDeliveryChannel
{
    private readonly ConcurrentDictionary<string, int> _attempts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _secrets = new(StringComparer.Ordinal);

    public ScriptedPriceChannel()
        : this((_, _) => Ok)
    {
    }

    public static DeliveryAttempt Ok => DeliveryAttempt.Success(200);

    public static DeliveryAttempt Busy => DeliveryAttempt.FromStatus(503, "Service Unavailable");

    public static DeliveryAttempt Gone => DeliveryAttempt.FromStatus(410, "Gone");

    public Func<string, int, DeliveryAttempt> Script { get; set; } = script;

    public int Attempts(string subscriberId) => _attempts.GetValueOrDefault(subscriberId);

    public int TotalAttempts => _attempts.Values.Sum();

    public string? SecretUsedFor(string subscriberId) => _secrets.GetValueOrDefault(subscriberId);

    public Task<DeliveryAttempt> DeliverAsync(PriceChange change, PriceSubscriber subscriber, IReadOnlyList<string> secrets, CancellationToken cancellationToken)
    {
        var attempt = _attempts.AddOrUpdate(subscriber.Id, 1, (_, count) => count + 1);
        _secrets[subscriber.Id] = secrets[0];
        return Task.FromResult(Script(subscriber.Id, attempt));
    }
}
