metadata name = 'Resource group'
metadata description = 'A resource group in the subscription this module is deployed to.'

targetScope = 'subscription'

@description('Required. Name of the resource group.')
param name string

@description('Required. Location of the resource group.')
param location string

@description('Optional. Tags of the resource group.')
param tags object = {}

resource group 'Microsoft.Resources/resourceGroups@2024-11-01' = {
  name: name
  location: location
  tags: tags
}

@description('The resource ID of the resource group.')
output resourceId string = group.id

@description('The name of the resource group.')
output name string = group.name
