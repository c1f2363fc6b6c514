using Microsoft.Extensions.Time.Testing;
using OmniChannel.Core.Events;

namespace OmniChannel.Core.UnitTests.Builders;

/// <summary>A decoder over the fake clock, and a shortcut from a builder to a validated event.</summary>
public static class Decoding
{
    public static EventDecoder Decoder(FakeTimeProvider? clock = null, ContractOptions? options = null)
    {
        options ??= new ContractOptions();
        return new EventDecoder(new EventValidator(clock ?? TestClock.Create(), options), options);
    }

    public static OmniEvent Event(CloudEventBuilder builder) => Decoder().DecodeStored(builder.Bytes());
}
