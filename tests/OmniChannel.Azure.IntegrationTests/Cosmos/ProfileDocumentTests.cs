using System.Text.Json;
using OmniChannel.Azure.IntegrationTests.Fixtures;
using OmniChannel.Core;
using OmniChannel.Core.Ports;
using OmniChannel.Core.Profiles;
using static OmniChannel.Azure.IntegrationTests.Fixtures.Events;

namespace OmniChannel.Azure.IntegrationTests.Cosmos;

/// <summary>
/// A profile is stored without its empty collections (a replace costs request units by size) and reads back the same:
/// each of them empty again, and every filled one as it was.
/// </summary>
[Collection(ServersCollection.Name)]
public sealed class ProfileDocumentTests(ServersFixture servers)
{
    [Fact]
    public async Task SaveAsync_ProfileWithEmptyCollections_StoresNoneOfThem_AndReadsBackTheSameProfile()
    {
        await using var backbone = await Backbone.StartAsync(servers);
        var id = "customer:doc-" + Guid.NewGuid().ToString("N")[..6];
        var profile = new CustomerProfile { Id = id, Identities = [id], LastChannel = "web", FirstSeenAt = At(1), LastSeenAt = At(2) };
        profile.KeptApart.Add("loyalty:L-1");
        var store = backbone.Get<IProfileStore>();

        await store.SaveAsync(profile, null, CancellationToken.None);

        var stored = (await backbone.ReadAllAsync(OmniChannelNames.Containers.Profiles)).Single().GetProperty("profile");
        var emptyCollections = stored.EnumerateObject().Where(property => property.Value.ValueKind is JsonValueKind.Array or JsonValueKind.Object && !property.Value.EnumerateArrayOrObject().Any());
        Assert.Empty(emptyCollections.Select(property => property.Name));
        Assert.Equal(["loyalty:L-1"], stored.GetProperty("keptApart").EnumerateArray().Select(item => item.GetString()));

        var readBack = Assert.Single(await store.ReadManyAsync([id], CancellationToken.None)).Value;
        Assert.Equal(JsonSerializer.Serialize(profile), JsonSerializer.Serialize(readBack));
        Assert.Empty(readBack.Consents);
        Assert.Empty(readBack.JourneySteps);
        Assert.Empty(readBack.Merges);
    }
}

file static class JsonElementExtensions
{
    public static IEnumerable<JsonElement> EnumerateArrayOrObject(this JsonElement element) =>
        element.ValueKind == JsonValueKind.Array ? element.EnumerateArray() : element.EnumerateObject().Select(property => property.Value);
}
