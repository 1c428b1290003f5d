import * as fs from 'node:fs';
import * as path from 'node:path';
import { rbacActionsFor, rbacActionsForAll } from '../../support/rbac-actions';

const FIXTURES = path.join(__dirname, '..', '..', 'fixtures', 'arm');

/** A request from an azure-rest-api-specs example: the operation's path template filled from its parameters. */
function specRequest(file: string, template: string, bodyParameter: string): { path: string; body: any } {
  const example = JSON.parse(fs.readFileSync(path.join(FIXTURES, file), 'utf8'));
  const params = example.parameters as Record<string, any>;
  const filled = template.replace(/\{(\w+)\}/g, (_m, name: string) => {
    if (typeof params[name] !== 'string') throw new Error(`${file}: no path parameter ${name}`);
    return encodeURIComponent(params[name]);
  });
  return { path: `${filled}?api-version=${params['api-version']}`, body: params[bodyParameter] };
}

const SUB = '00000000-0000-0000-0000-000000000001';
const RG = `/subscriptions/${SUB}/resourceGroups/rg-app`;
const CACHE = `${RG}/providers/Microsoft.Cache/redis/cache1`;
const AMR = `${RG}/providers/Microsoft.Cache/redisEnterprise/amr1`;
const VNET = `${RG}/providers/Microsoft.Network/virtualNetworks/vnet1`;
const PE = `${RG}/providers/Microsoft.Network/privateEndpoints/pe-cache1-vnet1`;
const ZONE = `${RG}/providers/Microsoft.Network/privateDnsZones/privatelink.redis.cache.windows.net`;

describe('rbacActionsFor: Microsoft.Cache/redis', () => {
  it('maps GET, PATCH, PUT and DELETE of a cache to read, write, write and delete', () => {
    expect(rbacActionsFor('GET', CACHE)).toEqual(['Microsoft.Cache/redis/read']);
    expect(rbacActionsFor('PATCH', CACHE, { properties: { publicNetworkAccess: 'Disabled' } })).toEqual([
      'Microsoft.Cache/redis/write',
    ]);
    expect(rbacActionsFor('PUT', CACHE)).toEqual(['Microsoft.Cache/redis/write']);
    expect(rbacActionsFor('DELETE', CACHE)).toEqual(['Microsoft.Cache/redis/delete']);
  });

  it('maps list by subscription and by resource group to redis/read', () => {
    expect(rbacActionsFor('GET', `/subscriptions/${SUB}/providers/Microsoft.Cache/redis?api-version=2024-11-01`)).toEqual([
      'Microsoft.Cache/redis/read',
    ]);
    expect(rbacActionsFor('GET', `${RG}/providers/Microsoft.Cache/redis`)).toEqual(['Microsoft.Cache/redis/read']);
  });

  it('reads the service casing (Microsoft.Cache/Redis, resourcegroups) as the RBAC casing', () => {
    const upper = `/subscriptions/${SUB}/resourcegroups/rg-app/providers/microsoft.cache/Redis/cache1/PrivateEndpointConnections/pec1`;
    expect(rbacActionsFor('get', upper)).toEqual(['Microsoft.Cache/redis/privateEndpointConnections/read']);
  });

  it('maps private endpoint connection approval (PUT, spec example), delete and list', () => {
    const req = specRequest(
      'redis/RedisCachePutPrivateEndpointConnection.json',
      '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Cache/redis/{cacheName}/privateEndpointConnections/{privateEndpointConnectionName}',
      'properties',
    );
    expect(rbacActionsFor('PUT', req.path, req.body)).toEqual(['Microsoft.Cache/redis/privateEndpointConnections/write']);
    expect(rbacActionsFor('DELETE', `${CACHE}/privateEndpointConnections/pec1`)).toEqual([
      'Microsoft.Cache/redis/privateEndpointConnections/delete',
    ]);
    expect(rbacActionsFor('GET', `${CACHE}/privateEndpointConnections`)).toEqual([
      'Microsoft.Cache/redis/privateEndpointConnections/read',
    ]);
  });

  it('maps linked servers (geo-replication unlink and relink, spec example) and private link resources', () => {
    const req = specRequest(
      'redis/RedisCacheLinkedServer_Create.json',
      '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Cache/redis/{name}/linkedServers/{linkedServerName}',
      'parameters',
    );
    expect(rbacActionsFor('PUT', req.path, req.body)).toEqual(['Microsoft.Cache/redis/linkedServers/write']);
    expect(rbacActionsFor('DELETE', `${CACHE}/linkedServers/cache2`)).toEqual(['Microsoft.Cache/redis/linkedServers/delete']);
    expect(rbacActionsFor('GET', `${CACHE}/linkedServers`)).toEqual(['Microsoft.Cache/redis/linkedServers/read']);
    expect(rbacActionsFor('GET', `${CACHE}/privateLinkResources`)).toEqual(['Microsoft.Cache/redis/privateLinkResources/read']);
  });

  it('maps a POST on an instance to {type}/{action}/action', () => {
    expect(rbacActionsFor('POST', `${CACHE}/listKeys`)).toEqual(['Microsoft.Cache/redis/listKeys/action']);
    expect(rbacActionsFor('POST', `${CACHE}/regenerateKey`)).toEqual(['Microsoft.Cache/redis/regenerateKey/action']);
    expect(rbacActionsFor('POST', `/subscriptions/${SUB}/providers/Microsoft.Cache/CheckNameAvailability`)).toEqual([
      'Microsoft.Cache/checkNameAvailability/action',
    ]);
  });
});

