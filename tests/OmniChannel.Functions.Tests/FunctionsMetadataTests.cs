using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using OmniChannel.Api;
using OmniChannel.Core;
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
        { "CollectEvents", "post", "events", "Channel" },
        { "GetCustomer", "get", "customers/{id}", "Channel" },
        { "GetCustomerEvents", "get", "customers/{id}/events", "Channel" },
        { "EraseCustomer", "delete", "customers/{id}", "Admin" },
        { "GetCustomerMerges", "get", "customers/{id}/merges", "Admin" },
        { "UndoCustomerMerge", "post", "customers/{id}/merges/{mergeId}/undo", "Admin" },
        { "ListStores", "get", "stores", "Channel" },
        { "GetStore", "get", "stores/{storeId}", "Channel" },
        { "GetStoreInventory", "get", "stores/{storeId}/inventory/{sku}", "Channel" },
        { "GetStoreOrders", "get", "stores/{storeId}/orders", "Channel" },
        { "StoreReturn", "post", "stores/{storeId}/returns", "Channel" },
        { "Health", "get", "health", "Open" },
        { "PlaceOrder", "post", "orders", "Channel" },
        { "GetOrder", "get", "orders/{id}", "Channel" },
        { "CancelOrder", "post", "orders/{id}/cancel", "Channel" },
        { "OrderArrived", "post", "orders/{id}/arrived", "Channel" },
        { "PickOrder", "post", "orders/{id}/picked", "Channel" },
        { "OrderPicked", "post", "stores/{storeId}/orders/{id}/picked", "Channel" },
        { "OrderCollected", "post", "stores/{storeId}/orders/{id}/collected", "Channel" },
        { "SubmitPriceChange", "post", "prices", "Admin" },
        { "GetPrice", "get", "prices/{sku}", "Channel" },
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
        { "ListViolations", "get", "operations/violations", "Admin" },
        { "ListCouponConflicts", "get", "operations/coupon-conflicts", "Admin" },
        { "ListRefunds", "get", "operations/refunds", "Admin" },
        { "ValidateCoupon", "post", "coupons/{code}/validate", "Channel" },
        { "RedeemCoupon", "post", "coupons/{code}/redeem", "Channel" },
        { "GetInsightsSummary", "get", "insights/summary", "Admin" },
        { "ConsoleRoles", "post", "console/roles", "Open" },
        { "PaymentRefundEvent", "post", "payments/refunds/events", "Signed" },
        { "GetOpenApiDocument", "get", "openapi.json", "Open" },
    };

    [Theory]
    [MemberData(nameof(HttpFunctions))]
    public void Metadata_HttpFunction_HasTriggerRouteAndMethod_AnonymousToTheHost_WithTheWorkersAccessLevel(string name, string method, string route, string access)
    {
        var function = Functions().Single(f => f.GetProperty("name").GetString() == name);

        var trigger = function.GetProperty("bindings").EnumerateArray().Single(b => b.GetProperty("type").GetString() == "httpTrigger");
        Assert.Equal(route, trigger.GetProperty("route").GetString());
        Assert.Equal(new[] { method }, trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()!).ToArray());
        // The host checks no key: the worker's one access check does, so the console's signed-in users can be let in too.
        Assert.Equal("Anonymous", trigger.GetProperty("authLevel").GetString());
        var concreteRoute = route.Replace("{storeId}", "0001", StringComparison.Ordinal).Replace("{id}", "x-1", StringComparison.Ordinal).Replace("{sku}", "SKU-1", StringComparison.Ordinal);
        Assert.Equal(access, OmniChannel.Api.Security.RouteAccess.Of(method.ToUpperInvariant(), concreteRoute).Level.ToString());
        Assert.Contains(function.GetProperty("bindings").EnumerateArray(), b => b.GetProperty("type").GetString() == "http" && b.GetProperty("direction").GetString() == "Out");
    }

    [Fact]
    public void Metadata_WithoutEventHubsProperty_HasTheHttpWorkflowAndTimerFunctionsOnly()
    {
        // The Event Hubs trigger is compiled only with -p:EnableEventHubsTrigger=true (its extension is not served here).
        var names = Functions().Select(f => f.GetProperty("name").GetString()!).Order().ToArray();
        var expected = HttpFunctions.Select(row => (string)row[0])
            .Append("SweepReservations")
            .Append(BopisRegistration.NameOf(BopisRegistration.Orchestrator))
            .Concat(BopisRegistration.Activities.Select(BopisRegistration.NameOf))
            .Append(PriceRegistration.Orchestrator.Name)
            .Concat(PriceRegistration.Activities.Select(activity => activity.Name))
            .Append(RemarketingRegistration.Orchestrator.Name)
            .Concat(RemarketingRegistration.Activities.Select(activity => activity.Name));

        Assert.Equal(expected.Order().ToArray(), names);
    }

    [Fact]
    public void Metadata_ReservationSweep_IsATimerEvery15Minutes()
    {
        var sweep = Functions().Single(f => f.GetProperty("name").GetString() == "SweepReservations");

        Assert.Equal("timerTrigger", TriggerOf(sweep));
        Assert.Contains(sweep.GetProperty("bindings").EnumerateArray(), binding => binding.TryGetProperty("schedule", out var schedule) && schedule.GetString() == "0 */15 * * * *");
    }

    [Fact]
    public void Metadata_BopisWorkflow_OrchestratorAndEveryActivityRegisteredUnderTheNamesTheOrchestratorCalls()
    {
        var functions = Functions().ToDictionary(f => f.GetProperty("name").GetString()!);

        Assert.Equal(BopisWorkflow.OrchestrationName, BopisRegistration.NameOf(BopisRegistration.Orchestrator));
        Assert.Equal("orchestrationTrigger", TriggerOf(functions[BopisWorkflow.OrchestrationName]));
        Assert.All(BopisRegistration.Activities, activity => Assert.Equal("activityTrigger", TriggerOf(functions[BopisRegistration.NameOf(activity)])));
        Assert.All(new[] { "PlaceOrder", "GetOrder", "CancelOrder", "OrderArrived", "PickOrder", "OrderPicked", "OrderCollected", "PaymentRefundEvent" }, name =>
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

    [Fact]
    public void HostJson_DurableVersioning_TheAppsVersionIsTheNewestWorkflowVersionAndNewerInstancesWait()
    {
        using var hostJson = JsonDocument.Parse(File.ReadAllText(Path.Combine(FunctionsOutput(), "host.json")));
        var durable = hostJson.RootElement.GetProperty("extensions").GetProperty("durableTask");
        var newest = WorkflowVersions.Orchestrations.Select(WorkflowVersions.Current).MaxBy(Version.Parse);

        // The worker runs instances of its own version or older; one started by a newer deployment is handed back
        // (Reject) for a newer worker instead of being replayed, and failed, by code that does not know its steps.
        Assert.Equal(newest, durable.GetProperty("defaultVersion").GetString());
        Assert.Equal("CurrentOrOlder", durable.GetProperty("versionMatchStrategy").GetString());
        Assert.Equal("Reject", durable.GetProperty("versionFailureStrategy").GetString());
    }

    internal static List<JsonElement> Functions()
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
