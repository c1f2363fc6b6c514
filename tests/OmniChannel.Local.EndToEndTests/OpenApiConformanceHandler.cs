using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using OmniChannel.Api.OpenApi;

namespace OmniChannel.Local.EndToEndTests;

/// <summary>
/// Holds every answer of the local host's API to the OpenAPI document: its status must be one the operation documents,
/// with the documented media type, and its body must be valid against the documented schema. A mismatch throws, so
/// every test's traffic through <see cref="LocalHostProcess.Client"/> checks the document against the real host.
/// Paths outside the document (the local host's own /api/local routes, the reference page, the console) pass unchecked.
/// </summary>
public sealed class OpenApiConformanceHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
{
    private static readonly Lazy<JsonObject> Document = new(() =>
        JsonNode.Parse(new OpenApiDocumentSource().GetJsonAsync().GetAwaiter().GetResult())!.AsObject());

    private static readonly ConcurrentDictionary<string, JsonSchema> Schemas = new();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        if (Operation(request.Method.Method, request.RequestUri!.AbsolutePath) is not { } operation)
        {
            return response;
        }

        var (template, method, body) = operation;
        var where = $"{method.ToUpperInvariant()} {template} answered {(int)response.StatusCode}";
        var status = ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (body["responses"]?[status] is not JsonObject documented)
        {
            throw new InvalidOperationException($"{where}, a status its OpenAPI operation does not document.");
        }

        await response.Content.LoadIntoBufferAsync(cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        if (text.Length == 0 || mediaType is null)
        {
            if (documented["content"] is JsonObject { Count: > 0 } expected && !expected.ContainsKey("*/*"))
            {
                throw new InvalidOperationException($"{where} with no body; the document promises {string.Join(", ", expected.Select(pair => pair.Key))}.");
            }

            return response;
        }

        if (documented["content"]?[mediaType]?["schema"] is not JsonObject schema)
        {
            throw new InvalidOperationException($"{where} with {mediaType}, which the document does not give for that status.");
        }

        using var json = JsonDocument.Parse(text);
        var results = SchemaOf($"{method} {template} {status} {mediaType}", schema).Evaluate(json.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (!results.IsValid)
        {
            var errors = (results.Details ?? [])
                .Where(detail => detail.Errors is { Count: > 0 })
                .SelectMany(detail => detail.Errors!.Select(error => $"{detail.InstanceLocation}: {error.Key} {error.Value}"))
                .Take(10);
            throw new InvalidOperationException($"{where}; its body breaks the documented schema: {string.Join("; ", errors)}\n{text[..Math.Min(text.Length, 2000)]}");
        }

        return response;
    }

    /// <summary>The documented operation a request goes to: the path template that matches with the most literal segments.</summary>
    private static (string Template, string Method, JsonObject Body)? Operation(string method, string path)
    {
        var segments = path.Trim('/').Split('/').Select(Uri.UnescapeDataString).ToArray();
        var method_ = method.ToLowerInvariant();
        return Document.Value["paths"]!.AsObject()
            .Where(entry => entry.Value![method_] is JsonObject)
            .Select(entry => (Template: entry.Key, Parts: entry.Key.Trim('/').Split('/')))
            .Where(candidate => candidate.Parts.Length == segments.Length
                                && candidate.Parts.Zip(segments).All(pair => pair.First.StartsWith('{') ? pair.Second.Length > 0 : string.Equals(pair.First, pair.Second, StringComparison.OrdinalIgnoreCase)))
            .OrderByDescending(candidate => candidate.Parts.Count(part => !part.StartsWith('{')))
            .Select(candidate => ((string Template, string Method, JsonObject Body)?)(candidate.Template, method_, Document.Value["paths"]![candidate.Template]![method_]!.AsObject()))
            .FirstOrDefault();
    }

    /// <summary>
    /// The response schema as a JSON Schema 2020-12 document of its own: the document's component schemas become its
    /// <c>$defs</c> (OpenAPI 3.1 schemas are JSON Schema; only where a reference points differs).
    /// </summary>
    private static JsonSchema SchemaOf(string key, JsonObject schema) => Schemas.GetOrAdd(key, _ =>
    {
        var root = JsonNode.Parse(schema.ToJsonString())!.AsObject();
        root["$schema"] = "https://json-schema.org/draft/2020-12/schema";
        root["$defs"] = Document.Value["components"]!["schemas"]!.DeepClone();
        var text = root.ToJsonString().Replace("#/components/schemas/", "#/$defs/", StringComparison.Ordinal);
        return JsonSchema.FromText(text, new BuildOptions { SchemaRegistry = new SchemaRegistry() }, new Uri($"https://omnichannel.example/openapi/{Guid.NewGuid():N}"));
    });
}
