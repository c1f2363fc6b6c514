using Azure.Core;
using Azure.Core.Pipeline;

namespace OmniChannel.Azure.Tables;

/// <summary>
/// Placed before the SDK's own retries, so it sees what is left once they are spent: an answer or a failure that
/// <see cref="StorageFailures"/> calls transient becomes the core's <see cref="Core.Ports.TransientStorageException"/>,
/// which ingest retries and parks and the workflows retry with back-off. Without it every table adapter would throw the
/// SDK's <c>RequestFailedException</c>, which nothing upstream knows to be transient (a 503 while telling the store of
/// a pick task used to fail the step and refund a good order).
/// </summary>
internal sealed class TransientFailurePolicy(string store) : HttpPipelinePolicy
{
    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        try
        {
            ProcessNext(message, pipeline);
        }
        catch (Exception exception) when (StorageFailures.IsTransient(exception) && !message.CancellationToken.IsCancellationRequested)
        {
            throw StorageFailures.Transient(store, exception);
        }

        ThrowIfTransient(message);
    }

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        try
        {
            await ProcessNextAsync(message, pipeline);
        }
        catch (Exception exception) when (StorageFailures.IsTransient(exception) && !message.CancellationToken.IsCancellationRequested)
        {
            throw StorageFailures.Transient(store, exception);
        }

        ThrowIfTransient(message);
    }

    private void ThrowIfTransient(HttpMessage message)
    {
        if (!message.HasResponse || !StorageFailures.IsTransientStatus(message.Response.Status))
        {
            return;
        }

        TimeSpan? retryAfter = message.Response.Headers.TryGetValue("Retry-After", out var value) && int.TryParse(value, out var seconds)
            ? TimeSpan.FromSeconds(seconds)
            : null;
        throw new Core.Ports.TransientStorageException($"{store} answered {message.Response.Status} ({message.Response.ReasonPhrase}).", retryAfter, new IOException($"{store} {message.Response.Status}"));
    }
}
