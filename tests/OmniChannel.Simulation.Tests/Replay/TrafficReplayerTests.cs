using System.Globalization;
using Microsoft.AspNetCore.Http;
using OmniChannel.Simulation.Replay;
using OmniChannel.Simulation.Tests.Fakes;

namespace OmniChannel.Simulation.Tests.Replay;

public sealed class TrafficReplayerTests
{
    [Fact]
    public async Task ReplayAsync_AllRequestsAccepted_SendsEveryEventOnceInTimeOrder()
    {
        await using var server = await FakeEventsServer.StartAsync();
        using var client = new HttpClient();
        var day = TestDay.Create();
        var expected = TestDay.Ids(day.Generate());

        // One request at a time, so arrival order is send order.
        var replayer = new TrafficReplayer(client, new ReplayOptions(server.BaseUrl) { BatchSize = 7, Concurrency = 1 });
        var summary = await replayer.ReplayAsync(day);

        Assert.Equal(expected, server.ReceivedIds);
        var times = server.Requests.SelectMany(request => request.Times).ToList();
        Assert.Equal(times.Order(), times);
        Assert.Equal(expected.Count, summary.EventsSent);
        Assert.Equal(expected.Count, summary.EventsAccepted);
        Assert.Equal(0, summary.EventsRejected);
        Assert.Equal(0, summary.EventsFailed);
        Assert.Equal(0, summary.Retries);
        Assert.Equal((expected.Count + 6) / 7, summary.Requests);
        Assert.True(summary.Succeeded);
        Assert.False(summary.Cancelled);
    }

    [Fact]
    public async Task ReplayAsync_ConcurrentRequests_SendsEveryEventExactlyOnce()
    {
        await using var server = await FakeEventsServer.StartAsync();
        using var client = new HttpClient();
        var day = TestDay.Create(customers: 40);
        var expected = TestDay.Ids(day.Generate());

        var replayer = new TrafficReplayer(client, new ReplayOptions(server.BaseUrl) { BatchSize = 10, Concurrency = 4 });
        var summary = await replayer.ReplayAsync(day);

        // Requests may overtake each other on the wire; the events are each sent once, and each request is in time order.
        Assert.Equal(expected.Order(StringComparer.Ordinal), server.ReceivedIds.Order(StringComparer.Ordinal));
        Assert.All(server.Requests, request => Assert.Equal(request.Times.Order(), request.Times));
        Assert.Equal(expected.Count, summary.EventsAccepted);
        Assert.True(summary.Succeeded);
    }

    [Fact]
    public async Task ReplayAsync_ServiceUnavailableWithRetryAfter_RetriesAndCountsRetryNotFailure()
    {
        await using var server = await FakeEventsServer.StartAsync();
        server.Respond = (number, response) => number == 1 ? FakeEventsServer.UnavailableAsync(response, "1") : FakeEventsServer.AcceptAsync(response);
        using var client = new HttpClient();

        var replayer = new TrafficReplayer(client, new ReplayOptions(server.BaseUrl) { BatchSize = 5, MaxEvents = 5 });
        var summary = await replayer.ReplayAsync(TestDay.Create());

        Assert.Equal(2, server.Requests.Count);
        Assert.Equal(server.Requests[0].Ids, server.Requests[1].Ids);
        Assert.Equal(1, summary.Requests);
        Assert.Equal(1, summary.Retries);
        Assert.Equal(5, summary.EventsAccepted);
        Assert.Equal(0, summary.EventsFailed);
        Assert.True(summary.Succeeded);
    }

    [Fact]
    public async Task ReplayAsync_TooManyRequestsWithHttpDate_RetriesAndCountsRetryNotFailure()
    {
        await using var server = await FakeEventsServer.StartAsync();
        server.Respond = (number, response) => number == 1
            ? FakeEventsServer.UnavailableAsync(response, DateTimeOffset.UtcNow.AddSeconds(1).ToString("R", CultureInfo.InvariantCulture), StatusCodes.Status429TooManyRequests)
            : FakeEventsServer.AcceptAsync(response);
        using var client = new HttpClient();

        var replayer = new TrafficReplayer(client, new ReplayOptions(server.BaseUrl) { BatchSize = 5, MaxEvents = 5 });
        var summary = await replayer.ReplayAsync(TestDay.Create());

        Assert.Equal(2, server.Requests.Count);
        Assert.Equal(1, summary.Retries);
        Assert.Equal(5, summary.EventsAccepted);
        Assert.True(summary.Succeeded);
    }

