namespace OmniChannel.Core.Orders;

/// <summary>A line the store cannot hold: how many were asked for and how many are available.</summary>
public sealed record StockShortage(string Sku, int Requested, int Available);
