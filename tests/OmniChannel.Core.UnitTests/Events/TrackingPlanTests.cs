using System.Text.Json;
using System.Text.Json.Nodes;
using OmniChannel.Core.Events;
using OmniChannel.Core.UnitTests.Builders;

namespace OmniChannel.Core.UnitTests.Events;

/// <summary>
/// The tracking plan: a data field the contract does not know is rejected for a strict source (named like any bad
/// field) and accepted, stored whole and reported for a lenient one; never silently ignored.
/// </summary>
public sealed class TrackingPlanTests
{
    private const string Structured = EventDecoder.StructuredMediaType;
    private static readonly KeyValuePair<string, string?>[] NoHeaders = [];

    private static readonly ContractOptions StrictPos = new() { StrictSources = ["/pos"] };

    public static TheoryData<string> AllTypes => new(EventTypes.All);

    [Fact]
    public void DecodeRequest_StrictSource_UnknownField_IsRejectedNamingTheField()
    {
        var builder = CloudEventBuilder.View().WithSource("/pos/store/0042").WithChannel(Channels.Pos).Data("colour", "red");

        var result = Decoding.Decoder(options: StrictPos).DecodeRequest(builder.Bytes(), Structured, NoHeaders);

        Assert.Empty(result.Events);
        Assert.Equal(CollectFailureKind.Invalid, result.Failure!.Kind);
        var problem = Assert.Single(result.Failure.Problems);
        Assert.Equal(builder.Id, problem.Id);
        var error = Assert.Single(problem.Errors);
        Assert.Equal("data.colour", error.Field);
        Assert.Equal("'colour' is not in the contract of omni.product.viewed (strict tracking plan for /pos).", error.Message);
    }

    [Fact]
    public void DecodeRequest_StrictSource_UnknownFieldInAnOrderLine_IsNamedWithItsLine()
    {
        var builder = CloudEventBuilder.Of(EventTypes.OrderPlaced).WithSource("/pos/store/0001")
            .EditData(data => ((JsonObject)data["lines"]![1]!)["colour"] = "red")
            .Data("giftwrap", true);

        var result = Decoding.Decoder(options: StrictPos).DecodeRequest(builder.Bytes(), Structured, NoHeaders);

        var errors = Assert.Single(result.Failure!.Problems).Errors;
        Assert.Equal(["data.giftwrap", "data.lines[1].colour"], errors.Select(error => error.Field).Order(StringComparer.Ordinal));
        Assert.Contains(errors, error => error.Message == "'colour' is not in the contract of omni.order.placed (strict tracking plan for /pos).");
    }

