using System.Buffers;
using System.Text.Json;
using CloudNative.CloudEvents;
using OmniChannel.Core.Identity;

namespace OmniChannel.Core.Events;

/// <summary>
/// Validates a decoded CloudEvent against the OmniChannel contract and turns it into an <see cref="OmniEvent"/>
/// with a typed payload. Every problem is collected, so a channel learns all of them from one response.
/// </summary>
public sealed class EventValidator(TimeProvider clock, ContractOptions options)
{
    private const int MaxLines = 200;
    private static readonly SearchValues<char> HexDigits = SearchValues.Create("0123456789abcdefABCDEF");

    /// <summary>Validates an event a channel posts now; a strict source's tracking plan rejects fields outside it.</summary>
    public OmniEvent? Validate(CloudEvent cloudEvent, List<FieldError> errors) => Validate(EventEnvelope.From(cloudEvent), errors, atCollect: true);

    /// <summary>
    /// Validates an event that was accepted earlier: its time is no longer compared with the clock, and a field outside
    /// the tracking plan is reported (<see cref="OmniEvent.UnplannedFields"/>) whatever its source, never rejected.
    /// </summary>
    public OmniEvent? ValidateStored(CloudEvent cloudEvent, List<FieldError> errors) => Validate(EventEnvelope.From(cloudEvent), errors, atCollect: false);

    /// <param name="atCollect">
    /// True for an event a channel posts now: its time must not lie in the future and a strict source's tracking plan
    /// is enforced. False for one accepted earlier (ingest, rehydration), which the contract of today must not lose.
    /// </param>
    internal OmniEvent? Validate(in EventEnvelope envelope, List<FieldError> errors, bool atCollect)
    {
        var before = errors.Count;
        var type = envelope.Type;
        if (type is not null && !EventTypes.Known.Contains(type))
        {
            errors.Add(new FieldError("type", $"'type' '{type}' is not an OmniChannel event type; expected one of: {string.Join(", ", EventTypes.All)}."));
        }

        var time = envelope.Time;
        if (time is null)
        {
            errors.Add(new FieldError("time", "'time' is required (RFC 3339, e.g. 2026-11-25T10:15:00Z)."));
        }
        else if (atCollect && time.Value > clock.GetUtcNow() + options.MaxClockSkew)
        {
            errors.Add(new FieldError("time", $"'time' {time.Value:O} lies in the future; at most {options.MaxClockSkew.TotalMinutes:0} minutes of clock skew are accepted."));
        }

        var channel = Extension(envelope.Channel, EventAttributes.Channel, errors);
        if (channel is null)
        {
            if (!errors.Any(error => error.Field == "channel"))
            {
                errors.Add(new FieldError("channel", $"'channel' is required: one of {string.Join(", ", Channels.All)}."));
            }
        }
        else if (!Channels.IsKnown(channel))
        {
            errors.Add(new FieldError("channel", $"'channel' '{channel}' is not known; expected one of {string.Join(", ", Channels.All)}."));
        }

        var identities = new IdentitySet(
            Extension(envelope.CustomerId, EventAttributes.CustomerId, errors),
            Extension(envelope.DeviceId, EventAttributes.DeviceId, errors),
            Extension(envelope.LoyaltyId, EventAttributes.LoyaltyId, errors),
            EmailHash(Extension(envelope.EmailHash, EventAttributes.EmailHash, errors), "emailhash", errors));
        var storeAttribute = Extension(envelope.StoreId, EventAttributes.StoreId, errors);

        EventPayload? payload = null;
        var data = DataElement(envelope, errors);
        var plan = type is null ? null : TrackingPlan.For(type);
        if (data is { } element && plan is not null && errors.Count == before)
        {
            payload = ReadPayload(plan, element, errors);
        }

        var unplanned = data is { } dataElement && plan is not null ? plan.Unplanned(dataElement) : null;
        if (unplanned is not null && atCollect && envelope.Source is { } source && options.StrictPrefix(source) is { } strict)
        {
            foreach (var path in unplanned)
            {
                errors.Add(new FieldError(path, $"'{FieldName(path)}' is not in the contract of {type} (strict tracking plan for {strict})."));
            }
        }

        if (payload is CustomerIdentified identified)
        {
            identities = Combine(identities, identified, errors);
            if (identities.Count < 2)
            {
                errors.Add(new FieldError("data", "'omni.customer.identified' must name at least two identities (envelope attributes and data together)."));
            }
        }

        var storeId = payload switch
        {
            InventoryAdjusted adjusted => adjusted.StoreId,
            PosSale sale => sale.StoreId,
            GeofenceEntered entered => entered.StoreId,
            GeofenceExited exited => exited.StoreId,
            OrderPlaced order => order.StoreId ?? storeAttribute,
            ProductViewed viewed => viewed.StoreId ?? storeAttribute,
            _ => storeAttribute,
        };
        if (storeAttribute is not null && storeId is not null && storeAttribute != storeId)
        {
            errors.Add(new FieldError("storeid", $"'storeid' attribute '{storeAttribute}' disagrees with data.storeid '{storeId}'."));
        }

        if (payload is not InventoryAdjusted && identities.IsEmpty && type is not null && type != EventTypes.InventoryAdjusted)
        {
            errors.Add(new FieldError("customerid", "At least one identity attribute is required: customerid, deviceid, loyaltyid or emailhash."));
        }

        if (errors.Count != before || payload is null)
        {
            return null;
        }

        return new OmniEvent(
            envelope.Id!,
            envelope.Source!,
            type!,
            time!.Value.ToUniversalTime(),
            channel!,
            identities,
            storeId,
            payload,
            data!.Value,
            envelope.TraceParent,
            envelope.TraceState)
        {
            UnplannedFields = unplanned,
        };
    }

