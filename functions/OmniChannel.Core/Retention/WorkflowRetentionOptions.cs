namespace OmniChannel.Core.Retention;

/// <summary>How long completed workflow instances keep their history (<c>OmniChannel:Workflows</c>).</summary>
public sealed class WorkflowRetentionOptions
{
    public const string SectionName = "OmniChannel:Workflows";

    /// <summary>
    /// Completed instances created longer ago than this are purged: their history and state are deleted from the engine's
    /// storage. Zero or less keeps them for ever. Default 7 days.
    /// </summary>
    public TimeSpan PurgeCompletedAfter { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How often the local host purges (the Functions app's timer runs hourly). Default 10 minutes.</summary>
    public TimeSpan PurgeEvery { get; set; } = TimeSpan.FromMinutes(10);
}