    [Fact]
    public void DecodeRequest_StrictSource_UnknownFieldsListedWithTheEventsOtherErrors()
    {
        var builder = CloudEventBuilder.View().WithSource("/pos").WithChannel(Channels.Pos).Data("colour", "red").Data("sku", 42);

        var result = Decoding.Decoder(options: StrictPos).DecodeRequest(builder.Bytes(), Structured, NoHeaders);

        Assert.Equal(["data.colour", "data.sku"], Assert.Single(result.Failure!.Problems).Errors.Select(error => error.Field).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void DecodeRequest_StrictSource_InABatch_RejectsTheWholeBatch()
    {
        var good = CloudEventBuilder.View().WithSource("/pos/store/0001");
        var bad = CloudEventBuilder.View().WithSource("/pos/store/0002").Data("colour", "red");

        var result = Decoding.Decoder(options: StrictPos).DecodeRequest(CloudEventBuilder.Batch(good, bad), EventDecoder.BatchMediaType, NoHeaders);

        Assert.Empty(result.Events);
        var problem = Assert.Single(result.Failure!.Problems);
        Assert.Equal(1, problem.Index);
        Assert.Equal("data.colour", Assert.Single(problem.Errors).Field);
    }

    [Theory]
    [InlineData("/web")]
    [InlineData("/posters")]
    [InlineData("/app/ios")]
    public void DecodeRequest_LenientSource_UnknownField_IsAcceptedKeptWholeAndReported(string source)
    {
        var builder = CloudEventBuilder.View().WithSource(source).Data("colour", "red");

        var result = Decoding.Decoder(options: StrictPos).DecodeRequest(builder.Bytes(), Structured, NoHeaders);

        Assert.Null(result.Failure);
        var omniEvent = Assert.Single(result.Events);
        Assert.Equal(["data.colour"], omniEvent.UnplannedFields);
        Assert.Equal("red", omniEvent.Data.GetProperty("colour").GetString());
        Assert.Equal(new ProductViewed("SKU-1", null), omniEvent.Payload);
    }

    [Fact]
    public void DecodeRequest_ByDefaultEverySourceIsLenient()
    {
        var builder = CloudEventBuilder.Sale("0001", ("SKU-1", 1)).EditData(data => ((JsonObject)data["lines"]![0]!)["colour"] = "red");

        var result = Decoding.Decoder().DecodeRequest(builder.Bytes(), Structured, NoHeaders);

        Assert.Null(result.Failure);
        Assert.Equal(["data.lines[0].colour"], Assert.Single(result.Events).UnplannedFields);
    }

    [Fact]
    public void DecodeRequest_BinaryMode_StrictSource_UnknownFieldRejected()
    {
        var builder = CloudEventBuilder.View().WithSource("/pos/store/0001").Data("colour", "red");
        var (body, headers) = EventDecoderTests.Binary(builder);

        var result = Decoding.Decoder(options: StrictPos).DecodeRequest(body, "application/json", headers);

        Assert.Equal("data.colour", Assert.Single(Assert.Single(result.Failure!.Problems).Errors).Field);
    }

    [Fact]
    public void DecodeStored_StrictSource_UnknownField_IsReportedNeverDeadLettered()
    {
        // Accepted before the source turned strict: ingest keeps it and reports the field.
        var builder = CloudEventBuilder.View().WithSource("/pos/store/0001").Data("colour", "red");

        var omniEvent = Decoding.Decoder(options: StrictPos).DecodeStored(builder.Bytes());

        Assert.Equal(["data.colour"], omniEvent.UnplannedFields);
    }

    [Theory]
    [MemberData(nameof(AllTypes))]
    public void DecodeRequest_EveryPlannedField_StrictSource_IsAcceptedWithNothingReported(string type)
    {
        var builder = CloudEventBuilder.Of(type).WithSource("/pos/store/0001");
        if (type == EventTypes.ProductViewed)
        {
            builder.Data("storeid", "0001").Data("category", "boots");
        }
        else if (type == EventTypes.CustomerIdentified)
        {
            builder.Data("loyaltyid", "L1").Data("deviceids", new JsonArray("w-1")).Data("loyaltyids", new JsonArray("L2"))
                .Data("emailhashes", new JsonArray(CloudEventBuilder.EmailHash));
        }

        var result = Decoding.Decoder(options: StrictPos).DecodeRequest(builder.Bytes(), Structured, NoHeaders);

        Assert.Null(result.Failure);
        Assert.Null(Assert.Single(result.Events).UnplannedFields);
    }

    [Fact]
    public void TrackingPlan_NamesTheFieldsOfEveryTypeOnce()
    {
        Assert.Equal(EventTypes.All, TrackingPlan.All.Select(plan => plan.Type));
        Assert.Equal(["sku", "storeid", "category"], TrackingPlan.For(EventTypes.ProductViewed)!.Fields.Select(field => field.Name));
        var lines = TrackingPlan.For(EventTypes.OrderPlaced)!.Fields.Single(field => field.Name == "lines");
        Assert.Equal(["sku", "quantity", "price"], lines.ItemFields!.Select(field => field.Name));
        Assert.Null(TrackingPlan.For("omni.product.liked"));
    }

    [Fact]
    public void KnownFieldCheck_WithoutAnUnknownField_AllocatesNothing()
    {
        using var document = JsonDocument.Parse(CloudEventBuilder.Of(EventTypes.OrderPlaced).Json());
        var data = document.RootElement.GetProperty("data");
        var plan = TrackingPlan.For(EventTypes.OrderPlaced)!;
        Assert.Null(plan.Unplanned(data)); // warm up

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            Assert.Null(plan.Unplanned(data));
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Theory]
    [InlineData("/pos", "/pos", "/pos")]
    [InlineData("/pos/store/0042", "/pos", "/pos")]
    [InlineData("/posters", "/pos", null)]
    [InlineData("/web", "/pos", null)]
    [InlineData("/app/ios", "/app/", "/app/")]
    public void StrictPrefix_MatchesWholePathSegments(string source, string strict, string? expected)
    {
        Assert.Equal(expected, new ContractOptions { StrictSources = [strict] }.StrictPrefix(source));
    }
}
