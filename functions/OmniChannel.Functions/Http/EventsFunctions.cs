using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using OmniChannel.Api;

namespace OmniChannel.Functions.Http;

public sealed class EventsFunctions(EventsApi api)
{
    [Function(nameof(CollectEvents))]
    public Task<IResult> CollectEvents(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.Events)] HttpRequest request,
        [DurableClient] DurableTaskClient durableClient,
        CancellationToken cancellationToken) =>
        api.CollectAsync(request, cancellationToken);
}
