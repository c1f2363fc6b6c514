// The web console on Azure Static Web Apps (Standard: needed for a linked backend and custom Entra sign-in). /api is
// forwarded to the Function App; staticwebapp.config.json (in the console's wwwroot) restricts pages and routes to the
// marketing and store roles, which the app's roles source (POST /api/console/roles) reads from Entra app roles.
param location string
param name string
param tags object = {}

@description('The Function App that serves /api behind the console.')
param functionAppId string

@description('Entra ID app registration (client) id the console signs people in with; empty leaves sign-in unconfigured.')
param entraClientId string = ''

@secure()
@description('That app registration\'s client secret.')
param entraClientSecret string = ''

resource site 'Microsoft.Web/staticSites@2024-04-01' = {
  name: name
  location: location
  // azd deploys the service named "console" (azure.yaml) to the site carrying this tag.
  tags: union(tags, {
    'azd-service-name': 'console'
  })
  sku: {
    name: 'Standard'
    tier: 'Standard'
  }
  properties: {
    stagingEnvironmentPolicy: 'Enabled'
    allowConfigFileUpdates: true
    buildProperties: {
      skipGithubActionWorkflowGeneration: true
    }
  }
}

resource backend 'Microsoft.Web/staticSites/linkedBackends@2024-04-01' = {
  parent: site
  name: 'functions'
  properties: {
    backendResourceId: functionAppId
    region: location
  }
}

// The names staticwebapp.config.json refers to (clientIdSettingName, clientSecretSettingName).
resource settings 'Microsoft.Web/staticSites/config@2024-04-01' = if (!empty(entraClientId)) {
  parent: site
  name: 'appsettings'
  properties: {
    ENTRA_CLIENT_ID: entraClientId
    ENTRA_CLIENT_SECRET: entraClientSecret
  }
}

output name string = site.name
output defaultHostName string = site.properties.defaultHostname
