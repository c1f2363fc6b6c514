using System.Runtime.InteropServices;

namespace OmniChannel.LocalServers;

/// <summary>Sends SIGTERM, which .NET cannot send on its own (<see cref="System.Diagnostics.Process.Kill()"/> is SIGKILL).</summary>
internal static class UnixSignal
{
    // 15 on Linux and macOS alike.
    private const int SigTerm = 15;

    /// <summary>False when the signal could not be sent (the process is gone, or libc is not there).</summary>
    public static bool Terminate(int processId)
    {
        try
        {
            return NativeMethods.Kill(processId, SigTerm) == 0;
        }
        catch (DllNotFoundException)
        {
            return false;
        }
        catch (EntryPointNotFoundException)
        {
            return false;
        }
    }

    private static class NativeMethods
    {
        [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int Kill(int pid, int sig);
    }
}
