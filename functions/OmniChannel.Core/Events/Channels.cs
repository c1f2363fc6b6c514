namespace OmniChannel.Core.Events;

/// <summary>The values of the <c>channel</c> extension attribute.</summary>
public static class Channels
{
    public const string Pos = "pos";
    public const string Web = "web";
    public const string App = "app";
    public const string CallCenter = "callcenter";
    public const string Kiosk = "kiosk";

    public static IReadOnlyList<string> All { get; } = [Pos, Web, App, CallCenter, Kiosk];

    public static bool IsKnown(string? value) => Known.Contains(value);

    /// <summary><see cref="All"/>, for lookups per event.</summary>
    internal static KnownText Known { get; } = new(All);
}
