using OmniChannel.Core.Inventory;

namespace OmniChannel.Core.UnitTests.Inventory;

public sealed class InventoryItemTests
{
    [Theory]
    [InlineData(6, "")]
    [InlineData(5, "C")]
    [InlineData(3, "B,C")]
    [InlineData(2, "B,C")]
    [InlineData(1, "A,B,C")]
    [InlineData(-2, "A,B,C")]
    public void ShortOrders_OnHandBelowTheHolds_CoversTheOldestHoldsFirst(int onHand, string expected)
    {
        // Holds of 2 (A, oldest), 3 (B) and 1 (C, newest).
        var item = new InventoryItem { StoreId = "0001", Sku = "SKU-1", OnHand = onHand, Reserved = 6, Reservations = new() { ["A"] = 2, ["B"] = 3, ["C"] = 1 } };

        Assert.Equal(expected.Split(',', StringSplitOptions.RemoveEmptyEntries), item.ShortOrders);
    }
}
