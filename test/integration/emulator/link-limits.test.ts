/**
 * The seed's link limits enforced the way Azure enforces them, through the real arm-network client: "For Basic,
 * Standard, and Premium tier caches, you are limited to 100 private links" and "Enterprise and Enterprise Flash
 * tier caches are limited to 84 private links". The refused endpoint leaves the state unchanged.
 */
import { RestError } from '@azure/core-rest-pipeline';
import { startTestEmulator, type TestEmulator } from '../../support/emulator';

const SUB = '11111111-1111-1111-1111-111111111111';
const RG = 'rg-limits';
const POLL = { updateIntervalInMs: 5 };
let t: TestEmulator;

beforeAll(async () => {
  t = await startTestEmulator({ resources: [], resourceGroups: [{ subscriptionId: SUB, name: RG, location: 'westus2' }] });
  await t.clients.network(SUB).virtualNetworks.createOrUpdate(RG, 'vnet', {
    location: 'westus2',
    addressSpace: { addressPrefixes: ['10.0.0.0/16'] },
    subnets: [{ name: 'pe', addressPrefix: '10.0.0.0/22', privateEndpointNetworkPolicies: 'Disabled' }],
  }, POLL);
});
afterAll(async () => t.close());

async function endpoints(target: string, groupId: string, prefix: string, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    await t.clients.network(SUB).privateEndpoints.createOrUpdate(RG, `${prefix}-${i}`, {
      location: 'westus2',
      subnet: { id: `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.Network/virtualNetworks/vnet/subnets/pe` },
      privateLinkServiceConnections: [{ name: `${prefix}-${i}`, privateLinkServiceId: target, groupIds: [groupId] }],
    }, POLL);
  }
}

async function refusedOneMore(target: string, groupId: string, name: string): Promise<RestError> {
  const before = t.emu.control.snapshot();
  const error = await t.clients.network(SUB).privateEndpoints
    .createOrUpdate(RG, name, {
      location: 'westus2',
      subnet: { id: `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.Network/virtualNetworks/vnet/subnets/pe` },
      privateLinkServiceConnections: [{ name, privateLinkServiceId: target, groupIds: [groupId] }],
    }, POLL)
    .then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(RestError);
  expect(t.emu.control.snapshot()).toEqual(before);
  return error as RestError;
}

it('a Standard cache takes 100 private links and refuses the 101st', async () => {
  const cache = await t.clients.redis(SUB).redis.beginCreateAndWait(RG, 'std-limit', { location: 'westus2', sku: { name: 'Standard', family: 'C', capacity: 1 } }, POLL);
  await endpoints(cache.id!, 'redisCache', 'pe-std', 100);
  const e = await refusedOneMore(cache.id!, 'redisCache', 'pe-std-100');
  expect(e.statusCode).toBe(400);
  expect(e.code).toBe('PrivateEndpointLimitReached');
  expect(e.message).toContain('you are limited to 100 private links');
});

it('an Enterprise cluster takes 84 private links and refuses the 85th', async () => {
  const cluster = await t.clients.redisEnterprise(SUB).redisEnterprise.beginCreateAndWait(RG, 'ent-limit', { location: 'westus2', sku: { name: 'Enterprise_E10', capacity: 2 } }, POLL);
  await endpoints(cluster.id!, 'redisEnterprise', 'pe-ent', 84);
  const e = await refusedOneMore(cluster.id!, 'redisEnterprise', 'pe-ent-84');
  expect(e.statusCode).toBe(400);
  expect(e.code).toBe('PrivateEndpointLimitReached');
  expect(e.message).toContain('limited to 84 private links');
});
