metadata name = 'Resource change events of one subscription'
metadata description = 'In one Azure subscription in scope: the resource group for the Event Grid system topic (unless an existing topic is adopted), the Microsoft.Resources.Subscriptions system topic and the event subscription to the eventGridResourceChanged function.'

targetScope = 'subscription'

@description('Required. Location of the resource group created for the system topic (the topic itself is global).')
param location string

@description('Optional. Tags of the resource group and the topic.')
param tags object = {}

@description('Required. Resource group of the system topic.')
param resourceGroupName string

@description('Required. Create the resource group (false when an existing system topic is adopted in its own group).')
param createResourceGroup bool

@description('Required. Name of the system topic. Azure allows one Microsoft.Resources.Subscriptions topic per subscription.')
param systemTopicName string

@description('Optional. Keep a system-assigned identity on an adopted topic whose other event subscriptions use it.')
param keepSystemAssignedIdentity bool = false

@description('Required. Resource ID of the user-assigned identity Event Grid dead-letters with.')
param deadLetterIdentityResourceId string

@description('Required. Create the event subscription (needs the function code deployed: Event Grid checks the function exists).')
param deployEventSubscription bool

@description('Required. Name of the event subscription.')
param eventSubscriptionName string

@description('Required. Resource ID of the eventGridResourceChanged function (…/sites/{app}/functions/{function}).')
param functionResourceId string

@description('Required. Resource ID of the storage account holding the dead-letter container.')
param deadLetterStorageAccountResourceId string

@description('Required. Name of the dead-letter blob container.')
param deadLetterContainerName string

@description('Optional. Delivery attempts before an event is dead-lettered (1-30).')
@minValue(1)
@maxValue(30)
param maxDeliveryAttempts int = 30

@description('Optional. Minutes an event is retried before it is dead-lettered (1-1440).')
@minValue(1)
@maxValue(1440)
param eventTimeToLiveInMinutes int = 1440

resource eventsResourceGroup 'Microsoft.Resources/resourceGroups@2024-11-01' = if (createResourceGroup) {
  name: resourceGroupName
  location: location
  tags: tags
}

module topic 'event-grid-topic.bicep' = {
  name: 'autopilot-events-${uniqueString(subscription().id, systemTopicName)}'
  scope: resourceGroup(resourceGroupName)
  dependsOn: [
    eventsResourceGroup
  ]
  params: {
    systemTopicName: systemTopicName
    tags: tags
    keepSystemAssignedIdentity: keepSystemAssignedIdentity
    deadLetterIdentityResourceId: deadLetterIdentityResourceId
    deployEventSubscription: deployEventSubscription
    eventSubscriptionName: eventSubscriptionName
    functionResourceId: functionResourceId
    deadLetterStorageAccountResourceId: deadLetterStorageAccountResourceId
    deadLetterContainerName: deadLetterContainerName
    maxDeliveryAttempts: maxDeliveryAttempts
    eventTimeToLiveInMinutes: eventTimeToLiveInMinutes
  }
}

@description('The resource ID of the system topic.')
output systemTopicResourceId string = topic.outputs.systemTopicResourceId
