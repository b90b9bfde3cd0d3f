// The user-assigned managed identity: the bot's identity (UserAssignedMSI), Key Vault
// reader, and optionally the tenant reader.
param name string
param location string

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: name
  location: location
}

output id string = identity.id
output clientId string = identity.properties.clientId
output principalId string = identity.properties.principalId