    /// <summary>The field's own name in a path from <see cref="EventPlan.Unplanned"/>: <c>data.colour</c>, <c>data.lines[0].colour</c>.</summary>
    private static string FieldName(string path)
    {
        var line = path.IndexOf("].", StringComparison.Ordinal);
        return line >= 0 ? path[(line + 2)..] : path["data.".Length..];
    }

    private static string? Extension(string? value, CloudEventAttribute attribute, List<FieldError> errors)
    {
        if (value is null)
        {
            return null;
        }

        var problem = PayloadReader.IdentifierProblem(value);
        if (problem is not null)
        {
            errors.Add(new FieldError(attribute.Name, $"'{attribute.Name}' {problem}"));
            return null;
        }

        return value;
    }

    private static string? EmailHash(string? value, string field, List<FieldError> errors)
    {
        if (value is null)
        {
            return null;
        }

        if (value.Length != 64 || value.AsSpan().ContainsAnyExcept(HexDigits))
        {
            errors.Add(new FieldError(field, $"'{field}' must be the SHA-256 of the normalised e-mail address as 64 hexadecimal characters, never the address itself."));
            return null;
        }

        return value.ToLowerInvariant();
    }

    private static JsonElement? DataElement(in EventEnvelope envelope, List<FieldError> errors)
    {
        if (envelope.Data is { ValueKind: JsonValueKind.Object } element)
        {
            return element;
        }

        errors.Add(envelope.Data is null && !envelope.HasDataOtherThanJson
            ? new FieldError("data", "'data' is required and must be a JSON object.")
            : new FieldError("data", "'data' must be a JSON object (datacontenttype application/json)."));
        return null;
    }

    private static EventPayload? ReadPayload(EventPlan plan, JsonElement data, List<FieldError> errors)
    {
        var before = errors.Count;
        var reader = new PayloadReader(errors, plan);
        EventPayload? payload = plan.Type switch
        {
            EventTypes.ProductViewed => reader.RequiredString(data, "data", "sku") is { } sku
                ? new ProductViewed(sku, reader.OptionalString(data, "data", "storeid"), reader.OptionalString(data, "data", "category"))
                : null,
            EventTypes.CartItemAdded => CartItem(reader, data),
            EventTypes.CartAbandoned => Skus(reader, data) is { } skus ? new CartAbandoned(skus) : null,
            EventTypes.OrderPlaced => Order(reader, data, errors),
            EventTypes.PosSale => Sale(reader, data),
            EventTypes.CustomerIdentified => new CustomerIdentified(
                reader.OptionalString(data, "data", "customerid"),
                reader.OptionalString(data, "data", "deviceid"),
                reader.OptionalString(data, "data", "loyaltyid"),
                EmailHash(reader.OptionalString(data, "data", "emailhash"), "data.emailhash", errors),
                IdentifierList(reader, data, "deviceids", errors),
                IdentifierList(reader, data, "loyaltyids", errors),
                IdentifierList(reader, data, "emailhashes", errors)),
            EventTypes.GeofenceEntered => Geofence(reader, data) is var (storeId, lat, lon) && storeId is not null ? new GeofenceEntered(storeId, lat, lon) : null,
            EventTypes.GeofenceExited => Geofence(reader, data) is var (exitedStoreId, exitLat, exitLon) && exitedStoreId is not null ? new GeofenceExited(exitedStoreId, exitLat, exitLon) : null,
            EventTypes.InventoryAdjusted => Adjustment(reader, data),
            EventTypes.ConsentChanged => Consent(reader, data, errors),
            _ => null,
        };
        return errors.Count == before ? payload : null;
    }

