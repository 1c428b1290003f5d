metadata name = 'Role assignment on a subscription'
metadata description = 'Assigns a role (built-in or custom) to a service principal at the scope of the subscription this module is deployed to.'

targetScope = 'subscription'

@description('Required. Principal ID of the managed identity.')
param principalId string

@description('Required. Name (GUID) of the role definition.')
param roleDefinitionName string

@description('Required. Why the principal holds the role (shown in the portal).')
param assignmentDescription string

resource assignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(subscription().id, principalId, roleDefinitionName)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleDefinitionName)
    principalId: principalId
    principalType: 'ServicePrincipal'
    description: assignmentDescription
  }
}

@description('The resource ID of the role assignment.')
output resourceId string = assignment.id
