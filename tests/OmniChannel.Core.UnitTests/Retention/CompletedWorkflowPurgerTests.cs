using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Moq;
using OmniChannel.Core.Ports;
using OmniChannel.Core.Retention;

namespace OmniChannel.Core.UnitTests.Retention;

public sealed class CompletedWorkflowPurgerTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 8, 1, 0, 0, TimeSpan.Zero);

    private readonly Mock<IWorkflowPurge> _purge = new();

    [Fact]
    public async Task Purge_PurgesCompletedInstancesCreatedBeforeNowMinusTheRetention()
    {
        _purge.Setup(port => port.PurgeCompletedAsync(It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>())).ReturnsAsync(12);

        var report = await Purger(TimeSpan.FromDays(7)).PurgeAsync(CancellationToken.None);

        Assert.Equal(new WorkflowPurgeReport(Now.AddDays(-7), 12), report);
        _purge.Verify(port => port.PurgeCompletedAsync(Now.AddDays(-7), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public async Task Purge_RetentionOfZeroOrLess_KeepsEverything(int days)
    {
        var report = await Purger(TimeSpan.FromDays(days)).PurgeAsync(CancellationToken.None);

        Assert.Equal(new WorkflowPurgeReport(null, 0), report);
        _purge.Verify(port => port.PurgeCompletedAsync(It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    private CompletedWorkflowPurger Purger(TimeSpan keep) =>
        new(_purge.Object, Options.Create(new WorkflowRetentionOptions { PurgeCompletedAfter = keep }), new FakeTimeProvider(Now));
}
