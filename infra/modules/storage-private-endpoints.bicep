metadata name = 'Private endpoints of the app storage (vnetEnabled)'
metadata description = 'Blob, queue and table private endpoints of the function app storage account, with their privatelink.*.core zones linked to the app virtual network. These zones resolve the app storage for the app only: they live in the app resource group and go with it. They are not the privatelink.redis.* zones the autopilot manages for caches.'

@description('Required. Name of the storage account.')
param storageAccountName string

@description('Required. Name of the virtual network of the app.')
param virtualNetworkName string

@description('Required. Name of the subnet for the private endpoints.')
param subnetName string

@description('Optional. Location of the private endpoints.')
param location string = resourceGroup().location

@description('Optional. Tags of the resources.')
param tags object = {}

// Blob: Functions host, deployment package, reports, dead letters. Queue and table: Durable Functions task hub.
var services = [
  'blob'
  'queue'
  'table'
]

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource virtualNetwork 'Microsoft.Network/virtualNetworks@2026-01-01' existing = {
  name: virtualNetworkName

  resource subnet 'subnets' existing = {
    name: subnetName
  }
}

resource zones 'Microsoft.Network/privateDnsZones@2024-06-01' = [
  for service in services: {
    name: 'privatelink.${service}.${environment().suffixes.storage}'
    location: 'global'
    tags: tags
  }
]

resource zoneLinks 'Microsoft.Network/privateDnsZones/virtualNetworkLinks@2024-06-01' = [
  for (service, i) in services: {
    parent: zones[i]
    name: '${virtualNetworkName}-link'
    location: 'global'
    tags: tags
    properties: {
      registrationEnabled: false
      virtualNetwork: {
        id: virtualNetwork.id
      }
    }
  }
]

resource endpoints 'Microsoft.Network/privateEndpoints@2026-01-01' = [
  for service in services: {
    name: 'pe-${storageAccountName}-${service}'
    location: location
    tags: tags
    properties: {
      subnet: {
        id: virtualNetwork::subnet.id
      }
      privateLinkServiceConnections: [
        {
          name: '${storageAccountName}-${service}'
          properties: {
            privateLinkServiceId: storage.id
            groupIds: [
              service
            ]
          }
        }
      ]
    }
  }
]

resource zoneGroups 'Microsoft.Network/privateEndpoints/privateDnsZoneGroups@2026-01-01' = [
  for (service, i) in services: {
    parent: endpoints[i]
    name: 'default'
    properties: {
      privateDnsZoneConfigs: [
        {
          name: service
          properties: {
            privateDnsZoneId: zones[i].id
          }
        }
      ]
    }
  }
]

@description('The resource IDs of the private endpoints.')
output privateEndpointIds array = [for (service, i) in services: endpoints[i].id]
