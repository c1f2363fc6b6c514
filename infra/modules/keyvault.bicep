param location string
param name string
param tags object = {}

@description('The app\'s managed identity: it creates, reads and deletes price subscribers\' signing secrets.')
param appPrincipalId string

@description('Secret names of the API keys (names.json apiKeyNames).')
param apiKeyNames object

@secure()
@description('The collect API key (channels: events, orders, stores, prices); empty keeps the one already in the vault.')
param apiCollectKey string = ''

@secure()
@description('The store API key (pickup queue and hand-over, coupons, returns, cancellations); empty keeps the vault\'s.')
param apiStoreKey string = ''

@secure()
@description('The service API key (people, timelines and orders, read only); empty keeps the vault\'s.')
param apiServiceKey string = ''

@secure()
@description('The admin API key; empty keeps the one already in the vault.')
param apiAdminKey string = ''

@description('Secret names of the hand-offs\' Standard Webhooks secrets (names.json handoffSecretNames).')
param handoffSecretNames object

@secure()
@description('The whsec_… secret notifications to the customer-engagement platform are signed with; empty keeps the vault\'s.')
param customerEngagementSecret string = ''

@secure()
@description('The whsec_… secret refund requests to the payment service are signed with; empty keeps the vault\'s.')
param paymentServiceSecret string = ''

@secure()
@description('The whsec_… secret the payment service signs its refund callbacks with; empty keeps the vault\'s.')
param paymentServiceCallbackSecret string = ''

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    // Azure RBAC, not access policies: the role below is the only way in for the app.
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 30
    enablePurgeProtection: true
  }
}

// Key Vault Secrets Officer, scoped to this vault: set, read and (soft-)delete secrets.
resource secretsOfficer 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, appPrincipalId, 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7')
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7')
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}

// The app reads one key per role through Key Vault references (OmniChannel__Access__*); operators read them here to
// hand out. A rotation's second key (<name>Next) is set by the operator when rotating, not here: until it exists its
// reference stays unresolved, which the app treats as no key.
resource collectKey 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(apiCollectKey)) {
  parent: vault
  name: apiKeyNames.collect
  properties: {
    value: apiCollectKey
    contentType: 'OmniChannel collect API key (x-api-key)'
  }
}

resource storeKey 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(apiStoreKey)) {
  parent: vault
  name: apiKeyNames.store
  properties: {
    value: apiStoreKey
    contentType: 'OmniChannel store API key (x-api-key)'
  }
}

resource serviceKey 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(apiServiceKey)) {
  parent: vault
  name: apiKeyNames.service
  properties: {
    value: apiServiceKey
    contentType: 'OmniChannel service API key (x-api-key)'
  }
}

resource adminKey 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(apiAdminKey)) {
  parent: vault
  name: apiKeyNames.admin
  properties: {
    value: apiAdminKey
    contentType: 'OmniChannel admin API key (x-api-key)'
  }
}

// The hand-offs' signing secrets, read by the app through Key Vault references (OmniChannel__Handoffs__*).
resource engagementSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(customerEngagementSecret)) {
  parent: vault
  name: handoffSecretNames.customerEngagement
  properties: {
    value: customerEngagementSecret
    contentType: 'Standard Webhooks secret: notifications to the customer-engagement platform'
  }
}

resource paymentsSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(paymentServiceSecret)) {
  parent: vault
  name: handoffSecretNames.payments
  properties: {
    value: paymentServiceSecret
    contentType: 'Standard Webhooks secret: refund requests to the payment service'
  }
}

resource paymentsCallbackSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(paymentServiceCallbackSecret)) {
  parent: vault
  name: handoffSecretNames.paymentsCallback
  properties: {
    value: paymentServiceCallbackSecret
    contentType: 'Standard Webhooks secret: the payment service\'s refund callbacks'
  }
}

output name string = vault.name
output uri string = vault.properties.vaultUri
