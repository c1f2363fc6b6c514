using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace OmniChannel.LocalServers;

/// <summary>
/// Installs the servers' npm packages (<c>npm ci</c> from the committed package-lock.json) the first
/// time they are needed, so a fresh checkout runs the integration tests without a manual step.
/// </summary>
public static class NpmInstaller
{
    /// <summary>The packages the launchers run, as named in package.json.</summary>
    public static readonly IReadOnlyList<string> ServerPackages = ["azurite", "@vercel/cosmosdb-server"];

    private static readonly TimeSpan LockRetryInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Runs <c>npm ci --no-audit --no-fund</c> in <paramref name="repositoryRoot"/> unless every server
    /// package is installed at the version package.json pins. Callers in other processes (test
    /// assemblies run in parallel) wait on a lock file instead of running a second npm ci into the same
    /// node_modules; after the wait they find the packages installed and return.
    /// </summary>
    /// <exception cref="InvalidOperationException">npm ci failed; the message holds its output.</exception>
    /// <exception cref="TimeoutException">npm ci, or the wait for another process's, took longer than <paramref name="timeout"/>.</exception>
    public static async Task EnsureInstalledAsync(string repositoryRoot, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(repositoryRoot);
        if (IsInstalled(repositoryRoot))
        {
            return;
        }

        var limit = timeout ?? TimeSpan.FromMinutes(10);
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(limit);
        try
        {
            await using var installLock = await AcquireLockAsync(repositoryRoot, timeoutSource.Token).ConfigureAwait(false);

            // Another process may have installed while we waited for the lock.
            if (!IsInstalled(repositoryRoot))
            {
                await RunNpmCiAsync(repositoryRoot, timeoutSource.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException(
                $"npm ci in {repositoryRoot} (or the wait for another process running it) took longer than {limit.TotalMinutes:0.#} min.");
        }
    }

    /// <summary>
    /// True when each server package is in node_modules at the version package.json names, and the
    /// install finished (npm writes node_modules/.package-lock.json last). A pin bumped in package.json
    /// therefore triggers a fresh install; an interrupted one is redone.
    /// </summary>
    public static bool IsInstalled(string repositoryRoot)
    {
        var nodeModules = Path.Combine(repositoryRoot, "node_modules");
        if (!File.Exists(Path.Combine(nodeModules, ".package-lock.json")))
        {
            return false;
        }

        var wanted = ReadDependencies(Path.Combine(repositoryRoot, RepositoryRoot.PackageJson));
        foreach (var package in ServerPackages)
        {
            var installed = ReadVersion(Path.Combine(nodeModules, package, "package.json"));
            if (installed is null || (wanted.TryGetValue(package, out var pinned) && IsExactVersion(pinned) && pinned != installed))
            {
                return false;
            }
        }

        return true;
    }

    private static async Task<FileStream> AcquireLockAsync(string repositoryRoot, CancellationToken cancellationToken)
    {
        // Outside node_modules, which npm ci deletes; in the temp folder so the checkout stays clean. One
        // lock per checkout (a hash of its path), so two checkouts install side by side.
        var key = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Path.GetFullPath(repositoryRoot))))[..16];
        var lockPath = Path.Combine(Path.GetTempPath(), $"omnichannel-npm-ci-{key}.lock");

        while (true)
        {
            try
            {
                // FileShare.None is an exclusive lock between processes (flock on Unix), released when the
                // stream closes — also when the holder crashes, so a stale file never blocks anyone. The
                // file is not deleted on close: a waiter could already hold it open and lock the unlinked
                // file while a third process creates and locks a new one, and both would run npm ci.
                return new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException)
            {
                await Task.Delay(LockRetryInterval, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static async Task RunNpmCiAsync(string repositoryRoot, CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo(NodeRuntime.FindNpm())
        {
            WorkingDirectory = repositoryRoot,
            UseShellExecute = false,
            CreateNoWindow = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var argument in new[] { "ci", "--no-audit", "--no-fund" })
        {
            startInfo.ArgumentList.Add(argument);
        }

        var output = new BoundedOutputLog(200);
        using var process = new Process { StartInfo = startInfo };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { output.Add("out", e.Data); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { output.Add("err", e.Data); } };

        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Do not leave a half-finished npm ci writing into node_modules; the next caller redoes it.
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"npm ci --no-audit --no-fund in {repositoryRoot} failed with exit code {process.ExitCode}.{Environment.NewLine}Output:{Environment.NewLine}{output}");
        }

        if (!IsInstalled(repositoryRoot))
        {
            throw new InvalidOperationException(
                $"npm ci in {repositoryRoot} succeeded, but {string.Join(" and ", ServerPackages)} are not installed at the versions package.json pins.{Environment.NewLine}Output:{Environment.NewLine}{output}");
        }
    }

    // Only an exact pin ("3.37.0") can be compared with the installed version; a range ("^3.37.0") is
    // left to the lock file, or every call would reinstall.
    private static bool IsExactVersion(string pin) => pin.Length > 0 && char.IsAsciiDigit(pin[0]);

    private static Dictionary<string, string> ReadDependencies(string packageJsonPath)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(packageJsonPath));
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (document.RootElement.TryGetProperty("dependencies", out var dependencies) && dependencies.ValueKind == JsonValueKind.Object)
        {
            foreach (var dependency in dependencies.EnumerateObject())
            {
                if (dependency.Value.ValueKind == JsonValueKind.String)
                {
                    result[dependency.Name] = dependency.Value.GetString()!;
                }
            }
        }

        return result;
    }

    private static string? ReadVersion(string packageJsonPath)
    {
        if (!File.Exists(packageJsonPath))
        {
            return null;
        }

        using var document = JsonDocument.Parse(File.ReadAllBytes(packageJsonPath));
        return document.RootElement.TryGetProperty("version", out var version) && version.ValueKind == JsonValueKind.String
            ? version.GetString()
            : null;
    }
}
