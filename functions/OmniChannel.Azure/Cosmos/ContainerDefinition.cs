using Microsoft.Azure.Cosmos;

namespace OmniChannel.Azure.Cosmos;

/// <summary>A container the code uses: its partition key path and an indexing policy that indexes only what is queried.</summary>
public sealed record ContainerDefinition(string Name, string PartitionKeyPath, IReadOnlyList<string> IndexedPaths)
{
    public ContainerProperties ToProperties()
    {
        var properties = new ContainerProperties(Name, PartitionKeyPath);
        properties.IndexingPolicy.Automatic = true;
        properties.IndexingPolicy.IndexingMode = IndexingMode.Consistent;
        properties.IndexingPolicy.IncludedPaths.Clear();
        properties.IndexingPolicy.ExcludedPaths.Clear();
        foreach (var path in IndexedPaths)
        {
            properties.IndexingPolicy.IncludedPaths.Add(new IncludedPath { Path = path });
        }

        properties.IndexingPolicy.ExcludedPaths.Add(new ExcludedPath { Path = "/*" });
        return properties;
    }
}
