using System.Globalization;
using System.Security.Cryptography.X509Certificates;

namespace OmniChannel.LocalServers;

/// <summary>
/// The Cosmos DB protocol server (@vercel/cosmosdb-server), run by tools/cosmos-server.js on a loopback
/// HTTPS port with keep-alive. It keeps everything in memory: every start is an empty account. Use the
/// Cosmos SDK in Gateway mode with <c>LimitToEndpoint = true</c> and the handler from
/// <see cref="CreateHttpMessageHandler"/> (the server's certificate is self-signed).
/// </summary>
public sealed class CosmosServer : IAsyncDisposable, IDisposable
{
    /// <summary>The well-known Cosmos DB emulator key; the server accepts any key, the SDK needs a valid-looking one.</summary>
    public const string AccountKey = "C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==";

    private const string Script = "tools/cosmos-server.js";
    private const string PackageDirectory = "node_modules/@vercel/cosmosdb-server";

    private readonly ChildServer _process;
    private readonly byte[] _certificate;

    private CosmosServer(ChildServer process, int port, byte[] certificate)
    {
        _process = process;
        _certificate = certificate;
        Port = port;
        Endpoint = new Uri($"https://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/");
    }

    /// <summary>The loopback TCP port.</summary>
    public int Port { get; }

    /// <summary>The account endpoint, https://127.0.0.1:PORT/.</summary>
    public Uri Endpoint { get; }

    /// <summary>An account connection string (endpoint and <see cref="AccountKey"/>).</summary>
    public string ConnectionString => $"AccountEndpoint={Endpoint};AccountKey={AccountKey};";

    /// <summary>
    /// Starts the server on <paramref name="port"/>, or on a free loopback port when null, installing the npm
    /// packages first if this checkout has none yet.
    /// </summary>
    public static async Task<CosmosServer> StartAsync(int? port = null, CancellationToken cancellationToken = default)
    {
        var (root, node) = await NodeServerLaunch.PrepareAsync(cancellationToken).ConfigureAwait(false);
        var script = NodeServerLaunch.RequireFile(Path.Combine(root, Script), "The Cosmos DB server launcher");
        var certificate = LoadCertificate(Path.Combine(root, PackageDirectory, "cert.pem"));

        var chosenPort = port ?? LoopbackPort.GetFree();
        var portText = chosenPort.ToString(CultureInfo.InvariantCulture);
        var process = await ChildServer.StartAsync(
            new ChildServerOptions
            {
                Name = "cosmosdb-server",
                FileName = node,
                Arguments = NodeServerLaunch.NodeArguments(script, portText),
                WorkingDirectory = root,
                ReadyPorts = [chosenPort],
                ReadyOutput = $"cosmosdb-server listening on 127.0.0.1:{portText}",

                // Nothing to save (it is in memory), so a short grace is plenty.
                GracefulStopTimeout = TimeSpan.FromSeconds(2),
            },
            cancellationToken).ConfigureAwait(false);

        return new CosmosServer(process, chosenPort, certificate);
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
