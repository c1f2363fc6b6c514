namespace OmniChannel.Simulation;

/// <summary>A browser or a phone of one customer: the <c>deviceid</c> it sends and the channel and source it posts as.</summary>
public sealed record SimulatedDevice(string DeviceId, string Channel, string Source);
