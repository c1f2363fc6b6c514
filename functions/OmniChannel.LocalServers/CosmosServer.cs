using System.Globalization;
using System.Security.Cryptography.X509Certificates;

namespace OmniChannel.LocalServers;

/// <summary>
/// The Cosmos DB protocol server (@vercel/cosmosdb-server), run by tools/cosmos-server.js on a loopback
/// HTTPS port with keep-alive. It keeps everything in memory: without a journal every start is an empty
/// account; with one (<see cref="StartAsync(int?, string?, CancellationToken)"/>) every successful write is
/// appended to a file and replayed at the next start. Use the Cosmos SDK in Gateway mode with
/// <c>LimitToEndpoint = true</c> and the handler from <see cref="CreateHttpMessageHandler"/> (the server's
/// certificate is self-signed).
/// </summary>
public sealed class CosmosServer : IAsyncDisposable, IDisposable
{
    /// <summary>The well-known Cosmos DB emulator key; the server accepts any key, the SDK needs a valid-looking one.</summary>
    public const string AccountKey = "C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==";

    private const string Script = "tools/cosmos-server.js";
    private const string PackageDirectory = "node_modules/@vercel/cosmosdb-server";

    private readonly ChildServer _process;
    private readonly byte[] _certificate;

    // The start timeout without a journal, and the part of it every start gets.
    private static readonly TimeSpan BaseStartTimeout = TimeSpan.FromSeconds(60);

    // A pessimistic replay speed for the start timeout. Measured on a 2-core machine: 20,000 document creates
    // (8.9 MB) replayed in 1.5 s, 200,000 (87 MB) in 11-12 s, i.e. 6-8 MB/s; this allows for one many times
    // slower or busy (an 87 MB journal gets 60 + 87 s).
    private const double JournalReplayBytesPerSecond = 1_000_000;

    private CosmosServer(ChildServer process, int port, byte[] certificate, string? journalPath)
    {
        _process = process;
        _certificate = certificate;
        JournalPath = journalPath;
        Port = port;
        Endpoint = new Uri($"https://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/");
    }

    /// <summary>The loopback TCP port.</summary>
    public int Port { get; }

    /// <summary>The account endpoint, https://127.0.0.1:PORT/.</summary>
    public Uri Endpoint { get; }

    /// <summary>An account connection string (endpoint and <see cref="AccountKey"/>).</summary>
    public string ConnectionString => $"AccountEndpoint={Endpoint};AccountKey={AccountKey};";

    /// <summary>The full path of the write journal, or null when the data lives in memory only.</summary>
    public string? JournalPath { get; }

    /// <summary>
    /// Starts the server on <paramref name="port"/>, or on a free loopback port when null, installing the npm
    /// packages first if this checkout has none yet. Its data lives in memory only: every start is empty.
    /// </summary>
    public static Task<CosmosServer> StartAsync(int? port = null, CancellationToken cancellationToken = default) =>
        StartAsync(port, journalPath: null, cancellationToken);

    /// <summary>
    /// Starts the server on <paramref name="port"/>, or on a free loopback port when null, installing the npm
    /// packages first if this checkout has none yet. With a <paramref name="journalPath"/> its data survives a
    /// restart: every write that succeeds (create, upsert, replace, patch, delete of documents; create and
    /// delete of databases and containers) is appended to that file, one JSON line each, before the client gets
    /// its answer, and a start first replays the file, so databases, containers and documents come back with
    /// the same contents, <c>_etag</c>, <c>_ts</c> and <c>_rid</c>. The file (and its folder) is created when
    /// missing; delete it to start empty. One server at a time may use a journal (a lock file next to it says
    /// which). The start waits for the replay, allowing time in proportion to the file's size.
    /// </summary>
    /// <param name="port">The loopback port, or null for a free one.</param>
    /// <param name="journalPath">The journal file, or null to keep everything in memory only.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    public static async Task<CosmosServer> StartAsync(int? port, string? journalPath, CancellationToken cancellationToken = default)
    {
        var (root, node) = await NodeServerLaunch.PrepareAsync(cancellationToken).ConfigureAwait(false);
        var script = NodeServerLaunch.RequireFile(Path.Combine(root, Script), "The Cosmos DB server launcher");
        var certificate = LoadCertificate(Path.Combine(root, PackageDirectory, "cert.pem"));

        var chosenPort = port ?? LoopbackPort.GetFree();
        var portText = chosenPort.ToString(CultureInfo.InvariantCulture);

        var journal = string.IsNullOrWhiteSpace(journalPath) ? null : Path.GetFullPath(journalPath);
        List<string> arguments = [portText];
        if (journal is not null)
        {
            arguments.AddRange(["--journal", journal]);
        }

        var process = await ChildServer.StartAsync(
            new ChildServerOptions
            {
                Name = "cosmosdb-server",
                FileName = node,
                Arguments = NodeServerLaunch.NodeArguments(script, arguments),
                WorkingDirectory = root,
                ReadyPorts = [chosenPort],

                // Printed only once the journal has been replayed (it listens, holding requests back, before).
                ReadyOutput = $"cosmosdb-server listening on 127.0.0.1:{portText}",
                StartTimeout = StartTimeoutFor(journal),

                // Nothing to save: each write reaches the journal before it is answered. A short grace is plenty.
                GracefulStopTimeout = TimeSpan.FromSeconds(2),
            },
            cancellationToken).ConfigureAwait(false);

        return new CosmosServer(process, chosenPort, certificate, journal);
    }

    /// <summary>The start timeout: the usual one, plus time to replay the journal in proportion to its size.</summary>
    internal static TimeSpan StartTimeoutFor(string? journalPath)
    {
        var journal = journalPath is null ? null : new FileInfo(journalPath);
        if (journal is null || !journal.Exists)
        {
            return BaseStartTimeout;
        }

        return BaseStartTimeout + TimeSpan.FromSeconds(journal.Length / JournalReplayBytesPerSecond);
    }

    /// <summary>
    /// An HTTP handler that trusts exactly this server's certificate (self-signed, and long expired, so
    /// ordinary validation fails) and nothing else. For the Cosmos SDK:
    /// <c>HttpClientFactory = () =&gt; new HttpClient(server.CreateHttpMessageHandler())</c>.
    /// </summary>
    public HttpMessageHandler CreateHttpMessageHandler()
    {
        var pinned = _certificate;
        return new SocketsHttpHandler
        {
            SslOptions =
            {
                RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                    certificate is not null && certificate.GetRawCertData().AsSpan().SequenceEqual(pinned),
            },
        };
    }

    /// <summary>The operating-system id of the server's process.</summary>
    public int ProcessId => _process.ProcessId;

    /// <summary>Waits until the server's process exits (stopped, crashed or killed) and answers its exit code.</summary>
    public Task<int> WaitForExitAsync(CancellationToken cancellationToken) => _process.WaitForExitAsync(cancellationToken);

    /// <summary>The last lines the server wrote, for diagnosing a failing test.</summary>
    public string GetOutput() => _process.GetOutput();

    public ValueTask DisposeAsync() => _process.DisposeAsync();

    public void Dispose() => _process.Dispose();

    public override string ToString() => $"cosmosdb-server at {Endpoint}";

    private static byte[] LoadCertificate(string pemPath)
    {
        using var certificate = X509Certificate2.CreateFromPem(
            File.ReadAllText(NodeServerLaunch.RequireFile(pemPath, "The Cosmos DB server's certificate")));
        return certificate.RawData;
    }
}
