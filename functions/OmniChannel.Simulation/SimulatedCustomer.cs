using OmniChannel.Core.Stores;

namespace OmniChannel.Simulation;

/// <summary>
/// One person of the simulated customer base, with every identity they may show up with, so a test can predict the
/// profile their events end in (<c>customer:</c> + <see cref="CustomerId"/>).
/// </summary>
public sealed record SimulatedCustomer(
    int Index,
    string CustomerId,
    string EmailHash,
    string? LoyaltyId,
    IReadOnlyList<SimulatedDevice> Devices,
    Store HomeStore);
