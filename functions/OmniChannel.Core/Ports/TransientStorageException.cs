namespace OmniChannel.Core.Ports;

/// <summary>The store is briefly unavailable (throttled, timed out, 503); the operation may be retried.</summary>
public sealed class TransientStorageException(string message, TimeSpan? retryAfter, Exception inner) : Exception(message, inner)
{
    public TimeSpan? RetryAfter { get; } = retryAfter;
}
