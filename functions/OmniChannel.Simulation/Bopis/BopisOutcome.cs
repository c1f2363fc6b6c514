namespace OmniChannel.Simulation.Bopis;

/// <summary>How a BOPIS load run drives one order, and so where the order should end (see <see cref="BopisExpectations"/>).</summary>
public enum BopisOutcome
{
    /// <summary>One unit, picked in full, collected.</summary>
    Collected,

    /// <summary>Two units of the run's SKU, picked with one unit short, collected with the one unit picked.</summary>
    Short,

    /// <summary>Never picked: the backbone cancels it once the pick SLA and the unpicked grace have passed.</summary>
    Unpicked,

    /// <summary>Picked, never collected: the backbone expires it once the pickup window has passed.</summary>
    NoShow,
}
