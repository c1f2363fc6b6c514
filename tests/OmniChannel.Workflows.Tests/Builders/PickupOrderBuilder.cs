using OmniChannel.Core.Events;
using OmniChannel.Core.Orders;

namespace OmniChannel.Workflows.Tests.Builders;

/// <summary>A pickup order as the API stores it before the workflow starts; two lines worth 44.98 unless told otherwise.</summary>
public sealed class PickupOrderBuilder
{
    public const string CustomerId = "c-1";
    public const string StoreId = "0042";

    public static readonly DateTimeOffset PlacedAt = new(2025, 6, 1, 10, 0, 0, TimeSpan.Zero);

    private readonly string _id;
    private readonly List<OrderLine> _lines = [];

    public PickupOrderBuilder(string id) => _id = id;

    public PickupOrderBuilder WithLine(string sku, int quantity, decimal price)
    {
        _lines.Add(new OrderLine(sku, quantity, price));
        return this;
    }

    public PickupOrder Build() => new()
    {
        Id = _id,
        CustomerId = CustomerId,
        StoreId = StoreId,
        Lines = _lines.Count > 0 ? [.. _lines] : [new OrderLine("SKU-1", 2, 19.99m), new OrderLine("SKU-2", 1, 5.00m)],
        PlacedAt = PlacedAt,
        Status = OrderStatus.Placed,
        StatusReason = "Received; reserving stock.",
        UpdatedAt = PlacedAt,
    };
}
