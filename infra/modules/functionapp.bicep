param location string
param planName string
param appName string
param tags object = {}

@description('Names the code reads (infra/names.json).')
param names object

param identityId string
param identityClientId string
param storageAccountName string
param storageBlobEndpoint string
param storageTableEndpoint string
param eventHubsFullyQualifiedNamespace string
param cosmosEndpoint string

@description('Key Vault for price subscribers\' signing secrets and the API keys.')
param keyVaultUri string
param keyVaultName string

@description('The customer-engagement platform\'s webhook URL (notifications).')
param customerEngagementEndpoint string

@description('The payment service\'s webhook URL (refund requests).')
param paymentServiceEndpoint string

param appInsightsConnectionString string
param workspaceId string

@description('Most instances the plan may scale out to (Flex Consumption: 40–1000).')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int

@description('Memory per instance in MB (Flex Consumption: 2048 or 4096).')
@allowed([
  2048
  4096
])
param instanceMemoryMB int

@description('Requests per second each API key (or client address) may make, per instance; 0 turns the limit off.')
@minValue(0)
param apiRateLimitPerSecond int

@description('Requests each API key may make at once before the rate applies, per instance.')
@minValue(1)
param apiRateLimitBurst int

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true
  }
}

// Every connection is identity-based: <name>__credential = managedidentity with the user-assigned identity's client id.
var appSettings = [
  { name: 'AzureWebJobsStorage__accountName', value: storageAccountName }
  { name: 'AzureWebJobsStorage__credential', value: 'managedidentity' }
  { name: 'AzureWebJobsStorage__clientId', value: identityClientId }
  { name: 'EventHubConnection__fullyQualifiedNamespace', value: eventHubsFullyQualifiedNamespace }
  { name: 'EventHubConnection__credential', value: 'managedidentity' }
  { name: 'EventHubConnection__clientId', value: identityClientId }
  { name: 'EventHubName', value: names.eventHub.name }
  { name: 'EventHubConsumerGroup', value: names.eventHub.consumerGroup }
  { name: 'OmniChannel__Cosmos__AccountEndpoint', value: cosmosEndpoint }
  { name: 'OmniChannel__Cosmos__DatabaseName', value: names.cosmos.database }
  { name: 'OmniChannel__Tables__ServiceUri', value: storageTableEndpoint }
  { name: 'OmniChannel__Parking__ServiceUri', value: storageBlobEndpoint }
  { name: 'OmniChannel__KeyVault__VaultUri', value: keyVaultUri }
  // API keys stay in Key Vault: the platform resolves these references with the app's identity. Every HTTP trigger is
  // anonymous to the Functions host; the worker checks these keys (one per role, and a <role>KeyNext accepted beside
  // it during a rotation: unresolved, as until its secret exists, it is no key), or the console user App Service
  // Authentication signed in through the Static Web App (trusted because App Service Authentication sets that header itself).
  { name: 'OmniChannel__Access__CollectKey', value: '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=${names.apiKeyNames.collect})' }
  { name: 'OmniChannel__Access__CollectKeyNext', value: '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=${names.apiKeyNames.collect}Next)' }
  { name: 'OmniChannel__Access__StoreKey', value: '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=${names.apiKeyNames.store})' }
  { name: 'OmniChannel__Access__StoreKeyNext', value: '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=${names.apiKeyNames.store}Next)' }
  { name: 'OmniChannel__Access__ServiceKey', value: '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=${names.apiKeyNames.service})' }
  { name: 'OmniChannel__Access__ServiceKeyNext', value: '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=${names.apiKeyNames.service}Next)' }
  { name: 'OmniChannel__Access__AdminKey', value: '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=${names.apiKeyNames.admin})' }
  { name: 'OmniChannel__Access__AdminKeyNext', value: '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=${names.apiKeyNames.admin}Next)' }
  // Per caller and per instance: the worker keeps its buckets in memory (README: rate limits).
  { name: 'OmniChannel__RateLimit__PerSecond', value: string(apiRateLimitPerSecond) }
  { name: 'OmniChannel__RateLimit__Burst', value: string(apiRateLimitBurst) }
  { name: 'OmniChannel__Access__TrustPlatformPrincipal', value: 'true' }
  // Hand-offs: notifications and refunds leave as signed CloudEvents; their Standard Webhooks secrets stay in Key Vault.
  { name: 'OmniChannel__Handoffs__CustomerEngagement__Endpoint', value: customerEngagementEndpoint }
  { name: 'OmniChannel__Handoffs__CustomerEngagement__Secret', value: '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=${names.handoffSecretNames.customerEngagement})' }
  { name: 'OmniChannel__Handoffs__Payments__Endpoint', value: paymentServiceEndpoint }
  { name: 'OmniChannel__Handoffs__Payments__Secret', value: '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=${names.handoffSecretNames.payments})' }
  { name: 'OmniChannel__Handoffs__Payments__CallbackSecret', value: '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=${names.handoffSecretNames.paymentsCallback})' }
  { name: 'AZURE_CLIENT_ID', value: identityClientId }
  { name: 'TaskHubName', value: names.taskHub }
  { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: appInsightsConnectionString }
  { name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING', value: 'ClientId=${identityClientId};Authorization=AAD' }
]

resource app 'Microsoft.Web/sites@2024-04-01' = {
  name: appName
  location: location
  // azd deploys the service named "api" (azure.yaml) to the app carrying this tag.
  tags: union(tags, {
    'azd-service-name': 'api'
  })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: identityId
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storageBlobEndpoint}${names.deploymentContainer}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      appSettings: appSettings
    }
  }
}

resource diagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: app
  properties: {
    workspaceId: workspaceId
    logs: [
      {
        category: 'FunctionAppLogs'
        enabled: true
      }
    ]
    metrics: [
      {
        category: 'AllMetrics'
        enabled: true
      }
    ]
  }
}

output name string = app.name
output defaultHostName string = app.properties.defaultHostName
output id string = app.id
