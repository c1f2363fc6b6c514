using System.Net;
using System.Text.Json;
using Microsoft.Azure.Cosmos;

namespace OmniChannel.Azure.Cosmos;

/// <summary>
/// A request handler in the Cosmos client's pipeline that counts the document operations the adapters send, per
/// container, and estimates their request units with the published cost model, because the local protocol server
/// charges 1 RU for everything and the service's own charge depends on the account. The model (<see cref="CostModel"/>):
/// a create costs 5 RU per KB of the document plus 0.2 RU per indexed term; a replace twice that; an upsert whichever
/// of the two it turned out to be; a delete as a create of a 1 KB document; a point read 1 RU per KB returned, never
/// below 1 RU (a miss costs 1 RU too); a query 2.5 RU plus 1 RU per KB returned; a write refused (409, 412) 1 RU; a
/// transactional batch is counted as one write and not charged (the local protocol server has none).
/// Indexed terms: the scalar values a document has at its container's included paths (every policy excludes
/// <c>/*</c>, see <see cref="ContainerDefinition"/>), plus <c>id</c> and <c>_ts</c>, which Cosmos DB always indexes.
/// </summary>
public sealed class CosmosCostMeter : RequestHandler
{
    private readonly Dictionary<string, ContainerDefinition> _definitions;
    private readonly Dictionary<string, ContainerCosts> _costs = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public CosmosCostMeter()
        : this(CosmosContainers.All)
    {
    }

    public CosmosCostMeter(IEnumerable<ContainerDefinition> containers)
    {
        _definitions = containers.ToDictionary(container => container.Name, StringComparer.Ordinal);
    }

    /// <summary>What was counted since the last <see cref="Reset"/>, per container.</summary>
    public IReadOnlyDictionary<string, ContainerCosts> ByContainer
    {
        get
        {
            lock (_lock)
            {
                return _costs.ToDictionary(pair => pair.Key, pair => pair.Value with { }, StringComparer.Ordinal);
            }
        }
    }

    /// <summary>Every container's figures added up.</summary>
    public ContainerCosts Total
    {
        get
        {
            var total = new ContainerCosts();
            foreach (var costs in ByContainer.Values)
            {
                total = total.Plus(costs);
            }

            return total;
        }
    }

    public void Reset()
    {
        lock (_lock)
        {
            _costs.Clear();
        }
    }

    public override async Task<ResponseMessage> SendAsync(RequestMessage request, CancellationToken cancellationToken)
    {
        var path = request.RequestUri?.OriginalString ?? string.Empty;
        var container = ContainerOf(path);
        var kind = container is null ? OperationKind.Other : KindOf(request, path);
        var written = kind is OperationKind.Create or OperationKind.Replace or OperationKind.Upsert
            ? await MeasureAsync(request, container!)
            : default;

        var response = await base.SendAsync(request, cancellationToken);
        if (container is null)
        {
            return response;
        }

        var returnedBytes = kind is OperationKind.PointRead or OperationKind.Query && response.IsSuccessStatusCode
            ? await ContentLengthAsync(response)
            : 0;
        lock (_lock)
        {
            if (!_costs.TryGetValue(container, out var costs))
            {
                _costs.Add(container, costs = new ContainerCosts());
            }

            costs.Record(kind, response.StatusCode, written, returnedBytes);
        }

        return response;
    }

    /// <summary>The operation a request is, from its method, path and headers (the gateway protocol's).</summary>
    private static OperationKind KindOf(RequestMessage request, string path)
    {
        // Reads, replaces, patches and deletes address the document (…/colls/NAME/docs/ID); creates, upserts, queries
        // and batches the container (…/colls/NAME), told apart by their headers.
        var isDocument = path.Contains("/docs/", StringComparison.Ordinal);
        if (request.Method == HttpMethod.Get)
        {
            // A GET of the container's feed is the change feed or a read of everything: not a point operation.
            return isDocument ? OperationKind.PointRead : OperationKind.Other;
        }

        if (request.Method == HttpMethod.Post)
        {
            if (IsHeaderTrue(request, "x-ms-documentdb-isquery") || request.Headers.ContentType?.StartsWith("application/query+json", StringComparison.Ordinal) == true)
            {
                return OperationKind.Query;
            }

            if (IsHeaderTrue(request, "x-ms-cosmos-is-batch-request"))
            {
                return OperationKind.Batch;
            }

            return IsHeaderTrue(request, "x-ms-documentdb-is-upsert") ? OperationKind.Upsert : OperationKind.Create;
        }

        if (!isDocument)
        {
            return OperationKind.Other;
        }

        if (request.Method == HttpMethod.Put)
        {
            return OperationKind.Replace;
        }

        if (request.Method == HttpMethod.Patch)
        {
            return OperationKind.Patch;
        }

        return request.Method == HttpMethod.Delete ? OperationKind.Delete : OperationKind.Other;
    }

