using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using OmniChannel.Api;

namespace OmniChannel.Functions.Http;

/// <summary>
/// Static Web Apps' roles source for the console. Anonymous because Static Web Apps calls it through its linked backend
/// at sign-in without a key; it only maps the claims it is given to role names and grants nothing by itself.
/// </summary>
public sealed class ConsoleFunctions(ConsoleRolesApi api)
{
    [Function(nameof(ConsoleRoles))]
    public Task<IResult> ConsoleRoles(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.ConsoleRoles)] HttpRequest request,
        [DurableClient] DurableTaskClient durableClient,
        CancellationToken cancellationToken) =>
        api.RolesAsync(request, cancellationToken);
}
