namespace OmniChannel.Core.Prices;

public enum DeliveryState
{
    Pending,
    Delivered,
    Failed,
}

/// <summary>Where one subscriber stands with one change: the row of the fan-out's report.</summary>
public sealed record SubscriberDelivery(
    string ChangeId,
    string SubscriberId,
    DeliveryState State,
    int Attempts,
    int? LastStatusCode,
    string? LastError,
    bool Permanent,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? DeliveredAt);

/// <summary>What one attempt to hand a change to a subscriber came to.</summary>
public enum AttemptOutcome
{
    Delivered,

    /// <summary>Worth retrying: a timeout, a refused connection, 408, 429 or 5xx.</summary>
    Transient,

    /// <summary>Retrying will not help: another 4xx, an unknown subscriber, a missing secret.</summary>
    Permanent,
}

public sealed record DeliveryAttempt(AttemptOutcome Outcome, int? StatusCode, string? Error)
{
    public static DeliveryAttempt Success(int statusCode) => new(AttemptOutcome.Delivered, statusCode, null);

    /// <summary>Classifies an HTTP answer: 2xx delivered; 408, 425, 429 and 5xx transient; any other code permanent.</summary>
    public static DeliveryAttempt FromStatus(int statusCode, string? reason) => statusCode switch
    {
        >= 200 and < 300 => Success(statusCode),
        408 or 425 or 429 or >= 500 => new(AttemptOutcome.Transient, statusCode, $"HTTP {statusCode} {reason}".TrimEnd()),
        _ => new(AttemptOutcome.Permanent, statusCode, $"HTTP {statusCode} {reason}".TrimEnd()),
    };
}
