namespace OmniChannel.Core.Ports;

/// <summary>Another writer changed or created the document first (HTTP 409/412); re-read and try again.</summary>
public sealed class StorageConflictException(string message) : Exception(message);
