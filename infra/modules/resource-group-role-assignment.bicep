metadata name = 'Role assignment on a resource group'
metadata description = 'Assigns a role (built-in or custom) to a service principal at the scope of the resource group this module is deployed to.'

@description('Required. Principal ID of the managed identity.')
param principalId string

@description('Required. Name (GUID) of the role definition.')
param roleDefinitionName string

@description('Required. Why the principal holds the role (shown in the portal).')
param assignmentDescription string

resource assignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(resourceGroup().id, principalId, roleDefinitionName)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleDefinitionName)
    principalId: principalId
    principalType: 'ServicePrincipal'
    description: assignmentDescription
  }
}

@description('The resource ID of the role assignment.')
output resourceId string = assignment.id
