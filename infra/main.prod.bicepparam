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
param apiChannelKey = readEnvironmentVariable('OMNICHANNEL_API_CHANNEL_KEY', '')
param apiAdminKey = readEnvironmentVariable('OMNICHANNEL_API_ADMIN_KEY', '')
