using System.ComponentModel;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace OmniChannel.LocalServers;

/// <summary>
/// A server running as a child process on loopback: started, waited for until its ports accept
/// connections, and on dispose stopped together with everything it started, so no test run leaves
/// orphans behind. Its standard output and error are kept (the last lines) to explain a failed start.
/// </summary>
public sealed class ChildServer : IAsyncDisposable, IDisposable
{
    private const string SetsidPath = "/usr/bin/setsid";

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan ConnectAttemptTimeout = TimeSpan.FromSeconds(1);

    // Bounds the final wait for exit and for the output pipes to drain, so a stuck pipe cannot hang a dispose.
    private static readonly TimeSpan ExitWaitTimeout = TimeSpan.FromSeconds(10);

    private readonly ChildServerOptions _options;
    private readonly Process _process;
    private readonly BoundedOutputLog _log;
    private volatile bool _readyOutputSeen;
    private int _stopped;

    private ChildServer(ChildServerOptions options)
    {
        _options = options;
        _log = new BoundedOutputLog(options.OutputCapacity);

        // In a session of its own where setsid(1) is there: a Ctrl+C in the terminal (SIGINT to the whole foreground
        // process group) then reaches the parent only, which stops its servers after the work that needs them. setsid
        // execs the server in place (this child leads no group, so it does not fork): the process id stays the server's.
        var setsid = OperatingSystem.IsLinux() && File.Exists(SetsidPath);
        var startInfo = new ProcessStartInfo(setsid ? SetsidPath : options.FileName)
        {
            WorkingDirectory = options.WorkingDirectory ?? Environment.CurrentDirectory,
            UseShellExecute = false,
            CreateNoWindow = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,

            // The child gets a pipe as stdin, held open until this object is disposed: a server that
            // watches its stdin (the Node servers here do) then exits when this process dies, even when
            // it is killed and no dispose runs. It also keeps children off the test runner's own stdin.
            RedirectStandardInput = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        if (setsid)
        {
            startInfo.ArgumentList.Add(options.FileName);
        }

        foreach (var argument in options.Arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        _process = new Process { StartInfo = startInfo };
        _process.OutputDataReceived += (_, e) => OnLine("out", e.Data);
        _process.ErrorDataReceived += (_, e) => OnLine("err", e.Data);
    }

    /// <summary>The name given in the options, for messages.</summary>
    public string Name => _options.Name;

    /// <summary>The operating-system id of the child process.</summary>
    public int ProcessId { get; private set; }

    /// <summary>True once the child process has exited (or this object was disposed).</summary>
    public bool HasExited => Volatile.Read(ref _stopped) != 0 || _process.HasExited;

    /// <summary>The last lines the child wrote to standard output and error, each prefixed [out] or [err].</summary>
    public string GetOutput() => _log.ToString();

    /// <summary>Waits until the child process exits, however it ends, and answers its exit code (128 + N for signal N).</summary>
    public async Task<int> WaitForExitAsync(CancellationToken cancellationToken)
    {
        await _process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        return _process.ExitCode;
    }

    /// <summary>
    /// Starts the process and returns once every <see cref="ChildServerOptions.ReadyPorts"/> port accepts a
    /// connection and <see cref="ChildServerOptions.ReadyOutput"/> (if set) has been printed.
    /// </summary>
    /// <exception cref="InvalidOperationException">The process could not start or exited before it was ready; the message holds its output.</exception>
    /// <exception cref="TimeoutException">It was not ready within <see cref="ChildServerOptions.StartTimeout"/>; the process is stopped and the message holds its output.</exception>
    public static async Task<ChildServer> StartAsync(ChildServerOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        cancellationToken.ThrowIfCancellationRequested();

        var server = new ChildServer(options);
        try
        {
            server.Start();
            await server.WaitUntilReadyAsync(cancellationToken).ConfigureAwait(false);
            return server;
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Stops the server: SIGTERM and a grace period where supported, then a kill of the whole process tree.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return;
        }

        try
        {
            if (ProcessId != 0 && !_process.HasExited)
            {
                if (TrySignalTerminate())
                {
                    using var grace = new CancellationTokenSource(_options.GracefulStopTimeout);
                    await WaitForExitQuietlyAsync(grace.Token).ConfigureAwait(false);
                }

                KillTree();
            }

            if (ProcessId != 0)
            {
                using var exitWait = new CancellationTokenSource(ExitWaitTimeout);
                await WaitForExitQuietlyAsync(exitWait.Token).ConfigureAwait(false);
            }
        }
        finally
        {
            _process.Dispose();
        }
    }

    /// <summary>The synchronous twin of <see cref="DisposeAsync"/>, for callers that cannot await.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return;
        }

        try
        {
            if (ProcessId != 0 && !_process.HasExited)
            {
                if (TrySignalTerminate())
                {
                    _process.WaitForExit(_options.GracefulStopTimeout);
                }

                KillTree();
            }

            if (ProcessId != 0 && _process.WaitForExit(ExitWaitTimeout))
            {
                // The parameterless overload also waits for the redirected output to be read to its end.
                _process.WaitForExit();
            }
        }
        finally
        {
            _process.Dispose();
        }
    }

