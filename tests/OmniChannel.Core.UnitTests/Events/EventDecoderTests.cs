using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using OmniChannel.Core.Events;
using OmniChannel.Core.Identity;
using OmniChannel.Core.Stores;
using OmniChannel.Core.UnitTests.Builders;
using OmniChannel.Simulation;

namespace OmniChannel.Core.UnitTests.Events;

public sealed class EventDecoderTests
{
    private const string Structured = EventDecoder.StructuredMediaType;
    private const string Batched = EventDecoder.BatchMediaType;
    private static readonly KeyValuePair<string, string?>[] NoHeaders = [];

    private readonly EventDecoder _decoder = Decoding.Decoder();

    public static TheoryData<string> AllTypes => new(EventTypes.All);

    [Fact]
    public void DecodeRequest_StructuredEvent_ReturnsTheValidatedEvent()
    {
        var builder = CloudEventBuilder.Of(EventTypes.CartItemAdded).Customer("C9").WithSource("/app/ios").WithChannel(Channels.App);

        var result = _decoder.DecodeRequest(builder.Bytes(), Structured, NoHeaders);

        Assert.Null(result.Failure);
        var omniEvent = Assert.Single(result.Events);
        Assert.Equal(builder.Id, omniEvent.Id);
        Assert.Equal("/app/ios", omniEvent.Source);
        Assert.Equal(Channels.App, omniEvent.Channel);
        Assert.Equal(TestClock.Now.AddMinutes(-1), omniEvent.Time);
        Assert.Equal(new IdentitySet("C9", "d-1", null, null), omniEvent.Identities);
        Assert.Equal(new CartItemAdded("SKU-1", 2, 12.99m), omniEvent.Payload);
        Assert.Equal(IdentityKey.Customer("C9"), omniEvent.PartitionKey);
    }

    [Fact]
    public void DecodeRequest_SignInListingDevices_JoinsEveryListedIdentity()
    {
        var builder = CloudEventBuilder.SignIn("C9", "a-1")
            .Data("deviceids", new JsonArray("w-1", "a-1", "w-1"))
            .Data("loyaltyids", new JsonArray("L7"))
            .Data("emailhashes", new JsonArray(CloudEventBuilder.EmailHash.ToUpperInvariant()));

        var result = _decoder.DecodeRequest(builder.Bytes(), Structured, NoHeaders);

        Assert.Null(result.Failure);
        var identities = Assert.Single(result.Events).Identities;
        Assert.Equal(
            ["customer:C9", "device:a-1", "loyalty:L7", "email:" + CloudEventBuilder.EmailHash, "device:w-1"],
            identities.Keys().Select(key => key.ToString()));
        Assert.Equal(IdentityKey.Customer("C9"), Assert.Single(result.Events).PartitionKey);
    }

    [Fact]
    public void DecodeRequest_StructuredWithCharsetParameter_IsAccepted()
    {
        var result = _decoder.DecodeRequest(CloudEventBuilder.View().Bytes(), "Application/CloudEvents+JSON; charset=utf-8", NoHeaders);

        Assert.Null(result.Failure);
        Assert.Single(result.Events);
    }

    [Theory]
    [MemberData(nameof(AllTypes))]
    public void DecodeRequest_StructuredEventOfEachType_IsValid(string type)
    {
        var result = _decoder.DecodeRequest(CloudEventBuilder.Of(type).Bytes(), Structured, NoHeaders);

        Assert.Null(result.Failure);
        Assert.Equal(type, Assert.Single(result.Events).Type);
    }

    [Theory]
    [MemberData(nameof(AllTypes))]
    public void DecodeRequest_BinaryEventOfEachType_IsValid(string type)
    {
        var (body, headers) = Binary(CloudEventBuilder.Of(type));

        var result = _decoder.DecodeRequest(body, "application/json", headers);

        Assert.Null(result.Failure);
        Assert.Equal(type, Assert.Single(result.Events).Type);
    }

