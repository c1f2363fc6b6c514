using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using OmniChannel.Api;
using OmniChannel.Core.Orders;
using OmniChannel.Core.Prices;
using OmniChannel.Workflows.Bopis;
using OmniChannel.Workflows.Prices;
using OmniChannel.Workflows.Remarketing;

namespace OmniChannel.Functions.Tests;

/// <summary>Reads the functions.metadata that the Functions SDK generates at build time: what the Azure host will index.</summary>
public sealed class FunctionsMetadataTests
{
    public static TheoryData<string, string, string, string> HttpFunctions => new()
    {
        { "CollectEvents", "post", "events", "Function" },
        { "GetCustomer", "get", "customers/{id}", "Function" },
        { "GetCustomerEvents", "get", "customers/{id}/events", "Function" },
        { "ListStores", "get", "stores", "Function" },
        { "GetStore", "get", "stores/{storeId}", "Function" },
        { "GetStoreInventory", "get", "stores/{storeId}/inventory/{sku}", "Function" },
        { "GetStoreOrders", "get", "stores/{storeId}/orders", "Function" },
        { "Health", "get", "health", "Anonymous" },
        { "PlaceOrder", "post", "orders", "Function" },
        { "GetOrder", "get", "orders/{id}", "Function" },
        { "CancelOrder", "post", "orders/{id}/cancel", "Function" },
        { "OrderPicked", "post", "stores/{storeId}/orders/{id}/picked", "Function" },
        { "OrderCollected", "post", "stores/{storeId}/orders/{id}/collected", "Function" },
        { "SubmitPriceChange", "post", "prices", "Admin" },
        { "GetPrice", "get", "prices/{sku}", "Function" },
        { "GetPriceChange", "get", "prices/changes/{id}", "Admin" },
        { "RetryPriceChange", "post", "prices/changes/{id}/retry", "Admin" },
        { "ListPriceSubscribers", "get", "prices/subscribers", "Admin" },
        { "GetPriceSubscriber", "get", "prices/subscribers/{id}", "Admin" },
        { "PutPriceSubscriber", "put", "prices/subscribers/{id}", "Admin" },
        { "DeletePriceSubscriber", "delete", "prices/subscribers/{id}", "Admin" },
        { "ListRemarketingRules", "get", "remarketing/rules", "Admin" },
        { "GetRemarketingRule", "get", "remarketing/rules/{id}", "Admin" },
        { "PutRemarketingRule", "put", "remarketing/rules/{id}", "Admin" },
        { "DeleteRemarketingRule", "delete", "remarketing/rules/{id}", "Admin" },
        { "SimulateRemarketingRule", "post", "remarketing/rules/{id}/simulate", "Admin" },
        { "ListDeadLetters", "get", "admin/deadletters", "Admin" },
        { "ReplayDeadLetters", "post", "admin/deadletters/replay", "Admin" },
        { "ListParked", "get", "admin/parked", "Admin" },
        { "ReplayParked", "post", "admin/parked/replay", "Admin" },
        { "GetInsightsSummary", "get", "insights/summary", "Admin" },
        { "ConsoleRoles", "post", "console/roles", "Anonymous" },
    };

