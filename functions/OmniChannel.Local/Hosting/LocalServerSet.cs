using System.Net.Sockets;
using OmniChannel.LocalServers;

namespace OmniChannel.Local.Hosting;

/// <summary>
/// Azurite and the Cosmos DB protocol server for the local host: reused when already listening on their ports,
/// otherwise installed (first run, pinned npm packages) and started as child processes that stop with the host.
/// </summary>
public sealed class LocalServerSet : IAsyncDisposable
{
    private readonly CosmosServer? _cosmos;
    private readonly AzuriteServer? _azurite;

    private LocalServerSet(CosmosServer? cosmos, AzuriteServer? azurite, Uri cosmosEndpoint, string storageConnectionString, string dataDirectory)
    {
        _cosmos = cosmos;
        _azurite = azurite;
        CosmosEndpoint = cosmosEndpoint;
        StorageConnectionString = storageConnectionString;
        DataDirectory = dataDirectory;
    }

    public Uri CosmosEndpoint { get; }

    public string StorageConnectionString { get; }

    public string DataDirectory { get; }

    public bool CosmosReused => _cosmos is null;

    public bool AzuriteReused => _azurite is null;

    public static async Task<LocalServerSet> StartAsync(LocalOptions options, TextWriter log, CancellationToken cancellationToken)
    {
        var dataDirectory = Path.GetFullPath(options.DataDirectory ?? DefaultDataDirectory());
        Directory.CreateDirectory(dataDirectory);
        CosmosServer? cosmos = null;
        AzuriteServer? azurite = null;
        try
        {
            var needsInstall = !await IsListeningAsync(options.CosmosPort) || !await IsListeningAsync(options.AzuriteTablePort);
            if (needsInstall && !NpmInstaller.IsInstalled(RepositoryRoot.Find()))
            {
                await log.WriteLineAsync("First run: installing the pinned protocol servers (npm ci: Azurite, @vercel/cosmosdb-server)…");
                await NpmInstaller.EnsureInstalledAsync(RepositoryRoot.Find(), cancellationToken: cancellationToken);
            }

            Uri cosmosEndpoint;
            if (await IsListeningAsync(options.CosmosPort))
            {
                cosmosEndpoint = new Uri($"https://127.0.0.1:{options.CosmosPort}/");
            }
            else
            {
                // The server keeps documents in memory; its journal in the data folder replays them at the next start.
                cosmos = await CosmosServer.StartAsync(options.CosmosPort, Path.Combine(dataDirectory, "cosmos", "journal.jsonl"), cancellationToken);
                cosmosEndpoint = cosmos.Endpoint;
            }

            string connectionString;
            if (await IsListeningAsync(options.AzuriteTablePort))
            {
                connectionString = AzuriteServer.ConnectionStringFor(options.AzuriteBlobPort, options.AzuriteQueuePort, options.AzuriteTablePort);
            }
            else
            {
                azurite = await AzuriteServer.StartAsync(Path.Combine(dataDirectory, "azurite"), options.AzuriteBlobPort, options.AzuriteQueuePort, options.AzuriteTablePort, cancellationToken);
                connectionString = azurite.ConnectionString;
            }

            return new LocalServerSet(cosmos, azurite, cosmosEndpoint, connectionString, dataDirectory);
        }
        catch
        {
            if (cosmos is not null)
            {
                await cosmos.DisposeAsync();
            }

            if (azurite is not null)
            {
                await azurite.DisposeAsync();
            }

            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_cosmos is not null)
        {
            await _cosmos.DisposeAsync();
        }

        if (_azurite is not null)
        {
            await _azurite.DisposeAsync();
        }
    }

    private static string DefaultDataDirectory() =>
        RepositoryRoot.TryFind(AppContext.BaseDirectory, out var root) || RepositoryRoot.TryFind(Environment.CurrentDirectory, out root)
            ? Path.Combine(root, ".local-data")
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".omnichannel");

    private static async Task<bool> IsListeningAsync(int port)
    {
        using var client = new TcpClient();
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
            await client.ConnectAsync("127.0.0.1", port, timeout.Token);
            return true;
        }
        catch (Exception exception) when (exception is SocketException or OperationCanceledException)
        {
            return false;
        }
    }
}