describe('rbacActionsFor: Microsoft.Cache/redisEnterprise', () => {
  it('maps the cluster, its databases and its private endpoint connections', () => {
    expect(rbacActionsFor('GET', AMR)).toEqual(['Microsoft.Cache/redisEnterprise/read']);
    expect(rbacActionsFor('GET', `${AMR}/databases/default`)).toEqual(['Microsoft.Cache/redisEnterprise/databases/read']);
    expect(rbacActionsFor('PUT', `${AMR}/privateEndpointConnections/pec1`)).toEqual([
      'Microsoft.Cache/redisEnterprise/privateEndpointConnections/write',
    ]);
    expect(rbacActionsFor('GET', `${AMR}/privateLinkResources`)).toEqual([
      'Microsoft.Cache/redisEnterprise/privateLinkResources/read',
    ]);
  });
});

describe('rbacActionsFor: private endpoints and their linked actions', () => {
  it('needs the subnet join and the target approval for an auto-approved endpoint (spec example)', () => {
    const req = specRequest(
      'network/PrivateEndpointCreate.json',
      '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Network/privateEndpoints/{privateEndpointName}',
      'parameters',
    );
    // The example connects to a private link service: its approval action is the one listed on the
    // Microsoft.Network operations page ("Approve or reject PrivateEndpoint connection on PrivateLinkService").
    expect(rbacActionsFor('PUT', req.path, req.body)).toEqual([
      'Microsoft.Network/privateEndpoints/write',
      'Microsoft.Network/virtualNetworks/subnets/join/action',
      'Microsoft.Network/privateLinkServices/PrivateEndpointConnectionsApproval/action',
    ]);
  });

  it('needs no approval action for a manual connection (spec example)', () => {
    const req = specRequest(
      'network/PrivateEndpointCreateForManualApproval.json',
      '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Network/privateEndpoints/{privateEndpointName}',
      'parameters',
    );
    expect(rbacActionsFor('PUT', req.path, req.body)).toEqual([
      'Microsoft.Network/privateEndpoints/write',
      'Microsoft.Network/virtualNetworks/subnets/join/action',
    ]);
  });

  it('derives the cache-side approval from the privateLinkServiceId (classic cache and redisEnterprise)', () => {
    const body = (target: string) => ({
      location: 'westeurope',
      properties: {
        subnet: { id: `${VNET}/subnets/pe` },
        privateLinkServiceConnections: [
          { name: 'c', properties: { privateLinkServiceId: target, groupIds: ['redisCache'] } },
        ],
      },
    });
    const redisTarget = `/subscriptions/${SUB}/resourceGroups/rg-app/providers/Microsoft.Cache/Redis/cache1`;
    expect(rbacActionsFor('PUT', PE, body(redisTarget))).toEqual([
      'Microsoft.Network/privateEndpoints/write',
      'Microsoft.Network/virtualNetworks/subnets/join/action',
      'Microsoft.Cache/redis/PrivateEndpointConnectionsApproval/action',
    ]);
    expect(rbacActionsFor('PUT', PE, JSON.stringify(body(AMR)))).toEqual([
      'Microsoft.Network/privateEndpoints/write',
      'Microsoft.Network/virtualNetworks/subnets/join/action',
      'Microsoft.Cache/redisEnterprise/PrivateEndpointConnectionsApproval/action',
    ]);
    // The SDK model (flattened properties) works too.
    expect(
      rbacActionsFor('PUT', PE, { subnet: { id: 'x' }, privateLinkServiceConnections: [{ privateLinkServiceId: redisTarget }] }),
    ).toContain('Microsoft.Cache/redis/PrivateEndpointConnectionsApproval/action');
  });

  it('returns what the path alone implies when there is no body', () => {
    expect(rbacActionsFor('PUT', PE)).toEqual([
      'Microsoft.Network/privateEndpoints/write',
      'Microsoft.Network/virtualNetworks/subnets/join/action',
    ]);
    expect(rbacActionsFor('PATCH', PE, { tags: {} })).toEqual(['Microsoft.Network/privateEndpoints/write']);
    expect(rbacActionsFor('DELETE', PE)).toEqual(['Microsoft.Network/privateEndpoints/delete']);
    expect(rbacActionsFor('GET', `/subscriptions/${SUB}/providers/Microsoft.Network/privateEndpoints`)).toEqual([
      'Microsoft.Network/privateEndpoints/read',
    ]);
  });

  it('needs the zone join for a DNS zone group (spec example), not for its delete', () => {
    const req = specRequest(
      'network/PrivateEndpointDnsZoneGroupCreate.json',
      '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Network/privateEndpoints/{privateEndpointName}/privateDnsZoneGroups/{privateDnsZoneGroupName}',
      'parameters',
    );
    expect(rbacActionsFor('PUT', req.path, req.body)).toEqual([
      'Microsoft.Network/privateEndpoints/privateDnsZoneGroups/write',
      'Microsoft.Network/privateDnsZones/join/action',
    ]);
    expect(rbacActionsFor('DELETE', `${PE}/privateDnsZoneGroups/default`)).toEqual([
      'Microsoft.Network/privateEndpoints/privateDnsZoneGroups/delete',
    ]);
  });
});

