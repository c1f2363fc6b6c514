using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace OmniChannel.Api;

/// <summary>Maps every route onto its handler for an ASP.NET Core host (the local host, tests); the Functions app maps the same handlers with triggers.</summary>
public static class EndpointRouteBuilderExtensions
{
    public static RouteGroupBuilder MapOmniChannelApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/" + ApiRoutes.Prefix);
        api.MapPost(ApiRoutes.Events, (HttpRequest request, EventsApi handler, CancellationToken token) => handler.CollectAsync(request, token));
        api.MapGet(ApiRoutes.Customer, (string id, CustomersApi handler, CancellationToken token) => handler.GetAsync(id, token));
        api.MapDelete(ApiRoutes.Customer, (string id, ErasureApi handler, CancellationToken token) => handler.EraseAsync(id, token));
        api.MapGet(ApiRoutes.CustomerEvents, (string id, HttpRequest request, CustomersApi handler, CancellationToken token) => handler.GetEventsAsync(id, request, token));
        api.MapGet(ApiRoutes.CustomerMerges, (string id, CustomersApi handler, CancellationToken token) => handler.GetMergesAsync(id, token));
        api.MapPost(ApiRoutes.CustomerMergeUndo, (string id, string mergeId, CustomersApi handler, CancellationToken token) => handler.UndoMergeAsync(id, mergeId, token));
        api.MapGet(ApiRoutes.Stores, (StoresApi handler, CancellationToken token) => handler.ListAsync(token));
        api.MapGet(ApiRoutes.Store, (string storeId, StoresApi handler, CancellationToken token) => handler.GetAsync(storeId, token));
        api.MapGet(ApiRoutes.StoreInventory, (string storeId, string sku, StoresApi handler, CancellationToken token) => handler.GetInventoryAsync(storeId, sku, token));
        api.MapGet(ApiRoutes.StoreOrders, (string storeId, HttpRequest request, StoresApi handler, CancellationToken token) => handler.GetOrdersAsync(storeId, request, token));
        api.MapPost(ApiRoutes.StoreReturns, (string storeId, HttpRequest request, ReturnsApi handler, CancellationToken token) => handler.ReturnAsync(storeId, request, token));
        api.MapGet(ApiRoutes.Health, (HealthApi handler, CancellationToken token) => handler.CheckAsync(token));
        api.MapPost(ApiRoutes.Orders, (HttpRequest request, OrdersApi handler, CancellationToken token) => handler.PlaceAsync(request, token));
        api.MapGet(ApiRoutes.Order, (string id, OrdersApi handler, CancellationToken token) => handler.GetAsync(id, token));
        api.MapPost(ApiRoutes.OrderCancel, (string id, OrdersApi handler, CancellationToken token) => handler.CancelAsync(id, token));
        api.MapPost(ApiRoutes.OrderArrived, (string id, OrdersApi handler, CancellationToken token) => handler.ArrivedAsync(id, token));
        api.MapPost(ApiRoutes.OrderPicked, (string id, HttpRequest request, OrdersApi handler, CancellationToken token) => handler.PickedAsync(request, null, id, token));
        api.MapPost(ApiRoutes.StoreOrderPicked, (string storeId, string id, HttpRequest request, OrdersApi handler, CancellationToken token) => handler.PickedAsync(request, storeId, id, token));
        api.MapPost(ApiRoutes.StoreOrderCollected, (string storeId, string id, OrdersApi handler, CancellationToken token) => handler.CollectedAsync(storeId, id, token));
        api.MapPost(ApiRoutes.Prices, (HttpRequest request, PricesApi handler, CancellationToken token) => handler.SubmitAsync(request, token));
        api.MapGet(ApiRoutes.Price, (string sku, HttpRequest request, PricesApi handler, CancellationToken token) => handler.PriceAsync(sku, request, token));
        api.MapGet(ApiRoutes.PriceChange, (string id, HttpRequest request, PricesApi handler, CancellationToken token) => handler.ReportAsync(id, request, token));
        api.MapPost(ApiRoutes.PriceChangeRetry, (string id, PricesApi handler, CancellationToken token) => handler.RetryAsync(id, token));
        api.MapGet(ApiRoutes.PriceSubscribers, (PricesApi handler, CancellationToken token) => handler.ListSubscribersAsync(token));
        api.MapGet(ApiRoutes.PriceSubscriber, (string id, PricesApi handler, CancellationToken token) => handler.GetSubscriberAsync(id, token));
        api.MapPut(ApiRoutes.PriceSubscriber, (string id, HttpRequest request, PricesApi handler, CancellationToken token) => handler.PutSubscriberAsync(id, request, token));
        api.MapDelete(ApiRoutes.PriceSubscriber, (string id, PricesApi handler, CancellationToken token) => handler.DeleteSubscriberAsync(id, token));
        api.MapGet(ApiRoutes.RemarketingRules, (RemarketingApi handler, CancellationToken token) => handler.ListAsync(token));
        api.MapGet(ApiRoutes.RemarketingRule, (string id, HttpResponse response, RemarketingApi handler, CancellationToken token) => handler.GetAsync(id, response, token));
        api.MapPut(ApiRoutes.RemarketingRule, (string id, HttpRequest request, RemarketingApi handler, CancellationToken token) => handler.PutAsync(id, request, token));
        api.MapDelete(ApiRoutes.RemarketingRule, (string id, HttpRequest request, RemarketingApi handler, CancellationToken token) => handler.DeleteAsync(id, request, token));
        api.MapGet(ApiRoutes.AdminDeadLetters, (HttpRequest request, AdminApi handler, CancellationToken token) => handler.ListDeadLettersAsync(request, token));
        api.MapPost(ApiRoutes.AdminDeadLettersReplay, (HttpRequest request, AdminApi handler, CancellationToken token) => handler.ReplayDeadLettersAsync(request, token));
        api.MapGet(ApiRoutes.AdminParked, (HttpRequest request, AdminApi handler, CancellationToken token) => handler.ListParkedAsync(request, token));
        api.MapPost(ApiRoutes.AdminParkedReplay, (HttpRequest request, AdminApi handler, CancellationToken token) => handler.ReplayParkedAsync(request, token));
        api.MapGet(ApiRoutes.OperationsViolations, (HttpRequest request, AdminApi handler, CancellationToken token) => handler.ListViolationsAsync(request, token));
        api.MapGet(ApiRoutes.OperationsRefunds, (HttpRequest request, AdminApi handler, CancellationToken token) => handler.ListRefundsAsync(request, token));
        api.MapGet(ApiRoutes.OperationsCouponConflicts, (HttpRequest request, AdminApi handler, CancellationToken token) => handler.ListCouponConflictsAsync(request, token));
        api.MapPost(ApiRoutes.CouponValidate, (string code, HttpRequest request, CouponsApi handler, CancellationToken token) => handler.ValidateAsync(code, request, token));
        api.MapPost(ApiRoutes.CouponRedeem, (string code, HttpRequest request, CouponsApi handler, CancellationToken token) => handler.RedeemAsync(code, request, token));
        api.MapGet(ApiRoutes.InsightsSummary, (HttpRequest request, InsightsApi handler, CancellationToken token) => handler.SummaryAsync(request, token));
        api.MapPost(ApiRoutes.PaymentRefundEvents, (HttpRequest request, PaymentsApi handler, CancellationToken token) => handler.RefundEventAsync(request, token));
        api.MapPost(ApiRoutes.ConsoleRoles, (HttpRequest request, ConsoleRolesApi handler, CancellationToken token) => handler.RolesAsync(request, token));
        api.MapPost(ApiRoutes.RemarketingRuleSimulate, (string id, HttpRequest request, RemarketingApi handler, CancellationToken token) => handler.SimulateAsync(id, request, token));
        api.MapGet(ApiRoutes.OpenApiDocument, (OpenApi.OpenApiApi handler) => handler.GetAsync());
        return api;
    }

    /// <summary>Turns any exception that escapes a handler into problem+json, with the same mapping as the Functions app.</summary>
    public static IApplicationBuilder UseOmniChannelProblems(this IApplicationBuilder app) =>
        app.UseExceptionHandler(errorApp => errorApp.Run(async context =>
        {
            var exception = context.Features.Get<Microsoft.AspNetCore.Diagnostics.IExceptionHandlerFeature>()?.Error;
            var result = exception is null ? Results.Problem() : Problems.FromException(exception, context);
            await result.ExecuteAsync(context);
        }));
}
