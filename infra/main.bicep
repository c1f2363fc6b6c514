// OmniChannel on Azure: Function App (Flex Consumption, .NET 10 isolated) with a user-assigned managed identity and
// identity-based connections to Storage, Event Hubs and Cosmos DB; monitoring; least-privilege role assignments
// scoped to each resource. Names the code reads come from names.json, which a test checks against the code.
targetScope = 'resourceGroup'

@description('Short environment name (dev, prod); part of every resource name.')
@minLength(2)
@maxLength(8)
param environmentName string

@description('Azure region of every resource.')
param location string = resourceGroup().location

@description('Event hub partitions: the ceiling of parallel ingest. Cannot be lowered later.')
param eventHubPartitionCount int = 8

@description('Event Hubs throughput units the namespace may auto-inflate to.')
param eventHubMaxThroughputUnits int = 4

@description('Cosmos DB serverless (dev) or autoscale provisioned throughput (prod).')
param cosmosServerless bool = true

@description('Cosmos DB autoscale ceiling in RU/s when not serverless.')
param cosmosAutoscaleMaxThroughput int = 4000

@description('Most Function App instances.')
param functionMaximumInstanceCount int = 100

@description('Memory per Function App instance (MB).')
param functionInstanceMemoryMB int = 2048

@description('Days Log Analytics keeps data.')
param logRetentionInDays int = 30

@description('Region of the console\'s Static Web App (offered in fewer regions than the rest).')
@allowed([
  'westus2'
  'centralus'
  'eastus2'
  'westeurope'
  'eastasia'
])
param consoleLocation string = 'westeurope'

@description('Entra ID app registration (client) id for console sign-in; its app roles "marketing" and "store" become the console\'s roles.')
param consoleEntraClientId string = ''

@secure()
@description('Client secret of that app registration.')
param consoleEntraClientSecret string = ''

@secure()
@description('The collect API key (x-api-key of channels: events, orders, stores, prices); azd keeps the vault\'s or makes one. Empty keeps the vault\'s.')
param apiCollectKey string = ''

@secure()
@description('The store API key (pickup queue and hand-over, coupons, returns, cancellations); empty keeps the vault\'s.')
param apiStoreKey string = ''

@secure()
@description('The service API key (people, timelines and orders, read only); empty keeps the vault\'s.')
param apiServiceKey string = ''

@secure()
@description('The admin API key (x-api-key on every route); empty keeps the vault\'s.')
param apiAdminKey string = ''

@description('Requests per second each API key (or client address) may make, per Function App instance; 0 turns the limit off. A caller\'s ceiling is this × functionMaximumInstanceCount.')
param apiRateLimitPerSecond int = 100

@description('Requests each API key may make at once before the rate applies, per instance.')
param apiRateLimitBurst int = 200

@description('Where notifications go: the customer-engagement platform\'s webhook URL (omni.order.notification CloudEvents). The app refuses to start without it.')
param customerEngagementEndpoint string = ''

@secure()
@description('The whsec_… secret those notifications are signed with (Standard Webhooks); empty keeps the vault\'s.')
param customerEngagementSecret string = ''

@description('Where refund requests go: the payment service\'s webhook URL (omni.payment.refund.requested CloudEvents). The app refuses to start without it.')
param paymentServiceEndpoint string = ''

@secure()
@description('The whsec_… secret refund requests are signed with; empty keeps the vault\'s.')
param paymentServiceSecret string = ''

@secure()
@description('The whsec_… secret the payment service signs its refund callbacks (POST /api/payments/refunds/events) with; empty keeps the vault\'s.')
param paymentServiceCallbackSecret string = ''

var names = loadJsonContent('names.json')
var suffix = uniqueString(subscription().id, resourceGroup().id, environmentName)
var tags = {
  application: 'omnichannel'
  environment: environmentName
}

module identity 'modules/identity.bicep' = {
  name: 'identity'
  params: {
    location: location
    name: 'id-omnichannel-${environmentName}'
    tags: tags
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    location: location
    logAnalyticsName: 'log-omnichannel-${environmentName}-${suffix}'
    appInsightsName: 'appi-omnichannel-${environmentName}-${suffix}'
    retentionInDays: logRetentionInDays
    tags: tags
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    location: location
    name: take('stomni${environmentName}${suffix}', 24)
    tableNames: names.tables
    deploymentContainerName: names.deploymentContainer
    parkedContainerName: names.parkedContainer
    tags: tags
  }
}