describe('rbacActionsFor: virtual networks and subnets', () => {
  it('maps reads of a virtual network and a subnet', () => {
    expect(rbacActionsFor('GET', `${VNET}?api-version=2026-01-01&$expand=subnets`)).toEqual([
      'Microsoft.Network/virtualNetworks/read',
    ]);
    expect(rbacActionsFor('GET', `${VNET}/subnets/pe`)).toEqual(['Microsoft.Network/virtualNetworks/subnets/read']);
  });

  it('adds a join for every network object a subnet PUT references', () => {
    const req = specRequest(
      'network/SubnetCreate.json',
      '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Network/virtualNetworks/{virtualNetworkName}/subnets/{subnetName}',
      'subnetParameters',
    );
    expect(rbacActionsFor('PUT', req.path, req.body)).toEqual(['Microsoft.Network/virtualNetworks/subnets/write']);
    const withPolicies = {
      properties: {
        addressPrefix: '10.0.1.0/24',
        privateEndpointNetworkPolicies: 'Disabled',
        networkSecurityGroup: { id: `${RG}/providers/Microsoft.Network/networkSecurityGroups/nsg1` },
        routeTable: { id: `${RG}/providers/Microsoft.Network/routeTables/rt1` },
      },
    };
    expect(rbacActionsFor('PUT', `${VNET}/subnets/pe`, withPolicies)).toEqual([
      'Microsoft.Network/virtualNetworks/subnets/write',
      'Microsoft.Network/networkSecurityGroups/join/action',
      'Microsoft.Network/routeTables/join/action',
    ]);
  });
});

