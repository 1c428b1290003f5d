metadata name = 'Redis Private Link Autopilot'
metadata description = 'Deploys the autopilot (azd up): a Flex Consumption function app running as a user-assigned identity, its storage, monitoring, an Event Grid subscription topic per subscription in scope, and a custom role with exactly the actions the automation calls. See docs/deployment.md.'

targetScope = 'subscription'

// ---------------------------------------------------------------------------------------------------------------
// Parameters
// ---------------------------------------------------------------------------------------------------------------

@minLength(1)
@maxLength(64)
@description('Required. Name of the azd environment; used in resource names and to derive a unique token.')
param environmentName string

@minLength(1)
@description('Required. Location of the resource group, the function app and its storage (a region with Flex Consumption).')
@metadata({
  azd: {
    type: 'location'
  }
})
param location string

@description('Optional. Subscriptions the autopilot watches and remediates: it gets its custom role and an Event Grid subscription topic in each. Empty: the deployment subscription only.')
param scopeSubscriptionIds array = []

@description('Optional. Resource ID of the resource group that holds (or will hold) the private DNS zones (privatelink.redis.cache.windows.net, ...), for example a hub outside the subscriptions in scope. Empty: rg-<environmentName>-privatedns, created in the first subscription in scope.')
param privateDnsZoneResourceGroupId string = ''

@description('Optional. Mode of the default policy: audit reports findings, enforce remediates them. Ignored when autopilotPolicy is given.')
@allowed([
  'audit'
  'enforce'
])
param autopilotMode string = 'audit'

@description('Optional. The full policy document (AUTOPILOT_POLICY, see src/policy/policy-schema.ts). Empty: scopes = the subscriptions in scope, mode = autopilotMode, dnsZones = the DNS zones resource group, schema defaults for the rest.')
param autopilotPolicy object = {}

@description('Optional. NCRONTAB schedule of the compliance sweep (AUTOPILOT_SWEEP_SCHEDULE). Default: hourly.')
param sweepSchedule string = '0 0 * * * *'

@description('Optional. App roles allowed to call the HTTP runbooks (AUTOPILOT_ALLOWED_ROLES, comma-separated in the app setting).')
param allowedRoles array = []

@description('Optional. Microsoft Entra group object IDs allowed to call the HTTP runbooks (AUTOPILOT_ALLOWED_GROUPS).')
param allowedGroups array = []

@description('Optional. Client ID of an existing Entra app registration for App Service authentication of the HTTP runbooks. Empty: authentication off (runbook calls are refused in Azure).')
param authClientId string = ''

@description('Optional. Durable Functions task hub name (DURABLE_TASK_HUB): 3-45 letters and digits, starting with a letter.')
@minLength(3)
@maxLength(45)
param durableTaskHubName string = 'autopilot'

@description('Optional. Create the Event Grid event subscriptions. Event Grid refuses an AzureFunction destination before the function exists, so the first `azd up` provisions with false and the postdeploy hook provisions again with true.')
param deployEventSubscriptions bool = false

@description('Optional. Existing Microsoft.Resources.Subscriptions system topics to adopt, keyed by subscription ID: { "<subscriptionId>": { "resourceGroupName": "...", "name": "...", "keepSystemAssignedIdentity": false } }. Azure allows one such topic per subscription.')
param existingSystemTopics object = {}

@description('Optional. Node.js version of the function app.')
@allowed([
  '20'
  '22'
])
param nodeVersion string = '20'

@description('Optional. Maximum number of instances of the Flex Consumption app.')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 100

@description('Optional. Tags added to every resource.')
param tags object = {}

@description('Optional. Name of the resource group of the app. Default: rg-<environmentName>.')
param resourceGroupName string = ''

@description('Optional. Name of the resource group created in each subscription in scope for its system topic. Default: rg-<environmentName>-events.')
param eventGridResourceGroupName string = ''

@description('Optional. Name of the function app. Default: func-autopilot-<token>.')
param functionAppName string = ''

@description('Optional. Name of the storage account. Default: st<token>.')
param storageAccountName string = ''

