using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using OmniChannel.Api;
using OmniChannel.Api.OpenApi;

namespace OmniChannel.Functions.Http;

/// <summary>The API's OpenAPI 3.1 document, the same one the local host serves; public, as published API docs are.</summary>
public sealed class OpenApiFunctions(OpenApiApi api)
{
    [Function(nameof(GetOpenApiDocument))]
    public Task<IResult> GetOpenApiDocument(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.OpenApiDocument)] HttpRequest request,
        [DurableClient] DurableTaskClient durableClient) =>
        api.GetAsync();
}
