metadata name = 'Virtual network of the function app (vnetEnabled)'
metadata description = 'A virtual network with a subnet delegated to the Flex Consumption app (outbound traffic through a NAT gateway, for Azure Resource Manager and the other public endpoints the autopilot calls) and a subnet for the private endpoints of the app storage. Shaped like app/vnet.bicep of the azd Functions templates, plus the NAT gateway: subnets are created without default outbound access.'

@description('Required. Name of the virtual network.')
param virtualNetworkName string

@description('Required. Name of the NAT gateway of the app subnet.')
param natGatewayName string

@description('Required. Name of the NAT gateway public IP address.')
param publicIpName string

@description('Optional. Location of the resources.')
param location string = resourceGroup().location

@description('Optional. Tags of the resources.')
param tags object = {}

@description('Optional. Address space of the virtual network.')
param addressPrefix string = '10.0.0.0/16'

@description('Optional. Subnet of the app integration (Flex Consumption needs a /27 or larger, delegated to Microsoft.App/environments).')
param appSubnetPrefix string = '10.0.2.0/24'

@description('Optional. Subnet of the storage private endpoints.')
param privateEndpointSubnetPrefix string = '10.0.1.0/24'

var appSubnetName = 'snet-app'
var privateEndpointSubnetName = 'snet-private-endpoints'

resource publicIp 'Microsoft.Network/publicIPAddresses@2026-01-01' = {
  name: publicIpName
  location: location
  tags: tags
  sku: {
    name: 'Standard'
  }
  properties: {
    publicIPAllocationMethod: 'Static'
    publicIPAddressVersion: 'IPv4'
  }
}

resource natGateway 'Microsoft.Network/natGateways@2026-01-01' = {
  name: natGatewayName
  location: location
  tags: tags
  sku: {
    name: 'Standard'
  }
  properties: {
    idleTimeoutInMinutes: 4
    publicIpAddresses: [
      {
        id: publicIp.id
      }
    ]
  }
}

resource virtualNetwork 'Microsoft.Network/virtualNetworks@2026-01-01' = {
  name: virtualNetworkName
  location: location
  tags: tags
  properties: {
    addressSpace: {
      addressPrefixes: [
        addressPrefix
      ]
    }
    subnets: [
      {
        name: privateEndpointSubnetName
        properties: {
          addressPrefix: privateEndpointSubnetPrefix
          privateEndpointNetworkPolicies: 'Disabled'
          privateLinkServiceNetworkPolicies: 'Enabled'
          defaultOutboundAccess: false
        }
      }
      {
        name: appSubnetName
        properties: {
          addressPrefix: appSubnetPrefix
          defaultOutboundAccess: false
          natGateway: {
            id: natGateway.id
          }
          delegations: [
            {
              name: 'flex-consumption'
              properties: {
                // Flex Consumption virtual network integration.
                serviceName: 'Microsoft.App/environments'
              }
            }
          ]
        }
      }
    ]
  }

  resource appSubnet 'subnets' existing = {
    name: appSubnetName
  }
}

@description('The name of the virtual network.')
output virtualNetworkName string = virtualNetwork.name

@description('The resource ID of the app integration subnet.')
output appSubnetId string = virtualNetwork::appSubnet.id

@description('The name of the private endpoint subnet.')
output privateEndpointSubnetName string = privateEndpointSubnetName
