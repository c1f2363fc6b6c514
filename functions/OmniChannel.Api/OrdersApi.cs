using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using OmniChannel.Core.Events;
using OmniChannel.Core.Orders;

namespace OmniChannel.Api;

/// <summary>
/// Pickup orders. <c>POST /api/orders</c> takes the data of <c>omni.order.placed</c> plus <c>customerid</c> (and an
/// optional <c>channel</c>); it is validated as that event, by the same code as the collect API.
/// </summary>
public sealed class OrdersApi(EventDecoder decoder, OrderService orders, TimeProvider clock)
{
    public async Task<IResult> PlaceAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (await RequestBodies.ReadObjectAsync(request, cancellationToken) is not { } body)
        {
            return Problems.From(CollectFailure.Request(CollectFailureKind.Invalid, "Malformed request body",
                "The body must be a JSON object: orderid, customerid, storeid, fulfilment and lines [{sku, quantity, price}]."));
        }

        var orderEvent = Decode(body);
        if (orderEvent.Failure is not null)
        {
            return Problems.From(orderEvent.Failure);
        }

        var omniEvent = orderEvent.Events[0];
        if (omniEvent.Payload is not OrderPlaced { Fulfilment: Fulfilment.Pickup })
        {
            return Problems.InvalidParameter("fulfilment", "This route places pickup orders: 'fulfilment' must be 'pickup'. Ship orders are posted as omni.order.placed events to /api/events.");
        }

        if (omniEvent.Identities.CustomerId is null)
        {
            return Problems.InvalidParameter("customerid", "'customerid' is required: the store hands the order to a known customer.");
        }

