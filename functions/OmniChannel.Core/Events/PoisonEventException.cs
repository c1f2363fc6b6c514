namespace OmniChannel.Core.Events;

/// <summary>An event that reached ingest but cannot be applied; it goes to the dead-letter store with this reason.</summary>
public sealed class PoisonEventException(string reason) : Exception(reason);
