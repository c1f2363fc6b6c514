using System.Net;
using System.Net.Sockets;

namespace OmniChannel.TestSupport.Faults;

/// <summary>
/// A loopback TCP relay in front of a protocol server that a test can take down and bring back: down, it refuses new
/// connections and cuts the open ones, as a network outage or a crashed node would, while the server behind it (and
/// the in-memory data it holds) stays intact.
/// </summary>
public sealed class TcpFaultProxy : IAsyncDisposable
{
    private readonly int _targetPort;
    private readonly List<TcpClient> _open = [];
    private readonly Lock _lock = new();
    private TcpListener? _listener;
    private CancellationTokenSource _stop = new();

    public TcpFaultProxy(int targetPort)
    {
        _targetPort = targetPort;
        Port = OmniChannel.LocalServers.LoopbackPort.GetFree(1)[0];
        Up();
    }

    public int Port { get; }

    public bool IsDown { get; private set; }

    public void Up()
    {
        lock (_lock)
        {
            if (_listener is not null && !IsDown)
            {
                return;
            }

            IsDown = false;
        }

        _stop = new CancellationTokenSource();
        _listener = new TcpListener(IPAddress.Loopback, Port);
        _listener.Start();
        _ = AcceptAsync(_listener, _stop.Token);
    }

    /// <summary>Stops listening and resets every relayed connection.</summary>
    public void Down()
    {
        IsDown = true;
        _listener?.Stop();
        try
        {
            // Cancelling runs the relays' callbacks inline; one that meets an already-closed socket must not stop the outage.
            _stop.Cancel();
        }
        catch (AggregateException)
        {
            // The relays are going down either way.
        }

        lock (_lock)
        {
            foreach (var client in _open)
            {
                try
                {
                    // A reset, not a polite close: the other side sees the connection die mid-request. (A client its relay
                    // has already disposed has no socket any more.)
                    if (client.Client is { } socket)
                    {
                        socket.LingerState = new LingerOption(true, 0);
                    }
                }
                catch (Exception exception) when (exception is ObjectDisposedException or SocketException)
                {
                    // Closed by its relay meanwhile.
                }

                client.Dispose();
            }

            _open.Clear();
        }
    }

    private async Task AcceptAsync(TcpListener listener, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            TcpClient inbound;
            try
            {
                inbound = await listener.AcceptTcpClientAsync(cancellationToken);
            }
            catch (Exception exception) when (exception is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = RelayAsync(inbound, cancellationToken);
        }
    }

    private async Task RelayAsync(TcpClient inbound, CancellationToken cancellationToken)
    {
        var outbound = new TcpClient();
        lock (_lock)
        {
            _open.Add(inbound);
            _open.Add(outbound);
        }

        try
        {
            await outbound.ConnectAsync(IPAddress.Loopback, _targetPort, cancellationToken);
            var up = inbound.GetStream().CopyToAsync(outbound.GetStream(), cancellationToken);
            var down = outbound.GetStream().CopyToAsync(inbound.GetStream(), cancellationToken);
            await Task.WhenAny(up, down);
        }
        catch (Exception exception) when (exception is IOException or SocketException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
            // The outage (or the client) closed it.
        }
        finally
        {
            inbound.Dispose();
            outbound.Dispose();
            lock (_lock)
            {
                _open.Remove(inbound);
                _open.Remove(outbound);
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        Down();
        _stop.Dispose();
        return ValueTask.CompletedTask;
    }
}
