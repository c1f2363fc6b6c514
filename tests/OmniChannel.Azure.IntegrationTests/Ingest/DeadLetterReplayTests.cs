using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using OmniChannel.Azure.IntegrationTests.Fixtures;
using OmniChannel.Core.Ports;
using static OmniChannel.Azure.IntegrationTests.Fixtures.Events;

namespace OmniChannel.Azure.IntegrationTests.Ingest;

/// <summary>Dead letters listed and replayed through the admin routes, on the real Cosmos protocol server.</summary>
[Collection(ServersCollection.Name)]
public sealed class DeadLetterReplayTests(ServersFixture servers)
{
    [Fact]
    public async Task Replay_AppliesTheOnesThatNowDecode_KeepsTheOthersWithTheirReason_AndIsHarmlessTwice()
    {
        await using var host = await HttpBackbone.StartAsync(servers);
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var failedAt = new DateTimeOffset(2026, 9, 3, 10, 0, 0, TimeSpan.Zero).AddMinutes(Random.Shared.Next(0, 600));
        var day = failedAt.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var customer = "c-dl-" + suffix;
        var store = host.Backbone.Get<IDeadLetterStore>();
        // As if a validator bug had refused a good event, which a fix now lets through; and one that is simply broken.
        await store.WriteAsync(new DeadLetter("dl-good-" + suffix, "was refused by a bug", Viewed("view-dl-" + suffix, 1, "SKU-DL", customerId: customer).ToJsonString(), "3", 41, null, failedAt), CancellationToken.None);
        await store.WriteAsync(new DeadLetter("dl-bad-" + suffix, "not JSON", "{\"specversion\": ", "3", 42, null, failedAt.AddSeconds(1)), CancellationToken.None);

        var listed = await host.Client.GetFromJsonAsync<JsonElement>($"/api/admin/deadletters?day={day}");
        var ids = listed.GetProperty("deadLetters").EnumerateArray().Select(letter => letter.GetProperty("id").GetString()).ToList();
        Assert.Contains("dl-good-" + suffix, ids);
        Assert.Contains("dl-bad-" + suffix, ids);

        var first = await Replay(host, day);
        var second = await Replay(host, day);

        Assert.True(first.GetProperty("replayed").GetInt32() >= 1);
        var stillPoison = first.GetProperty("stillPoison").EnumerateArray().Single(letter => letter.GetProperty("id").GetString() == "dl-bad-" + suffix);
        Assert.False(string.IsNullOrWhiteSpace(stillPoison.GetProperty("reason").GetString()));
        var profile = await host.Client.GetFromJsonAsync<JsonElement>($"/api/customers/{customer}");
        Assert.Equal(1, profile.GetProperty("recentActivity").GetArrayLength());
        var left = (await host.Client.GetFromJsonAsync<JsonElement>($"/api/admin/deadletters?day={day}")).GetProperty("deadLetters").EnumerateArray()
            .Select(letter => letter.GetProperty("id").GetString()).ToList();
        Assert.DoesNotContain("dl-good-" + suffix, left);
        Assert.Contains("dl-bad-" + suffix, left);
        Assert.Contains(second.GetProperty("stillPoison").EnumerateArray(), letter => letter.GetProperty("id").GetString() == "dl-bad-" + suffix);
        Assert.Equal(1, (await host.Client.GetFromJsonAsync<JsonElement>($"/api/customers/{customer}")).GetProperty("recentActivity").GetArrayLength());
    }

    [Fact]
    public async Task DeadLetterRoutes_BadDay_AnswerProblems()
    {
        await using var host = await HttpBackbone.StartAsync(servers);

        var list = await host.Client.GetAsync("/api/admin/deadletters?day=yesterday");
        var replay = await host.Client.PostAsync("/api/admin/deadletters/replay", new StringContent("{\"day\":\"2026-13-01\"}", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, list.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, replay.StatusCode);
        Assert.Equal("application/problem+json", replay.Content.Headers.ContentType?.MediaType);
    }

    private static async Task<JsonElement> Replay(HttpBackbone host, string day)
    {
        var response = await host.Client.PostAsync("/api/admin/deadletters/replay", new StringContent($"{{\"day\":\"{day}\"}}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
