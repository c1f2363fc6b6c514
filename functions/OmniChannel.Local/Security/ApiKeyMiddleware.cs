using Microsoft.Extensions.Options;
using OmniChannel.Api;
using OmniChannel.Local.Hosting;

namespace OmniChannel.Local.Security;

/// <summary>
/// Function-key parity for the local host: when keys are configured, API routes need one (<c>x-api-key</c>,
/// <c>x-functions-key</c> or <c>?code=</c>) and answer 401 problem+json without it. Admin routes (price changes, the
/// subscriber registry) take only the admin key, as admin-level functions take only the host's master key. Health stays
/// open, as it is in Azure.
/// </summary>
public sealed class ApiKeyMiddleware(RequestDelegate next, IOptions<LocalOptions> options)
{
    private static readonly string[] KeyHeaders = ["x-api-key", "x-functions-key"];

    public async Task InvokeAsync(HttpContext context)
    {
        var settings = options.Value;
        var path = context.Request.Path;
        var needsKey = path.StartsWithSegments("/" + ApiRoutes.Prefix)
                       && !path.StartsWithSegments("/" + ApiRoutes.Prefix + "/" + ApiRoutes.Health)
                       && (!string.IsNullOrEmpty(settings.ApiKey) || !string.IsNullOrEmpty(settings.AdminKey));
        if (needsKey && path.StartsWithSegments("/" + ApiRoutes.Prefix, out var rest) && ApiRoutes.IsAdmin(context.Request.Method, rest.Value ?? string.Empty))
        {
            if (!Presented(context.Request, settings.AdminKey))
            {
                await Problems.Unauthorized("This is an admin route: send the admin key (OmniChannel:Local:AdminKey) in the x-api-key header (or x-functions-key, or ?code=).").ExecuteAsync(context);
                return;
            }
        }
        else if (needsKey && !Presented(context.Request, settings.ApiKey) && !Presented(context.Request, settings.AdminKey))
        {
            await Problems.Unauthorized("This route needs an API key: send it in the x-api-key header (or x-functions-key, or ?code=).").ExecuteAsync(context);
            return;
        }

        await next(context);
    }

    /// <summary>The key the caller sent (header <c>x-api-key</c> or <c>x-functions-key</c>, else <c>?code=</c>); empty when none.</summary>
    public static string PresentedKey(HttpRequest request) =>
        KeyHeaders.Select(header => request.Headers[header].ToString()).FirstOrDefault(value => value.Length > 0)
        ?? request.Query["code"].ToString();

    private static bool Presented(HttpRequest request, string? key)
    {
        if (string.IsNullOrEmpty(key))
        {
            return false;
        }

        var presented = PresentedKey(request);
        // Hash both first: equal lengths, so not even the key's length leaks through the time taken.
        return System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
            System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(presented)),
            System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key)));
    }
}
