using System.Globalization;

namespace OmniChannel.LocalServers;

/// <summary>
/// Azurite (Blob, Queue and Table) on loopback ports, run by tools/azurite-server.js so that its cost does not grow
/// with the data it holds: a table query pinned to one partition reads that partition only (Azurite itself scans the
/// whole table), and a queue operation no longer rebuilds the message indices when nothing expired. It persists to its
/// data directory, so a restart on the same directory finds the earlier state; a stop sends SIGTERM first so
/// Azurite saves its databases.
/// </summary>
public sealed class AzuriteServer : IAsyncDisposable, IDisposable
{
    /// <summary>The development storage account name.</summary>
    public const string AccountName = "devstoreaccount1";

    /// <summary>The well-known development storage account key.</summary>
    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    // Runs the package's "azurite" bin entry (all three services) with the changes the script describes.
    private const string Script = "tools/azurite-server.js";

    // The script's switch back to Azurite as published.
    private const string AsPublishedFlag = "--as-published";

    private readonly ChildServer _process;

    private AzuriteServer(ChildServer process, string dataDirectory, int blobPort, int queuePort, int tablePort)
    {
        _process = process;
        DataDirectory = dataDirectory;
        BlobPort = blobPort;
        QueuePort = queuePort;
        TablePort = tablePort;
        BlobEndpoint = AccountUri(blobPort);
        QueueEndpoint = AccountUri(queuePort);
        TableEndpoint = AccountUri(tablePort);
        ConnectionString = ConnectionStringFor(blobPort, queuePort, tablePort);
    }

    /// <summary>The development storage connection string for an Azurite (or a proxy in front of one) on these loopback ports.</summary>
    public static string ConnectionStringFor(int blobPort, int queuePort, int tablePort) =>
        $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};" +
        $"BlobEndpoint={AccountUri(blobPort)};QueueEndpoint={AccountUri(queuePort)};TableEndpoint={AccountUri(tablePort)};";

    /// <summary>The folder Azurite persists to (its --location), as a full path.</summary>
    public string DataDirectory { get; }

    public int BlobPort { get; }

    public int QueuePort { get; }

    public int TablePort { get; }

    /// <summary>http://127.0.0.1:BLOBPORT/devstoreaccount1</summary>
    public Uri BlobEndpoint { get; }

    /// <summary>http://127.0.0.1:QUEUEPORT/devstoreaccount1</summary>
    public Uri QueueEndpoint { get; }

    /// <summary>http://127.0.0.1:TABLEPORT/devstoreaccount1</summary>
    public Uri TableEndpoint { get; }

    /// <summary>
    /// The development storage connection string with explicit endpoints, so clients reach these ports
    /// rather than the defaults <c>UseDevelopmentStorage=true</c> implies.
    /// </summary>
    public string ConnectionString { get; }

    /// <summary>
    /// Starts Azurite persisting to <paramref name="dataDirectory"/> (created if missing), each service on the
    /// given port or on a free loopback port when null, installing the npm packages first if this checkout has
    /// none yet.
    /// </summary>
    public static Task<AzuriteServer> StartAsync(
        string dataDirectory,
        int? blobPort = null,
        int? queuePort = null,
        int? tablePort = null,
        CancellationToken cancellationToken = default) =>
        StartAsync(dataDirectory, blobPort, queuePort, tablePort, AzuriteVariant.Patched, cancellationToken);

    /// <summary>
    /// Starts Azurite as <see cref="StartAsync(string, int?, int?, int?, CancellationToken)"/> does, in the given
    /// variant: <see cref="AzuriteVariant.AsPublished"/> is Azurite unchanged, the reference for comparing results
    /// and speed.
    /// </summary>
    public static async Task<AzuriteServer> StartAsync(
        string dataDirectory,
        int? blobPort,
        int? queuePort,
        int? tablePort,
        AzuriteVariant variant,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(dataDirectory);
        var location = Path.GetFullPath(dataDirectory);
        Directory.CreateDirectory(location);

        var (root, node) = await NodeServerLaunch.PrepareAsync(cancellationToken).ConfigureAwait(false);
        var script = NodeServerLaunch.RequireFile(Path.Combine(root, Script), "The Azurite launcher");

        var (blob, queue, table) = ChoosePorts(blobPort, queuePort, tablePort);
        string Text(int port) => port.ToString(CultureInfo.InvariantCulture);

        var process = await ChildServer.StartAsync(
            new ChildServerOptions
            {
                Name = "Azurite",
                FileName = node,
                Arguments = NodeServerLaunch.NodeArguments(
                    script,
                    [
                    .. variant == AzuriteVariant.AsPublished ? [AsPublishedFlag] : Array.Empty<string>(),
                    "--blobHost", "127.0.0.1", "--blobPort", Text(blob),
                    "--queueHost", "127.0.0.1", "--queuePort", Text(queue),
                    "--tableHost", "127.0.0.1", "--tablePort", Text(table),
                    "--location", location,

                    // Accept the API versions and headers of whatever SDK version the tests use.
                    "--skipApiVersionCheck", "--loose",

                    // No access log per request: it would only fill the bounded output log.
                    "--silent",

                    // Azurite 3.37 sends usage telemetry unless told not to; tests must not phone home.
                    "--disableTelemetry",
                    ]),
                WorkingDirectory = root,
                ReadyPorts = [blob, queue, table],

                // Azurite starts Blob, Queue and Table in that order and prints this for the last one.
                ReadyOutput = $"Azurite Table service is successfully listening at http://127.0.0.1:{Text(table)}",
            },
            cancellationToken).ConfigureAwait(false);

        return new AzuriteServer(process, location, blob, queue, table);
    }

    /// <summary>The operating-system id of the server's process.</summary>
    public int ProcessId => _process.ProcessId;

    /// <summary>Waits until the server's process exits (stopped, crashed or killed) and answers its exit code.</summary>
    public Task<int> WaitForExitAsync(CancellationToken cancellationToken) => _process.WaitForExitAsync(cancellationToken);

    /// <summary>The last lines Azurite wrote, for diagnosing a failing test.</summary>
    public string GetOutput() => _process.GetOutput();

    public ValueTask DisposeAsync() => _process.DisposeAsync();

    public void Dispose() => _process.Dispose();

    public override string ToString() => $"Azurite on 127.0.0.1 (blob {BlobPort}, queue {QueuePort}, table {TablePort})";

    private static Uri AccountUri(int port) => new($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/{AccountName}");

    private static (int Blob, int Queue, int Table) ChoosePorts(int? blob, int? queue, int? table)
    {
        // Free ports for the services without one, never equal to a port given explicitly.
        var taken = new HashSet<int>(new[] { blob, queue, table }.OfType<int>());
        var free = new Queue<int>(LoopbackPort.GetFree(6).Where(p => !taken.Contains(p)));
        return (blob ?? free.Dequeue(), queue ?? free.Dequeue(), table ?? free.Dequeue());
    }
}