describe('rbacActionsFor: virtual network creation', () => {
  it('needs virtualNetworks/write, plus the joins of what its inline subnets reference', () => {
    const body = (nsg: boolean) => ({
      location: 'westeurope',
      properties: {
        addressSpace: { addressPrefixes: ['10.0.0.0/16'] },
        subnets: [
          {
            name: 'pe',
            properties: {
              addressPrefix: '10.0.1.0/24',
              privateEndpointNetworkPolicies: 'Disabled',
              ...(nsg ? { networkSecurityGroup: { id: `${RG}/providers/Microsoft.Network/networkSecurityGroups/nsg1` } } : {}),
            },
          },
        ],
      },
    });
    expect(rbacActionsFor('PUT', VNET, body(false))).toEqual(['Microsoft.Network/virtualNetworks/write']);
    expect(rbacActionsFor('PUT', VNET, body(true))).toEqual([
      'Microsoft.Network/virtualNetworks/write',
      'Microsoft.Network/networkSecurityGroups/join/action',
    ]);
  });
});

describe('rbacActionsFor: private DNS zones', () => {
  it('maps zones, virtual network links (with the VNet join, spec example) and A records (spec example)', () => {
    expect(rbacActionsFor('PUT', ZONE, { location: 'global' })).toEqual(['Microsoft.Network/privateDnsZones/write']);
    expect(rbacActionsFor('GET', ZONE)).toEqual(['Microsoft.Network/privateDnsZones/read']);
    const link = specRequest(
      'privatedns/VirtualNetworkLinkPut.json',
      '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Network/privateDnsZones/{privateZoneName}/virtualNetworkLinks/{virtualNetworkLinkName}',
      'parameters',
    );
    expect(rbacActionsFor('PUT', link.path, link.body)).toEqual([
      'Microsoft.Network/privateDnsZones/virtualNetworkLinks/write',
      'Microsoft.Network/virtualNetworks/join/action',
    ]);
    expect(rbacActionsFor('DELETE', `${ZONE}/virtualNetworkLinks/vnet1`)).toEqual([
      'Microsoft.Network/privateDnsZones/virtualNetworkLinks/delete',
    ]);
    const record = specRequest(
      'privatedns/RecordSetAPut.json',
      '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Network/privateDnsZones/{privateZoneName}/{recordType}/{relativeRecordSetName}',
      'parameters',
    );
    expect(rbacActionsFor('PUT', record.path, record.body)).toEqual(['Microsoft.Network/privateDnsZones/A/write']);
    expect(rbacActionsFor('DELETE', `${ZONE}/a/cache1`)).toEqual(['Microsoft.Network/privateDnsZones/A/delete']);
  });

  it('maps record set lists, including the SDK spelling aLL', () => {
    expect(rbacActionsFor('GET', `${ZONE}/aLL?api-version=2024-06-01`)).toEqual(['Microsoft.Network/privateDnsZones/ALL/read']);
    expect(rbacActionsFor('GET', `${ZONE}/A`)).toEqual(['Microsoft.Network/privateDnsZones/A/read']);
  });
});

