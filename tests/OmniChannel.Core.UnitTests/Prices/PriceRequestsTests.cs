using System.Text.Json.Nodes;
using OmniChannel.Core.Prices;
using OmniChannel.Core.UnitTests.Builders;

namespace OmniChannel.Core.UnitTests.Prices;

public sealed class PriceRequestsTests
{
    [Fact]
    public void ReadChange_ValidBody_ParsesEveryFieldAndNormalisesTheTimeToUtc()
    {
        var body = Json("""
            {
              "changeId": "chg-2026-12-01",
              "effectiveAt": "2026-12-01T06:00:00-05:00",
              "scope": "region:NY",
              "items": [
                { "sku": "SKU-1", "price": 9.99 },
                { "sku": "SKU-2", "price": "4.5", "currency": "EUR" }
              ]
            }
            """);

        var (change, errors) = PriceRequests.ReadChange(body, TestClock.Now);

        Assert.Empty(errors);
        Assert.NotNull(change);
        Assert.Equal("chg-2026-12-01", change.Id);
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 11, 0, 0, TimeSpan.Zero), change.EffectiveAt);
        Assert.Equal(TimeSpan.Zero, change.EffectiveAt.Offset);
        Assert.Equal(PriceScope.ForRegion("NY"), change.Scope);
        Assert.Equal([new PriceItem("SKU-1", 9.99m, "USD"), new PriceItem("SKU-2", 4.5m, "EUR")], change.Items);
        Assert.Equal(TestClock.Now, change.AcceptedAt);
        Assert.Equal(PriceChangeStatus.Delivering, change.Status);
    }

    [Fact]
    public void ReadChange_WithoutScope_IsChainWide()
    {
        var (change, errors) = PriceRequests.ReadChange(Json("""{"changeId":"c1","effectiveAt":"2026-12-01T06:00:00Z","items":[{"sku":"S","price":1}]}"""), TestClock.Now);

        Assert.Empty(errors);
        Assert.Equal(PriceScope.All, change!.Scope);
    }

    [Fact]
    public void ReadChange_EveryFieldBad_NamesEachOne()
    {
        var body = Json("""
            {
              "changeId": "has spaces",
              "scope": "planet:mars",
              "items": [ { "sku": "", "price": -1, "currency": "usd" } ]
            }
            """);

        var (change, errors) = PriceRequests.ReadChange(body, TestClock.Now);

        Assert.Null(change);
        Assert.Equal(
            ["changeId", "effectiveAt", "items[0].currency", "items[0].price", "items[0].sku", "scope"],
            errors.Select(error => error.Field).Order(StringComparer.Ordinal));
        Assert.All(errors, error => Assert.False(string.IsNullOrWhiteSpace(error.Message)));
    }

    [Theory]
    [InlineData("""{"effectiveAt":"2026-12-01T06:00:00Z","items":[{"sku":"S","price":1}]}""", "changeId")]
    [InlineData("""{"changeId":42,"effectiveAt":"2026-12-01T06:00:00Z","items":[{"sku":"S","price":1}]}""", "changeId")]
    [InlineData("""{"changeId":"c1","effectiveAt":"2026-12-01T06:00:00Z"}""", "items")]
    [InlineData("""{"changeId":"c1","effectiveAt":"2026-12-01T06:00:00Z","items":[]}""", "items")]
    [InlineData("""{"changeId":"c1","effectiveAt":"2026-12-01T06:00:00Z","items":{"sku":"S","price":1}}""", "items")]
    [InlineData("""{"changeId":"c1","effectiveAt":"2026-12-01T06:00:00Z","items":["S"]}""", "items[0]")]
    [InlineData("""{"changeId":"c1","effectiveAt":"2026-12-01T06:00:00Z","items":[{"price":1}]}""", "items[0].sku")]
    [InlineData("""{"changeId":"c1","effectiveAt":"2026-12-01T06:00:00Z","items":[{"sku":"S"}]}""", "items[0].price")]
    [InlineData("""{"changeId":"c1","effectiveAt":"2026-12-01T06:00:00Z","items":[{"sku":"S","price":0}]}""", "items[0].price")]
    [InlineData("""{"changeId":"c1","effectiveAt":"2026-12-01T06:00:00Z","items":[{"sku":"S","price":1.23456}]}""", "items[0].price")]
    [InlineData("""{"changeId":"c1","effectiveAt":"2026-12-01T06:00:00Z","items":[{"sku":"S","price":1000001}]}""", "items[0].price")]
    [InlineData("""{"changeId":"c1","effectiveAt":"2026-12-01T06:00:00Z","items":[{"sku":"S","price":true}]}""", "items[0].price")]
    [InlineData("""{"changeId":"c1","effectiveAt":"2026-12-01T06:00:00Z","items":[{"sku":"S","price":"1e3"}]}""", "items[0].price")]
    [InlineData("""{"changeId":"c1","effectiveAt":"2026-12-01T06:00:00Z","items":[{"sku":"S","price":1,"currency":"US"}]}""", "items[0].currency")]
    [InlineData("""{"changeId":"c1","effectiveAt":"2026-12-01T06:00:00Z","scope":7,"items":[{"sku":"S","price":1}]}""", "scope")]
    [InlineData("""{"changeId":"c1","effectiveAt":"2026-12-01T06:00:00Z","scope":"region:","items":[{"sku":"S","price":1}]}""", "scope")]
    [InlineData("""{"changeId":"c1","effectiveAt":"tomorrow","items":[{"sku":"S","price":1}]}""", "effectiveAt")]
    public void ReadChange_OneBadField_IsTheOnlyErrorNamed(string json, string field)
    {
        var (change, errors) = PriceRequests.ReadChange(Json(json), TestClock.Now);

        Assert.Null(change);
        Assert.Equal(field, Assert.Single(errors).Field);
    }

    [Theory]
    [InlineData("""{"changeId":42,"effectiveAt":"2026-12-01T06:00:00Z","items":[{"sku":"S","price":1}]}""", "changeId", "type", "not a number")]
    [InlineData("""{"changeId":"c1","effectiveAt":"2026-12-01T06:00:00Z","items":{"sku":"S","price":1}}""", "items", "type", "not an object")]
    [InlineData("""{"changeId":"c1","effectiveAt":"2026-12-01T06:00:00Z","items":[{"sku":"S","price":true}]}""", "items[0].price", "type", "not true or false")]
    [InlineData("""{"changeId":"c1","effectiveAt":"2026-12-01T06:00:00Z","scope":7,"items":[{"sku":"S","price":1}]}""", "scope", "type", "not a number")]
    [InlineData("""{"changeId":"c1","effectiveAt":["2026-12-01"],"items":[{"sku":"S","price":1}]}""", "effectiveAt", "type", "not an array")]
    [InlineData("""{"changeId":"c1","effectiveAt":"2026-12-01T06:00:00Z","items":[{"sku":"S","price":0}]}""", "items[0].price", "value", "positive amount")]
    [InlineData("""{"changeId":"c1","effectiveAt":"2026-12-01T06:00:00Z","items":[{"sku":"S","price":"1e3"}]}""", "items[0].price", "value", "is not an amount")]
    public void ReadChange_AWrongJsonTypeIsATypeError_AWrongValueAValueError(string json, string field, string kind, string message)
    {
        var error = Assert.Single(PriceRequests.ReadChange(Json(json), TestClock.Now).Errors);

        Assert.Equal((field, kind), (error.Field, error.Kind));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadChange_PricesAsDecimalStringsAndNumbers_ReadAlike()
    {
        var (change, errors) = PriceRequests.ReadChange(Json("""{"changeId":"c1","effectiveAt":"2026-12-01T06:00:00Z","items":[{"sku":"A","price":"12.50"},{"sku":"B","price":12.5}]}"""), TestClock.Now);

        Assert.Empty(errors);
        Assert.Equal([12.50m, 12.5m], change!.Items.Select(item => item.Price));
    }

    [Theory]
    [InlineData("2026-12-01T06:00:00")]
    [InlineData("2026-12-01T06:00")]
    [InlineData("2026-12-01")]
    public void ReadChange_TimeWithoutOffset_IsRefusedRatherThanReadInTheServersZone(string effectiveAt)
    {
        var body = Json($$"""{"changeId":"c1","effectiveAt":"{{effectiveAt}}","items":[{"sku":"S","price":1}]}""");

        var (change, errors) = PriceRequests.ReadChange(body, TestClock.Now);

        Assert.Null(change);
        var error = Assert.Single(errors);
        Assert.Equal("effectiveAt", error.Field);
        Assert.Contains(effectiveAt, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2026-12-01T06:00:00Z")]
    [InlineData("2026-12-01T06:00:00z")]
    [InlineData("2026-12-01T01:00:00-05:00")]
    [InlineData("2026-12-01T07:00:00.000+01:00")]
    public void ReadChange_TimeWithOffset_IsTheSameInstantInUtc(string effectiveAt)
    {
        var body = Json($$"""{"changeId":"c1","effectiveAt":"{{effectiveAt}}","items":[{"sku":"S","price":1}]}""");

        var (change, _) = PriceRequests.ReadChange(body, TestClock.Now);

        Assert.Equal(new DateTimeOffset(2026, 12, 1, 6, 0, 0, TimeSpan.Zero), change!.EffectiveAt);
    }

    [Fact]
    public void ReadChange_SameSkuTwice_NamesTheSecondOccurrence()
    {
        var body = Json("""{"changeId":"c1","effectiveAt":"2026-12-01T06:00:00Z","items":[{"sku":"S","price":1},{"sku":"T","price":2},{"sku":"S","price":3}]}""");

        var (change, errors) = PriceRequests.ReadChange(body, TestClock.Now);

        Assert.Null(change);
        var error = Assert.Single(errors);
        Assert.Equal("items[2].sku", error.Field);
        Assert.Contains("'S'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadChange_MoreItemsThanAllowed_IsRefused()
    {
        var items = new JsonArray(Enumerable.Range(0, PriceRequests.MaxItems + 1).Select(index => (JsonNode)new JsonObject { ["sku"] = $"S{index}", ["price"] = 1 }).ToArray());
        var body = new JsonObject { ["changeId"] = "c1", ["effectiveAt"] = "2026-12-01T06:00:00Z", ["items"] = items };

        var (change, errors) = PriceRequests.ReadChange(body, TestClock.Now);

        Assert.Null(change);
        Assert.Equal("items", Assert.Single(errors).Field);
    }

    [Fact]
    public void ReadSubscriber_ValidBody_ParsesEveryField()
    {
        var (subscriber, errors) = PriceRequests.ReadSubscriber("pos-0001", Json("""{"kind":"POS","scope":"store:0001","endpoint":"https://pos.example/prices","enabled":false}"""));

        Assert.Empty(errors);
        Assert.Equal(new SubscriberRequest("pos-0001", SubscriberKind.Pos, PriceScope.ForStore("0001"), new Uri("https://pos.example/prices"), Enabled: false), subscriber);
    }

    [Fact]
    public void ReadSubscriber_WithoutEnabled_IsEnabled()
    {
        var (subscriber, _) = PriceRequests.ReadSubscriber("web", Json("""{"kind":"web","scope":"all","endpoint":"http://web.example/"}"""));

        Assert.True(subscriber!.Enabled);
    }

    [Fact]
    public void ReadSubscriber_EveryFieldBad_NamesEachOne()
    {
        var (subscriber, errors) = PriceRequests.ReadSubscriber("has space", Json("""{"kind":"robot","scope":"everywhere","endpoint":"ftp://files.example/","enabled":"yes"}"""));

        Assert.Null(subscriber);
        Assert.Equal(["enabled", "endpoint", "id", "kind", "scope"], errors.Select(error => error.Field).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("""{"kind":"1","scope":"all","endpoint":"https://x.example/"}""", "kind")]
    [InlineData("""{"scope":"all","endpoint":"https://x.example/"}""", "kind")]
    [InlineData("""{"kind":"web","endpoint":"https://x.example/"}""", "scope")]
    [InlineData("""{"kind":"web","scope":"all","endpoint":"/relative"}""", "endpoint")]
    [InlineData("""{"kind":"web","scope":"all"}""", "endpoint")]
    [InlineData("""{"kind":"web","scope":"all","endpoint":"https://x.example/","enabled":1}""", "enabled")]
    public void ReadSubscriber_OneBadField_IsTheOnlyErrorNamed(string json, string field)
    {
        var (subscriber, errors) = PriceRequests.ReadSubscriber("web", Json(json));

        Assert.Null(subscriber);
        Assert.Equal(field, Assert.Single(errors).Field);
    }

    private static JsonObject Json(string text) => JsonNode.Parse(text)!.AsObject();
}
