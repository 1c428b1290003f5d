metadata name = 'Data-plane role assignments of the autopilot identities'
metadata description = 'Built-in roles, each on the narrowest scope that works: the function identity on its storage account (Functions host, Durable Functions task hub, reports) and on Application Insights; the Event Grid identity on the dead-letter container only.'

@description('Required. Name of the function app storage account.')
param storageAccountName string

@description('Required. Name of the Application Insights component.')
param applicationInsightsName string

@description('Required. Principal ID of the function app identity.')
param functionPrincipalId string

@description('Required. Principal ID of the identity Event Grid dead-letters with.')
param deadLetterPrincipalId string

@description('Required. Name of the dead-letter blob container.')
param deadLetterContainerName string

@description('Required. Name of the sweep reports blob container.')
param reportContainerName string

@description('Optional. Object ID of the deploying user or principal (deployer().objectId): reads the sweep reports and the dead-lettered events, as the azd Functions templates give the deployer data roles. Empty: none.')
param deployerPrincipalId string = ''

// Built-in role definition IDs (Azure built-in roles reference).
var storageBlobDataOwner = 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
var storageQueueDataContributor = '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
var storageTableDataContributor = '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
var storageBlobDataContributor = 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
var monitoringMetricsPublisher = '3913510d-42f4-4e42-8a64-420c390055eb'
var storageBlobDataReader = '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1'

// AzureWebJobsStorage with an identity needs Blob Data Owner (host leases, deployment package), Queue Data
// Contributor and Table Data Contributor (Durable Functions task hub queues, history and instance tables).
var functionStorageRoles = [
  {
    id: storageBlobDataOwner
    why: 'Functions host blobs and leases, Flex Consumption deployment package, sweep reports'
  }
  {
    id: storageQueueDataContributor
    why: 'Durable Functions control and work-item queues'
  }
  {
    id: storageTableDataContributor
    why: 'Durable Functions history and instance tables'
  }
]

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName

  resource blobServices 'blobServices' existing = {
    name: 'default'

    resource deadLetterContainer 'containers' existing = {
      name: deadLetterContainerName
    }

    resource reportContainer 'containers' existing = {
      name: reportContainerName
    }
  }
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource functionStorageAccess 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for role in functionStorageRoles: {
    name: guid(storage.id, functionPrincipalId, role.id)
    scope: storage
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role.id)
      principalId: functionPrincipalId
      principalType: 'ServicePrincipal'
      description: 'Redis Private Link Autopilot: ${role.why}'
    }
  }
]

resource functionTelemetry 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(applicationInsights.id, functionPrincipalId, monitoringMetricsPublisher)
  scope: applicationInsights
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', monitoringMetricsPublisher)
    principalId: functionPrincipalId
    principalType: 'ServicePrincipal'
    description: 'Redis Private Link Autopilot: send telemetry with Entra authentication (local auth is disabled)'
  }
}

resource deadLetterWriter 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage::blobServices::deadLetterContainer.id, deadLetterPrincipalId, storageBlobDataContributor)
  scope: storage::blobServices::deadLetterContainer
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageBlobDataContributor)
    principalId: deadLetterPrincipalId
    principalType: 'ServicePrincipal'
    description: 'Redis Private Link Autopilot: Event Grid writes undeliverable events to the dead-letter container'
  }
}

// The deployer reads what the autopilot writes for humans (docs/deployment.md, "Start in audit mode").
resource deployerReportReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(deployerPrincipalId)) {
  name: guid(storage::blobServices::reportContainer.id, deployerPrincipalId, storageBlobDataReader)
  scope: storage::blobServices::reportContainer
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageBlobDataReader)
    principalId: deployerPrincipalId
    description: 'Redis Private Link Autopilot: the deployer reads the sweep reports'
  }
}

resource deployerDeadLetterReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(deployerPrincipalId)) {
  name: guid(storage::blobServices::deadLetterContainer.id, deployerPrincipalId, storageBlobDataReader)
  scope: storage::blobServices::deadLetterContainer
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageBlobDataReader)
    principalId: deployerPrincipalId
    description: 'Redis Private Link Autopilot: the deployer reads the events Event Grid could not deliver'
  }
}
