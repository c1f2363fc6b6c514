using OmniChannel.Local.Bopis;
using OmniChannel.Simulation.Bopis;

namespace OmniChannel.Azure.IntegrationTests.Bopis;

/// <summary>
/// <c>plot-bopis</c> over a log written the way <c>simulate-bopis</c> writes it (<see cref="BopisLoadProgress.ToLogLine"/>),
/// past 1,000 orders so the counts carry thousands separators: the rate per window, the mean and the spread it reports,
/// the pictures it writes, and clear errors for bad arguments.
/// </summary>
public sealed class BopisRatePlotTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("plot-bopis-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Run_TenOrdersPerSecondThenFive_ReportsEachWindowsRate_TheMean_AndTheSpread_AndWritesPngAndSvg()
    {
        // 10 orders/s for 200 s, then 5/s for 200 s: 3,000 orders ready, reported every 2 s as the command does.
        var log = WriteLog(seconds => seconds <= 200 ? seconds * 10 : 2_000 + ((seconds - 200) * 5), until: 400, orders: 5_000);
        var output = new StringWriter();

        var exit = BopisRatePlot.Run([log, Path.Combine(_folder, "rate")], output);

        Assert.Equal(0, exit);
        var text = output.ToString();
        Assert.Contains("  1000 ready   10.00/s", text, StringComparison.Ordinal);
        Assert.Contains("   500 ready    5.00/s", text, StringComparison.Ordinal);
        Assert.Equal(2, CountOf(text, "10.00/s"));
        Assert.Equal(2, CountOf(text, " 5.00/s"));
        Assert.Contains("mean 7.50/s over 4 full windows; lowest -33%, highest +33% of the mean", text, StringComparison.Ordinal);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], File.ReadAllBytes(Path.Combine(_folder, "rate.png"))[..4]);
        Assert.Contains("<svg", File.ReadAllText(Path.Combine(_folder, "rate.svg")), StringComparison.Ordinal);
    }

    [Fact]
    public void Run_AWindowOf50Seconds_CutsTheSameRunIntoEightWindows()
    {
        var log = WriteLog(seconds => seconds * 3, until: 400, orders: 2_000);
        var output = new StringWriter();

        Assert.Equal(0, BopisRatePlot.Run([log, Path.Combine(_folder, "rate"), "50"], output));

        Assert.Equal(8, CountOf(output.ToString(), "   150 ready    3.00/s"));
    }

    [Theory]
    [InlineData("ten")]
    [InlineData("0")]
    [InlineData("-5")]
    public void Run_AWindowThatIsNotAPositiveNumber_ExitsWith2AndSaysWhy(string window)
    {
        var log = WriteLog(seconds => seconds, until: 10, orders: 10);
        var output = new StringWriter();

        Assert.Equal(2, BopisRatePlot.Run([log, Path.Combine(_folder, "rate"), window], output));

        Assert.Contains($"WINDOW-SECONDS must be a number of seconds, at least 1; got '{window}'.", output.ToString(), StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_folder, "rate.png")));
    }

    [Fact]
    public void Run_AMissingLogOrOneWithoutProgressLines_FailsWithAMessage()
    {
        var missing = new StringWriter();
        Assert.Equal(2, BopisRatePlot.Run([Path.Combine(_folder, "absent.log"), Path.Combine(_folder, "rate")], missing));
        Assert.Contains("No such file", missing.ToString(), StringComparison.Ordinal);

        var empty = Path.Combine(_folder, "empty.log");
        File.WriteAllText(empty, "Placing 10 orders…\n");
        var none = new StringWriter();
        Assert.Equal(1, BopisRatePlot.Run([empty, Path.Combine(_folder, "rate")], none));
        Assert.Contains("No progress lines", none.ToString(), StringComparison.Ordinal);
    }

    private string WriteLog(Func<int, int> readyAt, int until, int orders)
    {
        var lines = new List<string> { "Placing orders (a header line the plot skips)" };
        for (var seconds = 0; seconds <= until; seconds += 2)
        {
            var ready = readyAt(seconds);
            lines.Add(new BopisLoadProgress(orders, Math.Min(orders, ready + 100), ready, Math.Max(0, ready - 50), 0, TimeSpan.FromSeconds(seconds)).ToLogLine());
        }

        var path = Path.Combine(_folder, "run.log");
        File.WriteAllLines(path, lines);
        return path;
    }

    private static int CountOf(string text, string part) => (text.Length - text.Replace(part, string.Empty, StringComparison.Ordinal).Length) / part.Length;
}
