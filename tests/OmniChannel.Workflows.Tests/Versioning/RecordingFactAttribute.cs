namespace OmniChannel.Workflows.Tests.Versioning;

/// <summary>
/// A test that records history fixtures: it runs only when <see cref="Variable"/> is set (it drives real instances
/// through their timers, and it rewrites files in the source tree), and is skipped otherwise.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RecordingFactAttribute : FactAttribute
{
    public const string Variable = "OMNICHANNEL_RECORD_HISTORIES";

    /// <summary>The value that lets the recording replace existing files (any other non-empty value only adds new ones).</summary>
    public const string Overwrite = "overwrite";

    public static bool Overwriting => string.Equals(Environment.GetEnvironmentVariable(Variable), Overwrite, StringComparison.Ordinal);

    public RecordingFactAttribute()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(Variable)))
        {
            Skip = $"Records history fixtures; set {Variable}=1 to run (={Overwrite} to replace existing files).";
        }
    }
}
