metadata name = 'Redis Private Link Autopilot'
metadata description = 'Deploys the autopilot (azd up): a Flex Consumption function app running as a user-assigned identity, its storage, monitoring, an Event Grid subscription topic per subscription in scope, and a custom role with exactly the actions the automation calls. What azd down deletes and what survives it: docs/deployment.md.'

targetScope = 'subscription'

// What `azd down` deletes: every resource group named in the outputResources of this deployment (and of its
// nested deployments). So this template writes ONLY into groups it owns (the app group and rg-<env>-events)
// and at subscription level (role definition, role assignments). The private DNS zones' group, adopted
// system topics and a hub DNS group are never written here: adopted topics are `existing` references, and
// the postprovision/postdeploy hook (infra/hooks/) creates the DNS group when missing, assigns the role on a
// hub group and creates the event subscriptions, all outside the deployment.
// test/unit/infra/azd-ownership.test.ts proves it on the text of these files.

// ---------------------------------------------------------------------------------------------------------------
// Parameters
// ---------------------------------------------------------------------------------------------------------------

@minLength(1)
@maxLength(64)
@description('Required. Name of the azd environment; used in resource names and to derive a unique token.')
param environmentName string

// Regions with Flex Consumption, as listed by the azd Flex Consumption templates
// (Azure-Samples/functions-quickstart-typescript-azd, infra/main.bicep). The live list for your subscription:
// az functionapp list-flexconsumption-locations --runtime node --runtime-version 22
@minLength(1)
@description('Required. Location of the resource group, the function app and its storage (a region with Flex Consumption).')
@allowed([
  'australiaeast'
  'australiasoutheast'
  'brazilsouth'
  'canadacentral'
  'centralindia'
  'centralus'
  'eastasia'
  'eastus'
  'eastus2'
  'eastus2euap'
  'francecentral'
  'germanywestcentral'
  'italynorth'
  'japaneast'
  'koreacentral'
  'northcentralus'
  'northeurope'
  'norwayeast'
  'southafricanorth'
  'southcentralus'
  'southeastasia'
  'southindia'
  'spaincentral'
  'swedencentral'
  'uaenorth'
  'uksouth'
  'ukwest'
  'westcentralus'
  'westeurope'
  'westus'
  'westus2'
  'westus3'
])
@metadata({
  azd: {
    type: 'location'
  }
})
param location string

@description('Optional. Subscriptions the autopilot watches and remediates, comma-separated (AUTOPILOT_SCOPE_SUBSCRIPTION_IDS): it gets its custom role and an Event Grid subscription topic in each. Empty: the deployment subscription only.')
param scopeSubscriptionIds string = ''

@description('Optional. Resource ID of an existing resource group that holds (or will hold) the private DNS zones (privatelink.redis.cache.windows.net, ...), for example a hub outside the subscriptions in scope. Never created, changed or deleted by this deployment. Empty: rg-<environmentName>-privatedns in the deployment subscription, created by the postprovision hook when missing (outside the deployment, so that azd down keeps it).')
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

@description('Optional. App roles allowed to call the HTTP runbooks, comma-separated (AUTOPILOT_ALLOWED_ROLES).')
param allowedRoles string = ''

@description('Optional. Microsoft Entra group object IDs allowed to call the HTTP runbooks, comma-separated (AUTOPILOT_ALLOWED_GROUPS).')
param allowedGroups string = ''

@description('Optional. Client ID of an existing Entra app registration for App Service authentication of the HTTP runbooks. Empty: authentication off (runbook calls are refused in Azure).')
param authClientId string = ''

@description('Optional. Durable Functions task hub name (DURABLE_TASK_HUB): 3-45 letters and digits, starting with a letter.')
@minLength(3)
@maxLength(45)
param durableTaskHubName string = 'autopilot'

@description('Optional. Existing Microsoft.Resources.Subscriptions system topics to adopt, as resource IDs, comma-separated (AUTOPILOT_EXISTING_SYSTEM_TOPIC_IDS). Azure allows one such topic per subscription. An adopted topic is only referenced (existing): never changed, never deleted; the hook adds one event subscription to it.')
param existingSystemTopicIds string = ''

@description('Optional. Subscription that holds the custom role definition (its "home"). Default: the deployment subscription. The role id derives from its name only, so reordering or changing the subscriptions in scope never creates a second role.')
param roleDefinitionSubscriptionId string = ''

@description('Optional. Object ID of the deploying user or principal: gets read access to the sweep reports and dead-lettered events, as the azd Functions templates give the deployer its data roles. Empty: none.')
param principalId string = deployer().objectId

