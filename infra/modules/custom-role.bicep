metadata name = 'Autopilot custom role'
metadata description = 'The custom role of the autopilot identity. Its actions come from infra/role-actions.json, the file the tests compare with the ARM requests the workflows make: no wildcard, no Microsoft.Authorization write, no Contributor.'

targetScope = 'subscription'

@description('Required. Display name of the role; unique in the tenant.')
param roleName string

@description('Required. Scopes the role can be assigned at (subscriptions in scope, the private DNS zones resource group).')
param assignableScopes array

var roleActions = loadJsonContent('../role-actions.json')

resource role 'Microsoft.Authorization/roleDefinitions@2022-04-01' = {
  name: guid(subscription().id, roleName)
  properties: {
    roleName: roleName
    description: 'Redis Private Link Autopilot: keep Azure Cache for Redis reachable only through Private Link (private endpoints, their DNS and the caches public network access). See docs/deployment.md.'
    type: 'CustomRole'
    assignableScopes: assignableScopes
    permissions: [
      {
        actions: roleActions.actions
        notActions: []
        dataActions: roleActions.dataActions
        notDataActions: []
      }
    ]
  }
}

@description('The name (GUID) of the role definition, to build its ID in any assignable scope.')
output roleDefinitionName string = role.name

@description('The resource ID of the role definition.')
output resourceId string = role.id