    private static bool IsHeaderTrue(RequestMessage request, string name) =>
        string.Equals(request.Headers[name], "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>The size and indexed terms of a document being written; the body is left where the SDK expects it.</summary>
    private async Task<WrittenDocument> MeasureAsync(RequestMessage request, string container)
    {
        if (request.Content is null)
        {
            return default;
        }

        request.Content = await SeekableAsync(request.Content);
        var start = request.Content.Position;
        try
        {
            using var document = await JsonDocument.ParseAsync(request.Content);
            var paths = _definitions.TryGetValue(container, out var definition) ? definition.IndexedPaths : [];
            return new WrittenDocument(request.Content.Length - start, CostModel.AlwaysIndexedTerms + paths.Sum(path => CostModel.TermsAt(document.RootElement, path)));
        }
        finally
        {
            request.Content.Position = start;
        }
    }

    private static async Task<long> ContentLengthAsync(ResponseMessage response)
    {
        if (response.Content is null)
        {
            return 0;
        }

        response.Content = await SeekableAsync(response.Content);
        return response.Content.Length;
    }

    /// <summary>The stream itself when it can be measured and rewound, else a copy in memory that can.</summary>
    private static async Task<Stream> SeekableAsync(Stream content)
    {
        if (content.CanSeek)
        {
            return content;
        }

        var buffered = new MemoryStream();
        await content.CopyToAsync(buffered);
        buffered.Position = 0;
        return buffered;
    }

    /// <summary>The container a request addresses (<c>dbs/…/colls/NAME/…</c>), or null for account and database requests.</summary>
    private static string? ContainerOf(string path)
    {
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var index = Array.IndexOf(parts, "colls");
        return index >= 0 && index + 1 < parts.Length ? parts[index + 1] : null;
    }
}

/// <summary>The kinds of request <see cref="CosmosCostMeter"/> tells apart.</summary>
public enum OperationKind
{
    Create,
    Replace,
    Upsert,
    Patch,
    Delete,
    Batch,
    PointRead,
    Query,
    Other,
}

/// <summary>A document on its way to a container: its size and how many terms its container's policy indexes.</summary>
public readonly record struct WrittenDocument(long Bytes, int IndexedTerms);

/// <summary>The published request-unit model <see cref="CosmosCostMeter"/> estimates with (issue 20).</summary>
public static class CostModel
{
    public const double CreatePerKb = 5;
    public const double PerIndexedTerm = 0.2;
    public const double ReplaceFactor = 2;
    public const double ReadPerKb = 1;
    public const double QueryBase = 2.5;
    public const double RefusedWrite = 1;

    /// <summary><c>id</c> and <c>_ts</c>: Cosmos DB indexes them whatever the policy says.</summary>
    public const int AlwaysIndexedTerms = 2;

    public static double Create(WrittenDocument document) => CreatePerKb * document.Bytes / 1024.0 + PerIndexedTerm * document.IndexedTerms;

    public static double Replace(WrittenDocument document) => ReplaceFactor * Create(document);

    public static double Delete => CreatePerKb + PerIndexedTerm * AlwaysIndexedTerms;

    public static double PointRead(long bytes) => Math.Max(1, ReadPerKb * bytes / 1024.0);

    public static double Query(long bytes) => QueryBase + ReadPerKb * bytes / 1024.0;

    /// <summary>
    /// How many scalar values a document has at an included path: <c>/a/b/?</c> is the scalar at a.b, <c>/a/*</c>
    /// every scalar under a, <c>/a/[]/b/?</c> b in every element of the array a.
    /// </summary>
    public static int TermsAt(JsonElement document, string path)
    {
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return Count(document, segments, 0);

        static int Count(JsonElement element, string[] segments, int index)
        {
            if (index == segments.Length || segments[index] == "?")
            {
                return element.ValueKind is JsonValueKind.Object or JsonValueKind.Array ? 0 : 1;
            }

            var segment = segments[index];
            if (segment == "*")
            {
                return Leaves(element);
            }

            if (segment == "[]")
            {
                return element.ValueKind == JsonValueKind.Array ? element.EnumerateArray().Sum(item => Count(item, segments, index + 1)) : 0;
            }

            return element.ValueKind == JsonValueKind.Object && element.TryGetProperty(segment, out var child) ? Count(child, segments, index + 1) : 0;
        }

        static int Leaves(JsonElement element) => element.ValueKind switch
        {
            JsonValueKind.Object => element.EnumerateObject().Sum(property => Leaves(property.Value)),
            JsonValueKind.Array => element.EnumerateArray().Sum(Leaves),
            _ => 1,
        };
    }
}

/// <summary>One container's counted operations and estimated request units.</summary>
public sealed record ContainerCosts
{
    public int Creates { get; private set; }

