using Azure;
using Microsoft.Azure.Cosmos;
using OmniChannel.Core.Ports;

namespace OmniChannel.Azure;

/// <summary>
/// The one classification of storage failures every adapter shares (Cosmos DB, Tables, Blob): a timeout (408), a
/// partition that moved (410), throttling (429), a server error (5xx) or no answer at all (status 0, connection
/// failures) is transient — a later attempt can succeed, so it is retried and never compensated; anything else is
/// permanent.
/// </summary>
internal static class StorageFailures
{
    public static bool IsTransientStatus(int status) => status is 0 or 408 or 410 or 429 or >= 500;

    public static bool IsTransient(Exception exception) => exception switch
    {
        RequestFailedException failed => IsTransientStatus(failed.Status),
        CosmosException cosmos => IsTransientStatus((int)cosmos.StatusCode),
        HttpRequestException or TimeoutException or IOException => true,

        // When the SDK's own retries give up on connection failures, it throws them together.
        AggregateException aggregate => aggregate.InnerExceptions.Count > 0 && aggregate.InnerExceptions.All(IsTransient),
        _ => false,
    };

    /// <summary>The core's transient fault for a failure of <paramref name="store"/>, with its first line as the reason.</summary>
    public static TransientStorageException Transient(string store, Exception exception, TimeSpan? retryAfter = null)
    {
        var status = exception switch
        {
            RequestFailedException failed => failed.Status,
            CosmosException cosmos => (int)cosmos.StatusCode,
            _ => 0,
        };
        return new TransientStorageException($"{store} unavailable ({status}): {exception.Message.Split('\n')[0]}", retryAfter, exception);
    }
}
