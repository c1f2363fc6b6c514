namespace OmniChannel.Simulation.Bopis;

/// <summary>How many of a run's orders were given <paramref name="Outcome"/>, and how many of them ended in its state.</summary>
public sealed record BopisOutcomeCount(BopisOutcome Outcome, int Orders, int AsExpected);
