using Microsoft.AspNetCore.Http;
using OmniChannel.Core.Security;

namespace OmniChannel.Api;

/// <summary><c>POST /api/console/roles</c>: Static Web Apps' roles source for the web console (see <see cref="ConsoleRoles"/>).</summary>
public sealed class ConsoleRolesApi
{
    public async Task<IResult> RolesAsync(HttpRequest request, CancellationToken cancellationToken) =>
        await RequestBodies.ReadObjectAsync(request, cancellationToken) is { } payload
            ? TypedResults.Ok(new ConsoleRoleGrant(ConsoleRoles.FromIdentity(payload)))
            : Problems.MalformedBody("the identity Static Web Apps sends: identityProvider, userId, userDetails and claims [{typ, val}]");
}

/// <summary>The roles Static Web Apps grants the signed-in user.</summary>
public sealed record ConsoleRoleGrant(IReadOnlyList<string> Roles);
