using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;

namespace OmniChannel.Api.OpenApi;

/// <summary>
/// The OpenAPI 3.1 document of every route that <see cref="EndpointRouteBuilderExtensions.MapOmniChannelApi"/> maps,
/// built once and cached. It comes from an application that only maps those routes and is never started: the Functions
/// app has no minimal-API endpoints to describe, and the local host's own extras (its event log, the console's files)
/// are not part of the API; so both hosts answer the very same document.
/// </summary>
public sealed class OpenApiDocumentSource
{
    public const string DocumentName = "omnichannel";

    private readonly Lazy<Task<string>> json = new(BuildAsync);

    /// <summary>The document as JSON.</summary>
    public Task<string> GetJsonAsync() => json.Value;

    private static async Task<string> BuildAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Services.AddRouting().AddOmniChannelApi();
        builder.Services.AddOpenApi(DocumentName, OpenApiConventions.Configure);
        await using var app = builder.Build();
        // UseEndpoints hands the routes to the services the OpenAPI generator reads at once; top-level routes would
        // reach them only when a server starts, and this application never starts.
        app.UseRouting();
#pragma warning disable ASP0014
        app.UseEndpoints(endpoints => endpoints.MapOmniChannelApi());
#pragma warning restore ASP0014
        var document = await app.Services.GetRequiredKeyedService<IOpenApiDocumentProvider>(DocumentName).GetOpenApiDocumentAsync();
        await using var text = new StringWriter(CultureInfo.InvariantCulture);
        document.SerializeAsV31(new OpenApiJsonWriter(text));
        return text.ToString();
    }
}