// ---------------------------------------------------------------------------------------------------------------
// Names and settings
// ---------------------------------------------------------------------------------------------------------------

var abbrs = loadJsonContent('abbreviations.json')
var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var allTags = union(tags, { 'azd-env-name': environmentName })
var scopeSubscriptions = empty(scopeSubscriptionIds) ? [subscription().subscriptionId] : scopeSubscriptionIds

var appName = !empty(functionAppName) ? functionAppName : '${abbrs.webSitesFunctions}autopilot-${resourceToken}'
var deploymentContainerName = 'app-package-${take(toLower(appName), 32)}-${take(resourceToken, 7)}'
var reportContainerName = 'sweep-reports'
var deadLetterContainerName = 'eventgrid-deadletter'
var eventGridFunctionName = 'eventGridResourceChanged'
var eventsResourceGroupName = !empty(eventGridResourceGroupName)
  ? eventGridResourceGroupName
  : '${abbrs.resourcesResourceGroups}${environmentName}-events'

var hasDnsZoneResourceGroup = !empty(privateDnsZoneResourceGroupId)
// Without a given group, the private DNS zones go to rg-<environment>-privatedns in the first subscription in scope.
var dnsZoneSubscriptionId = hasDnsZoneResourceGroup ? split(privateDnsZoneResourceGroupId, '/')[2] : scopeSubscriptions[0]
var dnsZoneResourceGroupName = hasDnsZoneResourceGroup
  ? split(privateDnsZoneResourceGroupId, '/')[4]
  : '${abbrs.resourcesResourceGroups}${environmentName}-privatedns'
var dnsZoneResourceGroupId = '/subscriptions/${dnsZoneSubscriptionId}/resourceGroups/${dnsZoneResourceGroupName}'
// A role can be assigned only inside its assignable scopes: the subscriptions in scope, plus the DNS zones
// resource group when it lives in another subscription.
var roleAssignableScopes = concat(
  map(scopeSubscriptions, sub => '/subscriptions/${sub}'),
  contains(scopeSubscriptions, dnsZoneSubscriptionId) ? [] : [dnsZoneResourceGroupId]
)

// The default policy document (src/policy/policy-schema.ts): everything else takes the schema defaults.
var policyDocument = empty(autopilotPolicy)
  ? {
      version: 1
      cloud: environment().name
      scopes: {
        subscriptions: scopeSubscriptions
      }
      mode: autopilotMode
      dnsZones: {
        subscriptionId: dnsZoneSubscriptionId
        resourceGroup: dnsZoneResourceGroupName
      }
    }
  : autopilotPolicy

// ---------------------------------------------------------------------------------------------------------------
// The app: resource group, identities, storage, monitoring, function app
// ---------------------------------------------------------------------------------------------------------------

resource rg 'Microsoft.Resources/resourceGroups@2024-11-01' = {
  name: !empty(resourceGroupName) ? resourceGroupName : '${abbrs.resourcesResourceGroups}${environmentName}'
  location: location
  tags: allTags
}

module appIdentity 'modules/user-assigned-identity.bicep' = {
  name: 'autopilot-identity'
  scope: rg
  params: {
    name: '${abbrs.managedIdentityUserAssignedIdentities}autopilot-${resourceToken}'
    location: location
    tags: allTags
  }
}

module eventGridIdentity 'modules/user-assigned-identity.bicep' = {
  name: 'autopilot-eventgrid-identity'
  scope: rg
  params: {
    name: '${abbrs.managedIdentityUserAssignedIdentities}autopilot-eventgrid-${resourceToken}'
    location: location
    tags: allTags
  }
}

