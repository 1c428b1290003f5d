metadata name = 'Subscription system topic'
metadata description = 'The Microsoft.Resources.Subscriptions system topic of the subscription this resource group belongs to: Azure Resource Manager write and delete events of the whole subscription. Only for topics this deployment owns; adopted topics are never declared here.'

@description('Required. Name of the system topic.')
param systemTopicName string

@description('Optional. Tags of the topic.')
param tags object = {}

@description('Required. Resource ID of the user-assigned identity Event Grid dead-letters with.')
param deadLetterIdentityResourceId string

resource systemTopic 'Microsoft.EventGrid/systemTopics@2025-02-15' = {
  name: systemTopicName
  // Subscription topics are global: ARM events are not regional.
  location: 'global'
  tags: tags
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${deadLetterIdentityResourceId}': {}
    }
  }
  properties: {
    source: subscription().id
    topicType: 'Microsoft.Resources.Subscriptions'
  }
}

@description('The resource ID of the system topic.')
output systemTopicResourceId string = systemTopic.id
