namespace OmniChannel.LocalServers;

/// <summary>What every Node-hosted server needs before it starts: the checkout, node, and the npm packages.</summary>
internal static class NodeServerLaunch
{
    // See NodeArguments. The server's own SIGTERM handling does the rest (Azurite saves its databases).
    // On SIGTERM/SIGINT the module lets go of stdin: an open stdin read keeps Node alive, and Azurite exits
    // by letting its event loop run dry after closing its servers (unref() on the pipe did not suffice).
    private const string ExitWithParentModule =
        "data:text/javascript,const s=process.stdin;" +
        "s.on('end',()=>process.kill(process.pid,'SIGTERM'));" +
        "for(const g of ['SIGTERM','SIGINT'])process.once(g,()=>s.destroy());" +
        "s.resume();";

    public static async Task<(string RepositoryRoot, string Node)> PrepareAsync(CancellationToken cancellationToken)
    {
        var root = RepositoryRoot.Find();

        // Looked up first: a missing node should say so, not surface as a failed npm ci.
        var node = NodeRuntime.FindNode();
        await NpmInstaller.EnsureInstalledAsync(root, cancellationToken: cancellationToken).ConfigureAwait(false);
        return (root, node);
    }

    /// <summary>
    /// The arguments for <c>node</c> to run <paramref name="script"/>, preceded by a preloaded module that
    /// sends the process SIGTERM when its stdin reaches end-of-file. <see cref="ChildServer"/> holds a pipe
    /// on the child's stdin, so if this process dies without disposing (killed by a test runner's hang
    /// timeout, a debugger stop) the server shuts down as if stopped instead of lingering as an orphan.
    /// A data: URL needs no file of its own; <c>--import</c> takes one from Node 20.6.
    /// </summary>
    public static IReadOnlyList<string> NodeArguments(string script, params IEnumerable<string> arguments) =>
        ["--import", ExitWithParentModule, script, .. arguments];

    public static string RequireFile(string path, string what)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{what} was not found at {path}.", path);
        }

        return path;
    }
}
