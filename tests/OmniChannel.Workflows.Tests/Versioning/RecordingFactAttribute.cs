namespace OmniChannel.Workflows.Tests.Versioning;

/// <summary>
/// A test that records history fixtures. With <see cref="Variable"/> set it writes them into the source tree (new files
/// only, unless the value is <see cref="Overwrite"/>); without it, it records into a scratch folder and checks that every
/// point today's code reaches has its committed fixture, so a workflow whose waits moved is noticed on every run.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RecordingFactAttribute : FactAttribute
{
    public const string Variable = "OMNICHANNEL_RECORD_HISTORIES";

    /// <summary>The value that lets the recording replace existing files (any other non-empty value only adds new ones).</summary>
    public const string Overwrite = "overwrite";

    public static bool Overwriting => string.Equals(Environment.GetEnvironmentVariable(Variable), Overwrite, StringComparison.Ordinal);

    /// <summary>Whether this run writes the fixtures into the source tree.</summary>
    public static bool Recording => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(Variable));
}
