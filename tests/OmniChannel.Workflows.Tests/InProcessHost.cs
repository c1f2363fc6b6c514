using System.Net;
using System.Net.Sockets;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using OmniChannel.Workflows.Tests.Versioning;

namespace OmniChannel.Workflows.Tests;

/// <summary>
/// What the workflow test hosts share: the Durable Task in-process host started on a free loopback port, its client,
/// polling an instance's custom status, waiting for an instance to end, and disposal.
/// </summary>
public abstract class InProcessHost : IAsyncDisposable
{
    private readonly TimeSpan _defaultTimeout;

    private DurableTaskTestHost _host = null!;

    /// <param name="defaultTimeout">How long the waits wait when the caller names no timeout.</param>
    protected InProcessHost(TimeSpan defaultTimeout)
    {
        _defaultTimeout = defaultTimeout;
    }

    public DurableTaskClient Client => _host.Client;

    /// <summary>Waits for the instance to end, whatever the outcome; answers its state with inputs and outputs.</summary>
    public async Task<OrchestrationMetadata> WaitForCompletionAsync(string instanceId, TimeSpan? timeout = null)
    {
        using var cancellation = new CancellationTokenSource(timeout ?? _defaultTimeout);
        return await Client.WaitForInstanceCompletionAsync(instanceId, getInputsAndOutputs: true, cancellation.Token);
    }

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    /// <summary>
    /// Starts the in-process host with the tasks and the services the activities get through their constructors;
    /// <paramref name="recorder"/>, when given, keeps every orchestrator episode (the history fixtures come from it).
    /// </summary>
    protected async Task StartHostAsync(Action<DurableTaskRegistry> registerTasks, Action<IServiceCollection> configureServices, WorkItemRecorder? recorder = null) =>
        _host = await StartOnFreePortAsync(port => DurableTaskTestHost.StartAsync(
            registerTasks,
            new DurableTaskTestHostOptions
            {
                Port = port,
                LoggerFactory = NullLoggerFactory.Instance,
                ConfigureServices = services =>
                {
                    configureServices(services);
                    recorder?.Attach(services);
                },
            }));

    /// <summary>Polls the custom status until it matches (the workflows report every step there).</summary>
    protected async Task<TProgress> WaitForCustomStatusAsync<TProgress>(string instanceId, Func<TProgress, bool> reached, TimeSpan? timeout = null)
    {
        using var cancellation = new CancellationTokenSource(timeout ?? _defaultTimeout);
        while (true)
        {
            var state = await Client.GetInstanceAsync(instanceId, getInputsAndOutputs: true, cancellation.Token);
            var progress = state is null ? default : state.ReadCustomStatusAs<TProgress>();
            if (progress is not null && reached(progress))
            {
                return progress;
            }

            if (state is { IsCompleted: true })
            {
                throw new InvalidOperationException($"{instanceId} ended ({state.RuntimeStatus}, {state.SerializedCustomStatus}) before the awaited progress.");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), cancellation.Token);
        }
    }

    /// <summary>
    /// The host picks a random port in 30000–40000 unless told one, which collides now and then with other test runs
    /// on the machine: ask the OS for a free port instead, and try another if it was taken meanwhile.
    /// </summary>
    internal static async Task<DurableTaskTestHost> StartOnFreePortAsync(Func<int, Task<DurableTaskTestHost>> start)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await start(FreeLoopbackPort());
            }
            catch (IOException) when (attempt < 3)
            {
                // Address in use: another process took the port between the probe and the bind.
            }
        }
    }

    /// <summary>A loopback port the OS had free a moment ago.</summary>
    internal static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
