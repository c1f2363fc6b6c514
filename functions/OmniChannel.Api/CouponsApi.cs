using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using OmniChannel.Core.Events;
using OmniChannel.Core.Identity;
using OmniChannel.Core.Remarketing;
using OmniChannel.Core.Requests;

namespace OmniChannel.Api;

/// <summary>
/// The till's coupon calls (store access): <c>POST /api/coupons/{code}/validate</c> answers 200 with whether the code
/// may be used on this basket and the discount; <c>POST /api/coupons/{code}/redeem</c> redeems it on a sale (idempotent
/// by <c>saleId</c>) or answers 409 problem+json with the verdict (404 for an unknown code). Both through
/// <see cref="CouponTill"/>, the same checks ingest applies to offline tills' sales.
/// </summary>
public sealed class CouponsApi(CouponTill till, TimeProvider clock)
{
    public const int MaxIdLength = 128;

    private const string Expected = "storeId, customer {customerid, loyaltyid, emailhash or deviceid}, basketTotal, and for a redemption saleId (at: the sale's time, optional)";

    public async Task<IResult> ValidateAsync(string code, HttpRequest request, CancellationToken cancellationToken)
    {
        if (await ReadAsync(request, requireSale: false, cancellationToken) is not { } read)
        {
            return Problems.MalformedBody(Expected);
        }

        if (read.Errors.Count > 0)
        {
            return Problems.InvalidFields("Invalid coupon check", read.Errors);
        }

        return TypedResults.Ok(View(code, await till.ValidateAsync(code, read.Request!, cancellationToken)));
    }

    public async Task<IResult> RedeemAsync(string code, HttpRequest request, CancellationToken cancellationToken)
    {
        if (await ReadAsync(request, requireSale: true, cancellationToken) is not { } read)
        {
            return Problems.MalformedBody(Expected);
        }

        if (read.Errors.Count > 0)
        {
            return Problems.InvalidFields("Invalid coupon redemption", read.Errors);
        }

        var answer = await till.RedeemAsync(code, read.SaleId!, read.Request!, cancellationToken);
        return answer.Verdict switch
        {
            TillVerdict.Redeemed => TypedResults.Ok(View(code, answer)),
            TillVerdict.UnknownCode => Problems.NotFound($"Coupon '{code}'"),
            _ => TypedResults.Problem(answer.Reason, statusCode: StatusCodes.Status409Conflict, title: "Coupon not redeemed", type: ProblemTypes.CouponRefused,
                extensions: new Dictionary<string, object?> { ["verdict"] = Camel(answer.Verdict) }),
        };
    }

    private static CouponCheck View(string code, TillAnswer answer) => new(
        code,
        answer.Valid,
        answer.Verdict,
        answer.Reason,
        answer.Discount,
        answer.Coupon?.Offer is { } offer ? new CouponOffer(offer.Kind == OfferKind.Percent ? "percent" : "amount", offer.Value, offer.MinSpend) : null,
        answer.Coupon?.ExpiresAt,
        answer.Verdict == TillVerdict.Redeemed ? answer.Coupon?.RedeemedAt : null);

    private static string Camel(TillVerdict verdict) => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(verdict.ToString());

    private sealed record Read(TillRequest? Request, string? SaleId, List<FieldError> Errors);

    private async Task<Read?> ReadAsync(HttpRequest request, bool requireSale, CancellationToken cancellationToken)
    {
        if (await RequestBodies.ReadObjectAsync(request, cancellationToken) is not { } body)
        {
            return null;
        }

        var errors = new List<FieldError>();
        var storeId = Identifier(body, "storeId", required: true, errors);
        var saleId = Identifier(body, "saleId", required: requireSale, errors);
        var identities = Customer(body["customer"], errors);
        var basket = JsonFields.RequiredAmount(body, "basketTotal", "basketTotal", "the basket's total before the coupon", errors);
        if (basket is < 0)
        {
            errors.Add(new FieldError("basketTotal", "'basketTotal' is 0 or more."));
        }

        var at = clock.GetUtcNow();
        if (JsonFields.Text(body, "at", "at", errors) is { } atText && !JsonFields.TryInstant(atText, out at))
        {
            errors.Add(new FieldError("at", "'at' is the sale's time as RFC 3339 with an offset (e.g. 2026-12-07T11:59:00Z); leave it out for now."));
        }

        return errors.Count > 0
            ? new Read(null, null, errors)
            : new Read(new TillRequest(storeId!, identities!, basket!.Value, at), saleId, errors);
    }

    private static IdentitySet? Customer(JsonNode? node, List<FieldError> errors)
    {
        if (node is not JsonObject customer)
        {
            errors.Add(node is null
                ? new FieldError("customer", "'customer' is required: the customer's identifiers as the till knows them, e.g. {\"loyaltyid\": \"L-123\"} (customerid, loyaltyid, emailhash, deviceid).")
                : JsonFields.TypeError("customer", "an object {customerid, loyaltyid, emailhash, deviceid}", node));
            return null;
        }

        var before = errors.Count;
        var identities = new IdentitySet(
            Identifier(customer, "customerid", required: false, errors, "customer."),
            Identifier(customer, "deviceid", required: false, errors, "customer."),
            Identifier(customer, "loyaltyid", required: false, errors, "customer."),
            Identifier(customer, "emailhash", required: false, errors, "customer."));
        if (errors.Count == before && identities.IsEmpty)
        {
            errors.Add(new FieldError("customer", "Give at least one identifier: customerid, loyaltyid, emailhash or deviceid."));
        }

        return identities;
    }

    private static string? Identifier(JsonObject body, string name, bool required, List<FieldError> errors, string prefix = "")
    {
        var before = errors.Count;
        var text = JsonFields.Text(body, name, prefix + name, errors);
        if (errors.Count > before)
        {
            return null;
        }

        if (text is null)
        {
            if (required)
            {
                errors.Add(new FieldError(prefix + name, $"'{name}' is required: non-empty text of at most {MaxIdLength} characters."));
            }

            return null;
        }

        if (string.IsNullOrWhiteSpace(text) || text.Length > MaxIdLength || text.Any(char.IsControl))
        {
            errors.Add(new FieldError(prefix + name, $"'{name}' is non-empty text of at most {MaxIdLength} characters."));
            return null;
        }

        return text;
    }
}

/// <summary>The answer of a coupon check or redemption at the till.</summary>
public sealed record CouponCheck(
    string Code, bool Valid, TillVerdict Verdict, string Reason, decimal Discount, CouponOffer? Offer, DateTimeOffset? ExpiresAt, DateTimeOffset? RedeemedAt);

/// <summary>A coupon's offer as the till shows it: <c>percent</c> or <c>amount</c> off, from a minimum spend.</summary>
public sealed record CouponOffer(string Kind, decimal Value, decimal MinSpend);
