metadata name = 'Storage account'
metadata description = 'The function app storage (AzureWebJobsStorage, Durable Functions task hub, deployment package) and the blob containers for sweep reports and Event Grid dead letters. Shared key access is disabled: every client uses Microsoft Entra ID.'

@description('Required. Name of the storage account (3-24 lower-case letters and digits).')
@minLength(3)
@maxLength(24)
param name string

@description('Optional. Location of the storage account.')
param location string = resourceGroup().location

@description('Optional. Tags of the storage account.')
param tags object = {}

@description('Required. Blob containers to create (deployment package, sweep reports, dead letters).')
param containerNames array

@description('Optional. Public network access: Disabled when the app reaches the account through private endpoints (vnetEnabled).')
@allowed([
  'Enabled'
  'Disabled'
])
param publicNetworkAccess string = 'Enabled'

@description('Optional. Days a deleted blob can be restored.')
@minValue(1)
@maxValue(365)
param blobDeleteRetentionDays int = 7

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    accessTier: 'Hot'
    allowBlobPublicAccess: false
    // No account keys: the function app, Durable Functions and Event Grid authenticate with managed identities.
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    allowCrossTenantReplication: false
    dnsEndpointType: 'Standard'
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    publicNetworkAccess: publicNetworkAccess
    // Without public access, Event Grid still dead-letters here as a trusted Azure service (with its managed
    // identity), as in the azd Event Grid Functions template.
    networkAcls: {
      defaultAction: publicNetworkAccess == 'Disabled' ? 'Deny' : 'Allow'
      bypass: 'AzureServices'
    }
  }

  resource blobServices 'blobServices' = {
    name: 'default'
    properties: {
      deleteRetentionPolicy: {
        enabled: true
        days: blobDeleteRetentionDays
      }
    }

    resource containers 'containers' = [
      for containerName in containerNames: {
        name: containerName
        properties: {
          publicAccess: 'None'
        }
      }
    ]
  }
}

@description('The name of the storage account.')
output name string = storage.name

@description('The resource ID of the storage account.')
output resourceId string = storage.id

@description('The blob endpoint, with a trailing slash.')
output primaryBlobEndpoint string = storage.properties.primaryEndpoints.blob
