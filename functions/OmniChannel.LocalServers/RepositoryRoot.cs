namespace OmniChannel.LocalServers;

/// <summary>
/// Finds the repository root: the folder holding both <c>package.json</c> (the npm servers) and
/// <c>OmniChannel.sln</c>. Test and host binaries run from <c>bin/…</c> deep below it, so the root is
/// found by walking up rather than configured.
/// </summary>
public static class RepositoryRoot
{
    public const string PackageJson = "package.json";
    public const string SolutionFile = "OmniChannel.sln";

    /// <summary>
    /// Walks up from <paramref name="startDirectory"/>, or, when it is null, first from
    /// <see cref="AppContext.BaseDirectory"/> (where a test or host assembly runs) and then from the current
    /// directory (a published host started from a checkout).
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">No folder on the way up holds both files.</exception>
    public static string Find(string? startDirectory = null)
    {
        string[] starts = startDirectory is not null
            ? [startDirectory]
            : [AppContext.BaseDirectory, Environment.CurrentDirectory];

        foreach (var start in starts)
        {
            if (TryFind(start, out var root))
            {
                return root;
            }
        }

        throw new DirectoryNotFoundException(
            $"No folder holding both {PackageJson} and {SolutionFile} was found above {string.Join(" or ", starts)}. " +
            "The local servers run from a checkout of the repository.");
    }

    /// <summary>Walks up from <paramref name="startDirectory"/>; false when no folder holds both files.</summary>
    public static bool TryFind(string startDirectory, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? root)
    {
        ArgumentException.ThrowIfNullOrEmpty(startDirectory);

        for (var directory = new DirectoryInfo(Path.GetFullPath(startDirectory)); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, PackageJson)) &&
                File.Exists(Path.Combine(directory.FullName, SolutionFile)))
            {
                root = directory.FullName;
                return true;
            }
        }

        root = null;
        return false;
    }
}
