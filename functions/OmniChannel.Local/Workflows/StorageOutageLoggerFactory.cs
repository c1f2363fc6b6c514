using System.Text.RegularExpressions;

namespace OmniChannel.Local.Workflows;

/// <summary>
/// The logger factory the Durable Task engine gets. Its storage backend puts a failed storage call's whole exception,
/// stack traces included, in the message text, again on every retry of each of its polling loops: while Azurite is down
/// or restarting, hundreds of lines a minute. A warning or error caused by a connection failure becomes one warning
/// line, what failed and the first cause; any other message passes unchanged.
/// </summary>
internal sealed partial class StorageOutageLoggerFactory(ILoggerFactory inner) : ILoggerFactory
{
    private const int MaxCauseLength = 200;

    // The exception types of a connection that failed or timed out, as StorageFailures.IsTransient counts them.
    private static readonly string[] ConnectionFailures =
        ["System.Net.Sockets.SocketException", "System.Net.Http.HttpRequestException", "System.TimeoutException", "System.IO.IOException"];

    public ILogger CreateLogger(string categoryName) => new Logger(inner.CreateLogger(categoryName));

    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    public void Dispose()
    {
        // The inner factory is the host's.
    }

    /// <summary>One line for a message about a connection failure, or null for any other message.</summary>
    internal static string? OneLine(string message, Exception? exception)
    {
        var text = exception is null ? message : message + Environment.NewLine + exception;
        if (!text.Contains('\n', StringComparison.Ordinal) || !ConnectionFailures.Any(type => text.Contains(type, StringComparison.Ordinal)))
        {
            return null;
        }

        // "What failed: Some.Exception: its message" on the first line; the first "---> Inner.Exception: message" below it.
        var first = text.Split('\n')[0].TrimEnd('\r');
        var head = ExceptionStart().Match(first);
        var context = head.Success ? first[..head.Index] : first;
        var inner = InnerException().Match(text);
        var cause = inner.Success ? inner.Groups["message"].Value.TrimEnd('\r') : head.Success ? first[(head.Index + head.Length)..] : "connection failed";
        if (cause.Length > MaxCauseLength)
        {
            cause = cause[..MaxCauseLength] + "…";
        }

        return $"{context}: storage unreachable ({cause}); stack trace left out";
    }

    [GeneratedRegex(@": (?:System|Azure|Microsoft|DurableTask)\.[\w.]+(?: \(\d+\))?: ")]
    private static partial Regex ExceptionStart();

    [GeneratedRegex(@"---> (?:\(Inner Exception #\d+\) )?[\w.]+(?: \(\d+\))?: (?<message>[^\n]*)")]
    private static partial Regex InnerException();

    private sealed class Logger(ILogger inner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel >= LogLevel.Warning && inner.IsEnabled(LogLevel.Warning) && OneLine(formatter(state, exception), exception) is { } line)
            {
                inner.Log(LogLevel.Warning, eventId, line, null, static (text, _) => text);
                return;
            }

            inner.Log(logLevel, eventId, state, exception, formatter);
        }
    }
}
