using 'main.bicep'

param environmentName = 'dev'
param eventHubPartitionCount = 4
param eventHubMaxThroughputUnits = 2
param cosmosServerless = true
param functionMaximumInstanceCount = 40
param functionInstanceMemoryMB = 2048
param logRetentionInDays = 30