module storage 'modules/storage.bicep' = {
  name: 'autopilot-storage'
  scope: rg
  params: {
    name: !empty(storageAccountName) ? storageAccountName : '${abbrs.storageStorageAccounts}${resourceToken}'
    location: location
    tags: allTags
    containerNames: [
      deploymentContainerName
      reportContainerName
      deadLetterContainerName
    ]
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'autopilot-monitoring'
  scope: rg
  params: {
    logAnalyticsName: '${abbrs.operationalInsightsWorkspaces}${resourceToken}'
    applicationInsightsName: '${abbrs.insightsComponents}${resourceToken}'
    location: location
    tags: allTags
  }
}

module appRoleAssignments 'modules/app-role-assignments.bicep' = {
  name: 'autopilot-data-access'
  scope: rg
  params: {
    storageAccountName: storage.outputs.name
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    functionPrincipalId: appIdentity.outputs.principalId
    deadLetterPrincipalId: eventGridIdentity.outputs.principalId
    deadLetterContainerName: deadLetterContainerName
  }
}

module functionApp 'modules/function-app.bicep' = {
  name: 'autopilot-function-app'
  scope: rg
  // The host starts with identity-based storage: give it its data roles first.
  dependsOn: [
    appRoleAssignments
  ]
  params: {
    name: appName
    planName: '${abbrs.webServerFarms}${resourceToken}'
    location: location
    tags: allTags
    serviceName: 'api'
    identityResourceId: appIdentity.outputs.resourceId
    identityClientId: appIdentity.outputs.clientId
    storageAccountName: storage.outputs.name
    deploymentContainerName: deploymentContainerName
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    runtimeVersion: nodeVersion
    maximumInstanceCount: maximumInstanceCount
    authClientId: authClientId
    appSettings: {
      AUTOPILOT_POLICY: string(policyDocument)
      AUTOPILOT_CLOUD: environment().name
      AUTOPILOT_SWEEP_SCHEDULE: sweepSchedule
      AUTOPILOT_REPORT_CONTAINER_URL: '${storage.outputs.primaryBlobEndpoint}${reportContainerName}'
      // Where src/azure/dependencies.ts keeps the endpoint inventory and the reports (same container).
      AUTOPILOT_STATE_CONTAINER_URL: '${storage.outputs.primaryBlobEndpoint}${reportContainerName}'
      AUTOPILOT_ALLOWED_ROLES: join(allowedRoles, ',')
      AUTOPILOT_ALLOWED_GROUPS: join(allowedGroups, ',')
      AUTOPILOT_ALLOWED_SUBSCRIPTIONS: join(scopeSubscriptions, ',')
      DURABLE_TASK_HUB: durableTaskHubName
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// What the automation may do in Azure: one custom role, assigned on each subscription in scope and on the
// private DNS zones resource group. No built-in Contributor.
// ---------------------------------------------------------------------------------------------------------------

module customRole 'modules/custom-role.bicep' = {
  name: 'autopilot-role-${resourceToken}'
  // Created in the first subscription in scope, which is always one of its assignable scopes.
  scope: subscription(scopeSubscriptions[0])
  params: {
    roleName: 'Redis Private Link Autopilot (${environmentName}-${resourceToken})'
    assignableScopes: roleAssignableScopes
  }
}

module subscriptionRoleAssignments 'modules/subscription-role-assignment.bicep' = [
  for sub in scopeSubscriptions: {
    name: 'autopilot-role-assignment-${uniqueString(sub, resourceToken)}'
    scope: subscription(sub)
    params: {
      principalId: appIdentity.outputs.principalId
      roleDefinitionName: customRole.outputs.roleDefinitionName
      assignmentDescription: 'Redis Private Link Autopilot (${environmentName}): caches, private endpoints and their DNS in this subscription'
    }
  }
]

module dnsZoneResourceGroup 'modules/resource-group.bicep' = if (!hasDnsZoneResourceGroup) {
  name: 'autopilot-dns-rg-${resourceToken}'
  scope: subscription(dnsZoneSubscriptionId)
  params: {
    name: dnsZoneResourceGroupName
    location: location
    tags: allTags
  }
}

// A given DNS zones group may be outside the subscriptions in scope (hub-and-spoke): assign the role there too.
module dnsZoneRoleAssignment 'modules/resource-group-role-assignment.bicep' = if (hasDnsZoneResourceGroup) {
  name: 'autopilot-dns-role-assignment-${resourceToken}'
  scope: resourceGroup(dnsZoneSubscriptionId, dnsZoneResourceGroupName)
  params: {
    principalId: appIdentity.outputs.principalId
    roleDefinitionName: customRole.outputs.roleDefinitionName
    assignmentDescription: 'Redis Private Link Autopilot (${environmentName}): private DNS zones, their virtual network links and A records'
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Resource change events: a subscription system topic in each subscription in scope
// ---------------------------------------------------------------------------------------------------------------

module events 'modules/event-grid-subscription.bicep' = [
  for sub in scopeSubscriptions: {
    name: 'autopilot-events-${uniqueString(sub, resourceToken)}'
    scope: subscription(sub)
    params: {
      location: location
      tags: allTags
      createResourceGroup: !contains(existingSystemTopics, sub)
      resourceGroupName: contains(existingSystemTopics, sub)
        ? existingSystemTopics[sub].resourceGroupName
        : eventsResourceGroupName
      systemTopicName: contains(existingSystemTopics, sub)
        ? existingSystemTopics[sub].name
        : '${abbrs.eventGridEventSystemTopics}autopilot-${environmentName}'
      keepSystemAssignedIdentity: contains(existingSystemTopics, sub)
        ? (existingSystemTopics[sub].?keepSystemAssignedIdentity ?? false)
        : false
      deadLetterIdentityResourceId: eventGridIdentity.outputs.resourceId
      deployEventSubscription: deployEventSubscriptions
      eventSubscriptionName: '${abbrs.eventGridEventSubscriptions}autopilot-${environmentName}'
      functionResourceId: '${functionApp.outputs.resourceId}/functions/${eventGridFunctionName}'
      deadLetterStorageAccountResourceId: storage.outputs.resourceId
      deadLetterContainerName: deadLetterContainerName
    }
  }
]

// ---------------------------------------------------------------------------------------------------------------
// Outputs (azd writes them to .azure/<env>/.env)
// ---------------------------------------------------------------------------------------------------------------

@description('Location of the app.')
output AZURE_LOCATION string = location

@description('Tenant of the deployment.')
output AZURE_TENANT_ID string = tenant().tenantId

@description('Resource group of the app.')
output AZURE_RESOURCE_GROUP string = rg.name

@description('Name of the function app (the azd service api).')
output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.name

@description('Base URL of the HTTP runbooks.')
output SERVICE_API_URI string = 'https://${functionApp.outputs.defaultHostName}/api'

@description('Client ID of the identity the autopilot runs as.')
output AUTOPILOT_IDENTITY_CLIENT_ID string = appIdentity.outputs.clientId

@description('Principal ID of the identity the autopilot runs as.')
output AUTOPILOT_IDENTITY_PRINCIPAL_ID string = appIdentity.outputs.principalId

@description('Resource ID of the custom role.')
output AUTOPILOT_ROLE_DEFINITION_ID string = customRole.outputs.resourceId

@description('Container the compliance sweep writes its reports to.')
output AUTOPILOT_REPORT_CONTAINER_URL string = '${storage.outputs.primaryBlobEndpoint}${reportContainerName}'

@description('Container Event Grid writes undeliverable events to.')
output AUTOPILOT_DEADLETTER_CONTAINER_URL string = '${storage.outputs.primaryBlobEndpoint}${deadLetterContainerName}'

@description('Subscriptions in scope, comma-separated.')
output AUTOPILOT_ALLOWED_SUBSCRIPTIONS string = join(scopeSubscriptions, ',')

@description('Resource group of the private DNS zones the policy uses.')
output AUTOPILOT_DNS_ZONE_RESOURCE_GROUP string = dnsZoneResourceGroupId

@description('Whether this provision created the event subscriptions.')
output AUTOPILOT_EVENT_SUBSCRIPTIONS_DEPLOYED bool = deployEventSubscriptions

@description('Application Insights connection string.')
output APPLICATIONINSIGHTS_CONNECTION_STRING string = monitoring.outputs.connectionString