    [Fact]
    public void DecodeRequest_BinaryMode_ReadsAttributesFromPercentEncodedCeHeaders()
    {
        var builder = CloudEventBuilder.Of(EventTypes.GeofenceEntered).WithSource("/app/ios").WithChannel(Channels.App).Loyalty("L 7");
        var (body, headers) = Binary(builder);

        var result = _decoder.DecodeRequest(body, "application/json; charset=utf-8", headers);

        Assert.Null(result.Failure);
        var omniEvent = Assert.Single(result.Events);
        Assert.Equal(builder.Id, omniEvent.Id);
        Assert.Equal("/app/ios", omniEvent.Source);
        Assert.Equal("L 7", omniEvent.Identities.LoyaltyId);
        Assert.Equal("0001", omniEvent.StoreId);
        Assert.Equal(new GeofenceEntered("0001", 40.7128, -74.006), omniEvent.Payload);
    }

    [Fact]
    public void DecodeRequest_BatchOfEveryType_ReturnsAllInOrder()
    {
        var builders = EventTypes.All.Select(CloudEventBuilder.Of).ToArray();

        var result = _decoder.DecodeRequest(CloudEventBuilder.Batch(builders), Batched, NoHeaders);

        Assert.Null(result.Failure);
        Assert.Equal(builders.Select(builder => builder.Id), result.Events.Select(omniEvent => omniEvent.Id));
        Assert.Equal(EventTypes.All, result.Events.Select(omniEvent => omniEvent.Type));
    }

    [Fact]
    public void DecodeRequest_BatchOfMaximumSize_IsAccepted()
    {
        var builders = Enumerable.Range(0, new ContractOptions().MaxBatchEvents).Select(_ => CloudEventBuilder.View()).ToArray();

        var result = _decoder.DecodeRequest(CloudEventBuilder.Batch(builders), Batched, NoHeaders);

        Assert.Null(result.Failure);
        Assert.Equal(builders.Length, result.Events.Count);
    }

    [Fact]
    public void DecodeRequest_SameIdFromTwoSources_AreTwoEvents()
    {
        var first = CloudEventBuilder.View().WithId("same").WithSource("/web");
        var second = CloudEventBuilder.View().WithId("same").WithSource("/app/ios");

        var result = _decoder.DecodeRequest(CloudEventBuilder.Batch(first, second), Batched, NoHeaders);

        Assert.Null(result.Failure);
        Assert.Equal(2, result.Events.Count);
    }

    [Fact]
    public void DecodeRequest_TimeWithinClockSkew_IsAccepted()
    {
        var result = _decoder.DecodeRequest(CloudEventBuilder.View().WithTime(TestClock.Now.AddMinutes(4)).Bytes(), Structured, NoHeaders);

        Assert.Null(result.Failure);
    }

    [Fact]
    public void DecodeRequest_UpperCaseEmailHash_IsNormalisedToLowerCase()
    {
        var result = _decoder.DecodeRequest(CloudEventBuilder.View().Email(CloudEventBuilder.EmailHash.ToUpperInvariant()).Bytes(), Structured, NoHeaders);

        Assert.Null(result.Failure);
        Assert.Equal(CloudEventBuilder.EmailHash, Assert.Single(result.Events).Identities.EmailHash);
    }

    [Fact]
    public void DecodeRequest_PricesAsDecimalStringAndMinorUnits_AreBothExact()
    {
        var result = _decoder.DecodeRequest(CloudEventBuilder.Of(EventTypes.OrderPlaced).Bytes(), Structured, NoHeaders);

        var order = Assert.IsType<OrderPlaced>(Assert.Single(result.Events).Payload);
        Assert.Equal([12.99m, 5.00m], order.Lines.Select(line => line.Price));
        Assert.Equal(22.99m, order.Total);
    }

    /// <summary>A contract-breaking change to an otherwise valid event, and the field the problem must name.</summary>
    public sealed record BadEvent(string Name, Func<CloudEventBuilder> Build, string Field)
    {
        public override string ToString() => Name;
    }