    public int Replaces { get; private set; }

    public int Upserts { get; private set; }

    public int Patches { get; private set; }

    public int Deletes { get; private set; }

    public int Batches { get; private set; }

    /// <summary>Writes the container refused (409 a create of an existing id, 412 a stale ETag): sent, nothing changed.</summary>
    public int RefusedWrites { get; private set; }

    public int PointReadsFound { get; private set; }

    public int PointReadsAbsent { get; private set; }

    public int Queries { get; private set; }

    /// <summary>Metadata and feed requests (container properties, partition ranges, change feed): not document operations.</summary>
    public int Other { get; private set; }

    public double RequestUnits { get; private set; }

    /// <summary>The bytes of the documents created, replaced or upserted (refused or not): what a write is charged by.</summary>
    public long BytesWritten { get; private set; }

    /// <summary>Every write request sent, refused or not (a transactional batch is one).</summary>
    public int Writes => Creates + Replaces + Upserts + Patches + Deletes + Batches;

    public int PointReads => PointReadsFound + PointReadsAbsent;

    /// <summary>Writes, point reads (found or absent) and queries: what the container was asked to do with documents.</summary>
    public int DocumentOperations => Writes + PointReads + Queries;

    internal void Record(OperationKind kind, HttpStatusCode status, WrittenDocument written, long returnedBytes)
    {
        var refused = status is HttpStatusCode.Conflict or HttpStatusCode.PreconditionFailed;
        BytesWritten += written.Bytes;
        switch (kind)
        {
            case OperationKind.Create:
                Creates++;
                RequestUnits += refused ? CostModel.RefusedWrite : CostModel.Create(written);
                break;
            case OperationKind.Replace:
                Replaces++;
                RequestUnits += refused ? CostModel.RefusedWrite : CostModel.Replace(written);
                break;
            case OperationKind.Upsert:
                Upserts++;
                RequestUnits += refused ? CostModel.RefusedWrite : status == HttpStatusCode.Created ? CostModel.Create(written) : CostModel.Replace(written);
                break;
            case OperationKind.Patch:
                Patches++;
                RequestUnits += refused ? CostModel.RefusedWrite : CostModel.ReplaceFactor * CostModel.Delete;
                break;
            case OperationKind.Delete:
                Deletes++;
                RequestUnits += status == HttpStatusCode.NotFound ? CostModel.RefusedWrite : CostModel.Delete;
                break;
            case OperationKind.Batch:
                Batches++;
                break;
            case OperationKind.PointRead when status == HttpStatusCode.NotFound:
                PointReadsAbsent++;
                RequestUnits += CostModel.PointRead(0);
                break;
            case OperationKind.PointRead:
                PointReadsFound++;
                RequestUnits += CostModel.PointRead(returnedBytes);
                break;
            case OperationKind.Query:
                Queries++;
                RequestUnits += CostModel.Query(returnedBytes);
                break;
            default:
                Other++;
                break;
        }

        if (refused && kind is not (OperationKind.PointRead or OperationKind.Query or OperationKind.Other))
        {
            RefusedWrites++;
        }
    }

    public ContainerCosts Plus(ContainerCosts other) => new()
    {
        Creates = Creates + other.Creates,
        Replaces = Replaces + other.Replaces,
        Upserts = Upserts + other.Upserts,
        Patches = Patches + other.Patches,
        Deletes = Deletes + other.Deletes,
        Batches = Batches + other.Batches,
        RefusedWrites = RefusedWrites + other.RefusedWrites,
        PointReadsFound = PointReadsFound + other.PointReadsFound,
        PointReadsAbsent = PointReadsAbsent + other.PointReadsAbsent,
        Queries = Queries + other.Queries,
        Other = Other + other.Other,
        RequestUnits = RequestUnits + other.RequestUnits,
        BytesWritten = BytesWritten + other.BytesWritten,
    };
}