    public override string ToString() => $"{Name} (pid {ProcessId})";

    private void Start()
    {
        try
        {
            _process.Start();
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException($"{Name}: could not start '{_options.FileName}': {e.Message}", e);
        }

        ProcessId = _process.Id;
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    private void OnLine(string stream, string? line)
    {
        if (line is null)
        {
            return;
        }

        _log.Add(stream, line);
        if (stream == "out" && _options.ReadyOutput is { } ready && line.Contains(ready, StringComparison.Ordinal))
        {
            _readyOutputSeen = true;
        }
    }

    private async Task WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.StartNew();
        var pendingPorts = new List<int>(_options.ReadyPorts);

        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();

            // Checked before the ports: a process that exited cannot own a port that accepts, whoever holds it.
            if (_process.HasExited)
            {
                throw new InvalidOperationException(
                    $"{Name} exited with code {await ExitCodeAfterOutputAsync().ConfigureAwait(false)} before it was ready " +
                    $"({DescribeReadiness(pendingPorts)}). Command: {DescribeCommand()}{Environment.NewLine}" +
                    $"Output:{Environment.NewLine}{GetOutput()}");
            }

            for (var i = pendingPorts.Count - 1; i >= 0; i--)
            {
                if (await AcceptsConnectionAsync(pendingPorts[i], cancellationToken).ConfigureAwait(false))
                {
                    pendingPorts.RemoveAt(i);
                }
            }

            if (pendingPorts.Count == 0 && (_options.ReadyOutput is null || _readyOutputSeen))
            {
                return;
            }

            if (started.Elapsed > _options.StartTimeout)
            {
                throw new TimeoutException(
                    $"{Name} was not ready after {_options.StartTimeout.TotalSeconds:0.#} s ({DescribeReadiness(pendingPorts)}). " +
                    $"Command: {DescribeCommand()}{Environment.NewLine}Output:{Environment.NewLine}{GetOutput()}");
            }

            await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    private string DescribeReadiness(List<int> pendingPorts)
    {
        var waits = new List<string>();
        if (pendingPorts.Count > 0)
        {
            waits.Add($"port(s) {string.Join(", ", pendingPorts)} not accepting connections");
        }

        if (_options.ReadyOutput is { } ready && !_readyOutputSeen)
        {
            waits.Add($"no output line containing \"{ready}\"");
        }

        return waits.Count == 0 ? "ready" : string.Join("; ", waits);
    }

    private string DescribeCommand() =>
        string.Join(' ', new[] { _options.FileName }.Concat(_options.Arguments).Select(a => a.Contains(' ', StringComparison.Ordinal) ? $"\"{a}\"" : a));

    private async Task<int> ExitCodeAfterOutputAsync()
    {
        // Let the output readers reach the end of the pipes, so the message shows the last words.
        using var drain = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await WaitForExitQuietlyAsync(drain.Token).ConfigureAwait(false);
        return _process.ExitCode;
    }

    private static async Task<bool> AcceptsConnectionAsync(int port, CancellationToken cancellationToken)
    {
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attempt.CancelAfter(ConnectAttemptTimeout);
        using var client = new TcpClient(AddressFamily.InterNetwork);
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port, attempt.Token).ConfigureAwait(false);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private bool TrySignalTerminate()
    {
        // Process.Kill sends SIGKILL on Unix; SIGTERM lets a server finish what it owes (Azurite saves its
        // databases). .NET has no API to send other signals, hence the one libc call.
        if (_options.GracefulStopTimeout <= TimeSpan.Zero || OperatingSystem.IsWindows())
        {
            return false;
        }

        return UnixSignal.Terminate(ProcessId);
    }

    private void KillTree()
    {
        try
        {
            // The whole tree: a server that started helpers must not leave them running.
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It exited between the check and the kill.
        }
        catch (Win32Exception)
        {
            // It is exiting and can no longer be signalled; the wait for exit below covers it.
        }
    }

    private async Task WaitForExitQuietlyAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Timed out: the caller escalates or gives up waiting.
        }
    }
}
