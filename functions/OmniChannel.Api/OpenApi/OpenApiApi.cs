using Microsoft.AspNetCore.Http;

namespace OmniChannel.Api.OpenApi;

/// <summary><c>GET /api/openapi.json</c>: the API's OpenAPI 3.1 description (open to anyone, as the API itself is documented publicly).</summary>
public sealed class OpenApiApi(OpenApiDocumentSource source)
{
    public async Task<IResult> GetAsync() =>
        TypedResults.Text(await source.GetJsonAsync(), "application/json", System.Text.Encoding.UTF8);
}
