using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.DurableTask.Worker.Grpc;
using Microsoft.Extensions.DependencyInjection;
using P = Microsoft.DurableTask.Protobuf;

namespace OmniChannel.Workflows.Tests.Versioning;

/// <summary>
/// Sits between the in-process host's gRPC sidecar and the worker and keeps every orchestrator episode: the work item
/// the engine sent (the instance's past events and the new ones) and the worker's answer (the actions the orchestrator
/// took, its custom status). That pair is exactly what the Functions host hands <c>GrpcOrchestrationRunner</c> and gets
/// back, so a recorded episode can be replayed against later code without any engine.
/// </summary>
public sealed class WorkItemRecorder : Interceptor
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, P.OrchestratorRequest> _running = new(StringComparer.Ordinal);
    private readonly List<RecordedEpisode> _episodes = [];

    /// <summary>The episodes of the instance, oldest first.</summary>
    public IReadOnlyList<RecordedEpisode> EpisodesOf(string instanceId)
    {
        lock (_lock)
        {
            return _episodes.Where(episode => episode.Request.InstanceId == instanceId).ToList();
        }
    }

    /// <summary>Routes the worker's gRPC calls of the host started with these services through this recorder.</summary>
    public void Attach(IServiceCollection services) =>
        services.PostConfigureAll<GrpcDurableTaskWorkerOptions>(options =>
        {
            var channel = options.Channel ?? throw new InvalidOperationException("The worker has no gRPC channel to record.");
            options.CallInvoker = channel.CreateCallInvoker().Intercept(this);
            options.Channel = null;
        });

    public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(
        TRequest request,
        ClientInterceptorContext<TRequest, TResponse> context,
        AsyncServerStreamingCallContinuation<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        var call = continuation(request, context);
        return new AsyncServerStreamingCall<TResponse>(
            new RecordingReader<TResponse>(call.ResponseStream, this), call.ResponseHeadersAsync, call.GetStatus, call.GetTrailers, call.Dispose);
    }

    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(
        TRequest request,
        ClientInterceptorContext<TRequest, TResponse> context,
        AsyncUnaryCallContinuation<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        if (request is P.OrchestratorResponse response)
        {
            Completed(response);
        }

        return continuation(request, context);
    }

    private void Received(P.WorkItem item)
    {
        if (item.OrchestratorRequest is { } request)
        {
            lock (_lock)
            {
                _running[request.InstanceId] = request.Clone();
            }
        }
    }

    private void Completed(P.OrchestratorResponse response)
    {
        lock (_lock)
        {
            // A chunked answer (only for answers over a megabyte) would come in parts; these workflows never send one.
            if (_running.Remove(response.InstanceId, out var request))
            {
                _episodes.Add(new RecordedEpisode(request, response.Clone()));
            }
        }
    }

    private sealed class RecordingReader<T>(IAsyncStreamReader<T> inner, WorkItemRecorder recorder) : IAsyncStreamReader<T>
    {
        public T Current => inner.Current;

        public async Task<bool> MoveNext(CancellationToken cancellationToken)
        {
            var moved = await inner.MoveNext(cancellationToken);
            if (moved && inner.Current is P.WorkItem item)
            {
                recorder.Received(item);
            }

            return moved;
        }
    }
}