// ARM allows each principal 200 writes at once per subscription and region (token bucket of 200, refilled at
// 10 per second: "Request limits and throttling", Microsoft Learn). Each Durable activity makes at most one ARM
// call at a time, and an instance runs at most maxConcurrentActivityFunctions (8, host.json) activities, so
// instances x 8 <= 200 gives at most 25 instances. test/unit/infra/bicep-structure.test.ts checks the product.
@description('Optional. Maximum number of instances of the Flex Consumption app (x 8 concurrent activities <= ARM\'s 200 writes per subscription and principal).')
@minValue(1)
@maxValue(25)
param maximumInstanceCount int = 25

@description('Optional. Send the function app\'s outbound traffic through a new virtual network (NAT gateway for Azure Resource Manager and other public endpoints) and reach its storage only through private endpoints, with public network access disabled on the storage account.')
param vnetEnabled bool = false

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
// Lists arrive from the azd environment as comma-separated strings (an array parameter defaulted from the
// environment would reach Bicep as the string "[]").
var scopeSubscriptionList = filter(map(split(scopeSubscriptionIds, ','), id => toLower(trim(id))), id => !empty(id))
var scopeSubscriptions = empty(scopeSubscriptionList) ? [subscription().subscriptionId] : scopeSubscriptionList
var allowedRoleList = filter(map(split(allowedRoles, ','), r => trim(r)), r => !empty(r))
var allowedGroupList = filter(map(split(allowedGroups, ','), g => trim(g)), g => !empty(g))

var appName = !empty(functionAppName) ? functionAppName : '${abbrs.webSitesFunctions}autopilot-${resourceToken}'
var deploymentContainerName = 'app-package-${take(toLower(appName), 32)}-${take(resourceToken, 7)}'
var reportContainerName = 'sweep-reports'
var deadLetterContainerName = 'eventgrid-deadletter'
var eventGridFunctionName = 'eventGridResourceChanged'
var eventsResourceGroupName = !empty(eventGridResourceGroupName)
  ? eventGridResourceGroupName
  : '${abbrs.resourcesResourceGroups}${environmentName}-events'
var systemTopicName = '${abbrs.eventGridEventSystemTopics}autopilot-${environmentName}'
var eventSubscriptionName = '${abbrs.eventGridEventSubscriptions}autopilot-${environmentName}'

// Adopted system topics: /subscriptions/{sub}/resourceGroups/{group}/providers/Microsoft.EventGrid/systemTopics/{name}
var adoptedTopicIdList = filter(map(split(existingSystemTopicIds, ','), id => trim(id)), id => !empty(id))
var adoptedTopics = map(adoptedTopicIdList, id => {
  subscriptionId: toLower(split(id, '/')[2])
  resourceGroupName: split(id, '/')[4]
  name: split(id, '/')[8]
})
var adoptedTopicSubscriptions = map(adoptedTopics, topic => topic.subscriptionId)
// Our own topic in every subscription in scope that has none to adopt.
var ownTopicSubscriptions = filter(scopeSubscriptions, sub => !contains(adoptedTopicSubscriptions, sub))

// The private DNS zones' group: given (never written here), or rg-<env>-privatedns in the deployment
// subscription, which the hook creates when missing. Not in the first subscription in scope: reordering the
// list must not move the zones.
var hasDnsZoneResourceGroup = !empty(privateDnsZoneResourceGroupId)
var dnsZoneSubscriptionId = hasDnsZoneResourceGroup
  ? toLower(split(privateDnsZoneResourceGroupId, '/')[2])
  : subscription().subscriptionId
var dnsZoneResourceGroupName = hasDnsZoneResourceGroup
  ? split(privateDnsZoneResourceGroupId, '/')[4]
  : '${abbrs.resourcesResourceGroups}${environmentName}-privatedns'
var dnsZoneResourceGroupId = '/subscriptions/${dnsZoneSubscriptionId}/resourceGroups/${dnsZoneResourceGroupName}'
// A subscription-level assignment covers a DNS group inside a subscription in scope. Outside (hub-and-spoke),
// the hook assigns the role on that group: a role assignment written here would name the group in this
// deployment's resources, and azd down would delete the group.
var dnsZoneGroupNeedsRoleAssignment = !contains(scopeSubscriptions, dnsZoneSubscriptionId)

// The custom role: one definition in its home subscription, its id a function of its name only.
var roleHomeSubscriptionId = !empty(roleDefinitionSubscriptionId)
  ? toLower(roleDefinitionSubscriptionId)
  : subscription().subscriptionId
