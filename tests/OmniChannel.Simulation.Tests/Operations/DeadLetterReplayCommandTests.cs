using System.Net;
using System.Text;
using System.Text.Json;
using OmniChannel.Simulation.Operations;

namespace OmniChannel.Simulation.Tests.Operations;

public sealed class DeadLetterReplayCommandTests
{
    [Fact]
    public async Task Replay_PostsTheDayWithTheAdminKey_PrintsWhatIsStillRefused_ExitsOne()
    {
        var host = new ReplyingHandler("""{"day":"2026-11-25","examined":3,"replayed":2,"stillPoison":[{"id":"3-42","reason":"data.sku is required"}]}""");
        var output = new StringWriter();

        var exit = await DeadLetterReplayCommand.RunAsync(["--url", "http://127.0.0.1:7071/", "--day", "2026-11-25", "--admin-key", "k"], output, host, CancellationToken.None);

        Assert.Equal(1, exit);
        Assert.Equal("http://127.0.0.1:7071/api/admin/deadletters/replay", host.Request!.RequestUri!.ToString());
        Assert.Equal("k", host.Request.Headers.GetValues("x-api-key").Single());
        Assert.Equal("2026-11-25", JsonDocument.Parse(host.Body!).RootElement.GetProperty("day").GetString());
        Assert.Contains("3 examined, 2 replayed, 1 still refused", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("3-42: data.sku is required", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replay_NothingLeft_ExitsZero_ARefusalOrBadDayExitsTwo()
    {
        var allReplayed = await DeadLetterReplayCommand.RunAsync([], new StringWriter(), new ReplyingHandler("""{"day":"2026-11-25","examined":1,"replayed":1,"stillPoison":[]}"""), CancellationToken.None);
        var refused = await DeadLetterReplayCommand.RunAsync([], new StringWriter(), new ReplyingHandler("""{"status":401}""", HttpStatusCode.Unauthorized), CancellationToken.None);
        var badDay = await DeadLetterReplayCommand.RunAsync(["--day", "yesterday"], new StringWriter(), new ReplyingHandler("{}"), CancellationToken.None);

        Assert.Equal((0, 2, 2), (allReplayed, refused, badDay));
    }
}