    public static TheoryData<BadEvent> BadEvents => new(
        new BadEvent("id missing", () => CloudEventBuilder.View().Remove("id"), "id"),
        new BadEvent("id a number", () => CloudEventBuilder.View().Set("id", 42), "id"),
        new BadEvent("id empty", () => CloudEventBuilder.View().Set("id", ""), "id"),
        new BadEvent("source missing", () => CloudEventBuilder.View().Remove("source"), "source"),
        new BadEvent("type missing", () => CloudEventBuilder.View().Remove("type"), "type"),
        new BadEvent("type null", () => CloudEventBuilder.View().Set("type", null), "type"),
        new BadEvent("type unknown", () => CloudEventBuilder.View().Set("type", "omni.product.liked"), "type"),
        new BadEvent("specversion missing", () => CloudEventBuilder.View().Remove("specversion"), "specversion"),
        new BadEvent("specversion 0.3", () => CloudEventBuilder.View().Set("specversion", "0.3"), "specversion"),
        new BadEvent("specversion a number", () => CloudEventBuilder.View().Set("specversion", 1.0), "specversion"),
        new BadEvent("time missing", () => CloudEventBuilder.View().Remove("time"), "time"),
        new BadEvent("time not RFC 3339", () => CloudEventBuilder.View().Set("time", "yesterday"), "time"),
        new BadEvent("time far in the future", () => CloudEventBuilder.View().WithTime(TestClock.Now.AddHours(1)), "time"),
        new BadEvent("source not a URI reference", () => CloudEventBuilder.View().WithSource("http://[bad"), "source"),
        new BadEvent("time a number", () => CloudEventBuilder.View().Set("time", 1_764_072_000), "time"),
        new BadEvent("channel a number", () => CloudEventBuilder.View().Set("channel", 5), "channel"),
        new BadEvent("customerid a number", () => CloudEventBuilder.View().Set("customerid", 12345), "customerid"),
        new BadEvent("deviceid a boolean", () => CloudEventBuilder.View().Set("deviceid", true), "deviceid"),
        new BadEvent("storeid an object", () => CloudEventBuilder.View().Set("storeid", new JsonObject { ["id"] = "0001" }), "storeid"),
        new BadEvent("id with a control character", () => CloudEventBuilder.View().WithId("e\n1"), "id"),
        new BadEvent("channel missing", () => CloudEventBuilder.View().Remove("channel"), "channel"),
        new BadEvent("channel unknown", () => CloudEventBuilder.View().WithChannel("fax"), "channel"),
        new BadEvent("channel upper case", () => CloudEventBuilder.View().WithChannel("WEB"), "channel"),
        new BadEvent("no identity", () => CloudEventBuilder.View().NoIdentity(), "customerid"),
        new BadEvent("customerid blank", () => CloudEventBuilder.View().Customer("   "), "customerid"),
        new BadEvent("customerid with a control character", () => CloudEventBuilder.View().Customer("C\u00071"), "customerid"),
        new BadEvent("deviceid too long", () => CloudEventBuilder.View().Device(new string('d', 129)), "deviceid"),
        new BadEvent("emailhash too short", () => CloudEventBuilder.View().Email("abc123"), "emailhash"),
        new BadEvent("emailhash an address", () => CloudEventBuilder.View().Email("someone@example.com"), "emailhash"),
        new BadEvent("emailhash not hex", () => CloudEventBuilder.View().Email(new string('g', 64)), "emailhash"),
        new BadEvent("data missing", () => CloudEventBuilder.View().Remove("data"), "data"),
        new BadEvent("data a string", () => CloudEventBuilder.View().WithData("SKU-1"), "data"),
        new BadEvent("data an array", () => CloudEventBuilder.View().WithData(new JsonArray("SKU-1")), "data"),
        new BadEvent("sku missing", () => CloudEventBuilder.View().RemoveData("sku"), "data.sku"),
        new BadEvent("sku a number", () => CloudEventBuilder.View().Data("sku", 123), "data.sku"),
        new BadEvent("float price", () => CloudEventBuilder.Of(EventTypes.CartItemAdded).Data("price", 12.99), "data.price"),
        new BadEvent("price not a number", () => CloudEventBuilder.Of(EventTypes.CartItemAdded).Data("price", "twelve"), "data.price"),
        new BadEvent("price negative", () => CloudEventBuilder.Of(EventTypes.CartItemAdded).Data("price", "-1.00"), "data.price"),
        new BadEvent("minor units negative", () => CloudEventBuilder.Of(EventTypes.CartItemAdded).Data("price", -100), "data.price"),
        new BadEvent("quantity zero", () => CloudEventBuilder.Of(EventTypes.CartItemAdded).Data("quantity", 0), "data.quantity"),
        new BadEvent("quantity negative", () => CloudEventBuilder.Of(EventTypes.CartItemAdded).Data("quantity", -2), "data.quantity"),
        new BadEvent("quantity fractional", () => CloudEventBuilder.Of(EventTypes.CartItemAdded).Data("quantity", 1.5), "data.quantity"),
        new BadEvent("quantity a string", () => CloudEventBuilder.Of(EventTypes.CartItemAdded).Data("quantity", "2"), "data.quantity"),
        new BadEvent("abandoned cart empty", () => CloudEventBuilder.Of(EventTypes.CartAbandoned).Data("skus", new JsonArray()), "data.skus"),
        new BadEvent("abandoned cart sku not a string", () => CloudEventBuilder.Of(EventTypes.CartAbandoned).Data("skus", new JsonArray("SKU-1", 7)), "data.skus[1]"),
        new BadEvent("pickup without store", () => CloudEventBuilder.Of(EventTypes.OrderPlaced).RemoveData("storeid"), "data.storeid"),
        new BadEvent("fulfilment unknown", () => CloudEventBuilder.Of(EventTypes.OrderPlaced).Data("fulfilment", "drone"), "data.fulfilment"),
        new BadEvent("order without lines", () => CloudEventBuilder.Of(EventTypes.OrderPlaced).Data("lines", new JsonArray()), "data.lines"),
        new BadEvent("order line not an object", () => CloudEventBuilder.Of(EventTypes.OrderPlaced).EditData(data => data["lines"]![0] = "SKU-1"), "data.lines[0]"),
        new BadEvent("order line quantity zero", () => CloudEventBuilder.Of(EventTypes.OrderPlaced).EditData(data => data["lines"]![1]!["quantity"] = 0), "data.lines[1].quantity"),
        new BadEvent("order line float price", () => CloudEventBuilder.Of(EventTypes.OrderPlaced).EditData(data => data["lines"]![1]!["price"] = 4.5), "data.lines[1].price"),
        new BadEvent("order id missing", () => CloudEventBuilder.Of(EventTypes.OrderPlaced).RemoveData("orderid"), "data.orderid"),
        new BadEvent("sale without store", () => CloudEventBuilder.Of(EventTypes.PosSale).RemoveData("storeid"), "data.storeid"),
        new BadEvent("sale line negative quantity", () => CloudEventBuilder.Of(EventTypes.PosSale).EditData(data => data["lines"]![0]!["quantity"] = -1), "data.lines[0].quantity"),
        new BadEvent("store attribute disagrees with data", () => CloudEventBuilder.Of(EventTypes.PosSale).Set("storeid", "0002"), "storeid"),
        new BadEvent("sign-in with one identity", () => CloudEventBuilder.Of(EventTypes.CustomerIdentified).Remove("customerid").WithData(new JsonObject { ["deviceid"] = "d-1" }), "data"),
        new BadEvent("sign-in data disagrees with envelope", () => CloudEventBuilder.Of(EventTypes.CustomerIdentified).Data("customerid", "C2"), "data.customerid"),
        new BadEvent("sign-in bad emailhash", () => CloudEventBuilder.Of(EventTypes.CustomerIdentified).Data("emailhash", "not-a-hash"), "data.emailhash"),
        new BadEvent("sign-in device list not an array", () => CloudEventBuilder.Of(EventTypes.CustomerIdentified).Data("deviceids", "w-1"), "data.deviceids"),
        new BadEvent("sign-in device list with an empty id", () => CloudEventBuilder.Of(EventTypes.CustomerIdentified).Data("deviceids", new JsonArray("w-1", "")), "data.deviceids[1]"),
        new BadEvent("sign-in e-mail list with an address", () => CloudEventBuilder.Of(EventTypes.CustomerIdentified).Data("emailhashes", new JsonArray("ann@example.com")), "data.emailhashes[0]"),
        new BadEvent("latitude out of range", () => CloudEventBuilder.Of(EventTypes.GeofenceEntered).Data("lat", 91), "data.lat"),
        new BadEvent("longitude a string", () => CloudEventBuilder.Of(EventTypes.GeofenceEntered).Data("lon", "-74.0"), "data.lon"),
        new BadEvent("adjustment delta zero", () => CloudEventBuilder.Of(EventTypes.InventoryAdjusted).Data("delta", 0), "data.delta"),
        new BadEvent("adjustment without reason", () => CloudEventBuilder.Of(EventTypes.InventoryAdjusted).RemoveData("reason"), "data.reason"),
        new BadEvent("adjustment without store", () => CloudEventBuilder.Of(EventTypes.InventoryAdjusted).RemoveData("storeid"), "data.storeid"),
        new BadEvent("consent value unknown", () => CloudEventBuilder.Of(EventTypes.ConsentChanged).Data("marketing", "maybe"), "data.marketing"),
        new BadEvent("consent of no purpose", () => CloudEventBuilder.Of(EventTypes.ConsentChanged).RemoveData("marketing"), "data.marketing"));

