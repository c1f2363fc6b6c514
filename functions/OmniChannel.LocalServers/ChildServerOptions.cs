namespace OmniChannel.LocalServers;

/// <summary>What <see cref="ChildServer.StartAsync"/> runs and how it decides the server is ready.</summary>
public sealed class ChildServerOptions
{
    /// <summary>A short name for messages, e.g. "Azurite".</summary>
    public required string Name { get; init; }

    /// <summary>The executable, e.g. the path from <see cref="NodeRuntime.FindNode"/>.</summary>
    public required string FileName { get; init; }

    /// <summary>Arguments, passed one by one (no shell quoting involved).</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>The working directory; the current directory when null.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>Loopback TCP ports that must all accept connections before the server counts as started.</summary>
    public IReadOnlyList<int> ReadyPorts { get; init; } = [];

    /// <summary>
    /// Text a line of standard output must contain before the server counts as started, or null. The
    /// server's own words prove the port belongs to it, not to a process that took a "free" port first.
    /// </summary>
    public string? ReadyOutput { get; init; }

    /// <summary>How long the start may take (Node loads a few hundred modules for Azurite; the machine may be busy).</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How long a stop waits after SIGTERM before killing the process tree. Azurite saves its databases
    /// on SIGTERM (otherwise every 5 s), so a graceful stop keeps the last writes for the next start.
    /// Zero kills at once. Windows has no SIGTERM: there the process tree is always killed.
    /// </summary>
    public TimeSpan GracefulStopTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How many of the last output lines are kept for error messages.</summary>
    public int OutputCapacity { get; init; } = 200;
}
