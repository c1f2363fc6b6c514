using System.Net;
using Microsoft.Azure.Cosmos;

namespace OmniChannel.Azure.Cosmos;

/// <summary>The one Cosmos client of the process and its database: creates the containers in the local host, checks them in Azure.</summary>
public sealed class CosmosDatabaseAccessor(CosmosClient client, CosmosOptions options)
{
    public CosmosClient Client { get; } = client;

    public Database Database { get; } = client.GetDatabase(options.DatabaseName);

    /// <summary>The endpoint is the local protocol server (see <see cref="CosmosOptions.LocalProtocolServer"/>).</summary>
    public bool IsLocalProtocolServer => options.LocalProtocolServer;

    public Container Container(ContainerDefinition definition) => Database.GetContainer(definition.Name);

    /// <summary>
    /// Creates what is missing when allowed (local host), else fails with the names of the missing containers.
    /// Answers true when the database did not exist before (the local protocol server started empty).
    /// </summary>
    public async Task<bool> InitializeAsync(CancellationToken cancellationToken)
    {
        if (options.CreateIfMissing)
        {
            var database = await Client.CreateDatabaseIfNotExistsAsync(options.DatabaseName, cancellationToken: cancellationToken);
            foreach (var definition in CosmosContainers.All)
            {
                await Database.CreateContainerIfNotExistsAsync(definition.ToProperties(), cancellationToken: cancellationToken);
            }

            return database.StatusCode == HttpStatusCode.Created;
        }

        var missing = new List<string>();
        foreach (var definition in CosmosContainers.All)
        {
            try
            {
                await Container(definition).ReadContainerAsync(cancellationToken: cancellationToken);
            }
            catch (CosmosException exception) when (exception.StatusCode == HttpStatusCode.NotFound)
            {
                missing.Add(definition.Name);
            }
        }

        if (missing.Count > 0)
        {
            throw new InvalidOperationException(
                $"Cosmos DB database '{options.DatabaseName}' lacks container(s) {string.Join(", ", missing)}. Deploy infra/main.bicep, which declares every container.");
        }

        return false;
    }
}
