using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Messaging.EventHubs.Producer;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OmniChannel.Azure.Cosmos;
using OmniChannel.Azure.EventHubs;
using OmniChannel.Azure.Storage;
using OmniChannel.Azure.Tables;
using Azure.Storage.Blobs;
using OmniChannel.Core;
using OmniChannel.Core.Handoffs;
using OmniChannel.Core.Ports;

namespace OmniChannel.Azure;

/// <summary>Registration of the Azure adapters; both hosts call these, differing only in settings.</summary>
public static class ServiceCollectionExtensions
{
    /// <summary>The managed identity the app signs in with (its client id from <c>AZURE_CLIENT_ID</c>).</summary>
    public static IServiceCollection AddOmniChannelCredential(this IServiceCollection services)
    {
        services.TryAddSingleton(provider => CreateCredential(provider.GetRequiredService<IConfiguration>()));
        return services;
    }

    /// <summary>The app's credential: its user-assigned managed identity in Azure (client id from <c>AZURE_CLIENT_ID</c>).</summary>
    public static TokenCredential CreateCredential(IConfiguration configuration) =>
        new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = configuration[OmniChannelNames.Settings.ManagedIdentityClientId] });

    /// <summary>Cosmos DB: the events, profiles, identity links, inventory and dead-letter stores.</summary>
    public static IServiceCollection AddOmniChannelCosmos(this IServiceCollection services)
    {
        services.AddOmniChannelCredential();
        services.AddOptions<CosmosOptions>().BindConfiguration(CosmosOptions.SectionName);
        services.AddSingleton(provider => provider.GetRequiredService<IOptions<CosmosOptions>>().Value);
        services.AddSingleton(provider => CosmosClientFactory.Create(
            provider.GetRequiredService<CosmosOptions>(),
            provider.GetRequiredService<TokenCredential>(),
            provider.GetServices<Microsoft.Azure.Cosmos.RequestHandler>()));
        services.AddSingleton<CosmosDatabaseAccessor>();
        services.AddSingleton<IEventStore, CosmosEventStore>();
        services.AddSingleton<IProfileStore, CosmosProfileStore>();
        services.AddSingleton<IIdentityLinkStore, CosmosIdentityLinkStore>();
        services.AddSingleton<IInventoryStore, CosmosInventoryStore>();
        services.AddSingleton<IDeadLetterStore, CosmosDeadLetterStore>();
        services.AddSingleton<IErasureLog, CosmosErasureLog>();
        services.AddSingleton<IOrderStore, CosmosOrderStore>();
        services.AddSingleton<IPriceStore, CosmosPriceStore>();
        services.AddSingleton<IEventHistory, CosmosEventHistory>();
        services.AddSingleton<IDependencyProbe, CosmosProbe>();
        return services;
    }

    /// <summary>
    /// The Tables client's options: the SDK's retries first (throttling and server errors, honouring Retry-After), then
    /// transient failures as the core's own (see <see cref="TransientFailurePolicy"/>), which ingest and the workflows
    /// retry on their own longer clocks. Three quick retries, so a call gives up within seconds during an outage.
    /// </summary>
    public static TableClientOptions TableClientOptions()
    {
        var options = new TableClientOptions();
        ConfigureRetries(options.Retry, maxRetries: 3, delay: TimeSpan.FromSeconds(0.8), maxDelay: TimeSpan.FromSeconds(10));
        options.AddPolicy(new TransientFailurePolicy("Azure Tables"), HttpPipelinePosition.PerCall);
        return options;
    }

    /// <summary>
    /// The Key Vault client's options: more patient than Tables' (Key Vault throttles per vault, and its guidance is to
    /// back off exponentially, honouring Retry-After), then transient failures as the core's own, which a price
    /// delivery answers as "retry this subscriber later" instead of failing the fan-out.
    /// </summary>
    public static global::Azure.Security.KeyVault.Secrets.SecretClientOptions KeyVaultClientOptions()
    {
        var options = new global::Azure.Security.KeyVault.Secrets.SecretClientOptions();
        ConfigureRetries(options.Retry, maxRetries: 5, delay: TimeSpan.FromSeconds(1), maxDelay: TimeSpan.FromSeconds(30));
        options.AddPolicy(new TransientFailurePolicy("Azure Key Vault"), HttpPipelinePosition.PerCall);
        return options;
    }

    /// <summary>Exponential back-off (jittered by the SDK), which waits longer when the service's Retry-After asks for it.</summary>
    private static void ConfigureRetries(RetryOptions retry, int maxRetries, TimeSpan delay, TimeSpan maxDelay)
    {
        retry.Mode = RetryMode.Exponential;
        retry.MaxRetries = maxRetries;
        retry.Delay = delay;
        retry.MaxDelay = maxDelay;
    }

    /// <summary>Azure Storage: the tables (store directory, ledgers, rules, counters) and the blobs of parked ingest batches.</summary>
    public static IServiceCollection AddOmniChannelTables(this IServiceCollection services)
    {
        services.AddOmniChannelCredential();
        services.AddOptions<TablesOptions>().BindConfiguration(TablesOptions.SectionName);
        services.AddSingleton(provider =>
        {
            var options = provider.GetRequiredService<IOptions<TablesOptions>>().Value;
            if (!string.IsNullOrEmpty(options.ConnectionString))
            {
                return new TableServiceClient(options.ConnectionString, TableClientOptions());
            }

            if (string.IsNullOrEmpty(options.ServiceUri))
            {
                throw new InvalidOperationException($"Set {TablesOptions.SectionName}:ServiceUri (app setting OmniChannel__Tables__ServiceUri).");
            }

            return new TableServiceClient(new Uri(options.ServiceUri), provider.GetRequiredService<TokenCredential>(), TableClientOptions());
        });
        services.AddSingleton<IStoreDirectory, TableStoreDirectory>();
        // The local host's simulators of the hand-offs; kept in both hosts for erasure of what they recorded.
        services.AddSingleton<TableNotificationRecorder>();
        services.AddSingleton<TableRefundRecorder>();
        services.AddSingleton<IOrderRecords>(provider => provider.GetRequiredService<TableNotificationRecorder>());
        services.AddSingleton<IOrderRecords>(provider => provider.GetRequiredService<TableRefundRecorder>());
        services.AddSingleton<ISubscriberRegistry, TableSubscriberRegistry>();
        services.AddSingleton<ISubscriberSecretStore, TableSubscriberSecretStore>();
        services.AddSingleton<IDeliveryLedger, TableDeliveryLedger>();
        services.AddSingleton<IRuleStore, TableRuleStore>();
        services.AddSingleton<ICouponLedger, TableCouponLedger>();
        services.AddSingleton<ICouponConflictLog, TableCouponConflictLog>();
        services.AddSingleton<IRefundWatch, TableRefundWatch>();
        services.AddSingleton<TableInsightsStore>();
        services.AddSingleton<IInsightsRecorder>(provider => provider.GetRequiredService<TableInsightsStore>());
        services.AddSingleton<IInsightsReader>(provider => provider.GetRequiredService<TableInsightsStore>());
        services.AddSingleton<IPlanViolationStore, TablePlanViolationStore>();
        services.AddSingleton<IAttributionStore, TableAttributionStore>();
        services.AddSingleton<IDependencyProbe, TablesProbe>();

        // Parked ingest batches live in the same storage account's blobs.
        services.AddOptions<ParkingOptions>().BindConfiguration(ParkingOptions.SectionName);
        services.AddSingleton<IParkedBatchStore>(provider =>
        {
            var parking = provider.GetRequiredService<IOptions<ParkingOptions>>().Value;
            var tables = provider.GetRequiredService<IOptions<TablesOptions>>().Value;
            var connectionString = parking.ConnectionString ?? (parking.ServiceUri is null ? tables.ConnectionString : null);
            if (!string.IsNullOrEmpty(connectionString))
            {
                return new BlobParkedBatchStore(new BlobServiceClient(connectionString));
            }

            if (string.IsNullOrEmpty(parking.ServiceUri))
            {
                throw new InvalidOperationException($"Set {ParkingOptions.SectionName}:ServiceUri (app setting OmniChannel__Parking__ServiceUri).");
            }

            return new BlobParkedBatchStore(new BlobServiceClient(new Uri(parking.ServiceUri), provider.GetRequiredService<TokenCredential>()));
        });
        return services;
    }

    /// <summary>The Event Hubs producer behind the collect API, configured like the trigger: <c>EventHubConnection__fullyQualifiedNamespace</c> and <c>EventHubName</c>.</summary>
    public static IServiceCollection AddOmniChannelEventHubsPublisher(this IServiceCollection services)
    {
        services.AddOmniChannelCredential();
        services.AddSingleton(provider =>
        {
            var configuration = provider.GetRequiredService<IConfiguration>();
            var hubName = configuration[OmniChannelNames.Settings.EventHubName] ?? OmniChannelNames.EventHub;
            var connection = configuration.GetSection(OmniChannelNames.Settings.EventHubConnection);
            var fullyQualifiedNamespace = connection["fullyQualifiedNamespace"];
            if (!string.IsNullOrEmpty(fullyQualifiedNamespace))
            {
                return new EventHubProducerClient(fullyQualifiedNamespace, hubName, provider.GetRequiredService<TokenCredential>());
            }

            var connectionString = connection.Value;
            return string.IsNullOrEmpty(connectionString)
                ? throw new InvalidOperationException($"Set {OmniChannelNames.Settings.EventHubConnection}__fullyQualifiedNamespace (managed identity).")
                : new EventHubProducerClient(connectionString, hubName);
        });
        services.AddSingleton<IEventPublisher, EventHubPublisher>();
        services.AddSingleton<IDependencyProbe, EventHubProbe>();
        return services;
    }

    /// <summary>The handler for batches of <c>EventData</c>, called by the Event Hubs trigger (and the local host's log).</summary>
    public static IServiceCollection AddOmniChannelIngest(this IServiceCollection services)
    {
        services.AddSingleton<EventHubBatchHandler>();
        return services;
    }

    /// <summary>Signed HTTP deliveries of price changes to subscribers.</summary>
    public static IServiceCollection AddOmniChannelPriceDelivery(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<IPriceDeliveryChannel>(provider => new Webhooks.WebhookPriceChannel(
            new HttpClient(new SocketsHttpHandler
            {
                // Thousands of deliveries to a few hosts: reuse connections, but notice DNS changes.
                PooledConnectionLifetime = TimeSpan.FromMinutes(2),
                MaxConnectionsPerServer = 256,
            })
            {
                Timeout = Timeout.InfiniteTimeSpan, // each delivery has its own deadline (OmniChannel:Prices:DeliveryTimeout)
            },
            provider.GetRequiredService<TimeProvider>()));
        return services;
    }

    /// <summary>
    /// The hand-offs of the Functions app: notifications to the customer-engagement platform and refunds to the payment
    /// service, as signed CloudEvents (<see cref="Webhooks.WebhookNotificationSender"/>, <see cref="Webhooks.WebhookPaymentGateway"/>).
    /// Every <c>OmniChannel:Handoffs</c> endpoint and secret is required: the host fails at startup naming what is
    /// missing, rather than run with messages and refunds going nowhere.
    /// </summary>
    public static IServiceCollection AddOmniChannelHandoffs(this IServiceCollection services)
    {
        services.AddHandoffOptions();
        services.AddSingleton<IValidateOptions<HandoffOptions>, HandoffOptionsValidation>();
        services.AddOptions<HandoffOptions>().ValidateOnStart();
        services.AddSingleton<INotificationSender, Webhooks.WebhookNotificationSender>();
        services.AddSingleton<IPaymentGateway, Webhooks.WebhookPaymentGateway>();
        return services;
    }

    /// <summary>
    /// The hand-offs of the local host: to a receiver whose endpoint and secret are configured under
    /// <c>OmniChannel:Handoffs</c>, the same signed CloudEvents as in Azure; otherwise to its simulator, which records
    /// what would have been sent (<see cref="TableNotificationRecorder"/>, <see cref="TableRefundRecorder"/>; call
    /// <see cref="AddOmniChannelTables"/> too).
    /// </summary>
    public static IServiceCollection AddOmniChannelHandoffsOrSimulators(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddHandoffOptions();
        var handoffs = configuration.GetSection(HandoffOptions.SectionName).Get<HandoffOptions>() ?? new HandoffOptions();
        if (handoffs.CustomerEngagement.IsConfigured)
        {
            services.AddSingleton<INotificationSender, Webhooks.WebhookNotificationSender>();
        }
        else
        {
            services.AddSingleton<INotificationSender>(provider => provider.GetRequiredService<TableNotificationRecorder>());
        }

        if (handoffs.Payments.IsConfigured)
        {
            services.AddSingleton<IPaymentGateway, Webhooks.WebhookPaymentGateway>();
        }
        else
        {
            services.AddSingleton<IPaymentGateway>(provider => provider.GetRequiredService<TableRefundRecorder>());
        }

        return services;
    }

    private static void AddHandoffOptions(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<HandoffOptions>().BindConfiguration(HandoffOptions.SectionName);
        services.TryAddSingleton(provider => new Webhooks.WebhookHandoff(
            new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2) })
            {
                Timeout = provider.GetRequiredService<IOptions<HandoffOptions>>().Value.Timeout,
            },
            provider.GetRequiredService<TimeProvider>()));
    }

    /// <summary>
    /// Price subscribers' signing secrets in Key Vault when <c>OmniChannel:KeyVault:VaultUri</c> is set (Azure);
    /// otherwise they stay in the Tables store registered by <see cref="AddOmniChannelTables"/> (the local host).
    /// </summary>
    public static IServiceCollection AddOmniChannelKeyVaultSecrets(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (configuration.GetSection(KeyVault.KeyVaultOptions.SectionName).Get<KeyVault.KeyVaultOptions>() is not { VaultUri: { Length: > 0 } vaultUri })
        {
            return services;
        }

        services.AddOmniChannelCredential();
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<KeyVault.KeyVaultOptions>().BindConfiguration(KeyVault.KeyVaultOptions.SectionName);
        services.AddSingleton(provider => new global::Azure.Security.KeyVault.Secrets.SecretClient(new Uri(vaultUri), provider.GetRequiredService<TokenCredential>(), KeyVaultClientOptions()));
        services.AddSingleton<ISubscriberSecretStore>(provider => new KeyVault.KeyVaultSubscriberSecretStore(
            provider.GetRequiredService<global::Azure.Security.KeyVault.Secrets.SecretClient>(),
            provider.GetRequiredService<IOptions<KeyVault.KeyVaultOptions>>().Value,
            provider.GetRequiredService<TimeProvider>()));
        return services;
    }
}
