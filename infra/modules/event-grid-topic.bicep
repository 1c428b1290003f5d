metadata name = 'Subscription system topic and event subscription'
metadata description = 'The Microsoft.Resources.Subscriptions system topic of the subscription this resource group belongs to, and the event subscription that delivers resource write and delete events of Redis caches, private endpoints and their DNS to the eventGridResourceChanged function. The filter comes from infra/event-filters.json, the file the code event classifier reads too.'

@description('Required. Name of the system topic.')
param systemTopicName string

@description('Optional. Tags of the topic.')
param tags object = {}

@description('Optional. Keep a system-assigned identity on the topic as well (adopted topics whose other subscriptions use it).')
param keepSystemAssignedIdentity bool = false

@description('Required. Resource ID of the user-assigned identity Event Grid dead-letters with.')
param deadLetterIdentityResourceId string

@description('Required. Create the event subscription (needs the function code deployed).')
param deployEventSubscription bool

@description('Required. Name of the event subscription.')
param eventSubscriptionName string

@description('Required. Resource ID of the eventGridResourceChanged function.')
param functionResourceId string

@description('Required. Resource ID of the storage account holding the dead-letter container.')
param deadLetterStorageAccountResourceId string

@description('Required. Name of the dead-letter blob container.')
param deadLetterContainerName string

@description('Required. Delivery attempts before an event is dead-lettered.')
param maxDeliveryAttempts int

@description('Required. Minutes an event is retried before it is dead-lettered.')
param eventTimeToLiveInMinutes int

// One source of truth with the code's event classifier (import filters from '../../infra/event-filters.json').
var eventFilters = loadJsonContent('../event-filters.json')

resource systemTopic 'Microsoft.EventGrid/systemTopics@2025-02-15' = {
  name: systemTopicName
  // Subscription topics are global: ARM events are not regional.
  location: 'global'
  tags: tags
  identity: {
    type: keepSystemAssignedIdentity ? 'SystemAssigned, UserAssigned' : 'UserAssigned'
    userAssignedIdentities: {
      '${deadLetterIdentityResourceId}': {}
    }
  }
  properties: {
    source: subscription().id
    topicType: 'Microsoft.Resources.Subscriptions'
  }
}

resource eventSubscription 'Microsoft.EventGrid/systemTopics/eventSubscriptions@2025-02-15' = if (deployEventSubscription) {
  parent: systemTopic
  name: eventSubscriptionName
  properties: {
    eventDeliverySchema: 'EventGridSchema'
    destination: {
      endpointType: 'AzureFunction'
      properties: {
        resourceId: functionResourceId
        // One event per invocation: a failure redelivers one event, not a batch.
        maxEventsPerBatch: 1
        preferredBatchSizeInKilobytes: 64
      }
    }
    filter: {
      includedEventTypes: eventFilters.includedEventTypes
      isSubjectCaseSensitive: false
      enableAdvancedFilteringOnArrays: false
      advancedFilters: [
        {
          operatorType: 'StringIn'
          key: 'data.operationName'
          values: eventFilters.operationNames
        }
      ]
    }
    retryPolicy: {
      maxDeliveryAttempts: maxDeliveryAttempts
      eventTimeToLiveInMinutes: eventTimeToLiveInMinutes
    }
    deadLetterWithResourceIdentity: {
      identity: {
        type: 'UserAssigned'
        userAssignedIdentity: deadLetterIdentityResourceId
      }
      deadLetterDestination: {
        endpointType: 'StorageBlob'
        properties: {
          resourceId: deadLetterStorageAccountResourceId
          blobContainerName: deadLetterContainerName
        }
      }
    }
  }
}

@description('The resource ID of the system topic.')
output systemTopicResourceId string = systemTopic.id

@description('The resource ID of the event subscription (empty until the second provision pass).')
output eventSubscriptionResourceId string = deployEventSubscription ? eventSubscription.id : ''
