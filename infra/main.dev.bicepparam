using 'main.bicep'

param environmentName = 'dev'
param eventHubPartitionCount = 4
param eventHubMaxThroughputUnits = 2
param cosmosServerless = true
param functionMaximumInstanceCount = 40
param functionInstanceMemoryMB = 2048
param logRetentionInDays = 30
// The API keys go to Key Vault; unset keeps the ones already there.
param apiChannelKey = readEnvironmentVariable('OMNICHANNEL_API_CHANNEL_KEY', '')
param apiAdminKey = readEnvironmentVariable('OMNICHANNEL_API_ADMIN_KEY', '')
