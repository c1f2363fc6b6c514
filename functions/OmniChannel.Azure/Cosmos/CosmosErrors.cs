using System.Globalization;
using System.Net;
using Microsoft.Azure.Cosmos;
using OmniChannel.Core.Ports;

namespace OmniChannel.Azure.Cosmos;

/// <summary>Turns Cosmos failures into the core's vocabulary: conflicts, transient faults, or a real error.</summary>
internal static class CosmosErrors
{
    public static async Task<T> Guard<T>(Func<Task<T>> operation, CancellationToken cancellationToken)
    {
        try
        {
            return await operation();
        }
        catch (CosmosException exception) when (IsCoreFailure(exception.StatusCode))
        {
            throw ToCoreException(exception, exception.RetryAfter);
        }
        catch (HttpRequestException exception)
        {
            throw new TransientStorageException("Cosmos DB could not be reached.", null, exception);
        }
        catch (OperationCanceledException exception) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TransientStorageException("A Cosmos DB request timed out.", null, exception);
        }
    }

    public static Task Guard(Func<Task> operation, CancellationToken cancellationToken) =>
        Guard(async () =>
        {
            await operation();
            return true;
        }, cancellationToken);

    /// <summary>
    /// A stream operation's failed answer as the typed calls would have thrown it, after <see cref="Guard{T}"/>:
    /// a conflict or a transient fault in the core's words, anything else the SDK's own exception.
    /// </summary>
    public static Exception FromFailedResponse(ResponseMessage response)
    {
        _ = int.TryParse(response.Headers["x-ms-substatus"], NumberStyles.Integer, CultureInfo.InvariantCulture, out var subStatus);
        var exception = new CosmosException(
            response.ErrorMessage ?? $"Cosmos DB answered {(int)response.StatusCode}.", response.StatusCode, subStatus, response.Headers.ActivityId, response.Headers.RequestCharge);
        return IsCoreFailure(exception.StatusCode) ? ToCoreException(exception, RetryAfterOf(response)) : exception;
    }

    /// <summary>As every adapter classifies (<see cref="StorageFailures"/>): 408, 410, 429 and 5xx.</summary>
    public static bool IsTransient(HttpStatusCode status) => StorageFailures.IsTransientStatus((int)status);

    /// <summary>The service's back-off hint (milliseconds), as the typed calls' exception reads it.</summary>
    private static TimeSpan? RetryAfterOf(ResponseMessage response) =>
        long.TryParse(response.Headers["x-ms-retry-after-ms"], NumberStyles.Integer, CultureInfo.InvariantCulture, out var milliseconds)
            ? TimeSpan.FromMilliseconds(milliseconds)
            : null;

    private static bool IsCoreFailure(HttpStatusCode status) =>
        status is HttpStatusCode.Conflict or HttpStatusCode.PreconditionFailed || IsTransient(status);

    private static Exception ToCoreException(CosmosException exception, TimeSpan? retryAfter) =>
        exception.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.PreconditionFailed
            ? new StorageConflictException(exception.Message)
            : new TransientStorageException($"Cosmos DB answered {(int)exception.StatusCode}.", retryAfter, exception);
}
