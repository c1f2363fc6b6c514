using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.DependencyInjection;

namespace OmniChannel.Api;

public static class ServiceCollectionExtensions
{
    /// <summary>The HTTP handlers and their JSON settings, for either host.</summary>
    public static IServiceCollection AddOmniChannelApi(this IServiceCollection services)
    {
        services.ConfigureHttpJsonOptions(options =>
        {
            options.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
            options.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        });
        services.AddProblemDetails();
        services.AddSingleton<EventsApi>();
        services.AddSingleton<CustomersApi>();
        services.AddSingleton<ErasureApi>();
        services.AddSingleton<StoresApi>();
        services.AddSingleton<HealthApi>();
        services.AddSingleton<OrdersApi>();
        services.AddSingleton<ReturnsApi>();
        services.AddSingleton<CouponsApi>();
        services.AddSingleton<PricesApi>();
        services.AddSingleton<RemarketingApi>();
        services.AddSingleton<AdminApi>();
        services.AddSingleton<InsightsApi>();
        services.AddSingleton<ConsoleRolesApi>();
        services.AddSingleton<PaymentsApi>();
        services.AddSingleton<OpenApi.OpenApiApi>();
        services.AddSingleton<OpenApi.OpenApiDocumentSource>();
        services.AddOptions<Core.Handoffs.HandoffOptions>().BindConfiguration(Core.Handoffs.HandoffOptions.SectionName);
        services.AddOptions<Security.ApiAccessOptions>().BindConfiguration(Security.ApiAccessOptions.SectionName);
        services.AddSingleton<Security.ApiAccessCheck>();
        services.AddOptions<Security.ApiRateLimitOptions>().BindConfiguration(Security.ApiRateLimitOptions.SectionName);
        services.AddSingleton<Security.ApiRateLimiter>();
        return services;
    }
}
