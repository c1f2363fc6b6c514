using OmniChannel.Core.Events;
using OmniChannel.Core.Identity;
using OmniChannel.Core.UnitTests.Builders;

namespace OmniChannel.Core.UnitTests.Events;

public sealed class OmniEventTests
{
    [Fact]
    public void ComputeKey_SameSourceAndId_IsStableAndCosmosSafe()
    {
        var key = OmniEvent.ComputeKey("/pos/store/0042", "a/b?c#d");

        Assert.Equal(key, OmniEvent.ComputeKey("/pos/store/0042", "a/b?c#d"));
        Assert.Equal(32, key.Length);
        Assert.True(key.All(char.IsAsciiHexDigitLower));
    }

    [Theory]
    [InlineData("/web", "1", "/app/ios", "1")]
    [InlineData("/web", "1", "/web", "2")]
    public void ComputeKey_DifferentSourceOrId_Differs(string source1, string id1, string source2, string id2)
    {
        Assert.NotEqual(OmniEvent.ComputeKey(source1, id1), OmniEvent.ComputeKey(source2, id2));
    }

    [Fact]
    public void ComputeKey_LongIdentifiers_AreHashedToo()
    {
        var key = OmniEvent.ComputeKey(new string('s', 600), new string('i', 600));

        Assert.NotEqual(key, OmniEvent.ComputeKey(new string('s', 600), new string('i', 599)));
        Assert.Equal(32, key.Length);
    }

    [Theory]
    [InlineData("C1", "L1", CloudEventBuilder.EmailHash, "d-1", "customer:C1")]
    [InlineData(null, "L1", CloudEventBuilder.EmailHash, "d-1", "loyalty:L1")]
    [InlineData(null, null, CloudEventBuilder.EmailHash, "d-1", "email:" + CloudEventBuilder.EmailHash)]
    [InlineData(null, null, null, "d-1", "device:d-1")]
    public void PartitionKey_Identities_IsTheStrongest(string? customer, string? loyalty, string? email, string? device, string expected)
    {
        var builder = CloudEventBuilder.View().NoIdentity();
        if (customer is not null) builder.Customer(customer);
        if (loyalty is not null) builder.Loyalty(loyalty);
        if (email is not null) builder.Email(email);
        if (device is not null) builder.Device(device);

        Assert.Equal(expected, Decoding.Event(builder).PartitionKey.ToString());
    }

    [Fact]
    public void PartitionKey_InventoryEvent_IsTheStore()
    {
        Assert.Equal(IdentityKey.Store("0007"), Decoding.Event(CloudEventBuilder.Adjustment("0007", "SKU-1", 1)).PartitionKey);
    }
}