describe('rbacActionsFor: long-running operation polls', () => {
  it('maps each provider status and result URL to its own read action', () => {
    const cases: Array<[string, string]> = [
      [`/subscriptions/${SUB}/providers/Microsoft.Cache/locations/East%20US/asyncOperations/op1?api-version=2024-11-01`, 'Microsoft.Cache/locations/asyncOperations/read'],
      [`/subscriptions/${SUB}/providers/Microsoft.Cache/locations/East US/operationResults/op1`, 'Microsoft.Cache/locations/operationResults/read'],
      [`/subscriptions/${SUB}/providers/Microsoft.Cache/locations/westeurope/operationsStatus/op1`, 'Microsoft.Cache/locations/operationsStatus/read'],
      [`/subscriptions/${SUB}/providers/Microsoft.Network/locations/westeurope/operations/op1`, 'Microsoft.Network/locations/operations/read'],
      [`/subscriptions/${SUB}/providers/Microsoft.Network/locations/westeurope/operationResults/op1`, 'Microsoft.Network/locations/operationResults/read'],
      [`${RG}/providers/Microsoft.Network/privateDnsOperationStatuses/op1`, 'Microsoft.Network/privateDnsOperationStatuses/read'],
      [`${RG}/providers/Microsoft.Network/privateDnsOperationResults/op1`, 'Microsoft.Network/privateDnsOperationResults/read'],
    ];
    for (const [p, action] of cases) expect(rbacActionsFor('GET', p)).toEqual([action]);
  });

  it('accepts the absolute URLs found in Azure-AsyncOperation and Location headers', () => {
    expect(
      rbacActionsFor('GET', `https://management.azure.com/subscriptions/${SUB}/providers/Microsoft.Cache/locations/East%20US/asyncOperations/x?api-version=2024-11-01`),
    ).toEqual(['Microsoft.Cache/locations/asyncOperations/read']);
  });
});

describe('rbacActionsFor: resource groups and Resource Graph', () => {
  it('maps resource group reads and lists', () => {
    expect(rbacActionsFor('GET', RG)).toEqual(['Microsoft.Resources/subscriptions/resourceGroups/read']);
    expect(rbacActionsFor('GET', `/subscriptions/${SUB}/resourcegroups?api-version=2021-04-01`)).toEqual([
      'Microsoft.Resources/subscriptions/resourceGroups/read',
    ]);
    expect(rbacActionsFor('GET', `/subscriptions/${SUB}`)).toEqual(['Microsoft.Resources/subscriptions/read']);
  });

  it('maps the Resource Graph query POST to resources/read', () => {
    expect(
      rbacActionsFor('POST', '/providers/Microsoft.ResourceGraph/resources?api-version=2024-04-01', {
        subscriptions: [SUB],
        query: "Resources | where type =~ 'microsoft.cache/redis'",
      }),
    ).toEqual(['Microsoft.ResourceGraph/resources/read']);
  });
});

describe('rbacActionsFor: refuses what it cannot map', () => {
  it('throws for unknown methods and non-ARM paths instead of returning nothing', () => {
    expect(() => rbacActionsFor('OPTIONS', CACHE)).toThrow(/unsupported method/);
    expect(() => rbacActionsFor('GET', '/api/health')).toThrow(/not an ARM path/);
    expect(() => rbacActionsFor('GET', `/subscriptions/${SUB}/providers/Microsoft.Cache`)).toThrow(/no resource type/);
    expect(() => rbacActionsFor('POST', CACHE)).toThrow(/POST without an action/);
  });
});

describe('rbacActionsForAll', () => {
  // role-actions.json itself is proven against the emulator's log of the real workflows in test/e2e/rbac-proof.test.ts.
  it('rbacActionsForAll deduplicates case-insensitively', () => {
    expect(
      rbacActionsForAll([
        { method: 'GET', path: CACHE },
        { method: 'get', path: CACHE.replace('/redis/', '/Redis/') },
      ]),
    ).toEqual(['Microsoft.Cache/redis/read']);
  });
});