module eventHubs 'modules/eventhubs.bicep' = {
  name: 'eventhubs'
  params: {
    location: location
    namespaceName: 'evhns-omnichannel-${environmentName}-${suffix}'
    hubName: names.eventHub.name
    consumerGroupName: names.eventHub.consumerGroup
    partitionCount: eventHubPartitionCount
    maximumThroughputUnits: eventHubMaxThroughputUnits
    workspaceId: monitoring.outputs.workspaceId
    tags: tags
  }
}

module cosmos 'modules/cosmos.bicep' = {
  name: 'cosmos'
  params: {
    location: location
    accountName: 'cosmos-omnichannel-${environmentName}-${suffix}'
    cosmosNames: names.cosmos
    serverless: cosmosServerless
    autoscaleMaxThroughput: cosmosAutoscaleMaxThroughput
    dataContributorPrincipalId: identity.outputs.principalId
    workspaceId: monitoring.outputs.workspaceId
    tags: tags
  }
}

module keyVault 'modules/keyvault.bicep' = {
  name: 'keyvault'
  params: {
    location: location
    name: take('kv-omni-${environmentName}-${suffix}', 24)
    appPrincipalId: identity.outputs.principalId
    apiKeyNames: names.apiKeyNames
    apiCollectKey: apiCollectKey
    apiStoreKey: apiStoreKey
    apiServiceKey: apiServiceKey
    apiAdminKey: apiAdminKey
    handoffSecretNames: names.handoffSecretNames
    customerEngagementSecret: customerEngagementSecret
    paymentServiceSecret: paymentServiceSecret
    paymentServiceCallbackSecret: paymentServiceCallbackSecret
    tags: tags
  }
}

module roles 'modules/roles.bicep' = {
  name: 'roles'
  params: {
    principalId: identity.outputs.principalId
    storageAccountName: storage.outputs.name
    eventHubsNamespaceName: eventHubs.outputs.namespaceName
    appInsightsName: monitoring.outputs.appInsightsName
  }
}

module functionApp 'modules/functionapp.bicep' = {
  name: 'functionapp'
  params: {
    location: location
    planName: 'plan-omnichannel-${environmentName}-${suffix}'
    appName: 'func-omnichannel-${environmentName}-${suffix}'
    names: names
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageAccountName: storage.outputs.name
    storageBlobEndpoint: storage.outputs.blobEndpoint
    storageTableEndpoint: storage.outputs.tableEndpoint
    eventHubsFullyQualifiedNamespace: eventHubs.outputs.fullyQualifiedNamespace
    cosmosEndpoint: cosmos.outputs.endpoint
    keyVaultUri: keyVault.outputs.uri
    keyVaultName: keyVault.outputs.name
    customerEngagementEndpoint: customerEngagementEndpoint
    paymentServiceEndpoint: paymentServiceEndpoint
    appInsightsConnectionString: monitoring.outputs.connectionString
    workspaceId: monitoring.outputs.workspaceId
    maximumInstanceCount: functionMaximumInstanceCount
    apiRateLimitPerSecond: apiRateLimitPerSecond
    apiRateLimitBurst: apiRateLimitBurst
    instanceMemoryMB: functionInstanceMemoryMB
    tags: tags
  }
  dependsOn: [
    // The app starts with its identity already allowed into storage, Event Hubs and telemetry (the vault's role
    // comes with its module, which the app's settings depend on anyway).
    roles
  ]
}

module console 'modules/staticwebapp.bicep' = {
  name: 'console'
  params: {
    location: consoleLocation
    name: 'stapp-omnichannel-${environmentName}-${suffix}'
    functionAppId: functionApp.outputs.id
    functionAppName: functionApp.outputs.name
    entraClientId: consoleEntraClientId
    entraClientSecret: consoleEntraClientSecret
    tags: tags
  }
}

output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.name
output API_BASE_URL string = 'https://${functionApp.outputs.defaultHostName}/api'
output AZURE_COSMOS_ENDPOINT string = cosmos.outputs.endpoint
output AZURE_EVENTHUBS_NAMESPACE string = eventHubs.outputs.fullyQualifiedNamespace
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name
output AZURE_APPINSIGHTS_NAME string = monitoring.outputs.appInsightsName
output AZURE_KEY_VAULT_URI string = keyVault.outputs.uri
output AZURE_KEY_VAULT_NAME string = keyVault.outputs.name
output AZURE_MANAGED_IDENTITY_CLIENT_ID string = identity.outputs.clientId
output CONSOLE_URL string = 'https://${console.outputs.defaultHostName}'
output AZURE_STATIC_WEB_APP_NAME string = console.outputs.name