    [Theory]
    [MemberData(nameof(BadEvents))]
    public void DecodeRequest_StructuredBadEvent_IsInvalidNamingTheField(BadEvent bad)
    {
        var builder = bad.Build();

        var result = _decoder.DecodeRequest(builder.Bytes(), Structured, NoHeaders);

        AssertOnlyProblem(result, index: 0, bad.Field);
    }

    [Theory]
    [MemberData(nameof(BadEvents))]
    public void DecodeRequest_BatchWithOneBadEvent_IsRejectedWholeNamingOnlyTheBadOne(BadEvent bad)
    {
        var batch = CloudEventBuilder.Batch(CloudEventBuilder.View(), CloudEventBuilder.Of(EventTypes.PosSale), bad.Build(), CloudEventBuilder.Of(EventTypes.OrderPlaced));

        var result = _decoder.DecodeRequest(batch, Batched, NoHeaders);

        AssertOnlyProblem(result, index: 2, bad.Field);
    }

    [Fact]
    public void DecodeRequest_BatchWithTwoBadEvents_NamesEachWithItsId()
    {
        var badTime = CloudEventBuilder.View().WithTime(TestClock.Now.AddDays(1));
        var badChannel = CloudEventBuilder.View().WithChannel("fax");

        var result = _decoder.DecodeRequest(CloudEventBuilder.Batch(CloudEventBuilder.View(), badTime, CloudEventBuilder.View(), badChannel), Batched, NoHeaders);

        var failure = Rejected(result, CollectFailureKind.Invalid);
        Assert.Equal([1, 3], failure.Problems.Select(problem => problem.Index));
        Assert.Equal([badTime.Id, badChannel.Id], failure.Problems.Select(problem => problem.Id));
    }

