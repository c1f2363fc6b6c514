using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.OpenApi;

namespace OmniChannel.Api.OpenApi;

/// <summary>Short forms of the OpenAPI metadata the route mappings carry, so each mapping reads as one line of documentation.</summary>
internal static class EndpointDescriptions
{
    /// <summary>The operation's id (the Functions app's function name for the same route), its group and a one-line summary.</summary>
    public static RouteHandlerBuilder Describe(this RouteHandlerBuilder endpoint, string operationId, string tag, string summary) =>
        endpoint.WithName(operationId).WithTags(tag).WithSummary(summary);

    /// <summary>The problem+json answers the handler itself gives (those every route can give come from <see cref="OpenApiConventions"/>).</summary>
    public static RouteHandlerBuilder Problems(this RouteHandlerBuilder endpoint, params int[] statuses)
    {
        foreach (var status in statuses)
        {
            endpoint.ProducesProblem(status);
        }

        return endpoint;
    }

    /// <summary>A JSON object body, read and validated by the handler (which names every bad field in its 400).</summary>
    public static RouteHandlerBuilder JsonBody(this RouteHandlerBuilder endpoint, string fields, bool optional = false) =>
        endpoint.Body(fields, optional, "application/json");

    /// <summary>
    /// A body the handler reads itself, in the document only: <c>Accepts</c> metadata would also make routing turn away
    /// other content types (here to the 404 fallback), which the handlers answer themselves with a problem naming what
    /// they expect. Every body has a size limit, hence its 413.
    /// </summary>
    public static RouteHandlerBuilder Body(this RouteHandlerBuilder endpoint, string description, bool optional, params string[] contentTypes) =>
        endpoint.ProducesProblem(StatusCodes.Status413PayloadTooLarge).AddOpenApiOperationTransformer(async (operation, context, cancellationToken) =>
        {
            var schema = await context.GetOrCreateSchemaAsync(typeof(JsonObject), null, cancellationToken);
            operation.RequestBody = new OpenApiRequestBody
            {
                Description = description,
                Required = !optional,
                Content = contentTypes.ToDictionary(contentType => contentType, _ => new OpenApiMediaType { Schema = schema }),
            };
        });

    /// <summary>An answer whose body is one of two shapes (e.g. a merge undone now, or one undone before).</summary>
    public static RouteHandlerBuilder ProducesEither<TFirst, TSecond>(this RouteHandlerBuilder endpoint, int status = StatusCodes.Status200OK) =>
        endpoint.Produces<TFirst>(status).AddOpenApiOperationTransformer(async (operation, context, cancellationToken) =>
        {
            var first = await context.GetOrCreateSchemaAsync(typeof(TFirst), null, cancellationToken);
            var second = await context.GetOrCreateSchemaAsync(typeof(TSecond), null, cancellationToken);
            var key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (operation.Responses?[key] is OpenApiResponse { Content: { } content } && content.TryGetValue("application/json", out var json))
            {
                json.Schema = new OpenApiSchema { OneOf = [first, second] };
            }
        });

    /// <summary>A query parameter the handler reads itself (so its own 400 problem names it when it is bad).</summary>
    public static RouteHandlerBuilder Query(this RouteHandlerBuilder endpoint, string name, string description) =>
        endpoint.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = name, In = ParameterLocation.Query, Description = description, Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            });
            return Task.CompletedTask;
        });
}
