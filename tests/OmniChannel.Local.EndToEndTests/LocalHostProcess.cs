using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Azure.Cosmos;
using OmniChannel.LocalServers;

namespace OmniChannel.Local.EndToEndTests;

/// <summary>
/// The local host as a user runs it: a separate process (the built OmniChannel.Local), on free loopback ports and
/// its own data folder, driven over HTTP. Stopping it kills the host process only; its servers follow it.
/// </summary>
public sealed class LocalHostProcess : IAsyncDisposable
{
    private readonly StringBuilder _output = new();
    private Process? _process;

    private readonly IReadOnlyDictionary<string, string> _settings;
    private readonly IReadOnlyDictionary<string, string> _extraArguments;

    private LocalHostProcess(string dataDirectory, int apiPort, int cosmosPort, int[] azuritePorts, IReadOnlyDictionary<string, string> settings, IReadOnlyDictionary<string, string> extraArguments)
    {
        _settings = settings;
        _extraArguments = extraArguments;
        DataDirectory = dataDirectory;
        ApiPort = apiPort;
        CosmosPort = cosmosPort;
        AzuritePorts = azuritePorts;
        Client = new HttpClient(new OpenApiConformanceHandler(new SocketsHttpHandler())) { BaseAddress = new Uri($"http://127.0.0.1:{apiPort}"), Timeout = TimeSpan.FromSeconds(60) };
    }

    public string DataDirectory { get; }

    public int ApiPort { get; }

    public int CosmosPort { get; }

    public int[] AzuritePorts { get; }