        var outcome = await orders.PlaceAsync(omniEvent, cancellationToken);
        return outcome switch
        {
            PlaceOrderOutcome.Placed placed => TypedResults.Accepted($"/{ApiRoutes.Prefix}/orders/{Uri.EscapeDataString(placed.Order.Id)}", placed.Order),
            PlaceOrderOutcome.UnknownStore unknown => Problems.InvalidParameter("storeid", $"Store '{unknown.StoreId}' is not in the store directory."),
            PlaceOrderOutcome.StoreWithoutPickup store => TypedResults.Problem(
                $"Store {store.StoreId} ({store.Name}) does not offer pickup; choose another store.",
                statusCode: StatusCodes.Status422UnprocessableEntity, title: "Store does not offer pickup", type: ProblemTypes.StoreCannotPickUp),
            PlaceOrderOutcome.OutOfStock shortage => TypedResults.Problem(
                $"Store {shortage.StoreId} cannot hold every line. {(shortage.Alternatives.Count > 0 ? "These nearby stores have everything; place the order there instead." : "No nearby pickup store has every line.")}",
                statusCode: StatusCodes.Status409Conflict, title: "Not enough stock at the store", type: ProblemTypes.OutOfStock,
                extensions: new Dictionary<string, object?> { ["shortages"] = shortage.Shortages, ["alternatives"] = shortage.Alternatives }),
            PlaceOrderOutcome.IdTaken taken => TypedResults.Problem(
                $"Order id '{taken.OrderId}' is already used by a different order.", statusCode: StatusCodes.Status409Conflict, title: "Order id taken", type: ProblemTypes.Conflict),
            _ => throw new InvalidOperationException($"Unhandled outcome {outcome.GetType().Name}."),
        };
    }

    public async Task<IResult> GetAsync(string id, CancellationToken cancellationToken) =>
        await orders.GetAsync(id, cancellationToken) is { } view ? TypedResults.Ok(view) : Problems.NotFound($"Order '{id}'");

    /// <summary>
    /// The store's pick (<c>POST /api/orders/{id}/picked</c>, or under the store). An empty body or <c>{}</c> is a full
    /// pick; <c>{"lines": [{sku, picked, substituteSku?, substituted?}]}</c> marks lines short or substituted (lines not
    /// listed are picked in full): 400 naming each bad field, 409 once the order is ready or finished.
    /// </summary>
    public async Task<IResult> PickedAsync(HttpRequest request, string? storeId, string id, CancellationToken cancellationToken)
    {
        if (await RequestBodies.ReadOptionalObjectAsync(request, cancellationToken) is not { } body)
        {
            return Problems.MalformedBody(PickExpected);
        }

        var errors = new List<FieldError>();
        var lines = ParsePick(body, errors);
        if (errors.Count > 0)
        {
            return Problems.InvalidFields("Invalid pick", errors);
        }

        return Answer(await orders.PickedAsync(id, storeId, lines, cancellationToken), id, storeId, BopisWorkflow.PickedEvent);
    }

    public Task<IResult> CollectedAsync(string storeId, string id, CancellationToken cancellationToken) =>
        SignalAsync(id, storeId, BopisWorkflow.CollectedEvent, cancellationToken);

    public Task<IResult> CancelAsync(string id, CancellationToken cancellationToken) =>
        SignalAsync(id, null, BopisWorkflow.CancelledEvent, cancellationToken);

    /// <summary>The customer is at the store ("I'm here"): allowed while the order is ready; the store is told.</summary>
    public Task<IResult> ArrivedAsync(string id, CancellationToken cancellationToken) =>
        SignalAsync(id, null, BopisWorkflow.ArrivedEvent, cancellationToken);

    private async Task<IResult> SignalAsync(string id, string? storeId, string eventName, CancellationToken cancellationToken) =>
        Answer(await orders.SignalAsync(id, storeId, eventName, cancellationToken), id, storeId, eventName);

    private static IResult Answer(SignalResult result, string id, string? storeId, string eventName) =>
        result.Outcome switch
        {
            SignalOutcome.Sent => TypedResults.Accepted($"/{ApiRoutes.Prefix}/orders/{Uri.EscapeDataString(id)}"),
            SignalOutcome.WrongStore => Problems.NotFound($"Order '{id}' at store '{storeId}'"),
            SignalOutcome.Finished => TypedResults.Problem($"Order '{id}' is finished; nothing waits for '{eventName}'.",
                statusCode: StatusCodes.Status409Conflict, title: "Order finished", type: ProblemTypes.OrderFinished),
            SignalOutcome.NotAllowed when result.Status is { } status => TypedResults.Problem(NotAllowed(id, eventName, status),
                statusCode: StatusCodes.Status409Conflict, title: "Not allowed in the order's state", type: ProblemTypes.OrderState,
                extensions: new Dictionary<string, object?> { ["status"] = StatusName(status) }),
            SignalOutcome.Invalid => Problems.InvalidFields("Invalid pick", result.Errors ?? []),
            _ => Problems.NotFound($"Order '{id}'"),
        };

    /// <summary>Why the order's state refuses the action (<see cref="BopisWorkflow.Allows"/>), and what ends the order instead.</summary>
    private static string NotAllowed(string id, string eventName, OrderStatus status) => eventName switch
    {
        BopisWorkflow.CollectedEvent =>
            $"Order '{id}' is {StatusName(status)}: the store has not picked it yet, so it cannot be collected. Mark it picked first.",
        BopisWorkflow.CancelledEvent =>
            $"Order '{id}' is {StatusName(status)}: the store has picked it, so it can no longer be cancelled; it ends when the customer collects it or when the pickup window closes.",
        BopisWorkflow.PickedEvent =>
            $"Order '{id}' is {StatusName(status)}: the store has picked it already and the customer was told what is waiting, so the pick can no longer change.",
        BopisWorkflow.ArrivedEvent =>
            $"Order '{id}' is {StatusName(status)}: the store has not picked it yet, so there is nothing to collect. The customer is told when it is ready.",
        _ => $"Order '{id}' is {StatusName(status)}: '{eventName}' is not allowed now.",
    };

    private const string PickExpected = "nothing (a full pick), or lines [{sku, picked, substituteSku?, substituted?}]";

    /// <summary>The pick's lines (none for a full pick), or every bad field in <paramref name="errors"/>; the counts are checked against the order later.</summary>
    private static List<PickedLine> ParsePick(JsonObject body, List<FieldError> errors)
    {
        var lines = new List<PickedLine>();
        var node = Field(body, "lines");
        if (node is null)
        {
            return lines;
        }

        if (node is not JsonArray array || array.Count > MaxPickLines)
        {
            errors.Add(new FieldError("lines", $"'lines' is an array of at most {MaxPickLines} {{sku, picked, substituteSku?, substituted?}}."));
            return lines;
        }

        for (var index = 0; index < array.Count; index++)
        {
            var prefix = $"lines[{index}].";
            if (array[index] is not JsonObject line)
            {
                errors.Add(new FieldError($"lines[{index}]", "Each line is an object {sku, picked, substituteSku?, substituted?}."));
                continue;
            }

            var sku = Text(line, "sku", prefix, required: true, errors);
            var picked = Count(line, "picked", prefix, required: true, errors);
            var substituteSku = Text(line, "substituteSku", prefix, required: false, errors);
            var substituted = Count(line, "substituted", prefix, required: false, errors);
            if (sku is not null && picked is { } units)
            {
                lines.Add(new PickedLine(sku, units, substituteSku, substituted ?? 0));
            }
        }

        return lines;
    }

    private const int MaxPickLines = 100;

    private static string? Text(JsonObject line, string name, string prefix, bool required, List<FieldError> errors)
    {
        var node = Field(line, name);
        if (node is null && !required)
        {
            return null;
        }

        if (node is JsonValue value && value.TryGetValue<string>(out var text) && !string.IsNullOrWhiteSpace(text) && text.Length <= 128)
        {
            return text;
        }

        errors.Add(new FieldError(prefix + name, $"'{name}' is {(required ? "required" : "optional")}: a SKU, non-empty text of at most 128 characters."));
        return null;
    }

    private static int? Count(JsonObject line, string name, string prefix, bool required, List<FieldError> errors)
    {
        var node = Field(line, name);
        if (node is null && !required)
        {
            return null;
        }

        if (node is JsonValue value && value.GetValueKind() == JsonValueKind.Number && value.TryGetValue<int>(out var count))
        {
            return count;
        }

        errors.Add(new FieldError(prefix + name, $"'{name}' is {(required ? "required" : "optional")}: a whole number of units."));
        return null;
    }

    /// <summary>A property by name, ignoring case (<c>substituteSku</c>, <c>substitutesku</c>).</summary>
    private static JsonNode? Field(JsonObject body, string name) =>
        body.FirstOrDefault(pair => string.Equals(pair.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

    private static string StatusName(OrderStatus status) => JsonNamingPolicy.CamelCase.ConvertName(status.ToString());

    /// <summary>Turns the body into the <c>omni.order.placed</c> event it describes and validates it like any channel's event.</summary>
    private DecodeResult Decode(JsonObject body)
    {
        var customerId = body["customerid"]?.DeepClone();
        var channel = body["channel"]?.DeepClone() ?? "web";
        body.Remove("customerid");
        body.Remove("channel");
        var orderId = body["orderid"] is JsonValue value && value.TryGetValue<string>(out var text) ? text : "?";
        var cloudEvent = new JsonObject
        {
            ["specversion"] = "1.0",
            ["id"] = "order-" + orderId,
            ["source"] = "/api/orders",
            ["type"] = EventTypes.OrderPlaced,
            ["time"] = clock.GetUtcNow().ToString("O"),
            ["channel"] = channel,
            ["datacontenttype"] = "application/json",
            ["data"] = body,
        };
        if (customerId is not null)
        {
            cloudEvent["customerid"] = customerId;
        }

        var result = decoder.DecodeRequest(
            System.Text.Encoding.UTF8.GetBytes(cloudEvent.ToJsonString()), EventDecoder.StructuredMediaType, []);
        if (result.Failure is not { Problems.Count: > 0 } failure)
        {
            return result;
        }

        // Name the body's fields as the caller wrote them: data.lines[0].price → lines[0].price.
        var problems = failure.Problems
            .Select(problem => problem with { Errors = problem.Errors.Select(error => error with { Field = error.Field.StartsWith("data.", StringComparison.Ordinal) ? error.Field[5..] : error.Field }).ToList() })
            .ToList();
        return DecodeResult.Rejected(failure with { Title = "Invalid order", Detail = "The order breaks the contract of omni.order.placed; see errors.", Problems = problems });
    }
}
