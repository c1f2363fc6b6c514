using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using OmniChannel.Api.Security;

namespace OmniChannel.Api.OpenApi;

/// <summary>
/// What every operation of the document shares, added by transformers rather than on each mapping: its security
/// requirement (from <see cref="RouteAccess.Of"/>, the rule the hosts' access check enforces) and the problem+json
/// answers any route can give (a refused key or one sent in the URL, too many requests, a dependency down, an unexpected error).
/// </summary>
public static class OpenApiConventions
{
    private const string ProblemSchema = nameof(ProblemDetails);
    private const string KeyHeader = "x-api-key";

    /// <summary>
    /// The security schemes a route accepts, any one of them: one per key role (<see cref="KeyRoles"/>), each the
    /// <c>x-api-key</c> header. The single place the access model meets the document.
    /// </summary>
    public static IReadOnlyList<string> SchemesOf(RouteAccess access) => access.Level == AccessLevel.Key ? access.KeyRoles : [];

    public static void Configure(OpenApiOptions options)
    {
        options.OpenApiVersion = OpenApiSpecVersion.OpenApi3_1;
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info = new OpenApiInfo
            {
                Title = "OmniChannel API",
                Version = "1",
                Description = "Every route of the OmniChannel integration backbone, served alike by the Azure Functions app and the local host. "
                              + "Errors are application/problem+json (RFC 9457). Keys go in the x-api-key header (or x-functions-key), never in the URL; "
                              + "the web console's signed-in users are let in by their roles instead.",
            };
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            foreach (var role in KeyRoles.All)
            {
                document.Components.SecuritySchemes[role] = KeyScheme($"A key of the '{role}' role (the admin key opens every keyed route).");
            }

            // Answers leave nulls out (JsonIgnoreCondition.WhenWritingNull), so a property that may be null may be absent
            // too. Done last, on the finished schemas: a nullable reference to a schema is only wrapped in oneOf then.
            foreach (var schema in (document.Components.Schemas ?? new Dictionary<string, IOpenApiSchema>()).Values.OfType<OpenApiSchema>())
            {
                if (schema.Required is { Count: > 0 } required && schema.Properties is { } properties)
                {
                    foreach (var (name, _) in properties.Where(property => MayBeNull(property.Value)))
                    {
                        required.Remove(name);
                    }
                }
            }

            return Task.CompletedTask;
        });
        options.AddOperationTransformer(async (operation, context, cancellationToken) =>
        {
            var document = context.Document ?? throw new InvalidOperationException("The operation transformer runs without its document.");
            if (document.Components?.Schemas?.ContainsKey(ProblemSchema) != true)
            {
                document.AddComponent(ProblemSchema, await context.GetOrCreateSchemaAsync(typeof(ProblemDetails), null, cancellationToken));
            }

            var path = context.Description.RelativePath ?? string.Empty;
            var underPrefix = path.StartsWith(ApiRoutes.Prefix + "/", StringComparison.Ordinal) ? path[(ApiRoutes.Prefix.Length + 1)..] : path;
            var access = RouteAccess.Of(context.Description.HttpMethod ?? HttpMethods.Get, underPrefix);
            var schemes = SchemesOf(access);
            operation.Security = schemes.Select(scheme => new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(scheme, document)] = [] }).ToList();
            operation.Responses ??= [];
            if (schemes.Count > 0)
            {
                AddProblem(operation, document, StatusCodes.Status401Unauthorized, "No key, or a key that opens no route.");
                AddProblem(operation, document, StatusCodes.Status403Forbidden, "The key (or console role) does not open this route.");
            }

            AddProblem(operation, document, StatusCodes.Status400BadRequest, "A key sent in the URL (?code=, ?key=, …) is refused on every route: keys go in the x-api-key header.");
            AddProblem(operation, document, StatusCodes.Status429TooManyRequests, "Too many requests from this caller; retry after Retry-After (the local host's limiter; API Management in Azure).");
            AddProblem(operation, document, StatusCodes.Status500InternalServerError, "An unexpected error; it has been logged.");
            AddProblem(operation, document, StatusCodes.Status503ServiceUnavailable, "A dependency is briefly unavailable; retry after Retry-After.");
        });
    }

    private static bool MayBeNull(IOpenApiSchema schema) =>
        schema.Type?.HasFlag(JsonSchemaType.Null) == true
        || schema.OneOf?.Any(MayBeNull) == true
        || schema.AnyOf?.Any(MayBeNull) == true;

    private static OpenApiSecurityScheme KeyScheme(string description) =>
        new() { Type = SecuritySchemeType.ApiKey, In = ParameterLocation.Header, Name = KeyHeader, Description = description };

    /// <summary>Adds a problem+json answer unless the route's own mapping declares that status already.</summary>
    private static void AddProblem(OpenApiOperation operation, OpenApiDocument document, int status, string description)
    {
        var key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (operation.Responses!.ContainsKey(key))
        {
            return;
        }

        operation.Responses[key] = new OpenApiResponse
        {
            Description = description,
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/problem+json"] = new() { Schema = new OpenApiSchemaReference(ProblemSchema, document) },
            },
        };
    }
}
