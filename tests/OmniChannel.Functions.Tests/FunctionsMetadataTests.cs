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
    /// <summary>
    /// Every HTTP function with its method, route and who opens it: <c>open</c>, <c>signed</c> (its own signature check),
    /// or the key roles joined by <c>+</c>, as <see cref="OmniChannel.Api.Security.RouteAccess.Of"/> must answer. A new
    /// function fails <see cref="Metadata_WithoutEventHubsProperty_HasTheHttpWorkflowAndTimerFunctionsOnly"/> until it
    /// has a row here, so no route slips through without a decision on its roles.
    /// </summary>
    public static TheoryData<string, string, string, string> HttpFunctions => new()
    {
        { "CollectEvents", "post", "events", "collect+admin" },
        { "GetCustomer", "get", "customers/{id}", "service+admin" },
        { "GetCustomerEvents", "get", "customers/{id}/events", "service+admin" },
        { "EraseCustomer", "delete", "customers/{id}", "admin" },
        { "GetCustomerMerges", "get", "customers/{id}/merges", "admin" },
        { "UndoCustomerMerge", "post", "customers/{id}/merges/{mergeId}/undo", "admin" },
        { "ListStores", "get", "stores", "collect+store+admin" },
        { "GetStore", "get", "stores/{storeId}", "collect+store+admin" },
        { "GetStoreInventory", "get", "stores/{storeId}/inventory/{sku}", "collect+store+admin" },
        { "GetStoreOrders", "get", "stores/{storeId}/orders", "store+admin" },
        { "StoreReturn", "post", "stores/{storeId}/returns", "store+admin" },
        { "Health", "get", "health", "open" },
        { "PlaceOrder", "post", "orders", "collect+admin" },
        { "GetOrder", "get", "orders/{id}", "service+store+admin" },
        { "CancelOrder", "post", "orders/{id}/cancel", "store+admin" },
        { "OrderArrived", "post", "orders/{id}/arrived", "collect+admin" },
        { "PickOrder", "post", "orders/{id}/picked", "store+admin" },
        { "OrderPicked", "post", "stores/{storeId}/orders/{id}/picked", "store+admin" },
        { "OrderCollected", "post", "stores/{storeId}/orders/{id}/collected", "store+admin" },
        { "SubmitPriceChange", "post", "prices", "admin" },
        { "GetPrice", "get", "prices/{sku}", "collect+store+admin" },
        { "GetPriceChange", "get", "prices/changes/{id}", "admin" },
        { "RetryPriceChange", "post", "prices/changes/{id}/retry", "admin" },
        { "ListPriceSubscribers", "get", "prices/subscribers", "admin" },
        { "GetPriceSubscriber", "get", "prices/subscribers/{id}", "admin" },
        { "PutPriceSubscriber", "put", "prices/subscribers/{id}", "admin" },
        { "DeletePriceSubscriber", "delete", "prices/subscribers/{id}", "admin" },
        { "ListRemarketingRules", "get", "remarketing/rules", "admin" },
        { "GetRemarketingRule", "get", "remarketing/rules/{id}", "admin" },
        { "PutRemarketingRule", "put", "remarketing/rules/{id}", "admin" },
        { "DeleteRemarketingRule", "delete", "remarketing/rules/{id}", "admin" },
        { "SimulateRemarketingRule", "post", "remarketing/rules/{id}/simulate", "admin" },
        { "ListDeadLetters", "get", "admin/deadletters", "admin" },
        { "ReplayDeadLetters", "post", "admin/deadletters/replay", "admin" },
        { "ListParked", "get", "admin/parked", "admin" },
        { "ReplayParked", "post", "admin/parked/replay", "admin" },
        { "ListViolations", "get", "operations/violations", "admin" },
        { "ListCouponConflicts", "get", "operations/coupon-conflicts", "admin" },
        { "ListRefunds", "get", "operations/refunds", "admin" },
        { "ValidateCoupon", "post", "coupons/{code}/validate", "store+admin" },
        { "RedeemCoupon", "post", "coupons/{code}/redeem", "store+admin" },
        { "GetInsightsSummary", "get", "insights/summary", "admin" },
        { "ConsoleRoles", "post", "console/roles", "open" },
        { "PaymentRefundEvent", "post", "payments/refunds/events", "signed" },
        { "GetOpenApiDocument", "get", "openapi.json", "open" },
    };

    [Theory]
    [MemberData(nameof(HttpFunctions))]
    public void Metadata_HttpFunction_HasTriggerRouteAndMethod_AnonymousToTheHost_WithTheWorkersKeyRoles(string name, string method, string route, string access)
    {
        var function = Functions().Single(f => f.GetProperty("name").GetString() == name);

        var trigger = function.GetProperty("bindings").EnumerateArray().Single(b => b.GetProperty("type").GetString() == "httpTrigger");
        Assert.Equal(route, trigger.GetProperty("route").GetString());
        Assert.Equal(new[] { method }, trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()!).ToArray());
        // The host checks no key: the worker's one access check does, so the console's signed-in users can be let in too.
        Assert.Equal("Anonymous", trigger.GetProperty("authLevel").GetString());
        Assert.Equal(access, Opens(method, route));
        Assert.Contains(function.GetProperty("bindings").EnumerateArray(), b => b.GetProperty("type").GetString() == "http" && b.GetProperty("direction").GetString() == "Out");
    }

    [Fact]
    public void Metadata_WithoutEventHubsProperty_HasTheHttpWorkflowAndTimerFunctionsOnly()
    {
        // The Event Hubs trigger is compiled only with -p:EnableEventHubsTrigger=true (its extension is not served here).
        var names = Functions().Select(f => f.GetProperty("name").GetString()!).Order().ToArray();
        var expected = HttpFunctions.Select(row => (string)row[0])
            .Append("SweepReservations")
            .Append("PurgeCompletedWorkflows")
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
    public void Metadata_CompletedWorkflowPurge_IsAnHourlyTimerWithTheDurableClient()
    {
        var purge = Functions().Single(f => f.GetProperty("name").GetString() == "PurgeCompletedWorkflows");

        Assert.Equal("timerTrigger", TriggerOf(purge));
        Assert.Contains(purge.GetProperty("bindings").EnumerateArray(), binding => binding.TryGetProperty("schedule", out var schedule) && schedule.GetString() == "0 20 * * * *");
        Assert.Contains(purge.GetProperty("bindings").EnumerateArray(), binding => binding.GetProperty("type").GetString() == "durableClient");
    }

    [Fact]
    public void Metadata_BopisWorkflow_OrchestratorAndEveryActivityRegisteredUnderTheNamesTheOrchestratorCalls()
    {
        var functions = Functions().ToDictionary(f => f.GetProperty("name").GetString()!);

        Assert.Equal(BopisWorkflow.OrchestrationName, BopisRegistration.NameOf(BopisRegistration.Orchestrator));
        Assert.Equal("orchestrationTrigger", TriggerOf(functions[BopisWorkflow.OrchestrationName]));
        Assert.All(BopisRegistration.Activities, activity => Assert.Equal("activityTrigger", TriggerOf(functions[BopisRegistration.NameOf(activity)])));
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
    }

    [Fact]
    public void Metadata_EveryFunctionButOrchestrators_DeclaresTheDurableClientBinding()
    {
        // The rule that keeps the workflow port working on Azure: the worker hands out a Durable client only as an
        // input binding, and any function may reach the port (replaying a parked batch starts orders' workflows), so
        // every function declares one and the worker's middleware makes it the invocation's client. Orchestrators
        // talk to their workflow through their context and take no other input.
        var lacking = Functions()
            .Where(function => TriggerOf(function) != "orchestrationTrigger")
            .Where(function => !function.GetProperty("bindings").EnumerateArray().Any(b => b.GetProperty("type").GetString() == "durableClient" && b.GetProperty("direction").GetString() == "In"))
            .Select(function => function.GetProperty("name").GetString())
            .ToArray();

        Assert.True(lacking.Length == 0, $"Functions without a [DurableClient] DurableTaskClient parameter: {string.Join(", ", lacking)}");
    }

    [Fact]
    public void Metadata_Orchestrators_DeclareNoDurableClientBinding()
    {
        var orchestrators = Functions().Where(function => TriggerOf(function) == "orchestrationTrigger").ToArray();

        Assert.Equal(WorkflowVersions.Orchestrations.Order(), orchestrators.Select(function => function.GetProperty("name").GetString()!).Order());
        Assert.All(orchestrators, function => Assert.DoesNotContain(function.GetProperty("bindings").EnumerateArray(), b => b.GetProperty("type").GetString() == "durableClient"));
    }

    /// <summary>Who <see cref="OmniChannel.Api.Security.RouteAccess.Of"/> lets through on a route template, in the table's notation.</summary>
    public static string Opens(string method, string route)
    {
        var access = OmniChannel.Api.Security.RouteAccess.Of(method.ToUpperInvariant(), Concrete(route));
        return access.Level switch
        {
            OmniChannel.Api.Security.AccessLevel.Key => string.Join('+', access.KeyRoles),
            var level => level.ToString().ToLowerInvariant(),
        };
    }

    /// <summary>A path that a route template matches, its parameters filled in.</summary>
    public static string Concrete(string route) =>
        route.Replace("{storeId}", "0001", StringComparison.Ordinal).Replace("{id}", "x-1", StringComparison.Ordinal)
            .Replace("{sku}", "SKU-1", StringComparison.Ordinal).Replace("{code}", "OC-AAAA-BBBB-CC", StringComparison.Ordinal)
            .Replace("{mergeId}", "m-1", StringComparison.Ordinal);

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
    public void HostJson_Telemetry_OpenTelemetryModeAndDurableDistributedTracingV2()
    {
        using var hostJson = JsonDocument.Parse(File.ReadAllText(Path.Combine(FunctionsOutput(), "host.json")));
        var tracing = hostJson.RootElement.GetProperty("extensions").GetProperty("durableTask").GetProperty("tracing");

        // The host exports through OpenTelemetry like the worker, and orchestrations and activities join the trace of
        // whatever started them (ingest's span of the event), so one trace runs from the channel to the workflow.
        Assert.Equal("OpenTelemetry", hostJson.RootElement.GetProperty("telemetryMode").GetString());
        Assert.True(tracing.GetProperty("distributedTracingEnabled").GetBoolean());
        Assert.Equal("V2", tracing.GetProperty("version").GetString());
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