    public HttpClient Client { get; }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <param name="settings">Extra <c>OmniChannel:Local</c> settings, e.g. CollectKey.</param>
    /// <param name="extraArguments">Other configuration keys and values, e.g. <c>OmniChannel:Bopis:PickSla</c>.</param>
    public static async Task<LocalHostProcess> StartAsync(IReadOnlyDictionary<string, string>? settings = null, IReadOnlyDictionary<string, string>? extraArguments = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            var ports = LoopbackPort.GetFree(5);
            var host = new LocalHostProcess(
                Path.Combine(Path.GetTempPath(), "omnichannel-e2e-" + Guid.NewGuid().ToString("N")),
                ports[0], ports[1], [ports[2], ports[3], ports[4]], settings ?? new Dictionary<string, string>(), extraArguments ?? new Dictionary<string, string>());
            try
            {
                await host.StartProcessAsync();
                return host;
            }
            catch (InvalidOperationException) when (attempt < 3 && host.LostAPortRace)
            {
                // Free ports are found, then let go, then handed to the servers: another test assembly running at the
                // same time can take one in between. Start again on other ports.
                await host.DisposeAsync();
            }
        }
    }

    /// <summary>Whether a server of this host could not listen on its port (another process took it first).</summary>
    private bool LostAPortRace =>
        Output.Contains("before it was ready", StringComparison.Ordinal)
        || Output.Contains("EADDRINUSE", StringComparison.Ordinal)
        || Output.Contains("address already in use", StringComparison.OrdinalIgnoreCase);

    /// <summary>Starts (or restarts) the host process on the same ports and data folder, and waits until it is healthy.</summary>
    public async Task StartProcessAsync()
    {
        var dll = Path.Combine(LocalHostOutput(), "OmniChannel.Local.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryRoot.Find(),
        };
        start.ArgumentList.Add(dll);
        foreach (var (name, value) in new Dictionary<string, string>
        {
            ["Urls"] = $"http://127.0.0.1:{ApiPort}",
            ["DataDirectory"] = DataDirectory,
            ["CosmosPort"] = CosmosPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["AzuriteBlobPort"] = AzuritePorts[0].ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["AzuriteQueuePort"] = AzuritePorts[1].ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["AzuriteTablePort"] = AzuritePorts[2].ToString(System.Globalization.CultureInfo.InvariantCulture),
        }.Concat(_settings))
        {
            start.ArgumentList.Add($"--OmniChannel:Local:{name}={value}");
        }

        foreach (var (name, value) in _extraArguments)
        {
            start.ArgumentList.Add($"--{name}={value}");
        }

        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information";
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, line) => Append(line.Data);
        _process.ErrorDataReceived += (_, line) => Append(line.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        var deadline = DateTime.UtcNow.AddMinutes(5);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The local host exited with code {_process.ExitCode}:\n{Output}");
            }

            try
            {
                using var response = await Client.GetAsync("/api/health");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"The local host did not become healthy:\n{Output}");
    }

    /// <summary>Kills the host process abruptly (SIGKILL), as a crash would; its child servers notice and stop.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: false);
            await _process.WaitForExitAsync();
        }

        // The child servers stop when the host's pipes close; wait until their ports are free again.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline && (IsListening(CosmosPort) || IsListening(AzuritePorts[2])))
        {
            await Task.Delay(100);
        }
    }

    /// <summary>Stops the host as Ctrl+C or a service manager would (SIGTERM) and waits until it and its servers are gone.</summary>
    public async Task StopAsync()
    {
        if (_process is { HasExited: false })
        {
            await SignalTerminateAsync(_process);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await _process.WaitForExitAsync(timeout.Token);
        }

        await KillAsync();
    }

    /// <summary>Sends the host SIGTERM and answers how long it took to exit, or null when it had not exited within <paramref name="timeout"/>.</summary>
    public async Task<TimeSpan?> TerminateAsync(TimeSpan timeout)
    {
        var process = _process ?? throw new InvalidOperationException("The host was not started.");
        var stopwatch = Stopwatch.StartNew();
        await SignalTerminateAsync(process);
        using var wait = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(wait.Token);
            return stopwatch.Elapsed;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>Whether the host's servers (Cosmos, Azurite's table port) stopped listening within <paramref name="timeout"/>.</summary>
    public async Task<bool> ServersStoppedAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (IsListening(CosmosPort) || IsListening(AzuritePorts[2]))
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(100);
        }

        return true;
    }

    /// <summary>The process id of a server the host started, as its banner shows it (<c>Azurite      started, pid 1234; …</c>).</summary>
    public async Task<int> ServerProcessIdAsync(string server)
    {
        var line = await WaitForOutputAsync(new Regex($@"^  {Regex.Escape(server)} +(?:\S+ \()?started, pid (\d+)", RegexOptions.Multiline), TimeSpan.FromSeconds(30));
        return int.Parse(line.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Waits until the host's output (from <paramref name="from"/> characters on) matches <paramref name="pattern"/>.</summary>
    public async Task<Match> WaitForOutputAsync(Regex pattern, TimeSpan timeout, int from = 0)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var match = pattern.Match(Output, from);
            if (match.Success)
            {
                return match;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The host never wrote a line matching {pattern}:\n{Output}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>Waits until the local event log has no lag (everything accepted is ingested) and answers its state.</summary>
    public async Task<JsonElement> WaitUntilIngestedAsync(long expectedHead)
    {
        var deadline = DateTime.UtcNow.AddMinutes(3);
        JsonElement state = default;
        while (DateTime.UtcNow < deadline)
        {
            state = await Client.GetFromJsonAsync<JsonElement>("/api/local/eventlog");
            if (state.GetProperty("head").GetInt64() >= expectedHead && state.GetProperty("lag").GetInt64() == 0)
            {
                return state;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"Ingest did not catch up: {state}\n{Output}");
    }

    /// <summary>Every document of a Cosmos container of the host, read directly from its protocol server with the change feed.</summary>
    public async Task<List<JsonElement>> ReadContainerAsync(string container)
    {
        using var client = new CosmosClient($"https://127.0.0.1:{CosmosPort}/", CosmosServer.AccountKey, new CosmosClientOptions
        {
            ConnectionMode = ConnectionMode.Gateway,
            LimitToEndpoint = true,
            UseSystemTextJsonSerializerWithOptions = new JsonSerializerOptions(JsonSerializerDefaults.Web),
            HttpClientFactory = () => new HttpClient(new SocketsHttpHandler { SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true } }),
        });
        var documents = new List<JsonElement>();
        var iterator = client.GetContainer("omnichannel", container).GetChangeFeedIterator<JsonElement>(ChangeFeedStartFrom.Beginning(), ChangeFeedMode.LatestVersion);
        while (iterator.HasMoreResults)
        {
            var page = await iterator.ReadNextAsync();
            if (page.StatusCode == System.Net.HttpStatusCode.NotModified)
            {
                break;
            }

            documents.AddRange(page);
        }

        return documents;
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            // A graceful stop (SIGTERM through Process.Kill is not graceful): kill the host; its servers follow it.
            await KillAsync();
        }

        _process?.Dispose();
        Client.Dispose();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a stopping server; the temp folder is cleaned by the OS.
        }
    }

    private static async Task SignalTerminateAsync(Process process)
    {
        using var signal = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await signal.WaitForExitAsync();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private static bool IsListening(int port)
    {
        try
        {
            using var client = new System.Net.Sockets.TcpClient();
            client.Connect("127.0.0.1", port);
            return true;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return false;
        }
    }

    internal static string LocalHostOutput()
    {
        // tests/OmniChannel.Local.EndToEndTests/bin/<Configuration>/<tfm> → functions/OmniChannel.Local/bin/<Configuration>/<tfm>
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var output = Path.Combine(RepositoryRoot.Find(), "functions", "OmniChannel.Local", "bin", testOutput.Parent!.Name, testOutput.Name);
        return File.Exists(Path.Combine(output, "OmniChannel.Local.dll"))
            ? output
            : throw new FileNotFoundException($"OmniChannel.Local.dll not found in {output}; build the solution first.");
    }
}