var roleName = 'Redis Private Link Autopilot (${environmentName}-${resourceToken})'
// Sorted so that reordering the subscriptions does not change the definition; the home subscription is
// always assignable (the definition lives there).
var roleAssignableScopes = sort(
  union(
    ['/subscriptions/${roleHomeSubscriptionId}'],
    map(scopeSubscriptions, sub => '/subscriptions/${sub}'),
    dnsZoneGroupNeedsRoleAssignment ? [dnsZoneResourceGroupId] : []
  ),
  (a, b) => a < b
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

module network 'modules/network.bicep' = if (vnetEnabled) {
  name: 'autopilot-network'
  scope: rg
  params: {
    virtualNetworkName: '${abbrs.networkVirtualNetworks}autopilot-${resourceToken}'
    natGatewayName: '${abbrs.networkNatGateways}autopilot-${resourceToken}'
    publicIpName: '${abbrs.networkPublicIPAddresses}autopilot-${resourceToken}'
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
    publicNetworkAccess: vnetEnabled ? 'Disabled' : 'Enabled'
    containerNames: [
      deploymentContainerName
      reportContainerName
      deadLetterContainerName
    ]
  }
}

module storagePrivateEndpoints 'modules/storage-private-endpoints.bicep' = if (vnetEnabled) {
  name: 'autopilot-storage-private-endpoints'
  scope: rg
  params: {
    storageAccountName: storage.outputs.name
    virtualNetworkName: vnetEnabled ? network!.outputs.virtualNetworkName : ''
    subnetName: vnetEnabled ? network!.outputs.privateEndpointSubnetName : ''
    location: location
    tags: allTags
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
    reportContainerName: reportContainerName
    deployerPrincipalId: principalId
  }
}

module functionApp 'modules/function-app.bicep' = {
  name: 'autopilot-function-app'
  scope: rg
  // The host starts with identity-based storage: give it its data roles (and its private endpoints) first.
  dependsOn: [
    appRoleAssignments
    storagePrivateEndpoints
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
    maximumInstanceCount: maximumInstanceCount
    virtualNetworkSubnetId: vnetEnabled ? network!.outputs.appSubnetId : ''
    authClientId: authClientId
    appSettings: {
      AUTOPILOT_POLICY: string(policyDocument)
      AUTOPILOT_CLOUD: environment().name
      AUTOPILOT_SWEEP_SCHEDULE: sweepSchedule
      AUTOPILOT_REPORT_CONTAINER_URL: '${storage.outputs.primaryBlobEndpoint}${reportContainerName}'
      // Where src/azure/dependencies.ts keeps the endpoint inventory and the reports (same container).
      AUTOPILOT_STATE_CONTAINER_URL: '${storage.outputs.primaryBlobEndpoint}${reportContainerName}'
      AUTOPILOT_ALLOWED_ROLES: join(allowedRoleList, ',')
      AUTOPILOT_ALLOWED_GROUPS: join(allowedGroupList, ',')
      AUTOPILOT_ALLOWED_SUBSCRIPTIONS: join(scopeSubscriptions, ',')
      DURABLE_TASK_HUB: durableTaskHubName
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// What the automation may do in Azure: one custom role, assigned on each subscription in scope (and, by the
// hook, on a DNS zones group outside them). No built-in Contributor.
// ---------------------------------------------------------------------------------------------------------------

module customRole 'modules/custom-role.bicep' = {
  name: 'autopilot-role-${resourceToken}'
  scope: subscription(roleHomeSubscriptionId)
  params: {
    roleName: roleName
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

// ---------------------------------------------------------------------------------------------------------------
// Resource change events. Our own subscription system topic in each subscription in scope that has none to
// adopt; adopted topics are only referenced. The event subscriptions are created by the hook after the code is
// deployed (Event Grid checks that the destination function exists), every time, idempotently.
// ---------------------------------------------------------------------------------------------------------------

module ownSystemTopics 'modules/event-grid-system-topic.bicep' = [
  for sub in ownTopicSubscriptions: {
    name: 'autopilot-events-${uniqueString(sub, resourceToken)}'
    scope: subscription(sub)
    params: {
      location: location
      tags: allTags
      resourceGroupName: eventsResourceGroupName
      systemTopicName: systemTopicName
      deadLetterIdentityResourceId: eventGridIdentity.outputs.resourceId
    }
  }
]

resource adoptedSystemTopics 'Microsoft.EventGrid/systemTopics@2025-02-15' existing = [
  for topic in adoptedTopics: {
    name: topic.name
    scope: resourceGroup(topic.subscriptionId, topic.resourceGroupName)
  }
]

// ---------------------------------------------------------------------------------------------------------------
// Outputs (azd writes them to .azure/<env>/.env; the hooks read them from there, and write nothing back)
// ---------------------------------------------------------------------------------------------------------------

@description('Location of the app.')
output AZURE_LOCATION string = location

@description('Tenant of the deployment.')
output AZURE_TENANT_ID string = tenant().tenantId

@description('Resource group of the app.')
output AZURE_RESOURCE_GROUP string = rg.name

@description('Azure Resource Manager endpoint of the cloud (used by the hooks).')
output AZURE_RESOURCE_MANAGER_ENDPOINT string = environment().resourceManager

@description('Name of the function app (the azd service api).')
output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.name

@description('Base URL of the HTTP runbooks.')
output SERVICE_API_URI string = 'https://${functionApp.outputs.defaultHostName}/api'

@description('Client ID of the identity the autopilot runs as.')
output AUTOPILOT_IDENTITY_CLIENT_ID string = appIdentity.outputs.clientId

@description('Principal ID of the identity the autopilot runs as.')
output AUTOPILOT_IDENTITY_PRINCIPAL_ID string = appIdentity.outputs.principalId

@description('Resource ID of the custom role (in its home subscription).')
output AUTOPILOT_ROLE_DEFINITION_ID string = customRole.outputs.resourceId

@description('Container the compliance sweep writes its reports to.')
output AUTOPILOT_REPORT_CONTAINER_URL string = '${storage.outputs.primaryBlobEndpoint}${reportContainerName}'

@description('Container Event Grid writes undeliverable events to.')
output AUTOPILOT_DEADLETTER_CONTAINER_URL string = '${storage.outputs.primaryBlobEndpoint}${deadLetterContainerName}'

@description('Subscriptions in scope, comma-separated.')
output AUTOPILOT_ALLOWED_SUBSCRIPTIONS string = join(scopeSubscriptions, ',')

@description('Resource group of the private DNS zones the policy uses (never part of this deployment).')
output AUTOPILOT_DNS_ZONE_RESOURCE_GROUP string = dnsZoneResourceGroupId

@description('Whether the hook creates the private DNS zones group when it is missing (true for the default group only).')
output AUTOPILOT_DNS_ZONE_RESOURCE_GROUP_CREATE bool = !hasDnsZoneResourceGroup

@description('Name (GUID) of the role assignment the hook makes on the DNS zones group when it is outside the subscriptions in scope; empty otherwise.')
output AUTOPILOT_DNS_ROLE_ASSIGNMENT_NAME string = dnsZoneGroupNeedsRoleAssignment
  ? guid(dnsZoneResourceGroupId, appIdentity.outputs.principalId, customRole.outputs.roleDefinitionName)
  : ''

@description('System topics that get the event subscription (ours and adopted), comma-separated resource IDs.')
output AUTOPILOT_SYSTEM_TOPIC_IDS string = join(
  concat(
    map(ownTopicSubscriptions, sub => '/subscriptions/${sub}/resourceGroups/${eventsResourceGroupName}/providers/Microsoft.EventGrid/systemTopics/${systemTopicName}'),
    adoptedTopicIdList
  ),
  ','
)

// Reading a property makes the deployment fail early (ResourceNotFound) when an adopted topic does not exist.
@description('Adopted system topics and the subscription each one publishes, checked by the deployment.')
output AUTOPILOT_ADOPTED_SYSTEM_TOPICS array = [
  for i in range(0, length(adoptedTopics)): {
    id: adoptedSystemTopics[i].id
    source: adoptedSystemTopics[i].properties.source
  }
]

@description('Name of the event subscription the hook creates on each system topic.')
output AUTOPILOT_EVENT_SUBSCRIPTION_NAME string = eventSubscriptionName

@description('Resource ID of the eventGridResourceChanged function (the event subscriptions\' destination).')
output AUTOPILOT_EVENT_FUNCTION_ID string = '${functionApp.outputs.resourceId}/functions/${eventGridFunctionName}'

@description('Resource ID of the identity Event Grid dead-letters with (on our own topics).')
output AUTOPILOT_DEADLETTER_IDENTITY_ID string = eventGridIdentity.outputs.resourceId

@description('Resource ID of the storage account holding the dead-letter container.')
output AUTOPILOT_DEADLETTER_STORAGE_ID string = storage.outputs.resourceId

@description('Name of the dead-letter blob container.')
output AUTOPILOT_DEADLETTER_CONTAINER_NAME string = deadLetterContainerName

@description('Application Insights connection string.')
output APPLICATIONINSIGHTS_CONNECTION_STRING string = monitoring.outputs.connectionString
