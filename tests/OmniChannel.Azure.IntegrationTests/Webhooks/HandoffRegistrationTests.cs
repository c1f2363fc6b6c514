using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OmniChannel.Azure.Tables;
using OmniChannel.Azure.Webhooks;
using OmniChannel.Core.Handoffs;
using OmniChannel.Core.Ports;

namespace OmniChannel.Azure.IntegrationTests.Webhooks;

/// <summary>How each host wires its hand-offs: the Functions app only for real, the local host for real when configured, else its simulators.</summary>
public sealed class HandoffRegistrationTests
{
    private static readonly Dictionary<string, string?> Configured = new()
    {
        ["OmniChannel:Tables:ConnectionString"] = "UseDevelopmentStorage=true",
        ["OmniChannel:Handoffs:CustomerEngagement:Endpoint"] = "http://127.0.0.1:9/engagement",
        ["OmniChannel:Handoffs:CustomerEngagement:Secret"] = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
        ["OmniChannel:Handoffs:Payments:Endpoint"] = "http://127.0.0.1:9/payments",
        ["OmniChannel:Handoffs:Payments:Secret"] = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
        ["OmniChannel:Handoffs:Payments:CallbackSecret"] = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
    };

    [Fact]
    public async Task AddOmniChannelHandoffs_WithoutEndpointsOrSecrets_TheHostFailsToStart_NamingEachMissingSetting()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["OmniChannel:Handoffs:Payments:Endpoint"] = "http://127.0.0.1:9/payments" });
        builder.Services.AddOmniChannelHandoffs();
        using var host = builder.Build();

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("OmniChannel__Handoffs__CustomerEngagement__Endpoint", failure.Message, StringComparison.Ordinal);
        Assert.Contains("OmniChannel__Handoffs__Payments__CallbackSecret", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Payments:Endpoint", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddOmniChannelHandoffs_Configured_SendsForReal()
    {
        using var provider = Services(Configured, (services, _) => services.AddOmniChannelHandoffs());

        Assert.IsType<WebhookNotificationSender>(provider.GetRequiredService<INotificationSender>());
        Assert.IsType<WebhookPaymentGateway>(provider.GetRequiredService<IPaymentGateway>());
        Assert.Empty(provider.GetRequiredService<IOptions<HandoffOptions>>().Value.Missing());
    }

    [Fact]
    public void AddOmniChannelHandoffsOrSimulators_UsesTheSimulatorsWhereNothingIsConfigured_AndTheWebhooksWhereItIs()
    {
        var engagementOnly = Configured.Where(setting => !setting.Key.Contains("Payments", StringComparison.Ordinal)).ToDictionary();
        using var simulated = Services(new Dictionary<string, string?> { ["OmniChannel:Tables:ConnectionString"] = "UseDevelopmentStorage=true" }, AddLocal);
        using var mixed = Services(engagementOnly, AddLocal);

        Assert.IsType<TableNotificationRecorder>(simulated.GetRequiredService<INotificationSender>());
        Assert.IsType<TableRefundRecorder>(simulated.GetRequiredService<IPaymentGateway>());
        Assert.IsType<WebhookNotificationSender>(mixed.GetRequiredService<INotificationSender>());
        Assert.IsType<TableRefundRecorder>(mixed.GetRequiredService<IPaymentGateway>());
    }

    private static void AddLocal(IServiceCollection services, IConfiguration configuration) =>
        services.AddOmniChannelTables().AddOmniChannelHandoffsOrSimulators(configuration);

    private static ServiceProvider Services(Dictionary<string, string?> settings, Action<IServiceCollection, IConfiguration> add)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        add(services, configuration);
        return services.BuildServiceProvider();
    }
}
