using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace OmniChannel.Azure.IntegrationTests.Fixtures;

/// <summary>
/// Keeps the event names of what the backbone logs at warning or above, so a test can see which paths ran (a
/// <c>[LoggerMessage]</c> method's event name is the method's name, e.g. <c>LogParked</c>).
/// </summary>
public sealed class LogRecorder : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _events = new();

    public int Count(string eventName) => _events.Count(logged => string.Equals(logged, eventName, StringComparison.Ordinal));

    public ILogger CreateLogger(string categoryName) => new Recorder(_events);

    public void Dispose()
    {
    }

    private sealed class Recorder(ConcurrentQueue<string> events) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel) && eventId.Name is { } name)
            {
                events.Enqueue(name);
            }
        }
    }
}
