namespace OmniChannel.Core.Ports;

/// <summary>A poison event: the bytes as received, where they came from and why they could not be applied.</summary>
public sealed record DeadLetter(string Id, string Reason, string Body, string? PartitionId, long? SequenceNumber, string? TraceParent, DateTimeOffset FailedAt);
