using System.Globalization;
using System.Net.Sockets;
using OmniChannel.LocalServers;

namespace OmniChannel.Local.Hosting;

/// <summary>
/// Azurite and the Cosmos DB protocol server for the local host: reused when already listening on their ports,
/// otherwise installed (first run, pinned npm packages) and started as child processes that stop with the host. A
/// started one that exits under the host is started again on the same port and data (<see cref="ChildServerWatchdog"/>).
/// </summary>
public sealed class LocalServerSet : IAsyncDisposable
{
    private readonly LocalOptions _options;
    private readonly Lock _gate = new();
    private CosmosServer? _cosmos;
    private AzuriteServer? _azurite;
    private bool _disposed;

    private LocalServerSet(LocalOptions options, CosmosServer? cosmos, AzuriteServer? azurite, Uri cosmosEndpoint, string storageConnectionString, string dataDirectory)
    {
        _options = options;
        _cosmos = cosmos;
        _azurite = azurite;
        CosmosReused = cosmos is null;
        AzuriteReused = azurite is null;
        CosmosEndpoint = cosmosEndpoint;
        StorageConnectionString = storageConnectionString;
        DataDirectory = dataDirectory;
    }

    /// <summary>The servers a set can start.</summary>
    public enum Server
    {
        Cosmos,
        Azurite,
    }

    /// <summary>A server this set started that exited: which, with what code, and the port(s) it listens on.</summary>
    public sealed record Exit(Server Server, string Name, int ExitCode, string Ports);

    public Uri CosmosEndpoint { get; }

    public string StorageConnectionString { get; }

    public string DataDirectory { get; }

    /// <summary>The Cosmos server's write journal, when this set started the server.</summary>
    public string CosmosJournalPath => CosmosJournal(DataDirectory);

    /// <summary>Azurite's data, when this set started it.</summary>
    public string AzuriteDataDirectory => AzuriteData(DataDirectory);

    public bool CosmosReused { get; }

    public bool AzuriteReused { get; }

    /// <summary>The process id of the Cosmos server this set runs, or null when it reuses one.</summary>
    public int? CosmosProcessId
    {
        get
        {
            lock (_gate)
            {
                return _cosmos?.ProcessId;
            }
        }
    }

    /// <summary>The process id of the Azurite this set runs, or null when it reuses one.</summary>
    public int? AzuriteProcessId
    {
        get
        {
            lock (_gate)
            {
                return _azurite?.ProcessId;
            }
        }
    }

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
                cosmos = await StartCosmosAsync(options, dataDirectory, cancellationToken);
                cosmosEndpoint = cosmos.Endpoint;
            }

            string connectionString;
            if (await IsListeningAsync(options.AzuriteTablePort))
            {
                connectionString = AzuriteServer.ConnectionStringFor(options.AzuriteBlobPort, options.AzuriteQueuePort, options.AzuriteTablePort);
            }
            else
            {
                azurite = await StartAzuriteAsync(options, dataDirectory, cancellationToken);
                connectionString = azurite.ConnectionString;
            }

            return new LocalServerSet(options, cosmos, azurite, cosmosEndpoint, connectionString, dataDirectory);
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

    /// <summary>Whether Azurite (started or reused) accepts connections on its queue port.</summary>
    public Task<bool> StorageListeningAsync() => IsListeningAsync(_options.AzuriteQueuePort);

    /// <summary>Waits until a server this set started exits; never returns when it started none (cancel the wait).</summary>
    public async Task<Exit> WaitForExitAsync(CancellationToken cancellationToken)
    {
        List<Task<Exit>> exits = [];
        lock (_gate)
        {
            if (_cosmos is { } cosmos)
            {
                exits.Add(ExitOf(cosmos.WaitForExitAsync(cancellationToken), Server.Cosmos, "The Cosmos DB server", CosmosPorts()));
            }

            if (_azurite is { } azurite)
            {
                exits.Add(ExitOf(azurite.WaitForExitAsync(cancellationToken), Server.Azurite, "Azurite", AzuritePorts()));
            }
        }

        if (exits.Count == 0)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        return await await Task.WhenAny(exits);

        static async Task<Exit> ExitOf(Task<int> exited, Server server, string name, string ports) => new(server, name, await exited, ports);
    }

    /// <summary>Starts the server that exited again, on the same port(s) and data, and answers its new process id.</summary>
    public async Task<int> RestartAsync(Exit exit, CancellationToken cancellationToken)
    {
        if (exit.Server == Server.Azurite)
        {
            var azurite = await StartAzuriteAsync(_options, DataDirectory, cancellationToken);
            var previous = await ReplaceAsync(azurite, () => _azurite, server => _azurite = server);
            await previous.DisposeAsync();
            return azurite.ProcessId;
        }

        var cosmos = await StartCosmosAsync(_options, DataDirectory, cancellationToken);
        var old = await ReplaceAsync(cosmos, () => _cosmos, server => _cosmos = server);
        await old.DisposeAsync();
        return cosmos.ProcessId;
    }

    public async ValueTask DisposeAsync()
    {
        CosmosServer? cosmos;
        AzuriteServer? azurite;
        lock (_gate)
        {
            _disposed = true;
            (cosmos, azurite) = (_cosmos, _azurite);
        }

        // Side by side: each stop may wait out its grace period (Azurite saves its databases on SIGTERM).
        await Task.WhenAll(
            cosmos is null ? Task.CompletedTask : cosmos.DisposeAsync().AsTask(),
            azurite is null ? Task.CompletedTask : azurite.DisposeAsync().AsTask());
    }

    private string CosmosPorts() => $"port {_options.CosmosPort.ToString(CultureInfo.InvariantCulture)}";

    private string AzuritePorts() => string.Create(
        CultureInfo.InvariantCulture, $"ports {_options.AzuriteBlobPort}, {_options.AzuriteQueuePort}, {_options.AzuriteTablePort} (blob, queue, table)");

    /// <summary>Puts a restarted server in place of the one that exited, unless this set was disposed meanwhile.</summary>
    private async Task<T> ReplaceAsync<T>(T started, Func<T?> current, Action<T> set)
        where T : class, IAsyncDisposable
    {
        T? previous;
        lock (_gate)
        {
            previous = _disposed ? null : current();
            if (previous is not null)
            {
                set(started);
            }
        }

        if (previous is null)
        {
            await started.DisposeAsync();
            throw new ObjectDisposedException(nameof(LocalServerSet));
        }

        return previous;
    }

    private static string CosmosJournal(string dataDirectory) => Path.Combine(dataDirectory, "cosmos", "journal.jsonl");

    private static string AzuriteData(string dataDirectory) => Path.Combine(dataDirectory, "azurite");

    // The Cosmos server keeps documents in memory; its journal in the data folder replays them at the next start.
    private static Task<CosmosServer> StartCosmosAsync(LocalOptions options, string dataDirectory, CancellationToken cancellationToken) =>
        CosmosServer.StartAsync(options.CosmosPort, CosmosJournal(dataDirectory), cancellationToken);

    private static Task<AzuriteServer> StartAzuriteAsync(LocalOptions options, string dataDirectory, CancellationToken cancellationToken) =>
        AzuriteServer.StartAsync(AzuriteData(dataDirectory), options.AzuriteBlobPort, options.AzuriteQueuePort, options.AzuriteTablePort, cancellationToken);

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
