using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using OmniChannel.Core.Events;
using OmniChannel.Core.Stores;

namespace OmniChannel.Simulation;

/// <summary>
/// Draws the people of the simulation: every customer has an account id and a hashed e-mail address, 45 % a loyalty
/// card, and one (65 %) or two (35 %) devices — a browser (45 %), an iPhone (30 %) or an Android phone (25 %) — and
/// a home store.
/// </summary>
internal static class CustomerBase
{
    private static readonly double[] DeviceCountWeights = [65, 35];
    private static readonly double[] DeviceKindWeights = [45, 30, 25];

    public static SimulatedCustomer Create(int seed, int index, IReadOnlyList<Store> stores)
    {
        var random = Seeds.Random(seed, Seeds.CustomerBase, index);
        var number = index + 1;
        var devices = new List<SimulatedDevice>(2);
        var deviceCount = random.Weighted(DeviceCountWeights) + 1;
        for (var device = 0; device < deviceCount; device++)
        {
            var deviceId = new Guid(random.Hex(16)).ToString();
            devices.Add(random.Weighted(DeviceKindWeights) switch
            {
                0 => new SimulatedDevice(deviceId, Channels.Web, "/web"),
                1 => new SimulatedDevice(deviceId, Channels.App, "/app/ios"),
                _ => new SimulatedDevice(deviceId, Channels.App, "/app/android"),
            });
        }

        var loyaltyId = random.Chance(0.45) ? "L" + random.Next(100_000_000, 1_000_000_000).ToString(CultureInfo.InvariantCulture) : null;
        return new SimulatedCustomer(
            index,
            "C" + number.ToString("D7", CultureInfo.InvariantCulture),
            EmailHash($"customer{number}@example.com"),
            loyaltyId,
            devices,
            stores[random.Next(stores.Count)]);
    }

    /// <summary>The contract's <c>emailhash</c>: SHA-256 of the trimmed, lower-cased address as 64 lower-case hex characters.</summary>
    public static string EmailHash(string address) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(address.Trim().ToLowerInvariant())));
}
