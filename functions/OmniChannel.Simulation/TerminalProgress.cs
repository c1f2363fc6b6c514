using Spectre.Console;

namespace OmniChannel.Simulation;

/// <summary>
/// A Spectre.Console progress bar on an interactive terminal, for a command whose run reports through
/// <see cref="IProgress{T}"/>: the bar is drawn in the background from construction to <see cref="Finish"/>, and each
/// <see cref="Update"/> moves it and rewrites its description. Only for <see cref="Console.Out"/> on a terminal: a
/// redirected output or a test's writer gets the command's plain lines instead.
/// </summary>
internal sealed class TerminalProgress
{
    private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<ProgressTask> _task = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _drawing;

    public TerminalProgress(string title, double total)
    {
        _drawing = AnsiConsole.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn(), new SpinnerColumn(), new TaskDescriptionColumn { Alignment = Justify.Left })
            .StartAsync(async context =>
            {
                _task.SetResult(context.AddTask(Markup.Escape(title), maxValue: Math.Max(total, 1)));
                await _finished.Task;
            });
    }

    /// <summary>Whether <paramref name="output"/> is the console's own output on a terminal, where a bar can be drawn.</summary>
    public static bool IsInteractive(TextWriter output) => ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected;

    /// <summary>Moves the bar to <paramref name="done"/> and shows <paramref name="description"/> (plain text) beside it.</summary>
    public void Update(double done, string description)
    {
        if (_task.Task.IsCompletedSuccessfully)
        {
            var task = _task.Task.Result;
            task.Value = Math.Min(done, task.MaxValue);
            task.Description = Markup.Escape(description);
        }
    }

    /// <summary>Draws the last state and stops: the bar stays on the screen, and the command's summary follows below it.</summary>
    public void Finish()
    {
        _finished.TrySetResult();
        _drawing.GetAwaiter().GetResult();
    }
}
