metadata name = 'Autopilot custom role'
metadata description = 'The custom role of the autopilot identity. Its actions come from infra/role-actions.json, the file the tests compare with the ARM requests the workflows make: no wildcard, no Microsoft.Authorization write, no Contributor.'

targetScope = 'subscription'

@description('Required. Display name of the role; unique in the tenant.')
param roleName string

@description('Required. Scopes the role can be assigned at (its home subscription, the subscriptions in scope, a DNS zones group outside them).')
param assignableScopes array

var roleActions = loadJsonContent('../role-actions.json')

// The id is a function of the name only: whichever subscription list main.bicep is given, in whatever order,
// the same environment always addresses the same definition, so there is never a second role of that name
// (which Azure refuses: role names are unique in a tenant).
resource role 'Microsoft.Authorization/roleDefinitions@2022-04-01' = {
  name: guid('redis-private-link-autopilot-role', roleName)
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