    [Fact]
    public async Task ReplayAsync_RetriesExhausted_CountsEventsFailed()
    {
        await using var server = await FakeEventsServer.StartAsync();
        server.Respond = (_, response) => FakeEventsServer.UnavailableAsync(response, "0");
        using var client = new HttpClient();

        var replayer = new TrafficReplayer(client, new ReplayOptions(server.BaseUrl) { BatchSize = 5, MaxEvents = 5, MaxAttempts = 3 });
        var summary = await replayer.ReplayAsync(TestDay.Create());

        Assert.Equal(3, server.Requests.Count);
        Assert.Equal(2, summary.Retries);
        Assert.Equal(5, summary.EventsFailed);
        Assert.Contains("503", Assert.Single(summary.Failures), StringComparison.Ordinal);
        Assert.False(summary.Succeeded);
    }

    [Fact]
    public async Task ReplayAsync_BadRequest_CountsEventsRejectedAndKeepsBody()
    {
        await using var server = await FakeEventsServer.StartAsync();
        server.Respond = (_, response) => FakeEventsServer.InvalidAsync(response);
        using var client = new HttpClient();

        var replayer = new TrafficReplayer(client, new ReplayOptions(server.BaseUrl) { BatchSize = 5, MaxEvents = 10, Concurrency = 1 });
        var summary = await replayer.ReplayAsync(TestDay.Create());

        Assert.Equal(2, server.Requests.Count);
        Assert.Equal(10, summary.EventsRejected);
        Assert.Equal(0, summary.EventsAccepted);
        Assert.Equal(0, summary.EventsFailed);
        Assert.Equal(0, summary.Retries);
        var rejection = summary.Rejections[0];
        Assert.Equal(400, rejection.StatusCode);
        Assert.Equal(5, rejection.Events);
        Assert.Contains("invalid-events", rejection.Body, StringComparison.Ordinal);
        Assert.Contains("invalid-events", summary.ToString(), StringComparison.Ordinal);
        Assert.False(summary.Succeeded);
    }

    [Fact]
    public async Task ReplayAsync_BatchSizeOne_SendsStructuredEvents()
    {
        await using var server = await FakeEventsServer.StartAsync();
        using var client = new HttpClient();

        var replayer = new TrafficReplayer(client, new ReplayOptions(server.BaseUrl) { BatchSize = 1, MaxEvents = 3 });
        await replayer.ReplayAsync(TestDay.Create());

        Assert.Equal(3, server.Requests.Count);
        Assert.All(server.Requests, request =>
        {
            Assert.Equal("application/cloudevents+json", request.ContentType);
            Assert.False(request.IsBatch);
            Assert.Single(request.Ids);
        });
    }

    [Fact]
    public async Task ReplayAsync_BatchSizeFour_SendsBatchesOfFourThenTheRest()
    {
        await using var server = await FakeEventsServer.StartAsync();
        using var client = new HttpClient();

        var replayer = new TrafficReplayer(client, new ReplayOptions(server.BaseUrl) { BatchSize = 4, MaxEvents = 10, Concurrency = 1 });
        var summary = await replayer.ReplayAsync(TestDay.Create());

        Assert.Equal([4, 4, 2], server.Requests.Select(request => request.Ids.Count));
        Assert.All(server.Requests, request =>
        {
            Assert.Equal("application/cloudevents-batch+json", request.ContentType);
            Assert.True(request.IsBatch);
        });
        Assert.Equal(3, summary.Requests);
        Assert.Equal(10, summary.EventsSent);
    }

    [Fact]
    public async Task ReplayAsync_ApiKey_SendsItAsHeader()
    {
        await using var server = await FakeEventsServer.StartAsync();
        using var client = new HttpClient();

        var replayer = new TrafficReplayer(client, new ReplayOptions(server.BaseUrl) { MaxEvents = 5, ApiKey = "channel-key" });
        await replayer.ReplayAsync(TestDay.Create());

        Assert.Equal("channel-key", Assert.Single(server.Requests).ApiKey);
    }

