using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace OmniChannel.WebConsole.Services;

/// <summary>
/// The console's one door to the API. Every call answers an <see cref="ApiResult{T}"/>: the value, or the server's
/// problem+json (or a problem made up here when the server cannot be reached), so no page shows a blank on failure.
/// </summary>
public sealed class ConsoleApi(HttpClient http, AccessKey key)
{
    /// <summary>The API's JSON: camelCase names and enums, as the hosts write them.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public Task<ApiResult<T>> GetAsync<T>(string path, CancellationToken cancellationToken = default) =>
        SendAsync<T>(new HttpRequestMessage(HttpMethod.Get, path), cancellationToken);

    /// <summary>
    /// The health report, which the API answers with 503 (not problem+json) when a dependency is down, and without
    /// <see cref="HealthReport.Dependencies"/> (liveness only) to a caller without a key or sign-in.
    /// </summary>
    public async Task<(HealthReport? Report, ApiProblem? Problem)> GetHealthAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            // Without a key or a signed-in user the API answers liveness only; the tab's key shows the dependencies.
            using var request = new HttpRequestMessage(HttpMethod.Get, "api/health");
            if (await key.GetAsync() is { } presented)
            {
                request.Headers.TryAddWithoutValidation("x-api-key", presented);
            }

            using var response = await http.SendAsync(request, cancellationToken);
            if (response.StatusCode is HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable
                && response.Content.Headers.ContentType?.MediaType == "application/json")
            {
                return (await response.Content.ReadFromJsonAsync<HealthReport>(Json, cancellationToken), null);
            }

            return (null, await ApiProblem.ReadAsync(response, cancellationToken));
        }
        catch (HttpRequestException)
        {
            return (null, ApiProblem.Unreachable);
        }
        catch (JsonException)
        {
            return (null, ApiProblem.Unexpected(0));
        }
    }

    public Task<ApiResult<T>> SendJsonAsync<T>(HttpMethod method, string path, JsonNode? body, string? ifMatch = null, CancellationToken cancellationToken = default)
    {
        var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json");
        }

        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        return SendAsync<T>(request, cancellationToken);
    }

    private async Task<ApiResult<T>> SendAsync<T>(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using (request)
        {
            if (await key.GetAsync() is { } presented)
            {
                request.Headers.TryAddWithoutValidation("x-api-key", presented);
            }

            HttpResponseMessage response;
            try
            {
                response = await http.SendAsync(request, cancellationToken);
            }
            catch (HttpRequestException)
            {
                return ApiResult<T>.Failed(ApiProblem.Unreachable);
            }

            using (response)
            {
                var etag = response.Headers.ETag?.ToString();
                if (response.IsSuccessStatusCode)
                {
                    if (response.StatusCode == HttpStatusCode.NoContent || response.Content.Headers.ContentLength == 0)
                    {
                        return ApiResult<T>.Ok(default, etag, (int)response.StatusCode);
                    }

                    try
                    {
                        var value = await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken);
                        return ApiResult<T>.Ok(value, etag, (int)response.StatusCode);
                    }
                    catch (JsonException)
                    {
                        // A page that is not the API (a proxy's error page, an old host) answered: say so instead of crashing.
                        return ApiResult<T>.Failed(ApiProblem.Unexpected((int)response.StatusCode));
                    }
                }

                return ApiResult<T>.Failed(await ApiProblem.ReadAsync(response, cancellationToken));
            }
        }
    }
}

/// <summary>What health answers: <c>alive</c> with no dependencies to anonymous callers, else every dependency's state.</summary>
public sealed record HealthReport(string Status, IReadOnlyList<DependencyHealth>? Dependencies);

public sealed record DependencyHealth(string Name, string Status, double DurationMs, string? Error);

public sealed record ApiResult<T>(T? Value, string? ETag, int Status, ApiProblem? Problem)
{
    public bool Succeeded => Problem is null;

    public static ApiResult<T> Ok(T? value, string? etag, int status) => new(value, etag, status, null);

    public static ApiResult<T> Failed(ApiProblem problem) => new(default, null, problem.Status, problem);
}

/// <summary>A problem+json answer (RFC 9457) with the field errors the API names in <c>errors</c>.</summary>
public sealed record ApiProblem(int Status, string Title, string? Detail, IReadOnlyList<OmniChannel.Core.Events.FieldError> Errors)
{
    /// <summary>Status 0: no answer at all (the host is stopped, or the network is down).</summary>
    public static ApiProblem Unreachable { get; } = new(0, "The OmniChannel API cannot be reached",
        "Nothing answered. Check that the backbone is running (locally: dotnet run --project functions/OmniChannel.Local), then try again.", []);

    public static ApiProblem Unexpected(int status) => new(status, "The API gave an answer the console does not understand",
        $"It answered HTTP {status} without the expected JSON. Reload the page; if it persists, the console and the API may be different versions.", []);

    /// <summary>What a person should do about it, by status.</summary>
    public string Advice => Status switch
    {
        0 => "Start the backbone (or check the network), then press Retry.",
        401 => "This needs a key with more rights: enter the admin key with the Key button at the top of the page.",
        403 => "Your sign-in or key does not reach this: ask an administrator for the console role it needs, or enter the admin key with the Key button at the top of the page.",
        404 => "It may have been deleted or renamed; go back to the list.",
        412 => "Someone else changed it since you opened it: reload to see their version, then make your change again.",
        429 or 503 => "The backbone is busy; wait a few seconds and retry.",
        >= 500 => "The backbone had a problem; retry in a moment, and tell operations if it persists.",
        _ => "Fix what is named above and try again.",
    };

    public string? MessageFor(string field) =>
        Errors.FirstOrDefault(error => string.Equals(error.Field, field, StringComparison.OrdinalIgnoreCase))?.Message;

    public static async Task<ApiProblem> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        try
        {
            var body = await response.Content.ReadFromJsonAsync<JsonObject>(cancellationToken);
            var errors = body?["errors"] is JsonArray list
                ? list.OfType<JsonObject>()
                    .Select(error => new OmniChannel.Core.Events.FieldError(error["field"]?.GetValue<string>() ?? "", error["message"]?.GetValue<string>() ?? ""))
                    .ToList()
                : [];
            return new ApiProblem(status, body?["title"]?.GetValue<string>() ?? response.ReasonPhrase ?? $"HTTP {status}", body?["detail"]?.GetValue<string>(), errors);
        }
        catch (Exception exception) when (exception is JsonException or NotSupportedException or InvalidOperationException)
        {
            return new ApiProblem(status, response.ReasonPhrase ?? $"HTTP {status}", null, []);
        }
    }
}
