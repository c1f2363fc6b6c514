using System.Net;
using OmniChannel.Simulation.Operations;

namespace OmniChannel.Simulation.Tests.Operations;

public sealed class ParkedReplayCommandTests
{
    [Fact]
    public async Task Replay_PostsWithTheAdminKey_AndExitsZeroWhenNothingIsLeft()
    {
        var host = new ReplyingHandler("""{"batches":3,"events":1500,"remaining":0,"error":null}""");
        var output = new StringWriter();

        var exit = await ParkedReplayCommand.RunAsync(["--url", "http://127.0.0.1:7071/", "--admin-key", "k"], output, host, CancellationToken.None);

        Assert.Equal(0, exit);
        Assert.Equal("http://127.0.0.1:7071/api/admin/parked/replay", host.Request!.RequestUri!.ToString());
        Assert.Equal("k", host.Request.Headers.GetValues("x-api-key").Single());
        Assert.Contains("3 replayed (1500 events), 0 still parked", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replay_StillDownOrPartly_ExitsOne_WithTheReason_ARefusalExitsTwo()
    {
        var partly = new StringWriter();
        var exitPartly = await ParkedReplayCommand.RunAsync([], partly, new ReplyingHandler("""{"batches":1,"events":500,"remaining":2,"error":"Batch 0-1 could not be applied yet"}"""), CancellationToken.None);
        var down = new StringWriter();
        var exitDown = await ParkedReplayCommand.RunAsync([], down, new ReplyingHandler("""{"status":503,"detail":"Batch 0-0 could not be applied yet"}""", HttpStatusCode.ServiceUnavailable), CancellationToken.None);
        var refused = await ParkedReplayCommand.RunAsync([], new StringWriter(), new ReplyingHandler("""{"status":401}""", HttpStatusCode.Unauthorized), CancellationToken.None);

        Assert.Equal((1, 1, 2), (exitPartly, exitDown, refused));
        Assert.Contains("2 still parked", partly.ToString(), StringComparison.Ordinal);
        Assert.Contains("Batch 0-1 could not be applied yet", partly.ToString(), StringComparison.Ordinal);
        Assert.Contains("nothing could be applied yet: Batch 0-0", down.ToString(), StringComparison.Ordinal);
    }
}
