using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Moq;
using OmniChannel.Api;
using OmniChannel.Api.Security;
using OmniChannel.Core.Ports;

namespace OmniChannel.Functions.Tests;

/// <summary>
/// Health as both hosts answer it: liveness to anyone, without probing; dependency details to a caller with a valid
/// key, with classified reasons and never the text or type of the exception a probe threw.
/// </summary>
public sealed class HealthApiTests
{
    private const string ServiceKey = "service-key-31aa";
    private const string ExceptionText = "No connection could be made to cosmos-omni-prod.documents.azure.com:443 (10.1.2.3)";

    private readonly CountingProbe _failing = new("cosmos", new HttpRequestException(ExceptionText, new SocketException((int)SocketError.ConnectionRefused)));
    private readonly CountingProbe _healthy = new("tables", null);
    private readonly Mock<IParkedBatchStore> _parked = new();

    public HealthApiTests() => _parked.Setup(store => store.CountAsync(It.IsAny<CancellationToken>())).ReturnsAsync(2);

    [Fact]
    public async Task CheckAsync_Anonymous_AnswersAliveOnly_WithoutProbingOrCountingAnything()
    {
        var (status, body) = await CheckAsync(key: null);

        Assert.Equal(200, status);
        Assert.Equal("""{"status":"alive"}""", body);
        Assert.Equal((0, 0), (_failing.Calls, _healthy.Calls));
        _parked.Verify(store => store.CountAsync(It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task CheckAsync_WithAMadeUpKey_AnswersAliveOnly()
    {
        var (status, body) = await CheckAsync(key: "guess");

        Assert.Equal((200, """{"status":"alive"}"""), (status, body));
        Assert.Equal(0, _failing.Calls);
    }

    [Fact]
    public async Task CheckAsync_WithAValidKey_ReportsEveryDependency_AFailureByItsClassifiedReason_NeverTheExceptionText()
    {
        var (status, body) = await CheckAsync(ServiceKey);

        Assert.Equal(503, status);
        var report = JsonDocument.Parse(body).RootElement;
        Assert.Equal("unhealthy", report.GetProperty("status").GetString());
        var dependencies = report.GetProperty("dependencies").EnumerateArray().ToDictionary(d => d.GetProperty("name").GetString()!);
        Assert.Equal("unreachable", dependencies["cosmos"].GetProperty("error").GetString());
        Assert.Equal("healthy", dependencies["tables"].GetProperty("status").GetString());
        Assert.Equal(2, report.GetProperty("parkedBatches").GetInt32());
        Assert.DoesNotContain("cosmos-omni-prod", body, StringComparison.Ordinal);
        Assert.DoesNotContain("10.1.2.3", body, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("timeout")]
    [InlineData("HTTP 503")]
    [InlineData("unreachable")]
    [InlineData("unavailable")]
    [InlineData("failed")]
    public void Classify_NamesTheKindOfFailure_InAWordOrTwo(string expected)
    {
        Exception exception = expected switch
        {
            "timeout" => new TaskCanceledException("The operation was canceled after 5 s talking to host-a"),
            "HTTP 503" => new HttpRequestException("Service Unavailable from host-a", null, HttpStatusCode.ServiceUnavailable),
            "unreachable" => new InvalidOperationException("wrapped", new SocketException((int)SocketError.HostNotFound)),
            "unavailable" => new TransientStorageException("storage busy at host-a", null, new IOException("host-a")),
            _ => new InvalidOperationException("Account key for host-a is invalid"),
        };

        Assert.Equal(expected, HealthApi.Classify(exception));
    }

    private async Task<(int Status, string Body)> CheckAsync(string? key)
    {
        var deadLetters = new Mock<IDeadLetterStore>();
        deadLetters.Setup(store => store.ListAsync(It.IsAny<string>(), It.IsAny<int>(), It.IsAny<CancellationToken>())).ReturnsAsync([]);
        var access = new ApiAccessCheck(Options.Create(new ApiAccessOptions { ServiceKey = ServiceKey, AdminKey = "admin-key" }));
        var health = new HealthApi([_failing, _healthy], _parked.Object, deadLetters.Object, access, TimeProvider.System);
        var context = new DefaultHttpContext { RequestServices = new ServiceCollection().AddLogging().BuildServiceProvider() };
        context.Request.Method = "GET";
        context.Request.Path = "/api/health";
        if (key is not null)
        {
            context.Request.Headers["x-api-key"] = key;
        }

        context.Response.Body = new MemoryStream();
        await (await health.CheckAsync(context.Request, CancellationToken.None)).ExecuteAsync(context);
        context.Response.Body.Position = 0;
        return (context.Response.StatusCode, await new StreamReader(context.Response.Body).ReadToEndAsync());
    }

    /// <summary>A dependency that fails with <paramref name="failure"/> (or answers), counting how often it is asked.</summary>
    private sealed class CountingProbe(string name, Exception? failure) : IDependencyProbe
    {
        public int Calls { get; private set; }

        public string Name => name;

        public Task ProbeAsync(CancellationToken cancellationToken)
        {
            Calls++;
            return failure is null ? Task.CompletedTask : Task.FromException(failure);
        }
    }
}
