namespace OmniChannel.Core.Ports;

/// <summary>A document with the ETag it was read with, for optimistic concurrency.</summary>
public sealed record Stored<T>(T Value, string ETag);
