using 'main.bicep'

param environmentName = 'prod'
param eventHubPartitionCount = 16
param eventHubMaxThroughputUnits = 10
param cosmosServerless = false
param cosmosAutoscaleMaxThroughput = 10000
param functionMaximumInstanceCount = 200
param functionInstanceMemoryMB = 4096
param logRetentionInDays = 90
