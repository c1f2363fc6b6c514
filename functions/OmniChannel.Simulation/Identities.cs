namespace OmniChannel.Simulation;

/// <summary>The identity attributes one simulated event carries.</summary>
internal readonly record struct Identities(string? CustomerId = null, string? DeviceId = null, string? LoyaltyId = null, string? EmailHash = null);
