namespace OmniChannel.WebConsole.Shared;

/// <summary>One named series of a chart: a value (or none) per label, drawn in the CSS class's colour.</summary>
public sealed record ChartSeries(string Name, IReadOnlyList<double?> Values, string CssClass);

public enum ChartKind
{
    /// <summary>Grouped columns, one group per label.</summary>
    Bars,

    /// <summary>One line per series; a missing value breaks the line.</summary>
    Lines,
}
