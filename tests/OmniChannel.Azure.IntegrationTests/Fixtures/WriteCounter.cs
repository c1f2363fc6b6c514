using Microsoft.Azure.Cosmos;

namespace OmniChannel.Azure.IntegrationTests.Fixtures;

/// <summary>Counts the write requests (create, replace, upsert, patch, delete) the Cosmos SDK sends, per container.</summary>
public sealed class WriteCounter : RequestHandler
{
    private const string QuerySuffix = " (query)";
    private readonly Dictionary<string, int> _writes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _reads = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public int Total
    {
        get
        {
            lock (_lock)
            {
                return _writes.Values.Sum();
            }
        }
    }

    public IReadOnlyDictionary<string, int> ByContainer
    {
        get
        {
            lock (_lock)
            {
                return new Dictionary<string, int>(_writes);
            }
        }
    }

    /// <summary>Point reads (a GET of one document, found or not) and queries, per container.</summary>
    public IReadOnlyDictionary<string, int> ReadsByContainer
    {
        get
        {
            lock (_lock)
            {
                return new Dictionary<string, int>(_reads);
            }
        }
    }

    public int PointReads
    {
        get
        {
            lock (_lock)
            {
                return _reads.Where(pair => !pair.Key.EndsWith(QuerySuffix, StringComparison.Ordinal)).Sum(pair => pair.Value);
            }
        }
    }

    public int Queries
    {
        get
        {
            lock (_lock)
            {
                return _reads.Where(pair => pair.Key.EndsWith(QuerySuffix, StringComparison.Ordinal)).Sum(pair => pair.Value);
            }
        }
    }

    public void Reset()
    {
        lock (_lock)
        {
            _writes.Clear();
            _reads.Clear();
        }
    }

    public override async Task<ResponseMessage> SendAsync(RequestMessage request, CancellationToken cancellationToken)
    {
        var path = request.RequestUri?.OriginalString ?? string.Empty;
        // Creates and upserts go to the container's link (dbs/…/colls/…), replaces, patches and deletes to the document's.
        var isDocumentWrite = path.Contains("/colls/", StringComparison.Ordinal)
            && (request.Method == HttpMethod.Post && !IsQuery(request) || request.Method == HttpMethod.Put || request.Method == HttpMethod.Patch || request.Method == HttpMethod.Delete);
        if (isDocumentWrite)
        {
            var container = ContainerOf(path);
            lock (_lock)
            {
                _writes[container] = _writes.GetValueOrDefault(container) + 1;
            }
        }
        else if (path.Contains("/colls/", StringComparison.Ordinal) && (request.Method == HttpMethod.Get && path.Contains("/docs/", StringComparison.Ordinal) || request.Method == HttpMethod.Post))
        {
            var key = ContainerOf(path) + (request.Method == HttpMethod.Post ? QuerySuffix : string.Empty);
            lock (_lock)
            {
                _reads[key] = _reads.GetValueOrDefault(key) + 1;
            }
        }

        return await base.SendAsync(request, cancellationToken);
    }

    private static bool IsQuery(RequestMessage request) =>
        request.Headers["x-ms-documentdb-isquery"] is "True" or "true"
        || request.Headers.ContentType?.StartsWith("application/query+json", StringComparison.Ordinal) == true;

    private static string ContainerOf(string path)
    {
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var index = Array.IndexOf(parts, "colls");
        return index >= 0 && index + 1 < parts.Length ? parts[index + 1] : "?";
    }
}
