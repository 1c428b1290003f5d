metadata name = 'Our subscription system topic in one subscription'
metadata description = 'In one Azure subscription in scope that has no system topic to adopt: the resource group rg-<env>-events (owned by this deployment) and the Microsoft.Resources.Subscriptions system topic, with the user-assigned identity Event Grid dead-letters with. The event subscription is created by the postdeploy hook (infra/hooks/), not here.'

targetScope = 'subscription'

@description('Required. Location of the resource group (the topic itself is global).')
param location string

@description('Optional. Tags of the resource group and the topic.')
param tags object = {}

@description('Required. Name of the resource group created for the topic.')
param resourceGroupName string

@description('Required. Name of the system topic. Azure allows one Microsoft.Resources.Subscriptions topic per subscription.')
param systemTopicName string

@description('Required. Resource ID of the user-assigned identity Event Grid dead-letters with.')
param deadLetterIdentityResourceId string

resource eventsResourceGroup 'Microsoft.Resources/resourceGroups@2024-11-01' = {
  name: resourceGroupName
  location: location
  tags: tags
}

module topic 'system-topic.bicep' = {
  name: 'autopilot-topic-${uniqueString(subscription().id, systemTopicName)}'
  scope: eventsResourceGroup
  params: {
    systemTopicName: systemTopicName
    tags: tags
    deadLetterIdentityResourceId: deadLetterIdentityResourceId
  }
}

@description('The resource ID of the system topic.')
output systemTopicResourceId string = topic.outputs.systemTopicResourceId
