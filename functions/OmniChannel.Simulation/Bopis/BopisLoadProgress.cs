namespace OmniChannel.Simulation.Bopis;

/// <summary>Where a BOPIS load run stands; <see cref="Elapsed"/> counts from the first placement.</summary>
public sealed record BopisLoadProgress(int Orders, int Placed, int Ready, int Completed, int Failed, TimeSpan Elapsed);
