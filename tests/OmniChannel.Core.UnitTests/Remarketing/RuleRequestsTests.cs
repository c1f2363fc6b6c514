using System.Text.Json.Nodes;
using OmniChannel.Core.Events;
using OmniChannel.Core.Profiles;
using OmniChannel.Core.Remarketing;

namespace OmniChannel.Core.UnitTests.Remarketing;

public sealed class RuleRequestsTests
{
    private const string Example = """
        {
          "name": "Walk-in after browsing",
          "enabled": true,
          "priority": 10,
          "signal": "geofence.entered",
          "conditions": { "skus": ["SKU-1", "SKU-2"], "journeyStages": ["considering", "cartAbandoned"], "viewedWithinDays": 7 },
          "radiusMeters": 500,
          "stores": [],
          "offer": { "kind": "percent", "value": 15, "minSpend": 30, "validHours": 48 },
          "frequencyCap": { "coupons": 1, "perDays": 7 },
          "quietHours": { "from": "21:00", "to": "08:00" }
        }
        """;

    [Fact]
    public void ReadRule_TheExample_ReadsEveryField()
    {
        var (rule, errors) = RuleRequests.ReadRule("walk-in", Body());

        Assert.Empty(errors);
        Assert.NotNull(rule);
        Assert.Equal(("walk-in", "Walk-in after browsing", true, 10, RemarketingSignal.GeofenceEntered, 500), (rule.Id, rule.Name, rule.Enabled, rule.Priority, rule.Signal, rule.RadiusMeters));
        Assert.Equal(["SKU-1", "SKU-2"], rule.Conditions.Skus);
        Assert.Equal([JourneyStage.Considering, JourneyStage.CartAbandoned], rule.Conditions.JourneyStages);
        Assert.Equal(7, rule.Conditions.ViewedWithinDays);
        Assert.Equal(new Offer(OfferKind.Percent, 15, 30, 48), rule.Offer);
        Assert.Equal(new FrequencyCap(1, 7), rule.FrequencyCap);
        Assert.Equal(new QuietHours(new TimeOnly(21, 0), new TimeOnly(8, 0)), rule.QuietHours);
    }

    [Fact]
    public void ReadRule_OnlyTheEssentials_TakesTheDefaults()
    {
        var (rule, errors) = RuleRequests.ReadRule("min", JsonNode.Parse("""{"name":"Minimal","signal":"cart.abandoned","offer":{"kind":"amount","value":5,"minSpend":25,"validHours":24}}""")!.AsObject());

        Assert.Empty(errors);
        Assert.Equal((true, 0, 1000, 0, 1, 7), (rule!.Enabled, rule.Priority, rule.RadiusMeters, rule.Stores.Count, rule.FrequencyCap.Coupons, rule.FrequencyCap.PerDays));
        Assert.Null(rule.QuietHours);
        Assert.Same(RuleConditions.Any, rule.Conditions);
        Assert.Equal((0, 7), (rule.HoldoutPercent, rule.AttributionDays));
    }

    [Fact]
    public void ReadRule_HoldoutAndAttribution_AreReadAndWrittenBack()
    {
        var body = Body();
        body["holdoutPercent"] = 20;
        body["attributionDays"] = 14;

        var (rule, errors) = RuleRequests.ReadRule("walk-in", body);

        Assert.Empty(errors);
        Assert.Equal((20, 14), (rule!.HoldoutPercent, rule.AttributionDays));
        var (again, _) = RuleRequests.ReadRule("walk-in", RuleJson.Write(rule));
        Assert.Equal((20, 14), (again!.HoldoutPercent, again.AttributionDays));
    }

