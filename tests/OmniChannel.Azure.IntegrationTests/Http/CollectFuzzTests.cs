using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CsCheck;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OmniChannel.Api;
using OmniChannel.Core;
using OmniChannel.Core.Events;
using OmniChannel.Core.Ports;

namespace OmniChannel.Azure.IntegrationTests.Http;

/// <summary>
/// Property-based fuzzing of <c>POST /api/events</c> over real HTTP: random and mutated envelopes, batches, bodies,
/// headers and content types. Every answer is 202, or 400/413/415 problem+json with nothing of the request published;
/// never a 5xx, never a hang. A failure prints CsCheck's seed, so <c>seed:</c> in the call below reproduces it.
/// </summary>
public sealed class CollectFuzzTests : IAsyncLifetime
{
    private const int Cases = 10_000;

    private static readonly string?[] ContentTypes =
    [
        "application/cloudevents+json", "application/cloudevents-batch+json", "application/json", "application/cloudevents+json; charset=utf-8",
        "application/cloudevents+json; charset=utf-16", "text/plain", "multipart/form-data; boundary=x", "application/xml", "*/*", "application/", null,
    ];

    private static readonly string[] Attributes = ["specversion", "id", "source", "type", "time", "channel", "deviceid", "customerid", "data", "datacontenttype", "loyaltyid", "emailhash"];

