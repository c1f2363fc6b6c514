using System.Net;
using System.Text;
using System.Text.Json;
using OmniChannel.Azure.IntegrationTests.Fixtures;

namespace OmniChannel.Azure.IntegrationTests.Http;

/// <summary>The same body limits on every route that takes a JSON body: too large is 413, too deep is 400, both problem+json.</summary>
[Collection(ServersCollection.Name)]
public sealed class BodyLimitsTests(ServersFixture servers)
{
    public static TheoryData<string, string> BodyRoutes => new()
    {
        { "POST", "/api/orders" },
        { "POST", "/api/prices" },
        { "PUT", "/api/prices/subscribers/limits-test" },
        { "PUT", "/api/remarketing/rules/limits-test" },
        { "POST", "/api/remarketing/rules/limits-test/simulate" },
    };

    [Theory]
    [MemberData(nameof(BodyRoutes))]
    public async Task Route_BodyOverTheLimit_Is413_SentChunkedToo(string method, string path)
    {
        await using var host = await HttpBackbone.StartAsync(servers);
        var huge = "{\"name\":\"" + new string('x', 300 * 1024) + "\"}";

        var withLength = await SendAsync(host, method, path, new StringContent(huge, Encoding.UTF8, "application/json"));
        var chunked = await SendAsync(host, method, path, new ChunkedContent(Encoding.UTF8.GetBytes(huge)));

        await ExpectProblemAsync(withLength, HttpStatusCode.RequestEntityTooLarge);
        await ExpectProblemAsync(chunked, HttpStatusCode.RequestEntityTooLarge);
    }

    [Theory]
    [MemberData(nameof(BodyRoutes))]
    public async Task Route_JsonNestedTooDeep_Is400(string method, string path)
    {
        await using var host = await HttpBackbone.StartAsync(servers);
        var deep = "{\"a\":" + new string('[', 200) + new string(']', 200) + "}";

        var response = await SendAsync(host, method, path, new StringContent(deep, Encoding.UTF8, "application/json"));

        await ExpectProblemAsync(response, HttpStatusCode.BadRequest);
    }

    private static Task<HttpResponseMessage> SendAsync(HttpBackbone host, string method, string path, HttpContent content) =>
        host.Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = content });

    private static async Task ExpectProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {status}, got {response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal((int)status, JsonDocument.Parse(body).RootElement.GetProperty("status").GetInt32());
    }

    /// <summary>A body without Content-Length (Transfer-Encoding: chunked), as a streaming client sends it.</summary>
    private sealed class ChunkedContent(byte[] bytes) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context) => stream.WriteAsync(bytes).AsTask();

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
