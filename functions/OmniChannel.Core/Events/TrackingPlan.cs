using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace OmniChannel.Core.Events;

/// <summary>
/// The tracking plan: the data fields of every event type, the one list the validator reads both to know a field
/// (<see cref="EventPlan.Unplanned"/>) and, in debug builds, to check that every field it reads is planned. A field
/// outside it is rejected for a strict source (<see cref="ContractOptions.StrictSources"/>) and reported for the others.
/// </summary>
public static class TrackingPlan
{
    /// <summary>The fields of each line of an order or a sale.</summary>
    private static readonly PlannedField[] LineFields = [new("sku"), new("quantity"), new("price")];

    public static IReadOnlyList<EventPlan> All { get; } =
    [
        new(EventTypes.ProductViewed, [new("sku"), new("storeid"), new("category")]),
        new(EventTypes.CartItemAdded, [new("sku"), new("quantity"), new("price")]),
        new(EventTypes.CartAbandoned, [new("skus")]),
        new(EventTypes.OrderPlaced, [new("orderid"), new("lines", LineFields), new("fulfilment"), new("storeid"), new("paymentreference")]),
        new(EventTypes.PosSale, [new("storeid"), new("lines", LineFields), new("couponcode")]),
        new(EventTypes.CustomerIdentified,
        [
            new("customerid"), new("deviceid"), new("loyaltyid"), new("emailhash"), new("deviceids"), new("loyaltyids"), new("emailhashes"),
        ]),
        new(EventTypes.GeofenceEntered, [new("storeid"), new("lat"), new("lon")]),
        new(EventTypes.InventoryAdjusted, [new("storeid"), new("sku"), new("delta"), new("reason")]),
        new(EventTypes.ConsentChanged, [.. ConsentPurposes.All.Select(purpose => new PlannedField(purpose))]),
        new(EventTypes.GeofenceExited, [new("storeid"), new("lat"), new("lon")]),
    ];

    /// <summary>The plan of an event type, or null for a type the contract does not know.</summary>
    public static EventPlan? For(string type)
    {
        foreach (var plan in All)
        {
            if (string.Equals(plan.Type, type, StringComparison.Ordinal))
            {
                return plan;
            }
        }

        return null;
    }
}

/// <summary>A data field of the plan; <see cref="ItemFields"/> are the fields of each object of an array field (order lines).</summary>
public sealed class PlannedField(string name, IReadOnlyList<PlannedField>? itemFields = null)
{
    private readonly byte[] _utf8 = Encoding.UTF8.GetBytes(name);

    public string Name { get; } = name;

    public IReadOnlyList<PlannedField>? ItemFields { get; } = itemFields;

    /// <summary>The planned field a JSON property is, compared as UTF-8 (no string made), or null.</summary>
    internal static PlannedField? Find(IReadOnlyList<PlannedField> fields, JsonProperty property)
    {
        // An index loop over the list: an enumerator would allocate per property.
        for (var index = 0; index < fields.Count; index++)
        {
            if (property.NameEquals(fields[index]._utf8))
            {
                return fields[index];
            }
        }

        return null;
    }
}

/// <summary>The data fields of one event type.</summary>
public sealed class EventPlan(string type, IReadOnlyList<PlannedField> fields)
{
    public string Type { get; } = type;

    public IReadOnlyList<PlannedField> Fields { get; } = fields;

    /// <summary>
    /// The paths of the data fields outside the plan (<c>data.colour</c>, <c>data.lines[0].colour</c>), or null when
    /// there is none; nothing is allocated then, as for almost every event.
    /// </summary>
    internal List<string>? Unplanned(JsonElement data)
    {
        List<string>? unplanned = null;
        if (data.ValueKind == JsonValueKind.Object)
        {
            Collect(data, Fields, ref unplanned);
        }

        return unplanned;
    }

    /// <summary>Debug builds: a field the validator reads must be in the plan, so the plan cannot fall behind the reader.</summary>
    [Conditional("DEBUG")]
    internal void AssertPlanned(string name)
    {
        if (!Fields.Any(field => field.Name == name || (field.ItemFields?.Any(item => item.Name == name) ?? false)))
        {
            throw new InvalidOperationException($"The validator reads data field '{name}' of {Type}, which the tracking plan (TrackingPlan.All) does not list.");
        }
    }

    private static void Collect(JsonElement data, IReadOnlyList<PlannedField> fields, ref List<string>? unplanned)
    {
        foreach (var property in data.EnumerateObject())
        {
            var field = PlannedField.Find(fields, property);
            if (field is null)
            {
                (unplanned ??= []).Add($"data.{property.Name}");
            }
            else if (field.ItemFields is { } itemFields && property.Value.ValueKind == JsonValueKind.Array)
            {
                var index = 0;
                foreach (var item in property.Value.EnumerateArray())
                {
                    if (item.ValueKind == JsonValueKind.Object)
                    {
                        CollectItem(item, itemFields, field.Name, index, ref unplanned);
                    }

                    index++;
                }
            }
        }
    }

    private static void CollectItem(JsonElement item, IReadOnlyList<PlannedField> itemFields, string arrayName, int index, ref List<string>? unplanned)
    {
        foreach (var property in item.EnumerateObject())
        {
            if (PlannedField.Find(itemFields, property) is null)
            {
                (unplanned ??= []).Add($"data.{arrayName}[{index}].{property.Name}");
            }
        }
    }
}