    private readonly CountingPublisher _publisher = new();
    private WebApplication _app = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Critical);
        builder.Services.AddOmniChannelCore().AddOmniChannelApi();
        builder.Services.AddSingleton<IEventPublisher>(_publisher);
        _app = builder.Build();
        _app.UseOmniChannelProblems();
        _app.MapOmniChannelApi();
        await _app.StartAsync();
        _client = new HttpClient { BaseAddress = new Uri(_app.Urls.First()), Timeout = TimeSpan.FromSeconds(30) };
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task Collect_AnyRequest_Answers202OrAProblem_AndPublishesNothingOfARejectedOne()
    {
        var requests = Gen.Frequency(
            (3, Gen.Int[0, 1000].Select(seed => Structured(Mutate(ValidEvent(seed), seed)))),
            (2, Gen.Int[0, 1000].SelectMany(seed => Gen.Int[0, 520].Select(count => Batch(seed, count)))),
            (1, Gen.Byte.Array[0, 300].SelectMany(bytes => Gen.Int[0, ContentTypes.Length - 1].Select(type => new FuzzRequest(bytes, ContentTypes[type], [])))),
            (1, Gen.Int[0, 1000].SelectMany(seed => Gen.Double[0, 1].Select(cut => Truncated(seed, cut)))),
            (1, Gen.Int[1, 3000].Select(Deep)),
            (2, Gen.Int[0, 1000].Select(Binary)),
            (1, Gen.String.Select(text => new FuzzRequest(Encoding.UTF8.GetBytes(text), "application/cloudevents+json", []))));

        int accepted = 0, rejected = 0;
        await requests.SampleAsync(async request =>
        {
            var before = _publisher.Published;
            using var message = new HttpRequestMessage(HttpMethod.Post, "/api/events") { Content = new ByteArrayContent(request.Body) };
            if (request.ContentType is not null)
            {
                message.Content.Headers.TryAddWithoutValidation("Content-Type", request.ContentType);
            }

            foreach (var (name, value) in request.Headers)
            {
                message.Headers.TryAddWithoutValidation(name, value);
            }

            using var response = await _client.SendAsync(message);
            var text = await response.Content.ReadAsStringAsync();
            var status = (int)response.StatusCode;
            if (status == 202)
            {
                var events = JsonDocument.Parse(text).RootElement.GetProperty("accepted").GetInt32();
                Assert.Equal(before + events, _publisher.Published);
                Interlocked.Increment(ref accepted);
                return;
            }

            Assert.True(status is 400 or 413 or 415, $"answered {status}: {text}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal(status, JsonDocument.Parse(text).RootElement.GetProperty("status").GetInt32());
            Assert.Equal(before, _publisher.Published);
            Interlocked.Increment(ref rejected);
        }, iter: Cases, threads: 1);

        // The generators reach both sides: valid requests get through, broken ones are refused.
        Assert.True(accepted > Cases / 20 && rejected > Cases / 4, $"accepted {accepted}, rejected {rejected}");
    }

    private static JsonObject ValidEvent(int seed) => new()
    {
        ["specversion"] = "1.0",
        ["id"] = "fuzz-" + seed.ToString(CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N")[..6],
        ["source"] = "/web",
        ["type"] = EventTypes.All[seed % EventTypes.All.Count],
        ["time"] = DateTimeOffset.UtcNow.AddMinutes(-1).ToString("O", CultureInfo.InvariantCulture),
        ["channel"] = "web",
        ["deviceid"] = "d-" + (seed % 50).ToString(CultureInfo.InvariantCulture),
        ["data"] = new JsonObject { ["sku"] = "SKU-" + seed, ["storeid"] = "0001", ["lat"] = 40.7, ["lon"] = -74.0, ["delta"] = 1, ["reason"] = "x", ["marketing"] = "granted", ["skus"] = new JsonArray("SKU-1") },
    };

    /// <summary>Leaves about a third alone; otherwise drops an attribute or gives it a value of another kind.</summary>
    private static JsonObject Mutate(JsonObject cloudEvent, int seed)
    {
        var random = new Random(seed);
        var roll = random.Next(6);
        var attribute = Attributes[random.Next(Attributes.Length)];
        switch (roll)
        {
            case 0:
                cloudEvent.Remove(attribute);
                break;
            case 1:
                cloudEvent[attribute] = random.Next(4) switch
                {
                    0 => JsonValue.Create(random.Next()),
                    1 => JsonValue.Create(random.Next(2) == 0),
                    2 => new JsonArray(1, "two", null),
                    _ => new JsonObject { ["nested"] = new string('x', random.Next(0, 5000)) },
                };
                break;
            case 2:
                cloudEvent[attribute] = new string((char)random.Next(1, 0xD7FF), random.Next(0, 300));
                break;
            case 3:
                cloudEvent["time"] = random.Next(3) switch
                {
                    0 => DateTimeOffset.UtcNow.AddDays(1).ToString("O", CultureInfo.InvariantCulture),
                    1 => "yesterday",
                    _ => "2026-02-30T25:61:00Z",
                };
                break;
        }

        return cloudEvent;
    }

    private static FuzzRequest Structured(JsonObject cloudEvent) => new(Encoding.UTF8.GetBytes(cloudEvent.ToJsonString()), "application/cloudevents+json", []);

    private static FuzzRequest Batch(int seed, int count)
    {
        var batch = new JsonArray(Enumerable.Range(0, count).Select(index => (JsonNode)Mutate(ValidEvent(seed + index), seed * 31 + index)).ToArray());
        return new FuzzRequest(Encoding.UTF8.GetBytes(batch.ToJsonString()), "application/cloudevents-batch+json", []);
    }

    private static FuzzRequest Truncated(int seed, double cut)
    {
        var bytes = Encoding.UTF8.GetBytes(ValidEvent(seed).ToJsonString());
        return new FuzzRequest(bytes[..(int)(bytes.Length * cut)], "application/cloudevents+json", []);
    }

    private static FuzzRequest Deep(int depth)
    {
        var data = new string('[', depth) + new string(']', depth);
        var body = ValidEvent(depth).ToJsonString().Replace("\"data\":{", "\"deep\":" + data + ",\"data\":{", StringComparison.Ordinal);
        return new FuzzRequest(Encoding.UTF8.GetBytes(body), "application/cloudevents+json", []);
    }

    /// <summary>Binary mode: a random subset of the ce-* headers, sometimes odd values, with the data as the body.</summary>
    private static FuzzRequest Binary(int seed)
    {
        var random = new Random(seed);
        var cloudEvent = ValidEvent(seed);
        var headers = new List<(string, string)>();
        foreach (var attribute in Attributes.Where(attribute => attribute != "data" && random.Next(5) != 0))
        {
            var value = cloudEvent[attribute]?.ToString() ?? "x";
            headers.Add(("ce-" + attribute, random.Next(8) == 0 ? "%%~\t" + value : value));
        }

        var body = random.Next(4) == 0 ? [0xFF, 0xFE, 0x00] : Encoding.UTF8.GetBytes(cloudEvent["data"]!.ToJsonString());
        return new FuzzRequest(body, random.Next(3) == 0 ? "text/plain" : "application/json", headers);
    }

    public sealed record FuzzRequest(byte[] Body, string? ContentType, IReadOnlyList<(string Name, string Value)> Headers)
    {
        public override string ToString() => $"{ContentType} [{string.Join(", ", Headers.Select(header => header.Name + "=" + header.Value))}] {Encoding.UTF8.GetString(Body[..Math.Min(Body.Length, 400)])}";
    }

    private sealed class CountingPublisher : IEventPublisher
    {
        private int _published;

        public int Published => Volatile.Read(ref _published);

        public Task PublishAsync(IReadOnlyList<OmniEvent> events, CancellationToken cancellationToken)
        {
            Interlocked.Add(ref _published, events.Count);
            return Task.CompletedTask;
        }
    }
}
