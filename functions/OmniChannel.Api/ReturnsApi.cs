using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using OmniChannel.Core.Events;
using OmniChannel.Core.Orders;
using OmniChannel.Core.Requests;

namespace OmniChannel.Api;

/// <summary>
/// <c>POST /api/stores/{storeId}/returns</c>: units of a collected online order brought back to a store, body
/// <c>{returnId, orderId, lines: [{sku, quantity}], reason?}</c> (names compare ignoring case). 201 with the return,
/// also on a repeat under the same return id.
/// </summary>
public sealed class ReturnsApi(ReturnService returns)
{
    public const int MaxIdLength = 128;
    public const int MaxLines = 100;
    public const int MaxQuantity = 10_000;
    public const int MaxReasonLength = 500;

    private const string Expected = "returnId, orderId, lines [{sku, quantity}] and an optional reason";

    public async Task<IResult> ReturnAsync(string storeId, HttpRequest request, CancellationToken cancellationToken)
    {
        if (await RequestBodies.ReadObjectAsync(request, cancellationToken) is not { } body)
        {
            return Problems.MalformedBody(Expected);
        }

        var errors = new List<FieldError>();
        var parsed = Parse(body, errors);
        if (errors.Count > 0 || parsed is null)
        {
            return Problems.InvalidFields("Invalid return", errors);
        }

        var outcome = await returns.ReturnAsync(storeId, parsed, cancellationToken);
        return outcome switch
        {
            ReturnOutcome.Returned returned => TypedResults.Created($"/{ApiRoutes.Prefix}/orders/{Uri.EscapeDataString(returned.OrderId)}", View(returned)),
            ReturnOutcome.UnknownStore unknown => Problems.NotFound($"Store '{unknown.StoreId}'"),
            ReturnOutcome.UnknownOrder unknown => Problems.NotFound($"Order '{unknown.OrderId}'"),
            ReturnOutcome.NotCollected state => TypedResults.Problem(
                $"Order '{state.OrderId}' is {StatusName(state.Status)}: only a collected order's units can be returned in store.",
                statusCode: StatusCodes.Status409Conflict, title: "Not allowed in the order's state", type: ProblemTypes.OrderState,
                extensions: new Dictionary<string, object?> { ["status"] = StatusName(state.Status) }),
            ReturnOutcome.TooMany tooMany => TypedResults.Problem(
                $"Order '{tooMany.OrderId}' had fewer of these units than asked back, less its earlier returns: {string.Join(", ", tooMany.Excess.Select(excess => $"{excess.Sku} {excess.Requested} asked, {excess.Returnable} returnable"))}.",
                statusCode: StatusCodes.Status409Conflict, title: "More than the order had", type: ProblemTypes.Conflict,
                extensions: new Dictionary<string, object?> { ["excess"] = tooMany.Excess }),
            ReturnOutcome.IdTaken taken => Problems.Conflict("Return id taken",
                $"Return id '{taken.ReturnId}' of order '{taken.OrderId}' is already used by a different return (another store or other lines)."),
            _ => throw new InvalidOperationException($"Unhandled outcome {outcome.GetType().Name}."),
        };
    }

    /// <summary>What the till sees: the return, its units and the amount refunded.</summary>
    private static ReturnReceipt View(ReturnOutcome.Returned returned) => new(
        returned.Return.Id,
        returned.OrderId,
        returned.Return.StoreId,
        returned.Return.Status,
        returned.Return.Lines,
        returned.Return.Reason,
        returned.Return.Units,
        returned.Return.AmountRefunded,
        ReturnService.RefundIdFor(returned.Return.Id),
        returned.Return.RecordedAt,
        returned.Return.CompletedAt);

    /// <summary>The request, or null with every bad field in <paramref name="errors"/>.</summary>
    private static ReturnRequest? Parse(JsonObject body, List<FieldError> errors)
    {
        var returnId = RequiredText(body, "returnId", errors);
        var orderId = RequiredText(body, "orderId", errors);
        var lines = new List<ReturnRequestLine>();
        if (Field(body, "lines") is not JsonArray array || array.Count == 0)
        {
            errors.Add(new FieldError("lines", "'lines' is required: a non-empty array of {sku, quantity}."));
        }
        else if (array.Count > MaxLines)
        {
            errors.Add(new FieldError("lines", $"At most {MaxLines} lines per return."));
        }
        else
        {
            for (var index = 0; index < array.Count; index++)
            {
                if (array[index] is not JsonObject line)
                {
                    errors.Add(JsonFields.TypeError($"lines[{index}]", "an object {sku, quantity}", array[index]));
                    continue;
                }

                var sku = RequiredText(line, "sku", errors, $"lines[{index}].");
                var quantity = Quantity(line, $"lines[{index}].quantity", errors);
                if (sku is not null && quantity is { } units)
                {
                    lines.Add(new ReturnRequestLine(sku, units));
                }
            }
        }

        string? reason = null;
        var reasonNode = Field(body, "reason");
        if (reasonNode is not null)
        {
            if (!JsonFields.IsString(reasonNode))
            {
                errors.Add(JsonFields.TypeError("reason", "text", reasonNode));
            }
            else if (reasonNode.GetValue<string>() is not { } text || text.Length > MaxReasonLength)
            {
                errors.Add(new FieldError("reason", $"'reason' is optional text of at most {MaxReasonLength} characters."));
            }
            else
            {
                reason = text;
            }
        }

        return errors.Count == 0 ? new ReturnRequest(returnId!, orderId!, lines, reason) : null;
    }

    private static string? RequiredText(JsonObject body, string name, List<FieldError> errors, string prefix = "")
    {
        if (Field(body, name) is { } node && !JsonFields.IsString(node))
        {
            errors.Add(JsonFields.TypeError(prefix + name, "text", node));
            return null;
        }

        if (Field(body, name) is JsonValue value && value.TryGetValue<string>(out var text) && !string.IsNullOrWhiteSpace(text)
            && text.Length <= MaxIdLength && !text.Any(char.IsControl))
        {
            return text;
        }

        errors.Add(new FieldError(prefix + name, $"'{name}' is required: non-empty text of at most {MaxIdLength} characters."));
        return null;
    }

    private static int? Quantity(JsonObject line, string field, List<FieldError> errors)
    {
        if (Field(line, "quantity") is { } node && !JsonFields.IsNumber(node))
        {
            errors.Add(JsonFields.TypeError(field, "a whole number of units", node));
            return null;
        }

        if (JsonFields.TryWhole(Field(line, "quantity"), out var quantity) && quantity is >= 1 and <= MaxQuantity)
        {
            return quantity;
        }

        errors.Add(new FieldError(field, $"'quantity' is required: a whole number of units from 1 to {MaxQuantity}."));
        return null;
    }

    /// <summary>A property by name, ignoring case (<c>returnId</c>, <c>returnid</c>), as the order route's lower-case names are.</summary>
    private static JsonNode? Field(JsonObject body, string name)
    {
        foreach (var (key, node) in body)
        {
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
            {
                return node;
            }
        }

        return null;
    }

    private static string StatusName(OrderStatus status) => JsonNamingPolicy.CamelCase.ConvertName(status.ToString());
}

/// <summary>The 201 answer of a return in store: the return, its units and the amount refunded.</summary>
public sealed record ReturnReceipt(
    string ReturnId, string OrderId, string StoreId, ReturnStatus Status, IReadOnlyList<ReturnLine> Lines, string? Reason, int Units,
    decimal AmountRefunded, string RefundId, DateTimeOffset RecordedAt, DateTimeOffset? CompletedAt);
