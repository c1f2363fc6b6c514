// The web console on Azure Static Web Apps (Standard: needed for a linked backend and custom Entra sign-in). /api is
// forwarded to the Function App; staticwebapp.config.json (in the console's wwwroot) restricts pages and routes to the
// marketing and store roles, which the app's roles source (POST /api/console/roles) reads from Entra app roles.
param location string
param name string
param tags object = {}

@description('The Function App that serves /api behind the console.')
param functionAppId string
param functionAppName string

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

resource functionApp 'Microsoft.Web/sites@2024-04-01' existing = {
  name: functionAppName
}

// Linking alone would make the Static Web App the Function App's only caller. Declared here, App Service
// Authentication accepts the Static Web App's signed-in users and lets every other request through unauthenticated,
// so channels and operators keep calling with keys; the worker's access check decides both (ApiAccessCheck).
resource functionAuth 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: functionApp
  name: 'authsettingsV2'
  properties: {
    platform: {
      enabled: true
      runtimeVersion: '~1'
    }
    globalValidation: {
      requireAuthentication: false
      unauthenticatedClientAction: 'AllowAnonymous'
    }
    identityProviders: {
      azureStaticWebApps: {
        enabled: true
        registration: {
          clientId: site.properties.defaultHostname
        }
      }
    }
    httpSettings: {
      requireHttps: true
    }
  }
  dependsOn: [
    backend
  ]
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