    [Theory]
    [MemberData(nameof(HttpFunctions))]
    public void Metadata_HttpFunction_HasTriggerRouteMethodAndKeyLevel(string name, string method, string route, string authLevel)
    {
        var function = Functions().Single(f => f.GetProperty("name").GetString() == name);

        var trigger = function.GetProperty("bindings").EnumerateArray().Single(b => b.GetProperty("type").GetString() == "httpTrigger");
        Assert.Equal(route, trigger.GetProperty("route").GetString());
        Assert.Equal(new[] { method }, trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()!).ToArray());
        Assert.Equal(authLevel, trigger.GetProperty("authLevel").GetString());
        Assert.Contains(function.GetProperty("bindings").EnumerateArray(), b => b.GetProperty("type").GetString() == "http" && b.GetProperty("direction").GetString() == "Out");
    }

    [Fact]
    public void Metadata_WithoutEventHubsProperty_HasTheHttpAndWorkflowFunctionsOnly()
    {
        // The Event Hubs trigger is compiled only with -p:EnableEventHubsTrigger=true (its extension is not served here).
        var names = Functions().Select(f => f.GetProperty("name").GetString()!).Order().ToArray();
        var expected = HttpFunctions.Select(row => (string)row[0])
            .Append(BopisRegistration.NameOf(BopisRegistration.Orchestrator))
            .Concat(BopisRegistration.Activities.Select(BopisRegistration.NameOf))
            .Append(PriceRegistration.Orchestrator.Name)
            .Concat(PriceRegistration.Activities.Select(activity => activity.Name))
            .Append(RemarketingRegistration.Orchestrator.Name)
            .Concat(RemarketingRegistration.Activities.Select(activity => activity.Name));

        Assert.Equal(expected.Order().ToArray(), names);
    }

    [Fact]
    public void Metadata_BopisWorkflow_OrchestratorAndEveryActivityRegisteredUnderTheNamesTheOrchestratorCalls()
    {
        var functions = Functions().ToDictionary(f => f.GetProperty("name").GetString()!);

        Assert.Equal(BopisWorkflow.OrchestrationName, BopisRegistration.NameOf(BopisRegistration.Orchestrator));
        Assert.Equal("orchestrationTrigger", TriggerOf(functions[BopisWorkflow.OrchestrationName]));
        Assert.All(BopisRegistration.Activities, activity => Assert.Equal("activityTrigger", TriggerOf(functions[BopisRegistration.NameOf(activity)])));
        Assert.All(new[] { "PlaceOrder", "GetOrder", "CancelOrder", "OrderPicked", "OrderCollected" }, name =>
            Assert.Contains(functions[name].GetProperty("bindings").EnumerateArray(), b => b.GetProperty("type").GetString() == "durableClient"));
    }

    [Fact]
    public void Metadata_PriceWorkflow_OrchestratorAndEveryActivityRegisteredUnderTheNamesTheOrchestratorCalls()
    {
        var functions = Functions().ToDictionary(f => f.GetProperty("name").GetString()!);

        Assert.Equal(PriceFanOut.OrchestrationName, PriceRegistration.Orchestrator.Name);
        Assert.Equal("orchestrationTrigger", TriggerOf(functions[PriceFanOut.OrchestrationName]));
        Assert.Equal(
            new[] { PlanPriceDelivery.Name, DeliverPriceBatch.Name, DeliverPriceToSubscriber.Name, FinishPriceChange.Name }.Order(),
            PriceRegistration.Activities.Select(activity => activity.Name).Order());
        Assert.All(PriceRegistration.Activities, activity => Assert.Equal("activityTrigger", TriggerOf(functions[activity.Name])));
        Assert.All(new[] { "SubmitPriceChange", "GetPriceChange", "RetryPriceChange" }, name =>
            Assert.Contains(functions[name].GetProperty("bindings").EnumerateArray(), b => b.GetProperty("type").GetString() == "durableClient"));
    }

    [Fact]
    public void AdminRoutes_TheLocalHostsAdminCheckAgreesWithTheFunctionsKeyLevels()
    {
        // The local host decides "admin" with ApiRoutes.IsAdmin; Azure with each function's authLevel. They must agree.
        var triggers = Functions()
            .SelectMany(f => f.GetProperty("bindings").EnumerateArray())
            .Where(b => b.GetProperty("type").GetString() == "httpTrigger")
            .ToList();

        Assert.Contains(triggers, trigger => trigger.GetProperty("authLevel").GetString() == "Admin");
        Assert.All(triggers, trigger =>
        {
            var method = trigger.GetProperty("methods")[0].GetString()!.ToUpperInvariant();
            var route = trigger.GetProperty("route").GetString()!.Replace("{sku}", "SKU-1", StringComparison.Ordinal).Replace("{id}", "x-1", StringComparison.Ordinal);
            Assert.Equal(trigger.GetProperty("authLevel").GetString() == "Admin", ApiRoutes.IsAdmin(method, "/" + route));
        });
    }

    private static string? TriggerOf(JsonElement function) =>
        function.GetProperty("bindings").EnumerateArray().Single(b => b.GetProperty("direction").GetString() == "In" && b.GetProperty("type").GetString()!.EndsWith("Trigger", StringComparison.Ordinal)).GetProperty("type").GetString();

    [Fact]
    public void LocalRoutes_MatchFunctionRoutes_OneForOne()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Services.AddRouting().AddOmniChannelApi();
        var app = builder.Build();
        app.MapOmniChannelApi();
        var local = ((IEndpointRouteBuilder)app).DataSources
            .SelectMany(source => source.Endpoints)
            .OfType<RouteEndpoint>()
            .Select(endpoint => $"{endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()!.HttpMethods.Single().ToLowerInvariant()} {endpoint.RoutePattern.RawText!.TrimStart('/')}")
            .Order()
            .ToArray();

        var azure = Functions()
            .Where(f => f.GetProperty("bindings").EnumerateArray().Any(b => b.GetProperty("type").GetString() == "httpTrigger"))
            .Select(f => f.GetProperty("bindings").EnumerateArray().Single(b => b.GetProperty("type").GetString() == "httpTrigger"))
            .Select(trigger => $"{trigger.GetProperty("methods")[0].GetString()} {ApiRoutes.Prefix}/{trigger.GetProperty("route").GetString()}")
            .Order()
            .ToArray();

        Assert.Equal(azure, local);
    }

    [Fact]
    public void HostJson_InOutput_HasApiRoutePrefixAndBatchedEventHubSettings()
    {
        using var hostJson = JsonDocument.Parse(File.ReadAllText(Path.Combine(FunctionsOutput(), "host.json")));
        var extensions = hostJson.RootElement.GetProperty("extensions");

        Assert.Equal("2.0", hostJson.RootElement.GetProperty("version").GetString());
        Assert.Equal(ApiRoutes.Prefix, extensions.GetProperty("http").GetProperty("routePrefix").GetString());
        Assert.True(extensions.GetProperty("eventHubs").GetProperty("maxEventBatchSize").GetInt32() >= 100);
        Assert.False(hostJson.RootElement.GetProperty("logging").TryGetProperty("extensions", out _));

        // The Durable section sits at the top level of extensions (an official sample nests it under logging, where it is ignored).
        Assert.Equal("%TaskHubName%", extensions.GetProperty("durableTask").GetProperty("hubName").GetString());
    }

    private static List<JsonElement> Functions()
    {
        var path = Path.Combine(FunctionsOutput(), "functions.metadata");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.EnumerateArray().Select(element => element.Clone()).ToList();
    }

    private static string FunctionsOutput()
    {
        // tests/OmniChannel.Functions.Tests/bin/<Configuration>/net10.0 → functions/OmniChannel.Functions/bin/<Configuration>/net10.0
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = testOutput.Name;
        var configuration = testOutput.Parent!.Name;
        var root = testOutput.Parent!.Parent!.Parent!.Parent!.Parent!.FullName;
        var output = Path.Combine(root, "functions", "OmniChannel.Functions", "bin", configuration, framework);
        Assert.True(File.Exists(Path.Combine(output, "functions.metadata")), $"functions.metadata not found in {output}; build the solution first.");
        return output;
    }
}
