namespace OmniChannel.Local.Hosting;

/// <summary>
/// Starts a server the host started (Azurite, the Cosmos DB server) again when its process exits under the running
/// host, on the same port(s) and data, so storage calls do not retry into a closed port for good. A start that fails
/// is tried again, waiting twice as long each time, up to 30 s. Servers the host reuses are not its to restart.
/// </summary>
public sealed partial class ChildServerWatchdog(LocalServerSet servers, IHostApplicationLifetime lifetime, ILogger<ChildServerWatchdog> logger) : BackgroundService
{
    // A Ctrl+C that reached a server too stops the host within this pause: no restart then.
    private static readonly TimeSpan PauseBeforeRestart = TimeSpan.FromSeconds(1);

    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, lifetime.ApplicationStopping);
        try
        {
            while (true)
            {
                var exit = await servers.WaitForExitAsync(stopping.Token);
                await Task.Delay(PauseBeforeRestart, stopping.Token);
                LogExited(logger, exit.Name, exit.ExitCode, exit.Ports);
                await RestartAsync(exit, stopping.Token);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // The host is stopping; it stops the servers itself.
        }
        catch (ObjectDisposedException)
        {
            // The servers were stopped first (a shutdown that ran out of time).
        }
    }

    private async Task RestartAsync(LocalServerSet.Exit exit, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                var processId = await servers.RestartAsync(exit, cancellationToken);
                LogRestarted(logger, exit.Name, processId);
                return;
            }
            catch (Exception exception) when (exception is InvalidOperationException or TimeoutException or IOException && exception is not ObjectDisposedException)
            {
                var delay = TimeSpan.FromSeconds(Math.Min(MaxRetryDelay.TotalSeconds, Math.Pow(2, attempt)));
                LogRestartFailed(logger, exit.Name, delay.TotalSeconds, exception.Message.Split('\n')[0]);
                await Task.Delay(delay, cancellationToken);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Server} exited (code {ExitCode}); restarting it on {Ports}")]
    private static partial void LogExited(ILogger logger, string server, int exitCode, string ports);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Server} restarted (pid {ProcessId})")]
    private static partial void LogRestarted(ILogger logger, string server, int processId);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Server} could not be restarted (next try in {DelaySeconds:0} s): {Reason}")]
    private static partial void LogRestartFailed(ILogger logger, string server, double delaySeconds, string reason);
}
