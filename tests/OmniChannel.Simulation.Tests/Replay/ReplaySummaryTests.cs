using OmniChannel.Simulation.Replay;

namespace OmniChannel.Simulation.Tests.Replay;

public sealed class ReplaySummaryTests
{
    [Fact]
    public void ToString_WithRejection_ReportsCountsLatencyAndBody()
    {
        var summary = new ReplaySummary
        {
            Target = new Uri("http://localhost:7071/api/events"),
            EventsSent = 1_500,
            EventsAccepted = 1_450,
            EventsRejected = 50,
            EventsFailed = 0,
            Requests = 30,
            Retries = 2,
            NetworkRetries = 0,
            Duration = TimeSpan.FromSeconds(10),
            LatencyP50Milliseconds = 12.3,
            LatencyP90Milliseconds = 20,
            LatencyP99Milliseconds = 40,
            LatencyMaxMilliseconds = 55.5,
            Rejections = [new ReplayRejection(400, 50, """{"type":"invalid-events"}""")],
            Failures = [],
            Cancelled = false,
        };

        var text = summary.ToString();

        Assert.Contains("1,500 events sent to http://localhost:7071/api/events", text, StringComparison.Ordinal);
        Assert.Contains("1,450", text, StringComparison.Ordinal);
        Assert.Contains("145.0 events/s", text, StringComparison.Ordinal);
        Assert.Contains("retries after 429/503: 2", text, StringComparison.Ordinal);
        Assert.Contains("p50 12.3 ms", text, StringComparison.Ordinal);
        Assert.Contains("max 55.5 ms", text, StringComparison.Ordinal);
        Assert.Contains("""rejected 400 (50 events): {"type":"invalid-events"}""", text, StringComparison.Ordinal);
        Assert.False(summary.Succeeded);
    }
}
