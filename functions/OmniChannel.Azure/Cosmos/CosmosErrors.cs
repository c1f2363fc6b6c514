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
        catch (CosmosException exception) when (exception.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.PreconditionFailed)
        {
            throw new StorageConflictException(exception.Message);
        }
        catch (CosmosException exception) when (IsTransient(exception.StatusCode))
        {
            throw new TransientStorageException($"Cosmos DB answered {(int)exception.StatusCode}.", exception.RetryAfter, exception);
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

    /// <summary>As every adapter classifies (<see cref="StorageFailures"/>): 408, 410, 429 and 5xx.</summary>
    public static bool IsTransient(HttpStatusCode status) => StorageFailures.IsTransientStatus((int)status);
}
