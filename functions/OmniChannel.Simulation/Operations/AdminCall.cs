using System.Net.Http.Json;

namespace OmniChannel.Simulation.Operations;

/// <summary>One POST to an admin route of a running host, with the admin key when given; the operations commands share it.</summary>
internal static class AdminCall
{
    public static async Task<(bool Succeeded, int Status, string Body)> PostAsync(string url, string path, object body, string adminKey, HttpMessageHandler? handler, CancellationToken cancellationToken)
    {
        using var client = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        client.Timeout = TimeSpan.FromMinutes(5);
        using var request = new HttpRequestMessage(HttpMethod.Post, url + path) { Content = JsonContent.Create(body) };
        if (adminKey.Length > 0)
        {
            request.Headers.Add("x-api-key", adminKey);
        }

        using var response = await client.SendAsync(request, cancellationToken);
        return (response.IsSuccessStatusCode, (int)response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
    }
}
