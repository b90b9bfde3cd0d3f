// PassLens on Azure: an Azure Bot (Teams channel) in front of a Linux App Service running
// Node 20, a user-assigned managed identity for the bot and for Key Vault, blob storage
// for state, Key Vault for secrets, Application Insights for logs.
// Deploy: az deployment group create -g <rg> -f infra/main.bicep -p infra/main.parameters.json
targetScope = 'resourceGroup'

@description('Short name used in every resource name (lowercase letters and digits).')
@minLength(3)
@maxLength(12)
param appName string = 'passlens'

@description('Azure region for all resources.')
param location string = resourceGroup().location

@description('Admins allowed to see licensing data: AAD object ids or UPNs, comma separated.')
param admins string

@description('App registration (client) id of the tenant reader; with readerCredential=managedIdentity it is ignored.')
param readerClientId string = ''

@description('How the tenant reader signs in: a client secret stored in Key Vault, or the managed identity.')
@allowed([
  'secret'
  'managedIdentity'
])
param readerCredential string = 'secret'

@description('Bot identity type. New multi-tenant bots are no longer allowed.')
@allowed([
  'UserAssignedMSI'
  'SingleTenant'
])
param botAppType string = 'UserAssignedMSI'

@description('For botAppType=SingleTenant: the bot app registration id (its secret goes to Key Vault as bot-app-password).')
param botAppId string = ''

@description('Number of App Service instances. Above 1, the weekly digest is driven by an external timer (POST /api/digest).')
@minValue(1)
@maxValue(10)
param instanceCount int = 1

@description('App Service plan SKU.')
param appServiceSku string = 'B1'

@description('Minutes the tenant snapshot is reused before a refresh.')
param cacheTtlMinutes int = 15

@description('List prices (USD per month) for what-if advice.')
param pricePerApp int = 5
param pricePerUser int = 20
param pricePayg int = 10
@description('Power Apps Premium at the volume tier (2,000+ new licenses), USD per user per month.')
param pricePerUserVolume int = 12

@description('Calls in flight to Microsoft\'s admin APIs.')
param concurrency int = 8

@description('The tenant\'s Microsoft cloud: gives every admin API host and its token audience (PASSLENS_CLOUD).')
@allowed(['public', 'usgov', 'usgovhigh', 'dod', 'china'])
param cloud string = 'public'

@description('Which audit log API gives app launches (PASSLENS_AUDIT_READER): Graph audit log queries in the public cloud, the Office 365 Management Activity API in GCC, GCC High and DoD, off to read none.')
@allowed(['graph', 'officeManagement', 'off'])
param auditReader string = cloud == 'public' ? 'graph' : (cloud == 'china' ? 'off' : 'officeManagement')

@description('Months of audit log launches (user object ids and UPNs) the launch store keeps; older months are deleted (PASSLENS_LAUNCH_RETENTION_MONTHS).')
@minValue(1)
param launchRetentionMonths int = 13

var suffix = uniqueString(resourceGroup().id, appName)

module identity 'modules/identity.bicep' = {
  name: 'identity'
  params: {
    name: '${appName}-id-${suffix}'
    location: location
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    name: '${appName}-${suffix}'
    location: location
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    name: take('${appName}st${suffix}', 24)
    location: location
    containerName: 'passlens-state'
  }
}

module vault 'modules/keyvault.bicep' = {
  name: 'keyvault'
  params: {
    name: take('${appName}-kv-${suffix}', 24)
    location: location
    readerPrincipalId: identity.outputs.principalId
    storageAccountName: storage.outputs.accountName
  }
}

var botMsaAppId = botAppType == 'UserAssignedMSI' ? identity.outputs.clientId : botAppId

module app 'modules/appService.bicep' = {
  name: 'app'
  params: {
    name: '${appName}-${suffix}'
    location: location
    sku: appServiceSku
    instanceCount: instanceCount
    identityId: identity.outputs.id
    keyVaultName: vault.outputs.name
    appInsightsConnectionString: monitoring.outputs.connectionString
    admins: admins
    botAppType: botAppType
    botAppId: botMsaAppId
    readerCredential: readerCredential
    readerClientId: readerCredential == 'managedIdentity' ? identity.outputs.clientId : readerClientId
    cacheTtlMinutes: cacheTtlMinutes
    pricePerApp: pricePerApp
    pricePerUser: pricePerUser
    pricePayg: pricePayg
    pricePerUserVolume: pricePerUserVolume
    concurrency: concurrency
    cloud: cloud
    auditReader: auditReader
    launchRetentionMonths: launchRetentionMonths
    storageContainer: storage.outputs.containerName
  }
}

module bot 'modules/bot.bicep' = {
  name: 'bot'
  params: {
    name: '${appName}-bot-${suffix}'
    endpoint: 'https://${app.outputs.hostName}/api/messages'
    msaAppType: botAppType
    msaAppId: botMsaAppId
    msaAppMsiResourceId: botAppType == 'UserAssignedMSI' ? identity.outputs.id : ''
  }
}

output botId string = botMsaAppId
output botDomain string = app.outputs.hostName
output webAppName string = app.outputs.name
output keyVaultName string = vault.outputs.name
output managedIdentityClientId string = identity.outputs.clientId
output digestEndpoint string = 'https://${app.outputs.hostName}/api/digest'
