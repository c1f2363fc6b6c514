using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace OmniChannel.Azure.IntegrationTests.Fixtures;

/// <summary>
/// Records every first-chance exception (each throw, and each rethrow as an await resumes) raised in the async flow
/// that created the recorder, with the stack where it was raised. Other tests running at the same time raise theirs
/// in flows of their own, which the async-local marker leaves out.
/// </summary>
public sealed class FirstChanceExceptionRecorder : IDisposable
{
    private static readonly AsyncLocal<FirstChanceExceptionRecorder?> Current = new();
    private readonly List<RecordedException> _recorded = [];
    private readonly Lock _lock = new();

    public FirstChanceExceptionRecorder()
    {
        Current.Value = this;
        AppDomain.CurrentDomain.FirstChanceException += OnFirstChance;
    }

    public IReadOnlyList<RecordedException> Recorded
    {
        get
        {
            lock (_lock)
            {
                return [.. _recorded];
            }
        }
    }

    public void Reset()
    {
        lock (_lock)
        {
            _recorded.Clear();
        }
    }

    /// <summary>Distinct sites (type, the message's first line and the raising stack), most frequent first, for a report.</summary>
    public string DescribeSites() => string.Join(
        "\n\n",
        Recorded.GroupBy(exception => $"{exception.Type}: {exception.Message.Split('\n')[0]}\n{exception.Stack}")
            .OrderByDescending(site => site.Count())
            .Select(site => $"{site.Count()} x {site.Key}"));

    public void Dispose()
    {
        AppDomain.CurrentDomain.FirstChanceException -= OnFirstChance;
        Current.Value = null;
    }

    private void OnFirstChance(object? sender, FirstChanceExceptionEventArgs args)
    {
        if (!ReferenceEquals(Current.Value, this))
        {
            return;
        }

        // Our own frames only (skip this handler); the raising frames are the ones worth naming.
        var stack = string.Join("\n", new StackTrace(1, false).GetFrames()
            .Select(frame => frame.GetMethod())
            .Where(method => method?.DeclaringType is not null)
            .Select(method => $"   at {method!.DeclaringType!.FullName}.{method.Name}")
            .Take(12));
        lock (_lock)
        {
            _recorded.Add(new RecordedException(args.Exception.GetType().FullName ?? "?", args.Exception.Message, stack));
        }
    }

    public sealed record RecordedException(string Type, string Message, string Stack);
}
