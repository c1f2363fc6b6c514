using System.Diagnostics;
using System.Reflection;
using System.Text.Json.Nodes;

namespace OmniChannel.Infrastructure.Tests;

/// <summary>The Bicep CLI from its NuGet package, run offline on the files in infra/.</summary>
internal static class Bicep
{
    public static string Cli { get; } = typeof(Bicep).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(attribute => attribute.Key == "BicepCli").Value!;

    public static string InfraDirectory { get; } = Path.Combine(RepositoryRoot(), "infra");

    public static async Task<(int ExitCode, string Output, string Errors)> RunAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo(Cli)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = InfraDirectory,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // Offline: no registry modules, no telemetry.
        start.Environment["BICEP_TELEMETRY_ENABLED"] = "false";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await errors);
    }

    /// <summary>main.bicep compiled to its ARM JSON template.</summary>
    public static async Task<JsonObject> CompileMainAsync()
    {
        var (exitCode, output, errors) = await RunAsync("build", "main.bicep", "--stdout");
        Assert.True(exitCode == 0, errors);
        return JsonNode.Parse(output)!.AsObject();
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "OmniChannel.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("OmniChannel.sln not found above the test output.");
    }
}
