param location string
param accountName string
param tags object = {}

@description('Database and containers the code uses (infra/names.json): partition keys and indexed paths exactly as the code declares them.')
param cosmosNames object

@description('Serverless (pay per request; dev) or provisioned autoscale throughput shared by the database (prod).')
param serverless bool

@description('Autoscale ceiling of the database\'s shared throughput (RU/s) when not serverless.')
param autoscaleMaxThroughput int = 4000

@description('Principal (the app\'s managed identity) that gets the built-in Data Contributor role on the account.')
param dataContributorPrincipalId string

param workspaceId string

resource account 'Microsoft.DocumentDB/databaseAccounts@2024-05-15' = {
  name: accountName
  location: location
  tags: tags
  kind: 'GlobalDocumentDB'
  properties: {
    databaseAccountOfferType: 'Standard'
    // Keys off: the app signs in with its managed identity; containers are created here, not at run time.
    disableLocalAuth: true
    disableKeyBasedMetadataWriteAccess: true
    minimalTlsVersion: 'Tls12'
    consistencyPolicy: {
      defaultConsistencyLevel: 'Session'
    }
    locations: [
      {
        locationName: location
        failoverPriority: 0
        isZoneRedundant: false
      }
    ]
    capabilities: serverless ? [
      {
        name: 'EnableServerless'
      }
    ] : []
  }
}

resource database 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases@2024-05-15' = {
  parent: account
  name: cosmosNames.database
  properties: {
    resource: {
      id: cosmosNames.database
    }
    options: serverless ? {} : {
      autoscaleSettings: {
        maxThroughput: autoscaleMaxThroughput
      }
    }
  }
}

resource containers 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2024-05-15' = [for container in cosmosNames.containers: {
  parent: database
  name: container.name
  properties: {
    resource: {
      id: container.name
      partitionKey: {
        paths: [
          container.partitionKey
        ]
        kind: 'Hash'
      }
      // Index only what the code queries (ContainerDefinition.ToProperties does the same locally).
      indexingPolicy: {
        indexingMode: 'consistent'
        automatic: true
        includedPaths: [for path in container.indexedPaths: {
          path: path
        }]
        excludedPaths: [
          {
            path: '/*'
          }
        ]
      }
    }
  }
}]

// Cosmos DB Built-in Data Contributor (a data-plane SQL role, not an Azure RBAC role), scoped to this account.
resource dataContributor 'Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments@2024-05-15' = {
  parent: account
  name: guid(account.id, dataContributorPrincipalId, '00000000-0000-0000-0000-000000000002')
  properties: {
    roleDefinitionId: '${account.id}/sqlRoleDefinitions/00000000-0000-0000-0000-000000000002'
    principalId: dataContributorPrincipalId
    scope: account.id
  }
}

resource diagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: account
  properties: {
    workspaceId: workspaceId
    logAnalyticsDestinationType: 'Dedicated'
    logs: [
      {
        category: 'DataPlaneRequests'
        enabled: true
      }
      {
        category: 'QueryRuntimeStatistics'
        enabled: true
      }
      {
        category: 'PartitionKeyRUConsumption'
        enabled: true
      }
      {
        category: 'ControlPlaneRequests'
        enabled: true
      }
    ]
    metrics: [
      {
        category: 'Requests'
        enabled: true
      }
    ]
  }
}

output id string = account.id
output name string = account.name
output endpoint string = account.properties.documentEndpoint
