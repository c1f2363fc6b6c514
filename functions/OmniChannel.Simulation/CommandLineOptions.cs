namespace OmniChannel.Simulation;

/// <summary>
/// The option syntax both simulator commands share: <c>--name value</c> or <c>--name=value</c>, known names only, and
/// <c>--help</c>. Each value goes to the command's own <c>apply</c>, which answers an error or null; parsing stops at
/// the first error.
/// </summary>
internal static class CommandLineOptions
{
    /// <param name="example">An option shown in the message for a stray argument, e.g. <c>--orders 1000</c>.</param>
    public static string? Parse(IReadOnlyList<string> args, IReadOnlyList<string> names, string example, Func<string, string, string?> apply, out bool help)
    {
        help = false;
        for (var index = 0; index < args.Count; index++)
        {
            var argument = args[index];
            if (argument is "-h" or "--help" or "-?")
            {
                help = true;
                continue;
            }

            if (!argument.StartsWith("--", StringComparison.Ordinal) || argument.Length == 2)
            {
                return $"Unexpected argument '{argument}': options start with '--', e.g. {example}.";
            }

            // Both "--name 7" and "--name=7" are accepted.
            var equals = argument.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? argument[2..] : argument[2..equals];
            if (!names.Contains(name, StringComparer.Ordinal))
            {
                return $"Unknown option '--{name}'. Known options: {string.Join(", ", names.Select(known => "--" + known))}, --help.";
            }

            string value;
            if (equals >= 0)
            {
                value = argument[(equals + 1)..];
            }
            else if (index + 1 < args.Count && !args[index + 1].StartsWith("--", StringComparison.Ordinal))
            {
                value = args[++index];
            }
            else
            {
                return $"Option '--{name}' needs a value.";
            }

            if (apply(name, value) is { } error)
            {
                return error;
            }
        }

        return null;
    }
}
