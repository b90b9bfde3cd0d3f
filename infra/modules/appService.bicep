// The bot's web app: Linux, Node 20, the managed identity attached, every setting
// PassLens reads (src/config.ts) set here; secrets come from Key Vault references.
param name string
param location string
param sku string
param instanceCount int
param identityId string
param keyVaultName string
param appInsightsConnectionString string
param admins string
@allowed([
  'UserAssignedMSI'
  'SingleTenant'
])
param botAppType string
param botAppId string
@allowed([
  'secret'
  'managedIdentity'
])
param readerCredential string
param readerClientId string
param cacheTtlMinutes int
param pricePerApp int
param pricePerUser int
param pricePayg int
param pricePerUserVolume int
param concurrency int
param cloud string
param auditReader string
param launchRetentionMonths int
param storageContainer string

var kvRef = '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName='

resource plan 'Microsoft.Web/serverfarms@2023-01-01' = {
  name: '${name}-plan'
  location: location
  kind: 'linux'
  sku: {
    name: sku
    capacity: instanceCount
  }
  properties: { reserved: true }
}

var baseSettings = [
  { name: 'MicrosoftAppType', value: botAppType }
  { name: 'MicrosoftAppId', value: botAppId }
  { name: 'MicrosoftAppTenantId', value: tenant().tenantId }
  { name: 'PASSLENS_ADMINS', value: admins }
  { name: 'PASSLENS_TENANT_ID', value: tenant().tenantId }
  { name: 'PASSLENS_CLIENT_ID', value: readerClientId }
  // The cloud gives every host and its token audience; the base URL overrides are for proxies and the simulator.
  { name: 'PASSLENS_CLOUD', value: cloud }
  { name: 'PASSLENS_AUDIT_READER', value: auditReader }
  { name: 'PASSLENS_AUDIT_POLL_SECONDS', value: '15' }
  { name: 'PASSLENS_LAUNCH_RETENTION_MONTHS', value: string(launchRetentionMonths) }
  { name: 'PASSLENS_CONCURRENCY', value: string(concurrency) }
  { name: 'PASSLENS_HTTP_TIMEOUT_SECONDS', value: '30' }
  { name: 'PASSLENS_RETRY_AFTER_CAP_SECONDS', value: '60' }
  { name: 'PASSLENS_CACHE_TTL_MINUTES', value: string(cacheTtlMinutes) }
  { name: 'PASSLENS_PRICE_PER_APP', value: string(pricePerApp) }
  { name: 'PASSLENS_PRICE_PER_USER', value: string(pricePerUser) }
  { name: 'PASSLENS_PRICE_PAYG', value: string(pricePayg) }
  { name: 'PASSLENS_PRICE_PER_USER_VOLUME', value: string(pricePerUserVolume) }
  { name: 'PASSLENS_DATA_DIR', value: '/home/data/passlens' }
  // Dropped reports wait on the instance's own disk: /home is shared by all instances, kept in Azure Storage (https://github.com/projectkudu/kudu/wiki/understanding-the-azure-app-service-file-system).
  { name: 'PASSLENS_UPLOAD_DIR', value: '/tmp' }
  { name: 'PASSLENS_STORAGE_CONNECTION_STRING', value: '${kvRef}storage-connection-string)' }
  { name: 'PASSLENS_STORAGE_CONTAINER', value: storageContainer }
  { name: 'PASSLENS_DIGEST_SECRET', value: '${kvRef}passlens-digest-secret)' }
  // One instance runs the weekly timer itself; several leave it to an external timer calling POST /api/digest.
  { name: 'PASSLENS_DIGEST_TIMER', value: instanceCount > 1 ? 'external' : 'in-process' }
  { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: appInsightsConnectionString }
  { name: 'SCM_DO_BUILD_DURING_DEPLOYMENT', value: 'true' }
  { name: 'WEBSITE_NODE_DEFAULT_VERSION', value: '~20' }
]

var readerSettings = readerCredential == 'secret'
  ? [ { name: 'PASSLENS_CLIENT_SECRET', value: '${kvRef}passlens-reader-secret)' } ]
  : [ { name: 'PASSLENS_USE_MANAGED_IDENTITY', value: 'true' } ]

var botSettings = botAppType == 'SingleTenant'
  ? [ { name: 'MicrosoftAppPassword', value: '${kvRef}bot-app-password)' } ]
  : []

resource web 'Microsoft.Web/sites@2023-01-01' = {
  name: name
  location: location
  kind: 'app,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identityId}': {} }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: identityId
    siteConfig: {
      linuxFxVersion: 'NODE|20-lts'
      appCommandLine: 'npm start'
      alwaysOn: true
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      healthCheckPath: '/healthz'
      appSettings: concat(baseSettings, readerSettings, botSettings)
    }
  }
}

output hostName string = web.properties.defaultHostName
output name string = web.name
