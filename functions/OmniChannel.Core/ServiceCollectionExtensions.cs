using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OmniChannel.Core.Customers;
using OmniChannel.Core.Events;
using OmniChannel.Core.Identity;
using OmniChannel.Core.Ingest;
using OmniChannel.Core.Insights;
using OmniChannel.Core.Inventory;
using OmniChannel.Core.Orders;
using OmniChannel.Core.Prices;

namespace OmniChannel.Core;

public static class ServiceCollectionExtensions
{
    /// <summary>The domain and application services both hosts share; adapters for the ports are registered separately.</summary>
    public static IServiceCollection AddOmniChannelCore(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<ContractOptions>().BindConfiguration(ContractOptions.SectionName);
        services.AddOptions<IngestOptions>().BindConfiguration(IngestOptions.SectionName);
        services.AddOptions<BopisOptions>().BindConfiguration(BopisOptions.SectionName);
        services.AddSingleton(provider => provider.GetRequiredService<IOptions<BopisOptions>>().Value);
        services.AddSingleton(provider => provider.GetRequiredService<IOptions<ContractOptions>>().Value);
        services.AddSingleton(provider => provider.GetRequiredService<IOptions<IngestOptions>>().Value);
        services.AddSingleton<EventValidator>();
        services.AddSingleton<EventDecoder>();
        services.AddOptions<IdentityOptions>().BindConfiguration(IdentityOptions.SectionName);
        services.AddSingleton(provider => new IdentityRules(provider.GetRequiredService<IOptions<IdentityOptions>>().Value));
        services.AddSingleton<ProfileStitcher>();
        services.AddSingleton<MergeUndo>();
        services.AddSingleton<PersonResolver>();
        services.AddSingleton<InventoryUpdater>();
        services.AddSingleton<IngestService>();
        services.AddSingleton<ParkedBatchReplayer>();
        services.AddSingleton<DeadLetterReplayer>();
        services.AddSingleton<CustomerQueries>();
        services.AddSingleton<CustomerErasure>();
        services.AddSingleton<CustomerJourney>();
        services.AddSingleton<ReservationService>();
        services.AddSingleton<ReservationSweeper>();
        services.AddSingleton<StoreFinder>();
        services.AddSingleton<OrderService>();
        services.AddSingleton<StoreQueueService>();
        services.AddSingleton<ReturnService>();
        services.AddSingleton<PickService>();
        services.AddOptions<PriceFanOutOptions>().BindConfiguration(PriceFanOutOptions.SectionName);
        services.AddSingleton(provider => provider.GetRequiredService<IOptions<PriceFanOutOptions>>().Value);
        services.AddSingleton<PriceService>();
        services.AddSingleton<SubscriberAdmin>();
        services.AddSingleton<PriceDeliverer>();
        services.AddOptions<Remarketing.RemarketingOptions>().BindConfiguration(Remarketing.RemarketingOptions.SectionName)
            .Validate(options => options.GlobalControlPercent is >= 0 and <= Remarketing.RemarketingOptions.MaxHoldoutPercent,
                $"{Remarketing.RemarketingOptions.SectionName}:GlobalControlPercent is a whole percentage from 0 to {Remarketing.RemarketingOptions.MaxHoldoutPercent}.")
            .ValidateOnStart();
        services.AddSingleton(provider => provider.GetRequiredService<IOptions<Remarketing.RemarketingOptions>>().Value);
        services.AddSingleton<Remarketing.RemarketingService>();
        services.AddSingleton<Remarketing.RuleSimulator>();
        services.AddSingleton<Remarketing.CouponTill>();
        services.AddSingleton<InsightsCounters>();
        services.AddSingleton<InsightsService>();
        services.AddOptions<Retention.WorkflowRetentionOptions>().BindConfiguration(Retention.WorkflowRetentionOptions.SectionName)
            .Validate(options => options.PurgeEvery > TimeSpan.Zero, $"{Retention.WorkflowRetentionOptions.SectionName}:PurgeEvery is a positive time span, e.g. 00:10:00.")
            .ValidateOnStart();
        services.AddSingleton<Retention.CompletedWorkflowPurger>();
        return services;
    }
}
