using OmniChannel.Core.Ports;

namespace OmniChannel.Azure.IntegrationTests.Fixtures;

/// <summary>
/// Counts a decorated store's writes: the <see cref="FailAt"/>-th write fails, either before it reaches the store (a
/// crash between two writes) or after it was stored (the answer lost, as with a timeout). <see cref="AfterWrite"/> runs
/// once when that write is stored instead, so a test can slip in a concurrent request at that exact point.
/// </summary>
public abstract class NthWriteFault
{
    private int _writes;

    /// <summary>The write to fail or to follow with <see cref="AfterWrite"/> (1-based), or 0 for none.</summary>
    public int FailAt { get; set; }

    public bool FailAfterStoring { get; set; }

    public Func<Task>? AfterWrite { get; set; }

    public int Writes => Volatile.Read(ref _writes);

    public bool Failed { get; private set; }

    /// <summary>Counts from zero again with the given fault armed.</summary>
    public void Arm(int failAt, bool failAfterStoring = false, Func<Task>? afterWrite = null)
    {
        (_writes, FailAt, FailAfterStoring, AfterWrite, Failed) = (0, failAt, failAfterStoring, afterWrite, false);
    }

    /// <summary>One counted write.</summary>
    protected async Task WriteAsync(Func<Task> write)
    {
        var number = Interlocked.Increment(ref _writes);
        var chosen = number == FailAt;
        if (chosen && AfterWrite is null && !FailAfterStoring)
        {
            Failed = true;
            throw Fault(number, "before it was stored");
        }

        await write();
        if (chosen && AfterWrite is { } afterWrite)
        {
            AfterWrite = null;
            await afterWrite();
        }
        else if (chosen && FailAfterStoring)
        {
            Failed = true;
            throw Fault(number, "after it was stored");
        }
    }

    private static TransientStorageException Fault(int number, string when) =>
        new($"Injected fault: write {number} failed {when}.", null, new IOException("injected"));
}
