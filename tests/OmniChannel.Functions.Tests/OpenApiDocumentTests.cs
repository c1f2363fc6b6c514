using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using OmniChannel.Api;
using OmniChannel.Api.OpenApi;
using OmniChannel.Api.Security;

namespace OmniChannel.Functions.Tests;

/// <summary>The OpenAPI document both hosts serve, against the routes the local host maps and the triggers the Functions app has.</summary>
public sealed class OpenApiDocumentTests
{
    private static readonly Lazy<JsonObject> Document = new(() =>
        JsonNode.Parse(new OpenApiDocumentSource().GetJsonAsync().GetAwaiter().GetResult())!.AsObject());

    [Fact]
    public void Document_IsOpenApi31()
    {
        Assert.StartsWith("3.1", Document.Value["openapi"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public void Document_DescribesEveryRouteTheApiMaps_WithItsMethod()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Services.AddRouting().AddOmniChannelApi();
        var app = builder.Build();
        app.MapOmniChannelApi();
        var mapped = ((IEndpointRouteBuilder)app).DataSources
            .SelectMany(source => source.Endpoints)
            .OfType<RouteEndpoint>()
            .Select(endpoint => $"{endpoint.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods.Single().ToLowerInvariant()} {endpoint.RoutePattern.RawText}")
            .Order();

        Assert.Equal(mapped, Operations().Select(operation => $"{operation.Method} {operation.Path}").Order());
    }

    [Fact]
    public void Document_DescribesEveryHttpFunction_UnderItsNameMethodAndRoute()
    {
        var triggers = FunctionsMetadataTests.Functions()
            .Select(function => (Name: function.GetProperty("name").GetString()!, Trigger: function.GetProperty("bindings").EnumerateArray()
                .FirstOrDefault(binding => binding.GetProperty("type").GetString() == "httpTrigger")))
            .Where(function => function.Trigger.ValueKind != System.Text.Json.JsonValueKind.Undefined)
            .Select(function => $"{function.Name} {function.Trigger.GetProperty("methods")[0].GetString()} /{ApiRoutes.Prefix}/{function.Trigger.GetProperty("route").GetString()}")
            .Order()
            .ToList();

        Assert.NotEmpty(triggers);
        Assert.Equal(triggers, Operations().Select(operation => $"{operation.Body["operationId"]} {operation.Method} {operation.Path}").Order());
    }

    [Fact]
    public void Document_EveryOperation_AsksTheKeysItsRouteAccessAsks_AndDocumentsItsRefusals()
    {
        var schemes = Document.Value["components"]!["securitySchemes"]!.AsObject();
        Assert.All(schemes, scheme => Assert.Equal("x-api-key", scheme.Value!["name"]!.GetValue<string>()));
        Assert.All(Operations(), operation =>
        {
            var access = RouteAccess.Of(operation.Method.ToUpperInvariant(), operation.Path[(ApiRoutes.Prefix.Length + 2)..]);
            var asked = (operation.Body["security"]?.AsArray() ?? []).Select(requirement => requirement!.AsObject().Single().Key).ToList();

            Assert.Equal(OpenApiConventions.SchemesOf(access), asked);
            Assert.All(asked, scheme => Assert.True(schemes.ContainsKey(scheme), scheme));
            var responses = operation.Body["responses"]!.AsObject();
            Assert.Equal(asked.Count > 0, responses.ContainsKey("401") && responses.ContainsKey("403"));
            Assert.Equal(AccessLevel.Signed == access.Level || asked.Count > 0, responses.ContainsKey("401"));
        });
    }

    [Fact]
    public void Document_EveryErrorAnswer_IsProblemJson()
    {
        Assert.All(Operations(), operation =>
        {
            foreach (var (status, response) in operation.Body["responses"]!.AsObject().Where(pair => pair.Key[0] is '4' or '5'))
            {
                // The health check's 503 is its report with the failing dependency, not a problem.
                if (operation.Path == "/api/health" && status == "503")
                {
                    continue;
                }

                Assert.True(response!["content"]?["application/problem+json"] is not null, $"{operation.Method} {operation.Path} {status}");
            }
        });
    }

    [Fact]
    public void Document_UndoingAMerge_AnswersEitherTheUndoneMergeOrAlreadyUndone()
    {
        var schema = Document.Value["paths"]!["/api/customers/{id}/merges/{mergeId}/undo"]!["post"]!["responses"]!["200"]!["content"]!["application/json"]!["schema"]!;
        var shapes = schema["oneOf"]!.AsArray().Select(shape => string.Join(",", shape!["properties"]!.AsObject().Select(property => property.Key))).ToList();

        Assert.Equal(["survivorId,restoredProfileId,restoredIdentities,survivorEvents,restoredEvents", "mergeId,alreadyUndone"], shapes);
    }

    private static List<(string Method, string Path, JsonObject Body)> Operations() =>
        Document.Value["paths"]!.AsObject()
            .SelectMany(path => path.Value!.AsObject()
                .Where(entry => entry.Key is "get" or "put" or "post" or "delete" or "patch")
                .Select(entry => (entry.Key, path.Key, entry.Value!.AsObject())))
            .ToList();
}
