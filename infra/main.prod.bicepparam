using 'main.bicep'

param environmentName = 'prod'
param eventHubPartitionCount = 16
param eventHubMaxThroughputUnits = 10
param cosmosServerless = false
param cosmosAutoscaleMaxThroughput = 10000
param functionMaximumInstanceCount = 200
param functionInstanceMemoryMB = 4096
param logRetentionInDays = 90
// The API keys go to Key Vault; unset keeps the ones already there.
param apiCollectKey = readEnvironmentVariable('OMNICHANNEL_API_COLLECT_KEY', '')
param apiStoreKey = readEnvironmentVariable('OMNICHANNEL_API_STORE_KEY', '')
param apiServiceKey = readEnvironmentVariable('OMNICHANNEL_API_SERVICE_KEY', '')
param apiAdminKey = readEnvironmentVariable('OMNICHANNEL_API_ADMIN_KEY', '')
// The hand-offs' receivers and their Standard Webhooks secrets (secrets go to Key Vault; unset keeps the vault's).
param customerEngagementEndpoint = readEnvironmentVariable('OMNICHANNEL_CUSTOMER_ENGAGEMENT_ENDPOINT', '')
param customerEngagementSecret = readEnvironmentVariable('OMNICHANNEL_CUSTOMER_ENGAGEMENT_SECRET', '')
param paymentServiceEndpoint = readEnvironmentVariable('OMNICHANNEL_PAYMENT_SERVICE_ENDPOINT', '')
param paymentServiceSecret = readEnvironmentVariable('OMNICHANNEL_PAYMENT_SERVICE_SECRET', '')
param paymentServiceCallbackSecret = readEnvironmentVariable('OMNICHANNEL_PAYMENT_SERVICE_CALLBACK_SECRET', '')
