using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OmniChannel.Api;
using OmniChannel.Core.Ports;

namespace OmniChannel.Azure.IntegrationTests.Fixtures;

/// <summary>The API's real routes and handlers on Kestrel, on a free loopback port, over the real protocol servers.</summary>
public sealed class HttpBackbone : IAsyncDisposable
{
    private HttpBackbone(Backbone backbone, HttpClient client)
    {
        Backbone = backbone;
        Client = client;
    }

    public Backbone Backbone { get; }

    public HttpClient Client { get; }

    public DirectIngestPublisher Publisher => Backbone.Get<DirectIngestPublisher>();

    public RecordingWorkflowClient Workflows => Backbone.Get<RecordingWorkflowClient>();

    /// <param name="settings">Settings that replace the defaults (e.g. <c>OmniChannel:Contract:StrictSources:0</c>).</param>
    /// <param name="configure">Replaces services after the backbone's own (e.g. a fault-injecting store).</param>
    public static async Task<HttpBackbone> StartAsync(ServersFixture servers, IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);

        // The backbone registers a configuration of its own, which the web host then reads its addresses from: a free
        // loopback port goes there (set on the builder alone, it was lost and every instance took port 5000).
        var withFreePort = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>()) { ["urls"] = "http://127.0.0.1:0" };
        var (writes, databaseName) = Backbone.AddBackbone(builder.Services, servers, withFreePort);
        builder.Services.AddSingleton<DirectIngestPublisher>();
        builder.Services.AddSingleton<IEventPublisher>(provider => provider.GetRequiredService<DirectIngestPublisher>());
        builder.Services.AddSingleton<RecordingWorkflowClient>();
        builder.Services.AddSingleton<IWorkflowClient>(provider => provider.GetRequiredService<RecordingWorkflowClient>());
        configure?.Invoke(builder.Services);
        var app = builder.Build();
        app.UseOmniChannelProblems();
        app.MapOmniChannelApi();
        await app.StartAsync();
        var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
        var backbone = await Backbone.InitializeAsync(app.Services, writes, databaseName, async () =>
        {
            client.Dispose();
            await app.StopAsync();
            await app.DisposeAsync();
        });
        return new HttpBackbone(backbone, client);
    }

    public ValueTask DisposeAsync() => Backbone.DisposeAsync();
}