    [Fact]
    public async Task ReplayAsync_NoServer_CountsEventsFailedAfterRetries()
    {
        // A port that was just free: nothing listens, so every attempt is refused.
        Uri closed;
        await using (var server = await FakeEventsServer.StartAsync())
        {
            closed = server.BaseUrl;
        }

        using var client = new HttpClient();
        var options = new ReplayOptions(closed) { BatchSize = 5, MaxEvents = 10, MaxAttempts = 2, DefaultRetryDelay = TimeSpan.FromMilliseconds(10) };
        var summary = await new TrafficReplayer(client, options).ReplayAsync(TestDay.Create());

        Assert.Equal(10, summary.EventsSent);
        Assert.Equal(10, summary.EventsFailed);
        Assert.Equal(0, summary.EventsAccepted);
        Assert.Equal(2, summary.NetworkRetries);
        Assert.Equal(0, summary.Retries);
        Assert.NotEmpty(summary.Failures);
        Assert.False(summary.Succeeded);
    }

    [Fact]
    public async Task ReplayAsync_CancelledWhileRequestInFlight_StopsSendingAndCountsTheInFlightRequest()
    {
        await using var server = await FakeEventsServer.StartAsync();
        using var cancellation = new CancellationTokenSource();
        server.Respond = async (_, response) =>
        {
            // Ctrl+C while the first request is on the wire: it must still be answered and counted.
            await cancellation.CancelAsync();
            await FakeEventsServer.AcceptAsync(response);
        };
        using var client = new HttpClient();

        var replayer = new TrafficReplayer(client, new ReplayOptions(server.BaseUrl) { BatchSize = 5, Concurrency = 1 });
        var summary = await replayer.ReplayAsync(TestDay.Create(), cancellationToken: cancellation.Token);

        Assert.True(summary.Cancelled);
        Assert.Single(server.Requests);
        Assert.Equal(5, summary.EventsSent);
        Assert.Equal(5, summary.EventsAccepted);
        Assert.True(summary.Succeeded);
    }

    [Fact]
    public async Task ReplayAsync_WithProgress_ReportsFinalSnapshot()
    {
        await using var server = await FakeEventsServer.StartAsync();
        using var client = new HttpClient();
        var progress = new RecordingProgress();

        var replayer = new TrafficReplayer(client, new ReplayOptions(server.BaseUrl) { BatchSize = 5, MaxEvents = 20 });
        var summary = await replayer.ReplayAsync(TestDay.Create(), progress);

        var last = progress.Reports[^1];
        Assert.Equal(20, last.Sent);
        Assert.Equal(summary.EventsAccepted, last.Accepted);
        Assert.Equal(20, last.Completed);
    }

    [Fact]
    public async Task ReplayAsync_SameSeed_SendsSameEventIds()
    {
        await using var server = await FakeEventsServer.StartAsync();
        using var client = new HttpClient();
        var replayer = new TrafficReplayer(client, new ReplayOptions(server.BaseUrl) { Concurrency = 1, MaxEvents = 100 });

        await replayer.ReplayAsync(TestDay.Create(seed: 7));
        var first = server.ReceivedIds;
        await replayer.ReplayAsync(TestDay.Create(seed: 7));
        var second = server.ReceivedIds.Skip(first.Count);

        Assert.Equal(100, first.Count);
        Assert.Equal(first, second);
    }

    [Fact]
    public void EventsUri_BaseWithPathAndSlash_AppendsApiEvents()
    {
        Assert.Equal("http://localhost:7071/api/events", TrafficReplayer.EventsUri(new Uri("http://localhost:7071")).AbsoluteUri);
        Assert.Equal("https://example.com/omni/api/events", TrafficReplayer.EventsUri(new Uri("https://example.com/omni/")).AbsoluteUri);
    }

    /// <summary>Keeps every report synchronously (Progress&lt;T&gt; would post them to the thread pool, out of order).</summary>
    private sealed class RecordingProgress : IProgress<ReplayProgress>
    {
        private readonly List<ReplayProgress> _reports = [];

        public IReadOnlyList<ReplayProgress> Reports
        {
            get
            {
                lock (_reports)
                {
                    return [.. _reports];
                }
            }
        }

        public void Report(ReplayProgress value)
        {
            lock (_reports)
            {
                _reports.Add(value);
            }
        }
    }
}
