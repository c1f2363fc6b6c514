namespace OmniChannel.Api.Security;

/// <summary>
/// Per-caller rate limits on <c>/api</c> (<c>OmniChannel:RateLimit</c>), the same policy in both hosts. The limit holds
/// per process: in Azure every Functions instance keeps its own buckets, so a caller's ceiling is
/// <see cref="PerSecond"/> × the app's maximum instance count.
/// </summary>
public sealed class ApiRateLimitOptions
{
    public const string SectionName = "OmniChannel:RateLimit";

    /// <summary>Requests per second each caller may make; 0 turns the limit off.</summary>
    public int PerSecond { get; set; } = 100;

    /// <summary>How many requests a caller may make at once before the rate applies (the bucket's size).</summary>
    public int Burst { get; set; } = 200;
}
