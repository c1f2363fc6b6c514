namespace OmniChannel.Simulation;

/// <summary>One customer's or one store's events of the day, in time order.</summary>
internal interface IEventStream
{
    /// <summary>No event of the stream is earlier than this, so the stream need not be started before.</summary>
    DateTimeOffset NotBefore { get; }

    IEnumerable<TimedEvent> Events();
}
