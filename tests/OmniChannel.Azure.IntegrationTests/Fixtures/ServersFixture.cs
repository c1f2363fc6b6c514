using OmniChannel.LocalServers;

namespace OmniChannel.Azure.IntegrationTests.Fixtures;

/// <summary>The real protocol servers, started once per test collection on free loopback ports and stopped after.</summary>
public sealed class ServersFixture : IAsyncLifetime
{
    private readonly string _azuriteData = Path.Combine(Path.GetTempPath(), "omnichannel-it-" + Guid.NewGuid().ToString("N"));

    public CosmosServer Cosmos { get; private set; } = null!;

    public AzuriteServer Azurite { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        Cosmos = await CosmosServer.StartAsync(null, timeout.Token);
        Azurite = await AzuriteServer.StartAsync(_azuriteData, null, null, null, timeout.Token);
    }

    public async Task DisposeAsync()
    {
        if (Cosmos is not null)
        {
            await Cosmos.DisposeAsync();
        }

        if (Azurite is not null)
        {
            await Azurite.DisposeAsync();
        }

        try
        {
            Directory.Delete(_azuriteData, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by the stopping server: the temp folder is cleaned by the OS.
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ServersCollection : ICollectionFixture<ServersFixture>
{
    public const string Name = "protocol servers";
}