    [Fact]
    public void DecodeRequest_BadEvent_ListsEveryProblemOfIt()
    {
        var builder = CloudEventBuilder.Of(EventTypes.CartItemAdded).Data("price", 1.5).Data("quantity", 0).RemoveData("sku");

        var result = _decoder.DecodeRequest(builder.Bytes(), Structured, NoHeaders);

        var problem = Assert.Single(Rejected(result, CollectFailureKind.Invalid).Problems);
        Assert.Equal(["data.sku", "data.quantity", "data.price"], problem.Errors.Select(error => error.Field));
    }

    [Theory]
    [InlineData(1, "42")]
    [InlineData(2, "null")]
    [InlineData(0, "[]")]
    [InlineData(3, "\"event\"")]
    public void DecodeRequest_BatchItemNotAnObject_NamesThatItem(int position, string item)
    {
        var items = Enumerable.Range(0, 4).Select(index => index == position ? item : CloudEventBuilder.View().Json());
        var body = Encoding.UTF8.GetBytes("[" + string.Join(",", items) + "]");

        var result = _decoder.DecodeRequest(body, Batched, NoHeaders);

        AssertOnlyProblem(result, position, "event");
        Assert.Null(Assert.Single(result.Failure!.Problems).Id);
    }

    [Fact]
    public void DecodeRequest_DuplicateIdInBatch_NamesTheRepeat()
    {
        var first = CloudEventBuilder.View().WithId("e-1");
        var repeat = CloudEventBuilder.Of(EventTypes.CartItemAdded).WithId("e-1");

        var result = _decoder.DecodeRequest(CloudEventBuilder.Batch(first, CloudEventBuilder.View(), repeat), Batched, NoHeaders);

        AssertOnlyProblem(result, index: 2, "id");
        Assert.Equal("e-1", result.Failure!.Problems[0].Id);
    }

    /// <summary>A request that is wrong as a whole: its failure kind, and no event named.</summary>
    public sealed record BadRequest(string Name, Func<byte[]> Body, string? ContentType, KeyValuePair<string, string?>[] Headers, CollectFailureKind Kind)
    {
        public override string ToString() => Name;
    }