    [Fact]
    public void ReadRule_ARadiusBelow100Metres_IsRefusedSayingPhonesCannotTellSmallerRegions()
    {
        var body = Body();
        body["radiusMeters"] = 99;

        var (rule, errors) = RuleRequests.ReadRule("walk-in", body);

        Assert.Null(rule);
        var error = Assert.Single(errors);
        Assert.Equal("radiusMeters", error.Field);
        Assert.Contains("from 100 to", error.Message, StringComparison.Ordinal);
        Assert.Contains("50–100 m", error.Message, StringComparison.Ordinal);
        Assert.Contains("geofencing does not fire reliably", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadRule_DailyBudget_IsReadAndWrittenBack()
    {
        var body = Body();
        body["dailyBudget"] = 250;

        var (rule, errors) = RuleRequests.ReadRule("walk-in", body);

        Assert.Empty(errors);
        Assert.Equal(250, rule!.DailyBudget);
        var written = RuleJson.Write(rule);
        Assert.Equal(250, written["dailyBudget"]!.GetValue<int>());
        Assert.Equal(250, RuleRequests.ReadRule("walk-in", written).Rule!.DailyBudget);
    }

    [Fact]
    public void ReadRule_DwellMinutesOfAGeofenceRule_IsReadAndWrittenBack()
    {
        var body = Body();
        body["dwellMinutes"] = 10;

        var (rule, errors) = RuleRequests.ReadRule("walk-in", body);

        Assert.Empty(errors);
        Assert.Equal(10, rule!.DwellMinutes);
        Assert.Equal(10, RuleRequests.ReadRule("walk-in", RuleJson.Write(rule)).Rule!.DwellMinutes);
    }

    [Fact]
    public void ReadRule_DwellMinutesOfAnOnlineRule_IsRefusedBecauseThereIsNoStoreToStayNear()
    {
        var body = Body();
        body["signal"] = "cart.abandoned";
        body["dwellMinutes"] = 10;

        var (rule, errors) = RuleRequests.ReadRule("cart", body);

        Assert.Null(rule);
        var error = Assert.Single(errors);
        Assert.Equal("dwellMinutes", error.Field);
        Assert.Contains("Only geofence rules have a dwell time", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadRule_NoDailyBudget_IsNoBudgetAndIsNotWritten()
    {
        var (rule, errors) = RuleRequests.ReadRule("walk-in", Body());

        Assert.Empty(errors);
        Assert.Null(rule!.DailyBudget);
        Assert.False(RuleJson.Write(rule).ContainsKey("dailyBudget"));
    }

    [Theory]
    [InlineData("radiusMeters", 100)]
    [InlineData("dailyBudget", 1)]
    [InlineData("dailyBudget", 100_000)]
    public void ReadRule_ARadiusOrBudgetAtItsBound_IsAccepted(string property, int value)
    {
        var body = Body();
        body[property] = value;

        var (rule, errors) = RuleRequests.ReadRule("walk-in", body);

        Assert.Empty(errors);
        Assert.Equal(value, property == "radiusMeters" ? rule!.RadiusMeters : rule!.DailyBudget);
    }

    public static TheoryData<string, string, string> BadFields => new()
    {
        { "name", "\"\"", "name" },
        { "signal", "\"store.visited\"", "signal" },
        { "priority", "2000", "priority" },
        { "radiusMeters", "5", "radiusMeters" },
        { "radiusMeters", "99", "radiusMeters" },
        { "dailyBudget", "0", "dailyBudget" },
        { "dailyBudget", "100001", "dailyBudget" },
        { "dailyBudget", "2.5", "dailyBudget" },
        { "dwellMinutes", "0", "dwellMinutes" },
        { "dwellMinutes", "121", "dwellMinutes" },
        { "stores", "[\"0001\", 2]", "stores[1]" },
        { "conditions", "{\"minCartValue\": -1}", "conditions.minCartValue" },
        { "conditions", "{\"journeyStages\": [\"loyal\"]}", "conditions.journeyStages" },
        { "conditions", "{\"viewedWithinDays\": 0}", "conditions.viewedWithinDays" },
        { "offer", "{\"kind\":\"percent\",\"value\":95,\"minSpend\":0,\"validHours\":24}", "offer.value" },
        { "offer", "{\"kind\":\"bogo\",\"value\":5,\"minSpend\":0,\"validHours\":24}", "offer.kind" },
        { "offer", "{\"kind\":\"amount\",\"value\":30,\"minSpend\":20,\"validHours\":24}", "offer.minSpend" },
        { "offer", "{\"kind\":\"percent\",\"value\":10,\"minSpend\":0,\"validHours\":0}", "offer.validHours" },
        { "frequencyCap", "{\"coupons\":0,\"perDays\":7}", "frequencyCap" },
        { "quietHours", "{\"from\":\"9pm\",\"to\":\"08:00\"}", "quietHours" },
        { "quietHours", "{\"from\":\"08:00\",\"to\":\"08:00\"}", "quietHours" },
        { "quietHoursAtSend", "\"later\"", "quietHoursAtSend" },
        { "maxSignalAgeMinutes", "30", "maxSignalAgeMinutes" },
        { "holdoutPercent", "51", "holdoutPercent" },
        { "holdoutPercent", "-1", "holdoutPercent" },
        { "holdoutPercent", "12.5", "holdoutPercent" },
        { "attributionDays", "0", "attributionDays" },
        { "attributionDays", "31", "attributionDays" },
    };

    [Theory]
    [MemberData(nameof(BadFields))]
    public void ReadRule_OneBadField_IsNamedWithAnActionableMessage(string property, string json, string field)
    {
        var body = Body();
        body[property] = JsonNode.Parse(json);

        var (rule, errors) = RuleRequests.ReadRule("walk-in", body);

        Assert.Null(rule);
        var error = Assert.Single(errors);
        Assert.Equal(field, error.Field);
        Assert.True(error.Message.Length > 20, error.Message);
    }

    [Fact]
    public void ReadRule_AmountsAsDecimalStrings_AreReadAsTheEventContractWritesMoney()
    {
        var body = Body();
        body["offer"] = JsonNode.Parse("""{"kind":"percent","value":"15","minSpend":"0","validHours":48}""");
        body["conditions"] = JsonNode.Parse("""{"minCartValue":"49.95"}""");

        var (rule, errors) = RuleRequests.ReadRule("walk-in", body);

        Assert.Empty(errors);
        Assert.Equal(new Offer(OfferKind.Percent, 15m, 0m, 48), rule!.Offer);
        Assert.Equal(49.95m, rule.Conditions.MinCartValue);
    }

    public static TheoryData<string, string, string, string> WrongTypes => new()
    {
        { "offer", """{"kind":"percent","value":[15],"minSpend":0,"validHours":24}""", "offer.value", "'value' must be a number or a decimal string such as \"12.50\", not an array." },
        { "offer", """{"kind":"percent","value":15,"minSpend":true,"validHours":24}""", "offer.minSpend", "not true or false" },
        { "offer", """{"kind":"percent","value":15,"minSpend":0,"validHours":"24"}""", "offer.validHours", "not a string" },
        { "offer", """{"kind":1,"value":15,"minSpend":0,"validHours":24}""", "offer.kind", "not a number" },
        { "offer", "\"15% off\"", "offer", "not a string" },
        { "priority", "\"10\"", "priority", "'priority' must be a whole number, not a string." },
        { "enabled", "\"yes\"", "enabled", "not a string" },
        { "name", "42", "name", "'name' must be text, not a number." },
        { "stores", "\"0001\"", "stores", "must be a list of text, not a string" },
        { "conditions", "[]", "conditions", "not an array" },
        { "conditions", """{"viewedWithinDays":"7"}""", "conditions.viewedWithinDays", "not a string" },
        { "frequencyCap", """{"coupons":"1","perDays":7}""", "frequencyCap.coupons", "not a string" },
        { "quietHours", """{"from":2100,"to":"08:00"}""", "quietHours.from", "not a number" },
        { "holdoutPercent", "\"20\"", "holdoutPercent", "'holdoutPercent' must be a whole number, not a string." },
        { "attributionDays", "[7]", "attributionDays", "'attributionDays' must be a whole number, not an array." },
        { "dailyBudget", "\"50\"", "dailyBudget", "'dailyBudget' must be a whole number, not a string." },
        { "dailyBudget", "true", "dailyBudget", "'dailyBudget' must be a whole number, not true or false." },
        { "dwellMinutes", "\"10\"", "dwellMinutes", "'dwellMinutes' must be a whole number, not a string." },
        { "onlyWhenStoreOpen", "\"yes\"", "onlyWhenStoreOpen", "'onlyWhenStoreOpen' must be true or false, not a string." },
    };

    [Theory]
    [MemberData(nameof(WrongTypes))]
    public void ReadRule_AFieldOfTheWrongJsonType_IsATypeErrorNamingBothTypes(string property, string json, string field, string message)
    {
        var body = Body();
        body[property] = JsonNode.Parse(json);

        var (rule, errors) = RuleRequests.ReadRule("walk-in", body);

        Assert.Null(rule);
        var error = Assert.Single(errors);
        Assert.Equal((field, FieldError.TypeKind), (error.Field, error.Kind));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadRule_AStringThatIsNoAmount_IsAValueErrorNotATypeError()
    {
        var body = Body();
        body["offer"] = JsonNode.Parse("""{"kind":"percent","value":"15%","minSpend":0,"validHours":24}""");

        var error = Assert.Single(RuleRequests.ReadRule("walk-in", body).Errors);

        Assert.Equal(("offer.value", FieldError.ValueKind), (error.Field, error.Kind));
        Assert.Contains("'15%' is not an amount", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadRule_AnOnlineRulesSignalAgeAndQuietHoursWait_SurviveTheRoundTrip()
    {
        var body = Body();
        body["signal"] = "cart.abandoned";
        body["maxSignalAgeMinutes"] = 90;
        body["quietHoursAtSend"] = "wait";

        var (rule, errors) = RuleRequests.ReadRule("cart", body);
        var (again, _) = RuleRequests.ReadRule("cart", RuleJson.Write(rule!));

        Assert.Empty(errors);
        Assert.Equal((90, QuietHoursAtSend.Wait), (rule!.MaxSignalAgeMinutes, rule.AtSendInQuietHours));
        Assert.Equal((90, QuietHoursAtSend.Wait), (again!.MaxSignalAgeMinutes, again.AtSendInQuietHours));
        Assert.Equal(QuietHoursAtSend.Drop, RuleRequests.ReadRule("walk-in", Body()).Rule!.AtSendInQuietHours);
    }

    [Fact]
    public void ReadRule_OnlyWhenStoreOpen_SurvivesTheRoundTripAndIsOffByDefault()
    {
        var body = Body();
        body["onlyWhenStoreOpen"] = true;

        var (rule, errors) = RuleRequests.ReadRule("walk-in", body);
        var written = RuleJson.Write(rule!);

        Assert.Empty(errors);
        Assert.True(rule!.OnlyWhenStoreOpen);
        Assert.True(written["onlyWhenStoreOpen"]!.GetValue<bool>());
        Assert.True(RuleRequests.ReadRule("walk-in", written).Rule!.OnlyWhenStoreOpen);
        Assert.False(RuleRequests.ReadRule("walk-in", Body()).Rule!.OnlyWhenStoreOpen);
    }

    [Fact]
    public void ReadRule_SeveralBadFieldsAndABadId_NamesThemAll()
    {
        var body = Body();
        body.Remove("offer");
        body["signal"] = "anything";

        var (_, errors) = RuleRequests.ReadRule("no spaces allowed", body);

        Assert.Equal(["id", "signal", "offer"], errors.Select(error => error.Field));
    }

    private static JsonObject Body() => JsonNode.Parse(Example)!.AsObject();
}
