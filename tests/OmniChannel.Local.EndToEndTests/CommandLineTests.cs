using System.Diagnostics;

namespace OmniChannel.Local.EndToEndTests;

/// <summary>
/// The local host's command line, run as a user would (<c>dotnet OmniChannel.Local.dll …</c>): the root help lists the
/// sub-commands, and <c>soak</c>, which lives in this host, has --help and refuses bad values with exit code 2. None of
/// these starts the host or sends anything.
/// </summary>
public sealed class CommandLineTests
{
    [Fact]
    public async Task RootHelp_ListsTheSubCommands()
    {
        var (exit, output) = await RunAsync("--help");

        Assert.Equal(0, exit);
        foreach (var command in new[] { "simulate", "simulate-bopis", "simulate-prices", "soak", "replay-deadletters", "replay-parked", "plot-bopis" })
        {
            Assert.Contains($"  {command} ", output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task SoakHelp_ListsItsOptions()
    {
        var (exit, output) = await RunAsync("soak", "--help");

        Assert.Equal(0, exit);
        Assert.Contains("soak [options]", output, StringComparison.Ordinal);
        foreach (var option in new[] { "--url", "--rates", "--rate", "--minutes", "--step-seconds", "--window-seconds", "--pid", "--cosmos", "--out", "--plot" })
        {
            Assert.Contains(option, output, StringComparison.Ordinal);
        }

        Assert.Contains("[default: 15]", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("'--rates': '300,fast'", "--rates", "300,fast")]
    [InlineData("'--rate': '-5'", "--rate", "-5")]
    [InlineData("'--window-seconds': '0'", "--rate", "100", "--window-seconds", "0")]
    [InlineData("'--rate' (a soak) or '--rates'", "--minutes", "5")]
    [InlineData("'--frobnicate'", "--rate", "100", "--frobnicate")]
    public async Task Soak_BadArguments_ExitTwo_NamingTheOption(string named, params string[] args)
    {
        var (exit, output) = await RunAsync(["soak", .. args]);

        Assert.Equal(2, exit);
        Assert.Contains(named, output, StringComparison.Ordinal);
        Assert.Contains("Run 'soak --help' for the options.", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Simulate_BadValue_ExitsTwo_FromTheHostToo()
    {
        var (exit, output) = await RunAsync("simulate", "--batch", "9999");

        Assert.Equal(2, exit);
        Assert.Contains("simulate: Option '--batch': '9999' is not a whole number from 1 to 500", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SoakPlot_RedrawsTheSvgAndThePngOfAFinishedRun()
    {
        var folder = Directory.CreateTempSubdirectory("soak-plot-");
        try
        {
            var csv = Path.Combine(folder.FullName, "run.csv");
            await File.WriteAllTextAsync(csv, """
                seconds,offered,accepted,p99ms,refused,lag,ingested,rssmb,handles
                10,210,213.8,194.5,0,62,2038,258.9,442
                20,210,214.7,76.3,0,50,4150,280.3,441
                30,210,209.9,NaN,0,40,6251,NaN,-1
                40,300,301.2,250.1,2,90,9200,290.0,450

                """);

            var (exit, output) = await RunAsync("soak", "--plot", csv);

            Assert.True(exit == 0, output);
            Assert.Contains("run.svg and", output, StringComparison.Ordinal);
            var svg = System.Xml.Linq.XDocument.Load(Path.Combine(folder.FullName, "run.svg"));
            Assert.Equal("svg", svg.Root!.Name.LocalName);
            Assert.Equal("1000", svg.Root.Attribute("width")?.Value);
            var png = await File.ReadAllBytesAsync(Path.Combine(folder.FullName, "run.png"));
            Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
            Assert.True(png.Length > 10_000, $"{png.Length} bytes");
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static Task<(int Exit, string Output)> RunAsync(params string[] args) => RunAsync(TimeSpan.FromSeconds(60), args);

    /// <summary>Runs <c>dotnet OmniChannel.Local.dll</c> with the arguments until it exits (at most <paramref name="timeout"/>); its exit code and output.</summary>
    internal static async Task<(int Exit, string Output)> RunAsync(TimeSpan timeout, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(LocalHostProcess.LocalHostOutput(), "OmniChannel.Local.dll"));
        foreach (var argument in args)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        using var stop = new CancellationTokenSource(timeout);
        var output = process.StandardOutput.ReadToEndAsync(stop.Token);
        var error = process.StandardError.ReadToEndAsync(stop.Token);
        await process.WaitForExitAsync(stop.Token);
        return (process.ExitCode, await output + await error);
    }
}
