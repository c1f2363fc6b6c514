using System.Net;
using System.Net.Sockets;

namespace OmniChannel.LocalServers;

/// <summary>
/// Picks free TCP ports on 127.0.0.1, so tests can run servers side by side (and beside a developer's own
/// Azurite on the default ports) without clashing.
/// </summary>
public static class LoopbackPort
{
    /// <summary>One free loopback port.</summary>
    public static int GetFree() => GetFree(1)[0];

    /// <summary>
    /// <paramref name="count"/> distinct free loopback ports. All listeners stay open until every port is
    /// picked, so the operating system cannot hand the same port out twice. The ports are released on
    /// return: a process started right after binds them. Another process could take one in that small
    /// window; <see cref="ChildServer"/> then sees the server exit ("address in use") or never print its
    /// ready line, and fails rather than talking to the wrong process.
    /// </summary>
    public static int[] GetFree(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);

        var listeners = new List<TcpListener>(count);
        try
        {
            for (var i = 0; i < count; i++)
            {
                var listener = new TcpListener(IPAddress.Loopback, 0);
                listener.Start();
                listeners.Add(listener);
            }

            return [.. listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port)];
        }
        finally
        {
            foreach (var listener in listeners)
            {
                listener.Stop();
            }
        }
    }
}
