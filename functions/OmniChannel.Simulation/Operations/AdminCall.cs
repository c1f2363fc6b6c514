using System.Net.Http.Json;

namespace OmniChannel.Simulation.Operations;

/// <summary>
/// What the operations commands share: their --url and --admin-key options (and --help), and one POST to an admin
/// route of a running host with the admin key when given.
/// </summary>
internal static class AdminCall
{
    /// <summary>
    /// Parses --url, --admin-key and the command's own options (<paramref name="accept"/> answers whether it took a
    /// value). Answers the target, or the exit code when the command is done: 0 after --help, 2 after a bad argument.
    /// </summary>
    public static async Task<(string Url, string AdminKey, int? Exit)> ParseAsync(
        string command, string usage, string example, string[] args, TextWriter output, string[] ownNames, Func<string, string, bool> accept)
    {
        string url = "http://127.0.0.1:7071", adminKey = "";
        var error = CommandLineOptions.Parse(args, ["url", "admin-key", .. ownNames], example, (name, value) =>
        {
            switch (name)
            {
                case "url" when Uri.TryCreate(value, UriKind.Absolute, out _):
                    url = value.TrimEnd('/');
                    return null;
                case "admin-key":
                    adminKey = value;
                    return null;
                default:
                    return accept(name, value) ? null : $"Bad value '{value}' for --{name}.";
            }
        }, out var help);
        if (error is not null)
        {
            await output.WriteLineAsync($"{command}: {error}\nRun '{command} --help' for the options.");
            return (url, adminKey, 2);
        }

        if (help)
        {
            await output.WriteLineAsync(usage);
            return (url, adminKey, 0);
        }

        return (url, adminKey, null);
    }

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