    private static CartItemAdded? CartItem(PayloadReader reader, JsonElement data)
    {
        var sku = reader.RequiredString(data, "data", "sku");
        var quantity = reader.RequiredInt(data, "data", "quantity", 1, 10_000);
        var price = reader.RequiredMoney(data, "data", "price");
        return sku is null || quantity is null || price is null ? null : new CartItemAdded(sku, quantity.Value, price.Value);
    }

    private static List<string>? Skus(PayloadReader reader, JsonElement data)
    {
        if (reader.RequiredArray(data, "data", "skus", MaxLines) is not { } array)
        {
            return null;
        }

        var skus = new List<string>(array.GetArrayLength());
        var index = 0;
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.String && PayloadReader.IdentifierProblem(item.GetString()!) is null)
            {
                skus.Add(item.GetString()!);
            }
            else
            {
                reader.Add("data", $"skus[{index}]", "must be a non-empty string.");
            }

            index++;
        }

        return skus.Count == array.GetArrayLength() ? skus : null;
    }

    private static List<OrderLine>? Lines(PayloadReader reader, JsonElement data)
    {
        if (reader.RequiredArray(data, "data", "lines", MaxLines) is not { } array)
        {
            return null;
        }

        var lines = new List<OrderLine>(array.GetArrayLength());
        var index = 0;
        foreach (var item in array.EnumerateArray())
        {
            var path = $"data.lines[{index++}]";
            if (item.ValueKind != JsonValueKind.Object)
            {
                reader.Add("data", path["data.".Length..], "must be an object with sku, quantity and price.");
                continue;
            }

            var sku = reader.RequiredString(item, path, "sku");
            var quantity = reader.RequiredInt(item, path, "quantity", 1, 10_000);
            var price = reader.RequiredMoney(item, path, "price");
            if (sku is not null && quantity is not null && price is not null)
            {
                lines.Add(new OrderLine(sku, quantity.Value, price.Value));
            }
        }

        return lines.Count == array.GetArrayLength() ? lines : null;
    }

    private static OrderPlaced? Order(PayloadReader reader, JsonElement data, List<FieldError> errors)
    {
        var orderId = reader.RequiredString(data, "data", "orderid");
        var lines = Lines(reader, data);
        var storeId = reader.OptionalString(data, "data", "storeid");
        var paymentReference = reader.OptionalString(data, "data", "paymentreference");
        var fulfilmentText = reader.RequiredString(data, "data", "fulfilment");
        Fulfilment? fulfilment = fulfilmentText switch
        {
            "ship" => Fulfilment.Ship,
            "pickup" => Fulfilment.Pickup,
            null => null,
            _ => null,
        };
        if (fulfilmentText is not null && fulfilment is null)
        {
            reader.Add("data", "fulfilment", $"must be 'ship' or 'pickup'; it is '{fulfilmentText}'.");
        }

        if (fulfilment == Fulfilment.Pickup && storeId is null && !errors.Any(error => error.Field == "data.storeid"))
        {
            reader.Add("data", "storeid", "is required when fulfilment is 'pickup'.");
        }

        return orderId is null || lines is null || fulfilment is null || (fulfilment == Fulfilment.Pickup && storeId is null)
            ? null
            : new OrderPlaced(orderId, lines, fulfilment.Value, storeId, paymentReference);
    }

    private static PosSale? Sale(PayloadReader reader, JsonElement data)
    {
        var storeId = reader.RequiredString(data, "data", "storeid");
        var lines = Lines(reader, data);
        var coupon = reader.OptionalString(data, "data", "couponcode");
        return storeId is null || lines is null ? null : new PosSale(storeId, lines, coupon);
    }

    /// <summary>A geofence crossing's store and place (entered and exited alike); a null store id when a field is bad.</summary>
    private static (string? StoreId, double Lat, double Lon) Geofence(PayloadReader reader, JsonElement data)
    {
        var storeId = reader.RequiredString(data, "data", "storeid");
        var lat = reader.RequiredCoordinate(data, "data", "lat", 90);
        var lon = reader.RequiredCoordinate(data, "data", "lon", 180);
        return storeId is null || lat is null || lon is null ? (null, 0, 0) : (storeId, lat.Value, lon.Value);
    }

    private static InventoryAdjusted? Adjustment(PayloadReader reader, JsonElement data)
    {
        var storeId = reader.RequiredString(data, "data", "storeid");
        var sku = reader.RequiredString(data, "data", "sku");
        var delta = reader.RequiredInt(data, "data", "delta", -1_000_000, 1_000_000);
        var reason = reader.RequiredString(data, "data", "reason");
        if (delta == 0)
        {
            reader.Add("data", "delta", "must not be zero.");
            return null;
        }

        return storeId is null || sku is null || delta is null || reason is null ? null : new InventoryAdjusted(storeId, sku, delta.Value, reason);
    }

    private static ConsentChanged? Consent(PayloadReader reader, JsonElement data, List<FieldError> errors)
    {
        var before = errors.Count;
        var choices = new List<ConsentChoice>(1);
        foreach (var purpose in ConsentPurposes.All)
        {
            switch (reader.OptionalString(data, "data", purpose))
            {
                case "granted":
                    choices.Add(new ConsentChoice(purpose, ConsentState.Granted));
                    break;
                case "revoked":
                    choices.Add(new ConsentChoice(purpose, ConsentState.Revoked));
                    break;
                case null:
                    break;
                case var other:
                    reader.Add("data", purpose, $"must be 'granted' or 'revoked'; it is '{other}'.");
                    break;
            }
        }

        if (choices.Count == 0 && errors.Count == before)
        {
            reader.Add("data", ConsentPurposes.Marketing, $"is required: the consent of at least one purpose ({string.Join(", ", ConsentPurposes.All)}), 'granted' or 'revoked'.");
        }

        return errors.Count == before ? new ConsentChanged(choices) : null;
    }

    /// <summary>How many identities of one kind a sign-in may list in its data.</summary>
    public const int MaxListedIdentities = 20;

    /// <summary>An optional list of identifiers in a sign-in's data (<c>deviceids</c>, <c>loyaltyids</c>, <c>emailhashes</c>).</summary>
    private static List<string>? IdentifierList(PayloadReader reader, JsonElement data, string name, List<FieldError> errors)
    {
        reader.Plan.AssertPlanned(name);
        if (data.ValueKind != JsonValueKind.Object || !data.TryGetProperty(name, out var array) || array.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (array.ValueKind != JsonValueKind.Array || array.GetArrayLength() > MaxListedIdentities)
        {
            reader.Add("data", name, $"must be an array of at most {MaxListedIdentities} identifiers.");
            return null;
        }

        var values = new List<string>(array.GetArrayLength());
        var index = 0;
        foreach (var item in array.EnumerateArray())
        {
            var field = $"data.{name}[{index++}]";
            var value = item.ValueKind == JsonValueKind.String ? item.GetString()! : null;
            if (value is null || PayloadReader.IdentifierProblem(value) is not null)
            {
                errors.Add(new FieldError(field, $"'{field}' must be a non-empty identifier of at most 128 characters."));
            }
            else if (name == "emailhashes")
            {
                if (EmailHash(value, field, errors) is { } hash)
                {
                    values.Add(hash);
                }
            }
            else
            {
                values.Add(value);
            }
        }

        return values;
    }

    private static IdentitySet Combine(IdentitySet envelope, CustomerIdentified data, List<FieldError> errors)
    {
        string? Pick(string? fromEnvelope, string? fromData, string name)
        {
            if (fromEnvelope is not null && fromData is not null && fromEnvelope != fromData)
            {
                errors.Add(new FieldError($"data.{name}", $"'data.{name}' '{fromData}' disagrees with the '{name}' attribute '{fromEnvelope}'."));
            }

            return fromEnvelope ?? fromData;
        }

        var customer = Pick(envelope.CustomerId, data.CustomerId, "customerid");
        var device = Pick(envelope.DeviceId, data.DeviceId, "deviceid");
        var loyalty = Pick(envelope.LoyaltyId, data.LoyaltyId, "loyaltyid");
        var email = Pick(envelope.EmailHash, data.EmailHash, "emailhash");

        // The listed ones beyond the single attributes, strongest kind first as Keys() orders them, each once.
        List<IdentityKey>? joined = null;
        void Join(IReadOnlyList<string>? values, string? single, Func<string, IdentityKey> key)
        {
            foreach (var value in values ?? [])
            {
                var identity = key(value);
                if (value != single && !(joined?.Contains(identity) ?? false))
                {
                    (joined ??= []).Add(identity);
                }
            }
        }

        Join(data.LoyaltyIds, loyalty, IdentityKey.Loyalty);
        Join(data.EmailHashes, email, IdentityKey.Email);
        Join(data.DeviceIds, device, IdentityKey.Device);
        return new IdentitySet(customer, device, loyalty, email, joined);
    }
}
