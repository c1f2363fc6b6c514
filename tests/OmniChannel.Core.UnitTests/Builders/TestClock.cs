using Microsoft.Extensions.Time.Testing;

namespace OmniChannel.Core.UnitTests.Builders;

/// <summary>The tests' notion of now: a fake clock, never the wall clock.</summary>
public static class TestClock
{
    public static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    public static FakeTimeProvider Create() => new(Now);
}
