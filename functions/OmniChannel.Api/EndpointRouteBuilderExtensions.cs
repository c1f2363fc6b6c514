using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using OmniChannel.Api.OpenApi;
using OmniChannel.Core.Customers;
using OmniChannel.Core.Identity;
using OmniChannel.Core.Ingest;
using OmniChannel.Core.Insights;
using OmniChannel.Core.Orders;
using OmniChannel.Core.Prices;
using OmniChannel.Core.Remarketing;
using OmniChannel.Core.Stores;

namespace OmniChannel.Api;

/// <summary>Maps every route onto its handler for an ASP.NET Core host (the local host, tests); the Functions app maps the same handlers with triggers.</summary>
public static class EndpointRouteBuilderExtensions
{
    public static RouteGroupBuilder MapOmniChannelApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/" + ApiRoutes.Prefix);
        const int BadRequest = StatusCodes.Status400BadRequest;
        const int NotFound = StatusCodes.Status404NotFound;
        const int Conflict = StatusCodes.Status409Conflict;
        const string Limit = "How many to list, 1 to 1000 (default 100).";
        const string PickBody = "Empty or {} for a full pick; else {lines: [{sku, picked, substituteSku?, substituted?}]}";

        api.MapPost(ApiRoutes.Events, (HttpRequest request, EventsApi handler, CancellationToken token) => handler.CollectAsync(request, token))
            .Describe("CollectEvents", "Events", "Collect one CloudEvent or a batch, in any CloudEvents HTTP content mode")
            .Body("A CloudEvent (structured mode), a batch, or the data with ce-* headers (binary mode)", optional: false,
                "application/cloudevents+json", "application/cloudevents-batch+json", "application/json")
            .Produces<CollectAccepted>(StatusCodes.Status202Accepted).Problems(BadRequest, StatusCodes.Status415UnsupportedMediaType);
        api.MapGet(ApiRoutes.Customer, (string id, CustomersApi handler, CancellationToken token) => handler.GetAsync(id, token))
            .Describe("GetCustomer", "Customers", "A customer's 360: profile, identities, consents, orders")
            .Produces<Customer360>().Problems(NotFound);
        api.MapDelete(ApiRoutes.Customer, (string id, ErasureApi handler, CancellationToken token) => handler.EraseAsync(id, token))
            .Describe("EraseCustomer", "Customers", "Erase a person everywhere (right to erasure)")
            .Produces<ErasureReport>().Problems(NotFound);
        api.MapGet(ApiRoutes.CustomerEvents, (string id, HttpRequest request, CustomersApi handler, CancellationToken token) => handler.GetEventsAsync(id, request, token))
            .Describe("GetCustomerEvents", "Customers", "A customer's cross-channel timeline, newest first, a page at a time")
            .Query("limit", $"Events per page, 1 to {CustomerQueries.MaxPageSize} (default {CustomerQueries.DefaultPageSize}).").Query("continuation", "The previous page's continuation.")
            .Produces<CustomerTimeline>().Problems(BadRequest, NotFound);
        api.MapGet(ApiRoutes.CustomerMerges, (string id, CustomersApi handler, CancellationToken token) => handler.GetMergesAsync(id, token))
            .Describe("GetCustomerMerges", "Customers", "The merges recorded on a person's profile, and the identifiers kept out or apart")
            .Produces<CustomerMerges>().Problems(NotFound);
        api.MapPost(ApiRoutes.CustomerMergeUndo, (string id, string mergeId, CustomersApi handler, CancellationToken token) => handler.UndoMergeAsync(id, mergeId, token))
            .Describe("UndoCustomerMerge", "Customers", "Undo a merge: split the merged profile back out (an undone merge answers alreadyUndone)")
            .ProducesEither<MergeUndone, MergeAlreadyUndone>().Problems(NotFound);
        api.MapGet(ApiRoutes.Stores, (StoresApi handler, CancellationToken token) => handler.ListAsync(token))
            .Describe("ListStores", "Stores", "The store directory")
            .Produces<IReadOnlyList<Store>>();
        api.MapGet(ApiRoutes.Store, (string storeId, StoresApi handler, CancellationToken token) => handler.GetAsync(storeId, token))
            .Describe("GetStore", "Stores", "One store")
            .Produces<Store>().Problems(NotFound);
        api.MapGet(ApiRoutes.StoreInventory, (string storeId, string sku, StoresApi handler, CancellationToken token) => handler.GetInventoryAsync(storeId, sku, token))
            .Describe("GetStoreInventory", "Stores", "A SKU's stock at a store: on hand, reserved for pickup, available")
            .Produces<StockLevel>().Problems(NotFound);
        api.MapGet(ApiRoutes.StoreOrders, (string storeId, HttpRequest request, StoresApi handler, CancellationToken token) => handler.GetOrdersAsync(storeId, request, token))
            .Describe("GetStoreOrders", "Stores", "A store's pickup queue")
            .Query("status", $"Keep only these parts of the queue, comma-separated: {string.Join(", ", StoreQueueFilter.AllowedValues)}.")
            .Produces<StoreQueue>().Problems(BadRequest, NotFound);
        api.MapPost(ApiRoutes.StoreReturns, (string storeId, HttpRequest request, ReturnsApi handler, CancellationToken token) => handler.ReturnAsync(storeId, request, token))
            .Describe("StoreReturn", "Stores", "Units of a collected order brought back to a store (idempotent by returnId)")
            .JsonBody("{returnId, orderId, lines: [{sku, quantity}], reason?}")
            .Produces<ReturnReceipt>(StatusCodes.Status201Created).Problems(BadRequest, NotFound, Conflict);
        api.MapGet(ApiRoutes.Health, (HttpRequest request, HealthApi handler, CancellationToken token) => handler.CheckAsync(request, token))
            .Describe("Health", "Operations", "Liveness for anyone; with a key that may read them, every dependency's probe and what waits for operations")
            .ProducesEither<HealthReport, HealthLiveness>().Produces<HealthReport>(StatusCodes.Status503ServiceUnavailable);
        api.MapPost(ApiRoutes.Orders, (HttpRequest request, OrdersApi handler, CancellationToken token) => handler.PlaceAsync(request, token))
            .Describe("PlaceOrder", "Orders", "Place a pickup order (the data of omni.order.placed plus customerid), reserving its stock")
            .JsonBody("{orderid, customerid, storeid, fulfilment: pickup, lines: [{sku, quantity, price}], channel?, paymentreference?}")
            .Produces<PickupOrder>(StatusCodes.Status202Accepted).Problems(BadRequest, Conflict, StatusCodes.Status422UnprocessableEntity);
        api.MapGet(ApiRoutes.Order, (string id, OrdersApi handler, CancellationToken token) => handler.GetAsync(id, token))
            .Describe("GetOrder", "Orders", "An order with its workflow's progress")
            .Produces<OrderView>().Problems(NotFound);
        api.MapPost(ApiRoutes.OrderCancel, (string id, OrdersApi handler, CancellationToken token) => handler.CancelAsync(id, token))
            .Describe("CancelOrder", "Orders", "Cancel an order the store has not picked yet")
            .Produces(StatusCodes.Status202Accepted).Problems(NotFound, Conflict);
        api.MapPost(ApiRoutes.OrderArrived, (string id, OrdersApi handler, CancellationToken token) => handler.ArrivedAsync(id, token))
            .Describe("OrderArrived", "Orders", "The customer is at the store (\"I'm here\"), while the order is ready")
            .Produces(StatusCodes.Status202Accepted).Problems(NotFound, Conflict);
        api.MapPost(ApiRoutes.OrderPicked, (string id, HttpRequest request, OrdersApi handler, CancellationToken token) => handler.PickedAsync(request, null, id, token))
            .Describe("PickOrder", "Orders", "The store's pick: empty for a full pick, or the short and substituted lines")
            .JsonBody(PickBody, optional: true)
            .Produces(StatusCodes.Status202Accepted).Problems(BadRequest, NotFound, Conflict);
        api.MapPost(ApiRoutes.StoreOrderPicked, (string storeId, string id, HttpRequest request, OrdersApi handler, CancellationToken token) => handler.PickedAsync(request, storeId, id, token))
            .Describe("OrderPicked", "Orders", "The store's pick, under the store (404 when the order is another store's)")
            .JsonBody(PickBody, optional: true)
            .Produces(StatusCodes.Status202Accepted).Problems(BadRequest, NotFound, Conflict);
        api.MapPost(ApiRoutes.StoreOrderCollected, (string storeId, string id, OrdersApi handler, CancellationToken token) => handler.CollectedAsync(storeId, id, token))
            .Describe("OrderCollected", "Orders", "The customer collected the order at the store")
            .Produces(StatusCodes.Status202Accepted).Problems(NotFound, Conflict);
        api.MapPost(ApiRoutes.Prices, (HttpRequest request, PricesApi handler, CancellationToken token) => handler.SubmitAsync(request, token))
            .Describe("SubmitPriceChange", "Prices", "Submit a price change to fan out to its subscribers (idempotent by changeId)")
            .JsonBody("{changeId, effectiveAt, items: [{sku, price, currency?}], scope?: all | region:<code> | store:<id>}")
            .Produces<PriceChangeAccepted>(StatusCodes.Status202Accepted).Problems(BadRequest, Conflict);
        api.MapGet(ApiRoutes.Price, (string sku, HttpRequest request, PricesApi handler, CancellationToken token) => handler.PriceAsync(sku, request, token))
            .Describe("GetPrice", "Prices", "The price in force for a SKU at a moment and store")
            .Query("at", "The moment, RFC 3339 (default now).").Query("store", "A store id, for store- and region-scoped prices.")
            .Produces<PriceAnswer>().Problems(BadRequest, NotFound);
        api.MapGet(ApiRoutes.PriceChange, (string id, HttpRequest request, PricesApi handler, CancellationToken token) => handler.ReportAsync(id, request, token))
            .Describe("GetPriceChange", "Prices", "A price change's fan-out: its workflow and each subscriber's delivery")
            .Query("state", "Keep only subscribers in this state: pending, delivered or failed.")
            .Produces<PriceChangeProgress>().Problems(BadRequest, NotFound);
        api.MapPost(ApiRoutes.PriceChangeRetry, (string id, PricesApi handler, CancellationToken token) => handler.RetryAsync(id, token))
            .Describe("RetryPriceChange", "Prices", "Deliver a finished change again to the subscribers that failed")
            .Produces<PriceChangeRetry>(StatusCodes.Status202Accepted).Problems(NotFound, Conflict);
        api.MapGet(ApiRoutes.PriceSubscribers, (PricesApi handler, CancellationToken token) => handler.ListSubscribersAsync(token))
            .Describe("ListPriceSubscribers", "Prices", "The price subscribers (tills, web, app, signage, marketplaces)")
            .Produces<IReadOnlyList<PriceSubscriber>>();
        api.MapGet(ApiRoutes.PriceSubscriber, (string id, PricesApi handler, CancellationToken token) => handler.GetSubscriberAsync(id, token))
            .Describe("GetPriceSubscriber", "Prices", "One price subscriber")
            .Produces<PriceSubscriber>().Problems(NotFound);
        api.MapPut(ApiRoutes.PriceSubscriber, (string id, HttpRequest request, PricesApi handler, CancellationToken token) => handler.PutSubscriberAsync(id, request, token))
            .Describe("PutPriceSubscriber", "Prices", "Register a price subscriber (201 with its signing secret, once) or change one (200)")
            .JsonBody("{kind: pos | web | app | signage | marketplace, scope: all | region:<code> | store:<id>, endpoint, enabled?}")
            .Produces<PriceSubscriber>().Produces<SubscriberCreated>(StatusCodes.Status201Created).Problems(BadRequest);
        api.MapDelete(ApiRoutes.PriceSubscriber, (string id, PricesApi handler, CancellationToken token) => handler.DeleteSubscriberAsync(id, token))
            .Describe("DeletePriceSubscriber", "Prices", "Remove a price subscriber")
            .Produces(StatusCodes.Status204NoContent).Problems(NotFound);
        api.MapGet(ApiRoutes.RemarketingRules, (RemarketingApi handler, CancellationToken token) => handler.ListAsync(token))
            .Describe("ListRemarketingRules", "Remarketing", "Marketing's remarketing rules, each with its ETag")
            .Produces<IReadOnlyList<JsonObject>>();
        api.MapGet(ApiRoutes.RemarketingRule, (string id, HttpResponse response, RemarketingApi handler, CancellationToken token) => handler.GetAsync(id, response, token))
            .Describe("GetRemarketingRule", "Remarketing", "One rule; its ETag goes back in If-Match to change it")
            .Produces<JsonObject>().Problems(NotFound);
        api.MapPut(ApiRoutes.RemarketingRule, (string id, HttpRequest request, RemarketingApi handler, CancellationToken token) => handler.PutAsync(id, request, token))
            .Describe("PutRemarketingRule", "Remarketing", "Create a rule (no If-Match, 201) or replace it (If-Match: its ETag, or *)")
            .JsonBody("{name, signal: geofence.entered | product.viewed | cart.abandoned, offer: {kind, value, minSpend, validHours}, enabled?, priority?, conditions?, radiusMeters?, stores?, frequencyCap?, quietHours?, holdoutPercent?, attributionDays?, dailyBudget?, quietHoursAtSend?, onlyWhenStoreOpen?, dwellMinutes?}")
            .Produces<JsonObject>().Produces<JsonObject>(StatusCodes.Status201Created)
            .Problems(BadRequest, StatusCodes.Status412PreconditionFailed, StatusCodes.Status428PreconditionRequired);
        api.MapDelete(ApiRoutes.RemarketingRule, (string id, HttpRequest request, RemarketingApi handler, CancellationToken token) => handler.DeleteAsync(id, request, token))
            .Describe("DeleteRemarketingRule", "Remarketing", "Delete a rule (If-Match optional; a stale one is 412)")
            .Produces(StatusCodes.Status204NoContent).Problems(NotFound, StatusCodes.Status412PreconditionFailed);
        api.MapPost(ApiRoutes.RemarketingRuleSimulate, (string id, HttpRequest request, RemarketingApi handler, CancellationToken token) => handler.SimulateAsync(id, request, token))
            .Describe("SimulateRemarketingRule", "Remarketing", "Which signals of a past window the rule would have fired on, and why")
            .JsonBody("{from?, to? (RFC 3339; default the last 24 hours), limit? (1-500, default 100)}", optional: true)
            .Produces<RuleSimulation>().Problems(BadRequest, NotFound);
        api.MapGet(ApiRoutes.AdminDeadLetters, (HttpRequest request, AdminApi handler, CancellationToken token) => handler.ListDeadLettersAsync(request, token))
            .Describe("ListDeadLetters", "Operations", "A day's dead-lettered events")
            .Query("day", "A UTC date, yyyy-MM-dd (default today).").Query("limit", "How many to list (default 100).")
            .Produces<DeadLetterList>().Problems(BadRequest);
        api.MapPost(ApiRoutes.AdminDeadLettersReplay, (HttpRequest request, AdminApi handler, CancellationToken token) => handler.ReplayDeadLettersAsync(request, token))
            .Describe("ReplayDeadLetters", "Operations", "Replay a day's dead-lettered events after a fix")
            .JsonBody("{day?: yyyy-MM-dd (default today)}", optional: true)
            .Produces<ReplayReport>().Problems(BadRequest);
        api.MapGet(ApiRoutes.AdminParked, (HttpRequest request, AdminApi handler, CancellationToken token) => handler.ListParkedAsync(request, token))
            .Describe("ListParked", "Operations", "The ingest batches parked while Cosmos DB was down")
            .Query("limit", "How many to list (default 100).")
            .Produces<ParkedList>();
        api.MapPost(ApiRoutes.AdminParkedReplay, (HttpRequest request, AdminApi handler, CancellationToken token) => handler.ReplayParkedAsync(request, token))
            .Describe("ReplayParked", "Operations", "Apply the parked batches, oldest first (503 while the first still fails)")
            .Produces<ParkedReplayReport>();
        api.MapGet(ApiRoutes.OperationsViolations, (HttpRequest request, AdminApi handler, CancellationToken token) => handler.ListViolationsAsync(request, token))
            .Describe("ListViolations", "Operations", "The tracking plan's violations, the most recently seen first")
            .Query("limit", Limit).Produces<ViolationList>().Problems(BadRequest);
        api.MapGet(ApiRoutes.OperationsRefunds, (HttpRequest request, AdminApi handler, CancellationToken token) => handler.ListRefundsAsync(request, token))
            .Describe("ListRefunds", "Operations", "Orders whose refund is pending or needs attention, the longest wait first")
            .Query("limit", Limit).Produces<RefundList>().Problems(BadRequest);
        api.MapGet(ApiRoutes.OperationsCouponConflicts, (HttpRequest request, AdminApi handler, CancellationToken token) => handler.ListCouponConflictsAsync(request, token))
            .Describe("ListCouponConflicts", "Operations", "Coupon codes on ingested sales that did not redeem (offline tills)")
            .Query("limit", Limit).Produces<CouponConflictList>().Problems(BadRequest);
        api.MapPost(ApiRoutes.CouponValidate, (string code, HttpRequest request, CouponsApi handler, CancellationToken token) => handler.ValidateAsync(code, request, token))
            .Describe("ValidateCoupon", "Coupons", "Whether a coupon may be used on this basket, and its discount")
            .JsonBody("{storeId, customer: {customerid?, loyaltyid?, emailhash?, deviceid?}, basketTotal, at?}")
            .Produces<CouponCheck>().Problems(BadRequest);
        api.MapPost(ApiRoutes.CouponRedeem, (string code, HttpRequest request, CouponsApi handler, CancellationToken token) => handler.RedeemAsync(code, request, token))
            .Describe("RedeemCoupon", "Coupons", "Redeem a coupon on a sale (idempotent by saleId); 409 with the verdict when refused")
            .JsonBody("{storeId, saleId, customer: {customerid?, loyaltyid?, emailhash?, deviceid?}, basketTotal, at?}")
            .Produces<CouponCheck>().Problems(BadRequest, NotFound, Conflict);
        api.MapGet(ApiRoutes.InsightsSummary, (HttpRequest request, InsightsApi handler, CancellationToken token) => handler.SummaryAsync(request, token))
            .Describe("GetInsightsSummary", "Insights", "KPIs for marketing and operations over UTC days, both inclusive")
            .Query("from", "First UTC day, yyyy-MM-dd.").Query("to", "Last UTC day, yyyy-MM-dd.")
            .Produces<InsightsSummary>().Problems(BadRequest);
        api.MapPost(ApiRoutes.PaymentRefundEvents, (HttpRequest request, PaymentsApi handler, CancellationToken token) => handler.RefundEventAsync(request, token))
            .Describe("PaymentRefundEvent", "Payments", "The payment service's refund outcome, a CloudEvent signed per Standard Webhooks (the signature is the authentication)")
            .Body("A structured-mode CloudEvent, data {refundId, orderId, amount?, reason?}, with webhook-id, webhook-timestamp and webhook-signature headers", optional: false, "application/cloudevents+json")
            .Produces<RefundCallbackAccepted>(StatusCodes.Status202Accepted).Problems(BadRequest, StatusCodes.Status401Unauthorized, NotFound);
        api.MapPost(ApiRoutes.ConsoleRoles, (HttpRequest request, ConsoleRolesApi handler, CancellationToken token) => handler.RolesAsync(request, token))
            .Describe("ConsoleRoles", "Console", "Static Web Apps' roles source for the web console")
            .JsonBody("The identity Static Web Apps sends: {identityProvider, userId, userDetails, claims: [{typ, val}]}")
            .Produces<ConsoleRoleGrant>().Problems(BadRequest);
        api.MapGet(ApiRoutes.OpenApiDocument, (OpenApi.OpenApiApi handler) => handler.GetAsync())
            .Describe("GetOpenApiDocument", "Operations", "This document: the OpenAPI 3.1 description of every route")
            .Produces<JsonObject>();
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
