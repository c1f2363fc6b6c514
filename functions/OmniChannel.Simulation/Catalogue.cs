using System.Globalization;

namespace OmniChannel.Simulation;

/// <summary>
/// The products on sale: SKUs with shelf prices, and a Zipf popularity (exponent 1) so a few best-sellers take most
/// views and sales while a long tail is seldom seen, as in real retail.
/// </summary>
internal sealed class Catalogue
{
    private static readonly decimal[] PricePoints = [2.99m, 4.99m, 7.99m, 9.99m, 14.99m, 19.99m, 24.99m, 29.99m, 39.99m, 49.99m, 69.99m, 99.99m, 149.99m, 249.99m];
    private static readonly double[] PriceWeights = [6, 10, 8, 12, 10, 12, 8, 8, 6, 5, 4, 3, 2, 1];

    private const int SkuRange = 900_000;

    private readonly string[] _skus;
    private readonly decimal[] _prices;
    private readonly double[] _cumulative;

    public Catalogue(int size, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(size, SkuRange);
        var random = Seeds.Random(seed, Seeds.Catalogue, 0);
        _skus = new string[size];
        _prices = new decimal[size];
        _cumulative = new double[size];
        var offset = random.Next(SkuRange);
        var total = 0.0;
        for (var rank = 0; rank < size; rank++)
        {
            // SKU numbers are scattered against popularity (a prime stride is a bijection on the range), so the
            // best-seller is not SKU 1 and no two products share a number.
            var number = 100_000 + (int)((rank * 7_919L + offset) % SkuRange);
            _skus[rank] = "SKU-" + number.ToString(CultureInfo.InvariantCulture);
            _prices[rank] = PricePoints[random.Weighted(PriceWeights)];
            total += 1.0 / (rank + 1);
            _cumulative[rank] = total;
        }
    }

    public int Count => _skus.Length;

    /// <summary>A product drawn by popularity.</summary>
    public int Pick(Random random)
    {
        var target = random.NextDouble() * _cumulative[^1];
        var index = Array.BinarySearch(_cumulative, target);
        return Math.Min(index < 0 ? ~index : index, _skus.Length - 1);
    }

    public string Sku(int product) => _skus[product];

    public decimal Price(int product) => _prices[product];
}
