using Microsoft.AspNetCore.Http;
using OmniChannel.Core.Ports;
using OmniChannel.Core.Remarketing;

namespace OmniChannel.Api;

/// <summary>
/// Marketing's remarketing rules (admin). Reads answer an <c>ETag</c>; a change sends it back in <c>If-Match</c>, and a
/// stale one gets 412 (someone else saved the rule meanwhile). Creating needs no <c>If-Match</c>; replacing does.
/// </summary>
public sealed class RemarketingApi(IRuleStore rules, RuleSimulator simulator, TimeProvider clock)
{
    private const string RuleShape = "name, signal (geofence.entered, product.viewed, cart.abandoned), offer {kind, value, minSpend, validHours} and optionally enabled, priority, conditions, radiusMeters, stores, frequencyCap, quietHours, holdoutPercent, attributionDays, dailyBudget, quietHoursAtSend, onlyWhenStoreOpen, dwellMinutes";

    public async Task<IResult> ListAsync(CancellationToken cancellationToken) =>
        TypedResults.Ok((await rules.ListAsync(cancellationToken)).Select(stored => WithETag(stored.Value, stored.ETag)).ToList());

    public async Task<IResult> GetAsync(string id, HttpResponse response, CancellationToken cancellationToken)
    {
        if (await rules.GetAsync(id, cancellationToken) is not { } stored)
        {
            return Problems.NotFound($"Rule '{id}'");
        }

        response.Headers.ETag = stored.ETag;
        return TypedResults.Ok(WithETag(stored.Value, stored.ETag));
    }

    public async Task<IResult> PutAsync(string id, HttpRequest request, CancellationToken cancellationToken)
    {
        if (await RequestBodies.ReadObjectAsync(request, cancellationToken) is not { } body)
        {
            return Problems.MalformedBody(RuleShape);
        }

        var (rule, errors) = RuleRequests.ReadRule(id, body);
        if (rule is null)
        {
            return Problems.InvalidFields("The rule has problems; fix the fields named below", errors);
        }

        var ifMatch = request.Headers.IfMatch.ToString() is { Length: > 0 } value ? value : null;
        try
        {
            var etag = await rules.SaveAsync(rule, ifMatch, cancellationToken);
            request.HttpContext.Response.Headers.ETag = etag;
            return ifMatch is null
                ? TypedResults.Created($"/{ApiRoutes.Prefix}/remarketing/rules/{Uri.EscapeDataString(id)}", WithETag(rule, etag))
                : TypedResults.Ok(WithETag(rule, etag));
        }
        catch (StorageConflictException)
        {
            return TypedResults.Problem(
                $"Rule '{id}' already exists. To change it, read it first and send its ETag in If-Match (or If-Match: * to overwrite whatever is there).",
                statusCode: StatusCodes.Status428PreconditionRequired, title: "If-Match required", type: ProblemTypes.PreconditionRequired);
        }
        catch (PreconditionFailedException)
        {
            return Problems.PreconditionFailed($"Rule '{id}' was changed or deleted by someone else since you read it. Reload it, then make your change again.");
        }
    }

    public async Task<IResult> DeleteAsync(string id, HttpRequest request, CancellationToken cancellationToken)
    {
        var ifMatch = request.Headers.IfMatch.ToString() is { Length: > 0 } value ? value : null;
        try
        {
            return await rules.DeleteAsync(id, ifMatch, cancellationToken) ? TypedResults.NoContent() : Problems.NotFound($"Rule '{id}'");
        }
        catch (PreconditionFailedException)
        {
            return Problems.PreconditionFailed($"Rule '{id}' was changed by someone else since you read it. Reload it before deleting.");
        }
    }

    /// <summary>
    /// Which signals of a past window the rule (as stored, treated as enabled) would have fired on, each with the reason.
    /// Body (all optional): <c>{from, to, limit}</c>; default the last 24 hours, 100 signals.
    /// </summary>
    public async Task<IResult> SimulateAsync(string id, HttpRequest request, CancellationToken cancellationToken)
    {
        var body = await RequestBodies.ReadOptionalObjectAsync(request, cancellationToken);
        if (body is null)
        {
            return Problems.MalformedBody("optionally from and to (RFC 3339 times) and limit (1-500)");
        }

        var to = clock.GetUtcNow();
        var from = to.AddDays(-1);
        var limit = 100;
        var errors = new List<Core.Events.FieldError>();
        if (body["to"] is { } toNode && !DateTimeOffset.TryParse(toNode.GetValueKind() == System.Text.Json.JsonValueKind.String ? toNode.GetValue<string>() : null, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out to))
        {
            errors.Add(new("to", "'to' is a time such as 2026-11-25T18:00:00Z."));
        }

        if (body["from"] is { } fromNode)
        {
            if (!DateTimeOffset.TryParse(fromNode.GetValueKind() == System.Text.Json.JsonValueKind.String ? fromNode.GetValue<string>() : null, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out from))
            {
                errors.Add(new("from", "'from' is a time such as 2026-11-24T18:00:00Z."));
            }
        }
        else
        {
            from = to.AddDays(-1);
        }

        if (errors.Count == 0 && from >= to)
        {
            errors.Add(new("from", "'from' must be before 'to'."));
        }

        if (body["limit"] is { } limitNode && !(limitNode is System.Text.Json.Nodes.JsonValue value && value.TryGetValue(out limit) && limit is >= 1 and <= RuleSimulator.MaxSignals))
        {
            errors.Add(new("limit", $"'limit' is how many signals to look at, 1 to {RuleSimulator.MaxSignals}."));
        }

        if (errors.Count > 0)
        {
            return Problems.InvalidFields("The simulation window has problems", errors);
        }

        if (await rules.GetAsync(id, cancellationToken) is not { } stored)
        {
            return Problems.NotFound($"Rule '{id}'");
        }

        return TypedResults.Ok(await simulator.SimulateAsync(stored.Value, from, to, limit, cancellationToken));
    }

    private static System.Text.Json.Nodes.JsonObject WithETag(RemarketingRule rule, string etag)
    {
        var json = RuleJson.Write(rule);
        json["etag"] = etag;
        return json;
    }
}