    public static TheoryData<BadRequest> BadRequests => new(
        new BadRequest("structured not JSON", () => Encoding.UTF8.GetBytes("{\"id\": "), Structured, NoHeaders, CollectFailureKind.Invalid),
        new BadRequest("structured empty body", () => [], Structured, NoHeaders, CollectFailureKind.Invalid),
        new BadRequest("structured an array", () => CloudEventBuilder.Batch(CloudEventBuilder.View()), Structured, NoHeaders, CollectFailureKind.Invalid),
        new BadRequest("batch not JSON", () => Encoding.UTF8.GetBytes("[{]"), Batched, NoHeaders, CollectFailureKind.Invalid),
        new BadRequest("batch an object", () => CloudEventBuilder.View().Bytes(), Batched, NoHeaders, CollectFailureKind.Invalid),
        new BadRequest("batch empty", () => Encoding.UTF8.GetBytes("[]"), Batched, NoHeaders, CollectFailureKind.Invalid),
        new BadRequest("text/plain", () => CloudEventBuilder.View().Bytes(), "text/plain", NoHeaders, CollectFailureKind.UnsupportedMediaType),
        new BadRequest("plain JSON without ce headers", () => CloudEventBuilder.View().Bytes(), "application/json", NoHeaders, CollectFailureKind.UnsupportedMediaType),
        new BadRequest("no content type", () => CloudEventBuilder.View().Bytes(), null, NoHeaders, CollectFailureKind.UnsupportedMediaType),
        new BadRequest("unparsable content type", () => CloudEventBuilder.View().Bytes(), "cloudevents;;", NoHeaders, CollectFailureKind.UnsupportedMediaType),
        new BadRequest("binary with XML data", () => Encoding.UTF8.GetBytes("<sku/>"), "application/xml", Binary(CloudEventBuilder.View()).Headers, CollectFailureKind.UnsupportedMediaType),
        new BadRequest("batch of 501 events", () => CloudEventBuilder.Batch(Enumerable.Range(0, 501).Select(_ => CloudEventBuilder.View()).ToArray()), Batched, NoHeaders, CollectFailureKind.TooLarge),
        new BadRequest("body over 1 MiB", () => Oversize(), Batched, NoHeaders, CollectFailureKind.TooLarge));

    [Theory]
    [MemberData(nameof(BadRequests))]
    public void DecodeRequest_BadRequest_IsRejectedWithoutNamingEvents(BadRequest bad)
    {
        var result = _decoder.DecodeRequest(bad.Body(), bad.ContentType, bad.Headers);

        var failure = Rejected(result, bad.Kind);
        Assert.Empty(failure.Problems);
        Assert.False(string.IsNullOrWhiteSpace(failure.Detail));
    }

    [Fact]
    public void DecodeRequest_SmallerConfiguredLimits_AreEnforced()
    {
        var decoder = Decoding.Decoder(options: new ContractOptions { MaxBatchEvents = 2, MaxBodyBytes = 100_000 });

        var result = decoder.DecodeRequest(CloudEventBuilder.Batch(CloudEventBuilder.View(), CloudEventBuilder.View(), CloudEventBuilder.View()), Batched, NoHeaders);

        Assert.Equal(CollectFailureKind.TooLarge, result.Failure?.Kind);
    }

    public static TheoryData<string, Func<CloudEventBuilder, (byte[] Body, KeyValuePair<string, string?>[] Headers)>, string> BadBinaryEvents => new()
    {
        { "ce-id missing", builder => Binary(builder, without: "ce-id"), "id" },
        { "ce-source missing", builder => Binary(builder, without: "ce-source"), "source" },
        { "ce-type missing", builder => Binary(builder, without: "ce-type"), "type" },
        { "ce-specversion missing", builder => Binary(builder, without: "ce-specversion"), "specversion" },
        { "ce-specversion 0.3", builder => Binary(builder, replace: ("ce-specversion", "0.3")), "specversion" },
        { "ce-time not a time", builder => Binary(builder, replace: ("ce-time", "noon")), "time" },
        { "ce-time in the future", builder => Binary(builder, replace: ("ce-time", CloudEventBuilder.Format(TestClock.Now.AddHours(2)))), "time" },
        { "ce-channel unknown", builder => Binary(builder, replace: ("ce-channel", "fax")), "channel" },
        { "no identity header", builder => Binary(builder, without: "ce-deviceid"), "customerid" },
        { "body not JSON", builder => (Encoding.UTF8.GetBytes("{sku"), Binary(builder).Headers), "data" },
        { "data field wrong", builder => (Encoding.UTF8.GetBytes("{\"sku\": 5}"), Binary(builder).Headers), "data.sku" },
    };

