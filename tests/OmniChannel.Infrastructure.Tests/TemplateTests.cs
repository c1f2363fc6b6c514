using System.Text.Json.Nodes;
using OmniChannel.Api.Security;
using OmniChannel.Azure.Cosmos;
using OmniChannel.Azure.Tables;
using OmniChannel.Core;
using OmniChannel.Core.Handoffs;
using OmniChannel.Core.Security;

namespace OmniChannel.Infrastructure.Tests;

/// <summary>
/// infra/ against the code: every Bicep file builds and lints clean, and the compiled template declares every
/// container (with its partition key and indexed paths), table, hub, consumer group and app setting that the code
/// reads, with the same values; no secret is in an app setting; local auth is off everywhere.
/// </summary>
public sealed class TemplateTests
{
    public static TheoryData<string> BicepFiles => new(
        Directory.GetFiles(Bicep.InfraDirectory, "*.bicep*", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(Bicep.InfraDirectory, path))
            .Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(BicepFiles))]
    public async Task EveryBicepFile_BuildsAndLintsWithoutAWarning(string file)
    {
        var lint = await Bicep.RunAsync("lint", file);
        var build = await Bicep.RunAsync(file.EndsWith(".bicepparam", StringComparison.Ordinal) ? "build-params" : "build", file, "--stdout");

        Assert.True(lint.ExitCode == 0 && lint.Errors.Length == 0 && lint.Output.Trim().Length == 0, $"bicep lint {file}:\n{lint.Output}{lint.Errors}");
        Assert.True(build.ExitCode == 0 && build.Errors.Length == 0, $"bicep build {file}:\n{build.Errors}");
    }

    [Fact]
    public void NamesJson_IsWhatTheCodeUses()
    {
        var names = NamesJson();

        Assert.Equal(OmniChannelNames.Database, names["cosmos"]!["database"]!.GetValue<string>());
        Assert.Equal(
            CosmosContainers.All.Select(container => (container.Name, container.PartitionKeyPath, string.Join(',', container.IndexedPaths))),
            names["cosmos"]!["containers"]!.AsArray().Select(container => (
                container!["name"]!.GetValue<string>(),
                container["partitionKey"]!.GetValue<string>(),
                string.Join(',', container["indexedPaths"]!.AsArray().Select(path => path!.GetValue<string>())))));
        Assert.Equal(OmniChannelNames.Tables.All, names["tables"]!.AsArray().Select(table => table!.GetValue<string>()));
        Assert.Equal(OmniChannelNames.EventHub, names["eventHub"]!["name"]!.GetValue<string>());
        Assert.Equal(OmniChannelNames.IngestConsumerGroup, names["eventHub"]!["consumerGroup"]!.GetValue<string>());
        Assert.Equal(OmniChannelNames.TaskHub, names["taskHub"]!.GetValue<string>());
        Assert.Equal(OmniChannelNames.ParkedContainer, names["parkedContainer"]!.GetValue<string>());
    }

    [Fact]
    public async Task CompiledTemplate_DeclaresEveryContainerTableAndHubFromTheNames()
    {
        var template = await Bicep.CompileMainAsync();

        // loadJsonContent inlines names.json: the template carries exactly those values.
        var inlined = template["variables"]!.AsObject().Single(variable => variable.Key.StartsWith("$fxv", StringComparison.Ordinal)).Value!;
        Assert.True(JsonNode.DeepEquals(NamesJson(), inlined), "the template's names differ from infra/names.json");

        var containers = Resource(template, "Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers");
        Assert.Equal("[length(parameters('cosmosNames').containers)]", containers["copy"]!["count"]!.GetValue<string>());
        var resource = containers["properties"]!["resource"]!;
        Assert.Contains(".partitionKey", resource["partitionKey"]!["paths"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("/*", resource["indexingPolicy"]!["excludedPaths"]![0]!["path"]!.GetValue<string>());
        Assert.Contains("indexedPaths", resource["indexingPolicy"]!["copy"]![0]!["count"]!.GetValue<string>(), StringComparison.Ordinal);

        var tables = Resource(template, "Microsoft.Storage/storageAccounts/tableServices/tables");
        Assert.Equal("[length(parameters('tableNames'))]", tables["copy"]!["count"]!.GetValue<string>());
        Assert.Equal("[variables('names').tables]", ModuleParameter(template, "storage", "tableNames"));
        Assert.Equal("[variables('names').eventHub.name]", ModuleParameter(template, "eventhubs", "hubName"));
        Assert.Equal("[variables('names').eventHub.consumerGroup]", ModuleParameter(template, "eventhubs", "consumerGroupName"));
        Assert.Equal("[variables('names').cosmos]", ModuleParameter(template, "cosmos", "cosmosNames"));
        Assert.NotNull(Resource(template, "Microsoft.EventHub/namespaces/eventhubs/consumergroups"));
    }

    [Fact]
    public async Task CompiledTemplate_AppSettings_CoverEverySettingTheCodeReads_WithoutSecrets()
    {
        var template = await Bicep.CompileMainAsync();
        var settings = Module(template, "functionapp")["template"]!["variables"]!["appSettings"]!.AsArray()
            .ToDictionary(setting => setting!["name"]!.GetValue<string>(), setting => setting!["value"]!.ToString());

        string[] readByTheCode =
        [
            OmniChannelNames.Settings.EventHubConnection + "__fullyQualifiedNamespace",
            OmniChannelNames.Settings.EventHubName,
            OmniChannelNames.Settings.EventHubConsumerGroup,
            OmniChannelNames.Settings.ManagedIdentityClientId,
            Setting(CosmosOptions.SectionName, nameof(CosmosOptions.AccountEndpoint)),
            Setting(CosmosOptions.SectionName, nameof(CosmosOptions.DatabaseName)),
            Setting(TablesOptions.SectionName, nameof(TablesOptions.ServiceUri)),
            Setting(OmniChannel.Azure.Storage.ParkingOptions.SectionName, nameof(OmniChannel.Azure.Storage.ParkingOptions.ServiceUri)),
            "TaskHubName",
            "AzureWebJobsStorage__accountName",
            "OmniChannel__KeyVault__VaultUri",
        ];
        Assert.All(readByTheCode, name => Assert.True(settings.ContainsKey(name), $"app setting {name} is missing"));
        Assert.Equal("[parameters('names').eventHub.name]", settings[OmniChannelNames.Settings.EventHubName]);
        Assert.Equal("[parameters('names').eventHub.consumerGroup]", settings[OmniChannelNames.Settings.EventHubConsumerGroup]);
        Assert.Equal("[parameters('names').cosmos.database]", settings[Setting(CosmosOptions.SectionName, nameof(CosmosOptions.DatabaseName))]);
        Assert.Equal("[parameters('names').taskHub]", settings["TaskHubName"]);
        Assert.Equal("managedidentity", settings["EventHubConnection__credential"]);
        Assert.Equal("managedidentity", settings["AzureWebJobsStorage__credential"]);

        // No connection strings with keys, no account keys, no SAS: identity-based connections only.
        // (Application Insights' connection string carries no credential: local auth is off, telemetry is signed with Entra ID.)
        Assert.DoesNotContain(settings, setting =>
            (setting.Key.EndsWith("Key", StringComparison.OrdinalIgnoreCase) && !setting.Value.Contains("@Microsoft.KeyVault(", StringComparison.Ordinal))
            || (setting.Key.EndsWith("Secret", StringComparison.Ordinal) && !setting.Value.Contains("@Microsoft.KeyVault(", StringComparison.Ordinal))
            || setting.Key is "AzureWebJobsStorage" or "EventHubConnection"
            || setting.Value.Contains("AccountKey", StringComparison.OrdinalIgnoreCase)
            || setting.Value.Contains("SharedAccess", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain("listKeys", template.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CompiledTemplate_LocalAuthOff_RolesScopedToResources_DiagnosticsOn()
    {
        var template = await Bicep.CompileMainAsync();

        Assert.False(Resource(template, "Microsoft.Storage/storageAccounts")["properties"]!["allowSharedKeyAccess"]!.GetValue<bool>());
        Assert.True(Resource(template, "Microsoft.DocumentDB/databaseAccounts")["properties"]!["disableLocalAuth"]!.GetValue<bool>());
        Assert.True(Resource(template, "Microsoft.EventHub/namespaces")["properties"]!["disableLocalAuth"]!.GetValue<bool>());
        Assert.True(Resource(template, "Microsoft.Insights/components")["properties"]!["DisableLocalAuth"]!.GetValue<bool>());

        var assignments = Resources(template).Where(resource => resource["type"]!.GetValue<string>() == "Microsoft.Authorization/roleAssignments").ToList();
        Assert.All(assignments, assignment => Assert.NotNull(assignment["scope"])); // on a resource, never the subscription
        var roleIds = template.ToJsonString();
        Assert.All(
            ["b7e6dc6d-f1e8-4753-8033-0f276bb0955b", "974c5e8b-45b9-4653-ba55-5f855dd0fb88", "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3", "2b629674-e913-4c01-ae53-ef4638d8f975", "a638d3c7-ab3a-418d-83e6-5f17a39d4fde", "00000000-0000-0000-0000-000000000002", "b86a8fe4-44ce-4948-aee5-eccb2c155cd7"],
            role => Assert.Contains(role, roleIds, StringComparison.Ordinal));
        Assert.NotNull(Resource(template, "Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments"));
        var vault = Resource(template, "Microsoft.KeyVault/vaults")["properties"]!;
        Assert.True(vault["enableRbacAuthorization"]!.GetValue<bool>() && vault["enablePurgeProtection"]!.GetValue<bool>());

        var diagnostics = Resources(template).Where(resource => resource["type"]!.GetValue<string>() == "Microsoft.Insights/diagnosticSettings").ToList();
        Assert.Equal(3, diagnostics.Count); // Event Hubs, Cosmos DB, the Function App

        var site = Resource(template, "Microsoft.Web/sites");
        Assert.Equal("UserAssigned", site["identity"]!["type"]!.GetValue<string>());
        Assert.Equal("dotnet-isolated", site["properties"]!["functionAppConfig"]!["runtime"]!["name"]!.GetValue<string>());
        Assert.Equal("10.0", site["properties"]!["functionAppConfig"]!["runtime"]!["version"]!.GetValue<string>());
        Assert.Equal("FlexConsumption", Resource(template, "Microsoft.Web/serverfarms")["sku"]!["tier"]!.GetValue<string>());
    }

    [Fact]
    public async Task AzdParameters_NameOnlyParametersOfMain_AndAzdServiceTagMatchesAzureYaml()
    {
        var template = await Bicep.CompileMainAsync();
        var parameters = JsonNode.Parse(File.ReadAllText(Path.Combine(Bicep.InfraDirectory, "main.parameters.json")))!["parameters"]!.AsObject();
        var azureYaml = File.ReadAllText(Path.Combine(Bicep.InfraDirectory, "..", "azure.yaml"));

        Assert.All(parameters, parameter => Assert.True(template["parameters"]!.AsObject().ContainsKey(parameter.Key), $"main.bicep has no parameter {parameter.Key}"));
        Assert.Contains("createObject('azd-service-name', 'api')", Resource(template, "Microsoft.Web/sites")["tags"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("  api:\n    project: ./functions/OmniChannel.Functions", azureYaml.Replace("\r", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Console_IsAStandardStaticWebApp_LinkedToTheFunctionApp_WithTheRolesTheCodeKnows()
    {
        var template = await Bicep.CompileMainAsync();
        var site = Resource(template, "Microsoft.Web/staticSites");
        Assert.Equal("Standard", site["sku"]!["name"]!.GetValue<string>());
        Assert.Contains("createObject('azd-service-name', 'console')", site["tags"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("backendResourceId", Resource(template, "Microsoft.Web/staticSites/linkedBackends")["properties"]!.ToJsonString(), StringComparison.Ordinal);
        Assert.Matches(@"'functionapp'\).*\.outputs\.id\.value", ModuleParameter(template, "console", "functionAppId"));
        Assert.Equal("securestring", Module(template, "console")["template"]!["parameters"]!["entraClientSecret"]!["type"]!.GetValue<string>(), ignoreCase: true);

        var azureYaml = File.ReadAllText(Path.Combine(Bicep.InfraDirectory, "..", "azure.yaml")).Replace("\r", string.Empty, StringComparison.Ordinal);
        Assert.Contains("  console:\n    project: ./functions/OmniChannel.WebConsole\n    language: dotnet\n    host: staticwebapp", azureYaml, StringComparison.Ordinal);

        // The console's routing file: the roles source is the API's roles route, and every role it allows is one the code
        // hands out (or a built-in one); rules are marketing's alone.
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(Bicep.InfraDirectory, "..", "functions", "OmniChannel.WebConsole", "wwwroot", "staticwebapp.config.json")))!.AsObject();
        Assert.Equal("/api/console/roles", config["auth"]!["rolesSource"]!.GetValue<string>());
        var routes = config["routes"]!.AsArray().Select(route => route!.AsObject()).ToList();
        var allowed = routes.Where(route => route["allowedRoles"] is not null).SelectMany(route => route["allowedRoles"]!.AsArray().Select(role => role!.GetValue<string>())).ToHashSet();
        Assert.Subset(ConsoleRoles.All.Concat(["anonymous", "authenticated"]).ToHashSet(), allowed);
        Assert.Equal(["marketing"], routes.Single(route => route["route"]!.GetValue<string>() == "/api/remarketing/*")["allowedRoles"]!.AsArray().Select(role => role!.GetValue<string>()));
        Assert.Equal("/*", routes[^1]["route"]!.GetValue<string>());
    }

    [Fact]
    public async Task ApiAccess_AKeyPerRoleAndItsNextKeyComeFromKeyVault_AndTheStaticWebAppsUsersAreSignedInWithoutLockingOutChannels()
    {
        var template = await Bicep.CompileMainAsync();
        var names = NamesJson()["apiKeyNames"]!;
        var app = Module(template, "functionapp")["template"]!;
        var settings = app["variables"]!["appSettings"]!.AsArray()
            .ToDictionary(setting => setting!["name"]!.GetValue<string>(), setting => setting!["value"]!.ToString());

        // The settings the worker's access check binds: every role's key and its rotation's Next key, each a Key Vault
        // reference resolved with the app's identity, under the secret name names.json gives the role.
        foreach (var role in KeyRoles.All)
        {
            var property = char.ToUpperInvariant(role[0]) + role[1..] + "Key";
            var key = settings[Setting(ApiAccessOptions.SectionName, property)];
            var next = settings[Setting(ApiAccessOptions.SectionName, property + "Next")];
            Assert.NotNull(typeof(ApiAccessOptions).GetProperty(property + "Next"));
            Assert.StartsWith("[format('@Microsoft.KeyVault(VaultName={0};SecretName={1})'", key, StringComparison.Ordinal);
            Assert.EndsWith($"parameters('names').apiKeyNames.{role})]", key, StringComparison.Ordinal);
            Assert.StartsWith("[format('@Microsoft.KeyVault(VaultName={0};SecretName={1}Next)'", next, StringComparison.Ordinal);
            Assert.EndsWith($"parameters('names').apiKeyNames.{role})]", next, StringComparison.Ordinal);
            Assert.NotNull(names[role]);
        }

        // The collect key keeps the secret of the single channel key it replaces, so channels keep posting after the upgrade.
        Assert.Equal("apiChannelKey", names[KeyRoles.Collect]!.GetValue<string>());
        Assert.False(settings.ContainsKey(Setting(ApiAccessOptions.SectionName, nameof(ApiAccessOptions.ApiKey))));
        Assert.Equal("true", settings[Setting(ApiAccessOptions.SectionName, nameof(ApiAccessOptions.TrustPlatformPrincipal))]);
        Assert.False(settings.ContainsKey(Setting(ApiAccessOptions.SectionName, nameof(ApiAccessOptions.OpenWithoutKeys))));
        Assert.Equal("[parameters('identityId')]", Resource(template, "Microsoft.Web/sites")["properties"]!["keyVaultReferenceIdentity"]!.GetValue<string>());

        // The vault holds the four keys under the names the references use; azd makes them once and then reads them back.
        var secrets = Resources(template).Where(resource => resource["type"]!.GetValue<string>() == "Microsoft.KeyVault/vaults/secrets").ToList();
        Assert.Equal(4, secrets.Count(secret => secret["condition"]!.GetValue<string>().StartsWith("[not(empty(parameters('api", StringComparison.Ordinal)));
        var parameters = JsonNode.Parse(File.ReadAllText(Path.Combine(Bicep.InfraDirectory, "main.parameters.json")))!["parameters"]!;
        foreach (var role in KeyRoles.All)
        {
            var parameter = "api" + char.ToUpperInvariant(role[0]) + role[1..] + "Key";
            Assert.Equal("securestring", template["parameters"]![parameter]!["type"]!.GetValue<string>(), ignoreCase: true);
            Assert.Equal($"$(secretOrRandomPassword ${{AZURE_KEY_VAULT_NAME}} {names[role]!.GetValue<string>()})", parameters[parameter]!["value"]!.GetValue<string>());
        }

        Assert.NotNull(template["outputs"]!["AZURE_KEY_VAULT_NAME"]);

        // App Service Authentication on the Function App, after the link: the Static Web App's users are signed in,
        // everyone else passes unauthenticated to the worker (a linked backend is otherwise the Static Web App's alone).
        var auth = Resources(template).Single(resource => resource["type"]!.GetValue<string>() == "Microsoft.Web/sites/config" && resource["name"]!.ToString().Contains("authsettingsV2", StringComparison.Ordinal));
        var properties = auth["properties"]!;
        Assert.True(properties["platform"]!["enabled"]!.GetValue<bool>());
        Assert.False(properties["globalValidation"]!["requireAuthentication"]!.GetValue<bool>());
        Assert.Equal("AllowAnonymous", properties["globalValidation"]!["unauthenticatedClientAction"]!.GetValue<string>());
        Assert.True(properties["identityProviders"]!["azureStaticWebApps"]!["enabled"]!.GetValue<bool>());
        Assert.Contains("defaultHostname", properties["identityProviders"]!["azureStaticWebApps"]!["registration"]!["clientId"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains(auth["dependsOn"]!.AsArray(), dependency => dependency!.ToString().Contains("linkedBackends", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Handoffs_EndpointsAreParameters_SecretsAreKeyVaultReferences_AndTheVaultHoldsThemUnderTheReferencedNames()
    {
        var template = await Bicep.CompileMainAsync();
        var secretNames = NamesJson()["handoffSecretNames"]!;
        var settings = Module(template, "functionapp")["template"]!["variables"]!["appSettings"]!.AsArray()
            .ToDictionary(setting => setting!["name"]!.GetValue<string>(), setting => setting!["value"]!.ToString());
        var engagement = HandoffOptions.SectionName + ":" + nameof(HandoffOptions.CustomerEngagement);
        var payments = HandoffOptions.SectionName + ":" + nameof(HandoffOptions.Payments);

        // Every setting the Functions app's startup check asks for (HandoffOptions.Missing) is set.
        Assert.All(new HandoffOptions().Missing(), missing => Assert.True(settings.ContainsKey(missing.Replace(":", "__", StringComparison.Ordinal)), $"app setting {missing} is missing"));
        Assert.Equal("[parameters('customerEngagementEndpoint')]", settings[Setting(engagement, nameof(HandoffReceiverOptions.Endpoint))]);
        Assert.Equal("[parameters('paymentServiceEndpoint')]", settings[Setting(payments, nameof(HandoffReceiverOptions.Endpoint))]);
        Assert.EndsWith("parameters('names').handoffSecretNames.customerEngagement)]", settings[Setting(engagement, nameof(HandoffReceiverOptions.Secret))], StringComparison.Ordinal);
        Assert.EndsWith("parameters('names').handoffSecretNames.payments)]", settings[Setting(payments, nameof(HandoffReceiverOptions.Secret))], StringComparison.Ordinal);
        Assert.EndsWith("parameters('names').handoffSecretNames.paymentsCallback)]", settings[Setting(payments, nameof(PaymentServiceOptions.CallbackSecret))], StringComparison.Ordinal);
        Assert.All(new[] { "customerEngagementSecret", "paymentServiceSecret", "paymentServiceCallbackSecret" },
            name => Assert.Equal("securestring", template["parameters"]![name]!["type"]!.GetValue<string>(), ignoreCase: true));

        var vaultSecrets = Resources(template).Where(resource => resource["type"]!.GetValue<string>() == "Microsoft.KeyVault/vaults/secrets").Select(resource => resource["name"]!.ToString()).ToList();
        Assert.All(new[] { "customerEngagement", "payments", "paymentsCallback" },
            key => Assert.Contains(vaultSecrets, name => name.Contains($"parameters('handoffSecretNames').{key})", StringComparison.Ordinal)));
        Assert.Equal(["handoffCustomerEngagementSecret", "handoffPaymentsSecret", "handoffPaymentsCallbackSecret"],
            secretNames.AsObject().Select(pair => pair.Value!.GetValue<string>()).ToArray());

        // azd passes them from its environment, like every other deployment value.
        var parameters = JsonNode.Parse(File.ReadAllText(Path.Combine(Bicep.InfraDirectory, "main.parameters.json")))!["parameters"]!;
        Assert.Equal("${OMNICHANNEL_PAYMENT_SERVICE_CALLBACK_SECRET}", parameters["paymentServiceCallbackSecret"]!["value"]!.GetValue<string>());
        Assert.Equal("${OMNICHANNEL_CUSTOMER_ENGAGEMENT_ENDPOINT}", parameters["customerEngagementEndpoint"]!["value"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("GET", "/api/remarketing/rules")]
    [InlineData("PUT", "/api/remarketing/rules/r-1")]
    [InlineData("DELETE", "/api/remarketing/rules/r-1")]
    [InlineData("POST", "/api/remarketing/rules/r-1/simulate")]
    [InlineData("GET", "/api/insights/summary")]
    [InlineData("GET", "/api/stores")]
    [InlineData("GET", "/api/stores/0004/orders")]
    [InlineData("POST", "/api/stores/0004/orders/o-1/picked")]
    [InlineData("POST", "/api/stores/0004/orders/o-1/collected")]
    [InlineData("GET", "/api/customers/device:d-1")]
    [InlineData("GET", "/api/customers/c-1/events")]
    [InlineData("GET", "/api/orders/o-1")]
    public void ConsoleRoute_StaticWebAppsAsksTheRolesTheApiChecks(string method, string path)
    {
        // Static Web Apps applies the first rule that matches; the API's access check must agree with it, or a page
        // would be let through at the edge and refused behind it (or the other way round).
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(Bicep.InfraDirectory, "..", "functions", "OmniChannel.WebConsole", "wwwroot", "staticwebapp.config.json")))!;
        var rule = config["routes"]!.AsArray().Select(route => route!.AsObject()).First(route =>
            Matches(route["route"]!.GetValue<string>(), path)
            && (route["methods"] is not JsonArray methods || methods.Any(allowed => allowed!.GetValue<string>() == method)));
        var edge = rule["allowedRoles"]!.AsArray().Select(role => role!.GetValue<string>()).Order(StringComparer.Ordinal);
        var api = RouteAccess.Of(method, path["/api/".Length..]).ConsoleRoles.Order(StringComparer.Ordinal);

        Assert.Equal(api, edge);

        static bool Matches(string pattern, string candidate) =>
            pattern.EndsWith("/*", StringComparison.Ordinal) ? candidate.StartsWith(pattern[..^1], StringComparison.Ordinal) : candidate == pattern;
    }

    private static string Setting(string section, string name) => section.Replace(":", "__", StringComparison.Ordinal) + "__" + name;

    [Fact]
    public async Task RateLimit_PerSecondAndBurstAreAppSettingsFromParameters_AndTheInstanceCapBoundsWhatOneCallerCosts()
    {
        var template = await Bicep.CompileMainAsync();
        var app = Module(template, "functionapp");
        var settings = app["template"]!["variables"]!["appSettings"]!.AsArray()
            .ToDictionary(setting => setting!["name"]!.GetValue<string>(), setting => setting!["value"]!.ToString());

        // The worker's rate limiter binds these (OmniChannel:RateLimit); the limit holds per instance, so a caller's
        // ceiling is the rate × the plan's maximum instance count, both parameters of the same deployment.
        Assert.Equal("[string(parameters('apiRateLimitPerSecond'))]", settings[Setting(ApiRateLimitOptions.SectionName, nameof(ApiRateLimitOptions.PerSecond))]);
        Assert.Equal("[string(parameters('apiRateLimitBurst'))]", settings[Setting(ApiRateLimitOptions.SectionName, nameof(ApiRateLimitOptions.Burst))]);
        Assert.Equal("[parameters('apiRateLimitPerSecond')]", app["parameters"]!["apiRateLimitPerSecond"]!["value"]!.ToString());
        Assert.Equal(new ApiRateLimitOptions().PerSecond, template["parameters"]!["apiRateLimitPerSecond"]!["defaultValue"]!.GetValue<int>());
        Assert.Equal(new ApiRateLimitOptions().Burst, template["parameters"]!["apiRateLimitBurst"]!["defaultValue"]!.GetValue<int>());
        Assert.Equal("[parameters('functionMaximumInstanceCount')]", app["parameters"]!["maximumInstanceCount"]!["value"]!.ToString());
    }

    private static JsonObject NamesJson() => JsonNode.Parse(File.ReadAllText(Path.Combine(Bicep.InfraDirectory, "names.json")))!.AsObject();

    private static JsonObject Module(JsonObject template, string name) =>
        Resources(template).Single(resource => resource["type"]!.GetValue<string>() == "Microsoft.Resources/deployments" && resource["name"]!.GetValue<string>() == name)["properties"]!.AsObject();

    private static string ModuleParameter(JsonObject template, string module, string parameter) =>
        Module(template, module)["parameters"]![parameter]!["value"]!.ToString();

    private static JsonObject Resource(JsonObject template, string type) =>
        Resources(template).FirstOrDefault(resource => resource["type"]!.GetValue<string>() == type) ?? throw new Xunit.Sdk.XunitException($"No {type} in the template.");

    /// <summary>Every resource of the template and of its modules' nested templates.</summary>
    private static IEnumerable<JsonObject> Resources(JsonObject template)
    {
        foreach (var resource in template["resources"]!.AsArray().Select(node => node!.AsObject()))
        {
            yield return resource;
            if (resource["properties"]?["template"] is JsonObject nested)
            {
                foreach (var inner in Resources(nested))
                {
                    yield return inner;
                }
            }
        }
    }
}
