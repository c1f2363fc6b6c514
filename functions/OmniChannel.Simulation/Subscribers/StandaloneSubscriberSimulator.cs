using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace OmniChannel.Simulation.Subscribers;

/// <summary>
/// A <see cref="SubscriberSimulator"/> served by the process that starts it, on its own loopback port, with the secrets
/// it is handed in memory: a benchmark that registers its subscribers here keeps their verification (HMAC, CloudEvent
/// parsing) and the secret look-ups off the host and the storage server it measures.
/// </summary>
public sealed class StandaloneSubscriberSimulator(WebApplication app, ConcurrentDictionary<string, string> secrets, SubscriberSimulator simulator, string baseUrl) : IAsyncDisposable
{
    public const string Path = "/subscribers";

    public SubscriberSimulator Simulator { get; } = simulator;

    /// <summary>Where subscriber <c>id</c> receives: <c>{BaseUrl}/{id}</c>.</summary>
    public string BaseUrl { get; } = baseUrl;

    /// <summary>Starts serving on <c>127.0.0.1:<paramref name="port"/></c> (0: a free port, see <see cref="BaseUrl"/>).</summary>
    public static async Task<StandaloneSubscriberSimulator> StartAsync(int port, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}"));
        var app = builder.Build();
        var secrets = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        var simulator = new SubscriberSimulator((id, _) => Task.FromResult(secrets.GetValueOrDefault(id)), new SubscriberSimulatorOptions(), TimeProvider.System);
        simulator.Map(app, Path);
        await app.StartAsync(cancellationToken);
        return new StandaloneSubscriberSimulator(app, secrets, simulator, app.Urls.First().TrimEnd('/') + Path);
    }

    /// <summary>The secret subscriber <paramref name="subscriberId"/> was registered with (its deliveries are verified with it).</summary>
    public void Add(string subscriberId, string secret) => secrets[subscriberId] = secret;

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
