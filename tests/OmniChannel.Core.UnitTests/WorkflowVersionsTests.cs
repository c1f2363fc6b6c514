using OmniChannel.Core.Orders;
using OmniChannel.Core.Prices;
using OmniChannel.Core.Remarketing;

namespace OmniChannel.Core.UnitTests;

public sealed class WorkflowVersionsTests
{
    [Theory]
    [InlineData(BopisWorkflow.OrchestrationName, BopisWorkflow.Version)]
    [InlineData(PriceFanOut.OrchestrationName, PriceFanOut.Version)]
    [InlineData(RemarketingWorkflow.OrchestrationName, RemarketingWorkflow.Version)]
    public void Current_EveryOrchestration_IsItsVersionConstant_TheNewestOfThoseStillRunning(string orchestration, string version)
    {
        var running = WorkflowVersions.Versions(orchestration);

        Assert.Equal(version, WorkflowVersions.Current(orchestration));
        Assert.Equal(WorkflowVersions.Unversioned, running[0]);

        // Major.minor and ascending: the SDK's CompareVersionTo compares them as numbers only in that form.
        var numbered = running.Skip(1).Select(System.Version.Parse).ToList();
        Assert.Equal(numbered.Order(), numbered);
        Assert.Equal(numbered.Count, numbered.Distinct().Count());
    }

    [Fact]
    public void TagsFor_ANewInstance_CarriesTheCurrentVersion() =>
        Assert.Equal(BopisWorkflow.Version, WorkflowVersions.TagsFor(BopisWorkflow.OrchestrationName)[WorkflowVersions.Tag]);

    [Fact]
    public void Versions_AnOrchestrationNobodyListed_IsRefused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => WorkflowVersions.Versions("SomethingNew"));
}
