namespace OmniChannel.LocalServers;

/// <summary>
/// Locates <c>node</c> and <c>npm</c> on the PATH. The servers are npm packages run by whatever Node the
/// machine has; a missing Node should fail with a message saying so, not with a bare
/// "file not found" from the process start.
/// </summary>
public static class NodeRuntime
{
    /// <summary>The full path of <c>node</c> on the PATH.</summary>
    /// <exception cref="FileNotFoundException">Node is not on the PATH.</exception>
    public static string FindNode() => FindOnPath("node");

    /// <summary>The full path of <c>npm</c> on the PATH (<c>npm.cmd</c> on Windows).</summary>
    /// <exception cref="FileNotFoundException">npm is not on the PATH.</exception>
    public static string FindNpm() => FindOnPath("npm");

    private static string FindOnPath(string command)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;

        // On Windows the command is a file with one of the PATHEXT extensions (node.exe, npm.cmd);
        // elsewhere it is the bare name and must be executable.
        string[] extensions = OperatingSystem.IsWindows()
            ? (Environment.GetEnvironmentVariable("PATHEXT") ?? ".COM;.EXE;.BAT;.CMD").Split(';', StringSplitOptions.RemoveEmptyEntries)
            : [string.Empty];

        foreach (var directory in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (var extension in extensions)
            {
                var candidate = Path.Combine(directory.Trim('"'), command + extension);
                if (IsExecutableFile(candidate))
                {
                    return candidate;
                }
            }
        }

        throw new FileNotFoundException(
            $"'{command}' was not found on the PATH ({path}). The local servers (Azurite, the Cosmos DB protocol server) " +
            "are npm packages: install Node.js 20 or later and make sure node and npm are on the PATH.",
            command);
    }

    private static bool IsExecutableFile(string candidate)
    {
        if (!File.Exists(candidate))
        {
            return false;
        }

        if (OperatingSystem.IsWindows())
        {
            return true;
        }

        const UnixFileMode anyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        return (File.GetUnixFileMode(candidate) & anyExecute) != 0;
    }
}