    [Theory]
    [MemberData(nameof(BadBinaryEvents))]
    public void DecodeRequest_BadBinaryEvent_IsInvalidNamingTheField(string name, Func<CloudEventBuilder, (byte[] Body, KeyValuePair<string, string?>[] Headers)> request, string field)
    {
        Assert.NotEmpty(name);
        var (body, headers) = request(CloudEventBuilder.View());

        var result = _decoder.DecodeRequest(body, "application/json", headers);

        AssertOnlyProblem(result, index: 0, field);
    }

    [Fact]
    public void DecodeStored_ValidEventFromThePast_IsDecodedWithoutTheFutureCheck()
    {
        var clock = TestClock.Create();
        var builder = CloudEventBuilder.View().WithTime(TestClock.Now.AddHours(3));

        var omniEvent = Decoding.Decoder(clock).DecodeStored(builder.Bytes());

        Assert.Equal(TestClock.Now.AddHours(3), omniEvent.Time);
    }

    [Theory]
    [InlineData("not json at all")]
    [InlineData("")]
    [InlineData("{\"specversion\":\"1.0\"")]
    public void DecodeStored_NotJson_ThrowsPoison(string body)
    {
        var exception = Assert.Throws<PoisonEventException>(() => _decoder.DecodeStored(Encoding.UTF8.GetBytes(body)));

        Assert.Contains("not JSON", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DecodeStored_InvalidUtf8_ThrowsPoison()
    {
        Assert.Throws<PoisonEventException>(() => _decoder.DecodeStored(new byte[] { 0xFF, 0xFE, 0x7B, 0x00, 0xC3 }));
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("42")]
    [InlineData("\"event\"")]
    [InlineData("null")]
    public void DecodeStored_JsonThatIsNotAnObject_ThrowsPoison(string body)
    {
        Assert.Throws<PoisonEventException>(() => _decoder.DecodeStored(Encoding.UTF8.GetBytes(body)));
    }

    [Fact]
    public void DecodeStored_ContractBreakingEvent_ThrowsPoisonNamingTheFields()
    {
        var exception = Assert.Throws<PoisonEventException>(() => _decoder.DecodeStored(CloudEventBuilder.View().WithChannel("fax").RemoveData("sku").Bytes()));

        Assert.Contains("channel", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(AllTypes))]
    public void EncodeStructured_ValidEvent_RoundTripsThroughDecodeStored(string type)
    {
        var original = Decoding.Event(CloudEventBuilder.Of(type).Email(CloudEventBuilder.EmailHash).Set("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"));

        var decoded = _decoder.DecodeStored(EventDecoder.EncodeStructured(EventDecoder.ToCloudEvent(original)));

        Assert.Equal(original.Key, decoded.Key);
        Assert.Equal(original.Time, decoded.Time);
        Assert.Equal(original.Channel, decoded.Channel);
        Assert.Equal(original.Identities, decoded.Identities);
        Assert.Equal(original.StoreId, decoded.StoreId);
        Assert.Equal(original.TraceParent, decoded.TraceParent);
        Assert.Equal(ProfileSummary(original), ProfileSummary(decoded));
    }

    [Fact]
    public void DecodeStored_SimulatedDay_GivesWhatTheFormattersPathGives()
    {
        var start = TestClock.Now.AddDays(-1);
        var simulated = new OmniDaySimulator(new SimulationOptions(3, 300, StoreSeed.Generate(), start)).Generate().Take(2_000).ToList();
        var viaFormatter = Decoding.Decoder(options: new ContractOptions { MaxClockSkew = TimeSpan.FromDays(3) });

        foreach (var cloudEvent in simulated)
        {
            var body = CloudEventJson.Encode(cloudEvent);
            var expected = Assert.Single(viaFormatter.DecodeRequest(body, Structured, NoHeaders).Events);

            AssertSameEvent(expected, _decoder.DecodeStored(body));
        }
    }

    [Theory]
    [MemberData(nameof(BadEvents))]
    public void DecodeStored_BadEvent_FailsWithTheFormattersErrors(BadEvent bad)
    {
        var builder = bad.Build();
        var viaFormatter = Decoding.Decoder(options: new ContractOptions { MaxClockSkew = TimeSpan.FromDays(3) });
        var failure = viaFormatter.DecodeRequest(builder.Bytes(), Structured, NoHeaders).Failure;

        var exception = Record.Exception(() => _decoder.DecodeStored(builder.Bytes()));

        if (failure is null)
        {
            // Only a time far ahead passes here: ingest no longer compares stored events with the clock.
            Assert.Equal("time far in the future", bad.Name);
            Assert.Null(exception);
            return;
        }

        var poison = Assert.IsType<PoisonEventException>(exception);
        Assert.Equal(string.Join(" ", Assert.Single(failure.Problems).Errors.Select(error => $"{error.Field}: {error.Message}")), poison.Message);
    }

    [Theory]
    [InlineData("datacontenttype", "application/json; charset=utf-8")]
    [InlineData("subject", "SKU-1")]
    [InlineData("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")]
    [InlineData("partnerref", "p-1")]
    public void DecodeStored_NonCanonicalButValidEvent_IsDecodedLikeAPostedOne(string attribute, string value)
    {
        var builder = CloudEventBuilder.Of(EventTypes.OrderPlaced).Customer("C1").Set(attribute, value);
        var expected = Assert.Single(_decoder.DecodeRequest(builder.Bytes(), Structured, NoHeaders).Events);

        AssertSameEvent(expected, _decoder.DecodeStored(builder.Bytes()));
    }

    private static void AssertSameEvent(OmniEvent expected, OmniEvent actual)
    {
        Assert.Equal(
            (expected.Id, expected.Source, expected.Type, expected.Time, expected.Channel, expected.Identities, expected.StoreId, expected.TraceParent, expected.TraceState, expected.Key),
            (actual.Id, actual.Source, actual.Type, actual.Time, actual.Channel, actual.Identities, actual.StoreId, actual.TraceParent, actual.TraceState, actual.Key));
        Assert.Equal(expected.Payload.GetType(), actual.Payload.GetType());
        Assert.Equal(JsonSerializer.Serialize(expected.Payload, expected.Payload.GetType()), JsonSerializer.Serialize(actual.Payload, actual.Payload.GetType()));
        Assert.Equal(expected.Data.GetRawText(), actual.Data.GetRawText());
    }

    private static string ProfileSummary(OmniEvent omniEvent) => Core.Profiles.ProfileProjector.Summarise(omniEvent.Payload);

    private static CollectFailure Rejected(DecodeResult result, CollectFailureKind kind)
    {
        Assert.Empty(result.Events);
        Assert.NotNull(result.Failure);
        Assert.Equal(kind, result.Failure.Kind);
        return result.Failure;
    }

    private static void AssertOnlyProblem(DecodeResult result, int index, string field)
    {
        var failure = Rejected(result, CollectFailureKind.Invalid);
        var problem = Assert.Single(failure.Problems);
        Assert.Equal(index, problem.Index);
        Assert.Contains(problem.Errors, error => error.Field == field);
    }

    internal static (byte[] Body, KeyValuePair<string, string?>[] Headers) Binary(CloudEventBuilder builder, string? without = null, (string Name, string Value)? replace = null)
    {
        var cloudEvent = builder.Build();
        var headers = new List<KeyValuePair<string, string?>>
        {
            new("Content-Type", "application/json"),
            new("Accept", "*/*"),
        };
        foreach (var (name, value) in cloudEvent)
        {
            if (name is "data" or "datacontenttype" || value is null)
            {
                continue;
            }

            var header = "ce-" + name;
            var text = replace is { } swap && swap.Name == header ? swap.Value : value.GetValue<string>();
            if (header != without)
            {
                headers.Add(new(header, Uri.EscapeDataString(text)));
            }
        }

        return (Encoding.UTF8.GetBytes(cloudEvent["data"]!.ToJsonString()), headers.ToArray());
    }

    private static byte[] Oversize()
    {
        var padding = new string('x', 100);
        var builders = Enumerable.Range(0, 400).Select(_ => CloudEventBuilder.View().Set("note", new string('p', 3_000)).Data("sku", padding)).ToArray();
        var body = CloudEventBuilder.Batch(builders);
        Assert.True(body.Length > 1024 * 1024);
        return body;
    }
}
