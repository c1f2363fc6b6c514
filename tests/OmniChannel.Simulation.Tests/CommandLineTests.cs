using OmniChannel.Simulation.Bopis;
using OmniChannel.Simulation.Operations;
using OmniChannel.Simulation.Prices;
using OmniChannel.Simulation.Replay;
using OmniChannel.Simulation.Tests.Operations;

namespace OmniChannel.Simulation.Tests;

/// <summary>
/// The sub-commands' command lines (System.CommandLine): each one's --help lists its options, a bad value exits 2 with
/// a message that names the option and the value, and an unknown option exits 2 naming it. Nothing is sent in any of
/// these: the URL points at a port nobody listens on, and the operations commands get a handler that fails the test.
/// </summary>
public sealed class CommandLineTests
{
    public static TheoryData<string, string[]> Options => new()
    {
        { "simulate", ["--url", "--customers", "--seed", "--batch", "--concurrency", "--rate", "--max-events", "--start", "--api-key", "--help"] },
        {
            "simulate-bopis",
            ["--url", "--orders", "--concurrency", "--store", "--poll-ms", "--api-key", "--unpicked", "--short", "--no-show", "--order-timeout", "--short-units", "--refunds", "--help"]
        },
        { "simulate-prices", ["--url", "--subscribers", "--transient", "--modes", "--admin-key", "--keep", "--simulator-port", "--help"] },
        { "replay-deadletters", ["--url", "--admin-key", "--day", "--help"] },
        { "replay-parked", ["--url", "--admin-key", "--help"] },
    };

    [Theory]
    [MemberData(nameof(Options))]
    public async Task Help_ListsEveryOptionWithItsDefault_AndExitsZero(string command, string[] options)
    {
        using var output = new StringWriter();

        var exit = await RunAsync(command, ["--help"], output);

        var text = output.ToString();
        Assert.Equal(0, exit);
        Assert.Contains($"{command} [options]", text, StringComparison.Ordinal);
        Assert.All(options, option => Assert.Contains(option, text, StringComparison.Ordinal));
        Assert.Contains("[default: http://", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_ShowsTheDefaultsAndTheExitCodes()
    {
        using var simulate = new StringWriter();
        using var bopis = new StringWriter();

        await RunAsync("simulate", ["-h"], simulate);
        await RunAsync("simulate-bopis", ["-?"], bopis);

        Assert.Contains("[default: 200]", simulate.ToString(), StringComparison.Ordinal);
        Assert.Contains("[default: 50]", simulate.ToString(), StringComparison.Ordinal);
        Assert.Contains("Exit codes: 0 every event accepted", simulate.ToString(), StringComparison.Ordinal);
        Assert.Contains("[default: 0001]", bopis.ToString(), StringComparison.Ordinal);
        Assert.Contains("[default: missing]", bopis.ToString(), StringComparison.Ordinal);
        Assert.Contains("3 every order ended as planned but the stock or the refunds", bopis.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("simulate", "--customers", "-3")]
    [InlineData("simulate", "--batch", "9999")]
    [InlineData("simulate", "--start", "yesterday")]
    [InlineData("simulate", "--concurrency", "1001")]
    [InlineData("simulate", "--rate", "fast")]
    [InlineData("simulate-bopis", "--orders", "-1")]
    [InlineData("simulate-bopis", "--poll-ms", "9")]
    [InlineData("simulate-bopis", "--short-units", "lost")]
    [InlineData("simulate-bopis", "--unpicked", "100.5")]
    [InlineData("simulate-prices", "--subscribers", "100001")]
    [InlineData("simulate-prices", "--transient", "1")]
    [InlineData("simulate-prices", "--modes", "batched,all")]
    [InlineData("simulate-prices", "--keep", "maybe")]
    [InlineData("simulate-prices", "--url", "ftp://host")]
    [InlineData("replay-deadletters", "--day", "2026-13-01")]
    [InlineData("replay-parked", "--url", "nowhere")]
    public async Task BadValue_ExitsTwo_NamingTheOptionAndTheValue(string command, string option, string value)
    {
        using var output = new StringWriter();

        var exit = await RunAsync(command, [option, value], output);

        var text = output.ToString();
        Assert.Equal(2, exit);
        Assert.Contains($"{command}: Option '{option}': '{value}'", text, StringComparison.Ordinal);
        Assert.Contains($"Run '{command} --help' for the options.", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("simulate")]
    [InlineData("simulate-bopis")]
    [InlineData("simulate-prices")]
    [InlineData("replay-deadletters")]
    [InlineData("replay-parked")]
    public async Task UnknownOption_ExitsTwo_NamingIt(string command)
    {
        using var output = new StringWriter();

        var exit = await RunAsync(command, ["--frobnicate"], output);

        Assert.Equal(2, exit);
        Assert.Contains("'--frobnicate'", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingValue_ExitsTwo_NamingTheOption()
    {
        using var output = new StringWriter();

        var exit = await RunAsync("simulate-bopis", ["--orders"], output);

        Assert.Equal(2, exit);
        Assert.Contains("'--orders'", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EveryError_IsReported_NotOnlyTheFirst()
    {
        using var output = new StringWriter();

        var exit = await RunAsync("simulate", ["--customers", "0", "--batch=501"], output);

        Assert.Equal(2, exit);
        Assert.Contains("Option '--customers': '0'", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("Option '--batch': '501'", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ParsedValues_AreTyped_AndTheDefaultsHold()
    {
        Assert.True(PriceFanOutArguments.TryParse(["--subscribers=12", "--transient", "0.5", "--modes", "batched", "--keep", "true"], TextWriter.Null, out var prices, out _));
        Assert.True(PriceFanOutArguments.TryParse([], TextWriter.Null, out var defaults, out _));

        Assert.Equal(new PriceFanOutArguments("http://127.0.0.1:7071", 12, 0.5, prices.Modes, null, true), prices);
        Assert.Equal(["batched"], prices.Modes);
        Assert.Equal((5000, 0.01, false), (defaults.Subscribers, defaults.TransientRate, defaults.Keep));
        Assert.Equal(["batched", "perSubscriber"], defaults.Modes);
    }

    private static Task<int> RunAsync(string command, string[] args, TextWriter output) => command switch
    {
        "simulate" => ReplayCommand.RunAsync(args, output, CancellationToken.None),
        "simulate-bopis" => BopisLoadCommand.RunAsync(args, output, CancellationToken.None),
        "simulate-prices" => PriceFanOutCommand.RunAsync(args, output, CancellationToken.None),
        "replay-deadletters" => DeadLetterReplayCommand.RunAsync(args, output, new ReplyingHandler("{}", System.Net.HttpStatusCode.InternalServerError), CancellationToken.None),
        "replay-parked" => ParkedReplayCommand.RunAsync(args, output, new ReplyingHandler("{}", System.Net.HttpStatusCode.InternalServerError), CancellationToken.None),
        _ => throw new ArgumentOutOfRangeException(nameof(command), command, "Not a sub-command."),
    };
}
