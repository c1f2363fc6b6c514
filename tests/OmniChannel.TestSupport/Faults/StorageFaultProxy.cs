using OmniChannel.LocalServers;

namespace OmniChannel.TestSupport.Faults;

/// <summary>
/// Azurite's three services (blob, queue, table) behind one <see cref="TcpFaultProxy"/> each, so a test can take the
/// whole storage account down and bring it back while Azurite keeps its data, as a storage outage would.
/// </summary>
public sealed class StorageFaultProxy : IAsyncDisposable
{
    private readonly TcpFaultProxy _blob;
    private readonly TcpFaultProxy _queue;
    private readonly TcpFaultProxy _table;

    public StorageFaultProxy(AzuriteServer azurite)
    {
        ArgumentNullException.ThrowIfNull(azurite);
        _blob = new TcpFaultProxy(azurite.BlobPort);
        _queue = new TcpFaultProxy(azurite.QueuePort);
        _table = new TcpFaultProxy(azurite.TablePort);
        ConnectionString = AzuriteServer.ConnectionStringFor(_blob.Port, _queue.Port, _table.Port);
    }

    public int BlobPort => _blob.Port;

    public int QueuePort => _queue.Port;

    public int TablePort => _table.Port;

    /// <summary>The development storage connection string through the proxies.</summary>
    public string ConnectionString { get; }

    public void Down()
    {
        _blob.Down();
        _queue.Down();
        _table.Down();
    }

    public void Up()
    {
        _blob.Up();
        _queue.Up();
        _table.Up();
    }

    public async ValueTask DisposeAsync()
    {
        await _blob.DisposeAsync();
        await _queue.DisposeAsync();
        await _table.DisposeAsync();
    }
}
