using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Parsing;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace OmniChannel.Simulation;

/// <summary>
/// What the local host's sub-commands (<c>simulate</c>, <c>simulate-bopis</c>, <c>soak</c>, …) share on their command
/// lines, over System.CommandLine: <c>--name value</c> or <c>--name=value</c>, known names only, <c>-h</c>/<c>--help</c>,
/// typed options whose bad values are explained in one sentence that names the option and the value, and the exit
/// codes 0 after the help and 2 after a bad argument.
/// </summary>
public static class CommandLineOptions
{
    /// <summary>Exit code: the command line is wrong; nothing was done.</summary>
    public const int BadArguments = 2;

    private const int HelpWidth = 118;

    /// <summary>
    /// Parses <paramref name="args"/> (the arguments after the sub-command's name) with <paramref name="command"/>.
    /// Answers null when the command should run (read its values from <paramref name="result"/>); otherwise it has
    /// written the help (exit code 0) or the errors and a hint (exit code 2) to <paramref name="output"/>.
    /// </summary>
    /// <param name="epilogue">Printed after the options in the help, e.g. the exit codes.</param>
    public static int? Parse(Command command, IReadOnlyList<string> args, TextWriter output, string? epilogue, out ParseResult result)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        AddHelp(command);
        result = command.Parse(args);
        if (result.Action is HelpAction && result.Errors.Count == 0)
        {
            WriteHelp(command, output, epilogue);
            return 0;
        }

        if (result.Errors.Count == 0)
        {
            return null;
        }

        return Refuse(command.Name, string.Join(Environment.NewLine + command.Name + ": ", result.Errors.Select(error => error.Message)), output);
    }

    /// <summary>
    /// As <see cref="Parse"/>, and then <paramref name="read"/> makes the command's arguments of the parse, or answers
    /// an error of the values together (reported as a parse error is). False when the command is done: the help or the
    /// errors went to <paramref name="output"/>, and <paramref name="exit"/> is its exit code.
    /// </summary>
    public static bool TryParse<T>(
        Command command, IReadOnlyList<string> args, TextWriter output, string? epilogue, Func<ParseResult, (T Arguments, string? Error)> read,
        [NotNullWhen(true)] out T? parsed, out int exit)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(read);
        parsed = null;
        if (Parse(command, args, output, epilogue, out var result) is { } code)
        {
            exit = code;
            return false;
        }

        var (arguments, error) = read(result);
        exit = Refuse(command.Name, error, output);
        parsed = exit == 0 ? arguments : null;
        return parsed is not null;
    }

    /// <summary>
    /// A check of the values together, after the parse: 0 when <paramref name="error"/> is null, else it is written to
    /// <paramref name="output"/> as a parse error would be, and the answer is 2.
    /// </summary>
    public static int Refuse(string command, string? error, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (error is null)
        {
            return 0;
        }

        output.WriteLine($"{command}: {error}");
        output.WriteLine($"Run '{command} --help' for the options.");
        return BadArguments;
    }

    /// <summary>The help of <paramref name="command"/> (its description, usage, sub-commands and options) and then <paramref name="epilogue"/>.</summary>
    public static void WriteHelp(Command command, TextWriter output, string? epilogue = null)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(output);
        AddHelp(command);
        var help = command.Parse(["--help"]);
        if (help.Action is HelpAction action)
        {
            action.MaxWidth = HelpWidth;
        }

        help.Invoke(new InvocationConfiguration { Output = output, Error = output });
        if (epilogue is not null)
        {
            output.WriteLine(epilogue);
        }
    }

    /// <summary>A whole number from <paramref name="min"/> to <paramref name="max"/>.</summary>
    /// <param name="why">Said after the range in the error, e.g. " (the event contract allows at most 500)".</param>
    public static Option<int> Whole(string name, string description, int defaultValue, int min, int max, string why = "") => new(name)
    {
        Description = description,
        HelpName = "n",
        DefaultValueFactory = _ => defaultValue,
        CustomParser = result => Value(result, value => (TryWhole(value, min, max, out var whole), whole),
            value => string.Create(CultureInfo.InvariantCulture, $"Option '{name}': '{value}' is not a whole number from {min:N0} to {max:N0}{why}.")),
    };

    /// <summary>An option whose value <paramref name="parse"/> reads or refuses with <paramref name="error"/>'s sentence.</summary>
    public static Option<T> Typed<T>(string name, string description, string helpName, Func<string, (bool Valid, T Value)> parse, Func<string, string> error, Func<T>? defaultValue = null)
    {
        var option = new Option<T>(name)
        {
            Description = description,
            HelpName = helpName,
            CustomParser = result => Value(result, parse, error),
        };
        if (defaultValue is not null)
        {
            option.DefaultValueFactory = _ => defaultValue();
        }

        return option;
    }

    /// <summary>An absolute http:// or https:// URL; <paramref name="trimmed"/> drops a trailing slash.</summary>
    public static Option<string> Url(string defaultValue, bool trimmed = false) => Typed(
        "--url", "the backbone's base URL", "url",
        value => (Uri.TryCreate(value, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps), trimmed ? value.TrimEnd('/') : value),
        value => $"Option '--url': '{value}' is not an absolute http:// or https:// URL, e.g. http://localhost:7071.",
        () => defaultValue);

    /// <summary>A key sent as a request header; an empty or blank one is refused.</summary>
    public static Option<string?> Key(string name, string description) => Typed<string?>(
        name, description, "key", value => (!string.IsNullOrWhiteSpace(value), value), _ => $"Option '{name}' needs a non-empty key.");

    /// <summary>One of <paramref name="choices"/>, named in the error.</summary>
    public static Option<string> Choice(string name, string description, string defaultValue, params string[] choices) => Typed(
        name, description, string.Join('|', choices), value => (choices.Contains(value, StringComparer.Ordinal), value),
        value => $"Option '{name}': '{value}' is not one of {string.Join(", ", choices.Select(choice => $"'{choice}'"))}.", () => defaultValue);

    /// <summary>Whether <paramref name="value"/> is a whole number from <paramref name="min"/> to <paramref name="max"/>.</summary>
    public static bool TryWhole(string value, int min, int max, out int result) =>
        int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out result) && result >= min && result <= max;

    private static void AddHelp(Command command)
    {
        if (!command.Options.OfType<HelpOption>().Any())
        {
            command.Options.Add(new HelpOption());
        }
    }

    private static T Value<T>(ArgumentResult result, Func<string, (bool Valid, T Value)> parse, Func<string, string> error)
    {
        var value = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
        var (valid, parsed) = parse(value);
        if (valid)
        {
            return parsed;
        }

        result.AddError(error(value));
        return default!;
    }
}
