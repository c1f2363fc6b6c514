using System.CommandLine;
using System.Net.Http.Json;

namespace OmniChannel.Simulation.Operations;

/// <summary>
/// What the operations commands share: their --url and --admin-key options (and --help), and one POST to an admin
/// route of a running host with the admin key when given.
/// </summary>
internal static class AdminCall
{
    /// <summary>
    /// A command with --url and --admin-key and then <paramref name="own"/> options.
    /// </summary>
    public static Command Command(string name, string description, params Option[] own)
    {
        var command = new Command(name, description)
        {
            CommandLineOptions.Url("http://127.0.0.1:7071", trimmed: true),
            new Option<string>("--admin-key") { Description = "the host's admin key, when it enforces keys", HelpName = "key", DefaultValueFactory = _ => "" },
        };
        foreach (var option in own)
        {
            command.Options.Add(option);
        }

        return command;
    }

    /// <summary>
    /// Parses the command line of <paramref name="command"/>. Answers the parse and the target, or the exit code when
    /// the command is done: 0 after --help, 2 after a bad argument.
    /// </summary>
    public static (ParseResult Result, string Url, string AdminKey, int? Exit) Parse(Command command, string epilogue, string[] args, TextWriter output)
    {
        var exit = CommandLineOptions.Parse(command, args, output, epilogue, out var result);
        return exit is null
            ? (result, result.GetRequiredValue<string>("--url"), result.GetValue<string>("--admin-key") ?? "", null)
            : (result, "", "", exit);
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
