using Microsoft.DurableTask;
using OmniChannel.Core.Ports;
using CoreFailureDetails = DurableTask.Core.FailureDetails;
using CoreTaskFailedException = DurableTask.Core.Exceptions.TaskFailedException;

namespace OmniChannel.Workflows.Tests;

/// <summary>
/// One reading of a failed step for both engines. Each case builds the <see cref="TaskFailedException"/> an orchestrator
/// catches the way the SDK's shim builds it from DurableTask.Core's exception: with failure details (the isolated
/// worker of the Functions app, and DurableTask.Core for the SDK's activities) and without (DurableTask.Core's
/// serialise-exceptions mode for a failure that carries none).
/// </summary>
public sealed class WorkflowFailuresTests
{
    public static TheoryData<string, Exception, bool> Failures => new()
    {
        { "throttled storage", new TransientStorageException("429 Too Many Requests", null, new IOException("throttled")), true },
        { "a lost optimistic-concurrency race", new StorageConflictException("412"), true },
        { "an unreachable service", new HttpRequestException("connection refused"), true },
        { "an HTTP call's timeout", new TaskCanceledException("The request was canceled due to the configured HttpClient.Timeout", new TimeoutException("100 s")), true },
        { "a cancelled attempt", new OperationCanceledException("the worker is stopping"), true },
        { "a refused hand-off", new HandoffRejectedException("400 Bad Request", 400), false },
        { "a bug", new InvalidOperationException("no such order"), false },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public void ReportedByTheIsolatedWorker_ClassifiedAndReadAsTheStepsOwnFailure(string what, Exception thrown, bool transient)
    {
        var caught = AsIsolatedWorkerReportsIt(thrown);

        Assert.True(transient == WorkflowFailures.IsTransient(caught.FailureDetails), what);
        Assert.Equal(thrown.GetType().FullName, WorkflowFailures.Cause(caught.FailureDetails).ErrorType);
        Assert.Equal(thrown.Message, WorkflowFailures.Cause(caught.FailureDetails).ErrorMessage);
    }

    [Theory]
    [MemberData(nameof(Failures))]
    public void ReportedByDurableTaskCoreWithoutDetails_ClassifiedAndReadTheSame(string what, Exception thrown, bool transient)
    {
        var caught = AsDurableTaskCoreReportsItWithoutDetails(thrown);

        Assert.Equal("(unknown)", caught.FailureDetails.ErrorType);
        Assert.True(transient == WorkflowFailures.IsTransient(caught.FailureDetails), what);
        Assert.Equal(thrown.GetType().FullName, WorkflowFailures.Cause(caught.FailureDetails).ErrorType);
        Assert.Equal(thrown.Message, WorkflowFailures.Cause(caught.FailureDetails).ErrorMessage);
    }

    [Fact]
    public void Cause_OfTheStepsOwnFailure_IsThatFailure_InnerFailuresKept()
    {
        var failure = TaskFailureDetails.FromException(new InvalidOperationException("wrapped", new HttpRequestException("refused")));

        Assert.Same(failure, WorkflowFailures.Cause(failure));
        Assert.True(WorkflowFailures.IsTransient(failure));
    }

    /// <summary>The gRPC worker runs DurableTask.Core with failure details on: the core exception carries them.</summary>
    private static TaskFailedException AsIsolatedWorkerReportsIt(Exception thrown) =>
        new("RefundOrder", 3, new CoreTaskFailedException(0, 3, "RefundOrder", "", thrown.Message, null!) { FailureDetails = new CoreFailureDetails(thrown) });

    /// <summary>DurableTask.Core's default (serialise exceptions): the core exception carries the exception, no details.</summary>
    private static TaskFailedException AsDurableTaskCoreReportsItWithoutDetails(Exception thrown) =>
        new("RefundOrder", 3, new CoreTaskFailedException(0, 3, "RefundOrder", "", "Task 'RefundOrder' (#3) failed with an unhandled exception: " + thrown.Message, thrown));
}
