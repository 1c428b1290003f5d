/**
 * Microsoft.Network as `@azure/arm-network` 39.0.0 (api-version 2026-01-01) calls it: virtual networks, subnets,
 * private endpoints (with the network interface each one gets) and private endpoint DNS zone groups.
 *
 * Storage: subnets, network interfaces and zone groups are resources of their own (`…/subnets/{name}`,
 * `…/networkInterfaces/{name}`, `…/privateDnsZoneGroups/{name}`). The stored virtual network embeds a copy of
 * its subnets and every subnet lists its `privateEndpoints` and `ipConfigurations`; `syncVirtualNetwork` keeps
 * those derived arrays current after each change and when an estate is loaded (`seed`).
 *
 * Wire behaviour (shared/reference/arm-rest-fidelity.md §4.3, spec examples under test/fixtures/arm/network):
 * - PUT is long-running: 201 (new) / 200 (existing) with the resource body in `provisioningState: Updating` and an
 *   `Azure-AsyncOperation` header; the SDK polls `{"status": …}` and then GETs the resource (`Succeeded`).
 * - DELETE is long-running: 202 with `Azure-AsyncOperation` and `Location`; 204 when the resource is absent.
 * - Lists answer `{ "value": [...] }`.
 *
 * Private endpoint rules, checked before anything is written (a refused call leaves the state unchanged):
 * - the subnet and its virtual network exist and the virtual network is in the endpoint's region
 *   (400 InvalidResourceReference, the real message);
 * - the subnet is not delegated (400 PrivateEndpointCreationNotAllowedAsSubnetIsDelegated) and has private
 *   endpoint network policies disabled (400 PrivateEndpointCannotBeCreatedInSubnetThatHasNetworkPoliciesEnabled;
 *   the seed document requires it, newer Azure relaxed it);
 * - exactly one connection, one group id (400 OnlyOneGroupIdPermitted), the target exists (404 ResourceNotFound),
 *   and accepts the connection with that group id (`PrivateLinkTarget.validateConnection`, its own code);
 * - the subnet has a free address (400 SubnetIsFull) or the requested static address is usable.
 * Then: the next free address after Azure's reserved ones, a NIC `{pe}.nic.{guid}`, `customDnsConfigs` from the
 * target's FQDNs, the connection attached on the target (Approved for `privateLinkServiceConnections`, Pending for
 * `manualPrivateLinkServiceConnections`). GET reads the connection state back from the target (Disconnected when
 * the target side removed it). Re-PUT of an existing endpoint is an update: the connection is kept.
 * DELETE detaches the connection, removes the NIC, the zone groups and the A records they wrote.
 */
import {
  ArmError,
  type ArmResource,
  type EmulatorContext,
  type EmulatorRequest,
  type EmulatorResponse,
  type PrivateLinkTarget,
  type Provider,
  type RouteDef,
  type RouteParams,
} from '../core/types';
import { resourceNotFound } from '../core/errors';
import { parseResourceId } from '../core/ids';
import { normalizeLocation, sameLocation } from '../core/locations';
import {
  TYPES,
  ancestorId,
  bodyObject,
  eqi,
  lastSegment,
  listResponse,
  networkBase,
  props,
  requireResourceGroup,
  strip,
  tagsOf,
  weakEtag,
} from './network-common';
import {
  cidrContains,
  cidrContainsIp,
  cidrsOverlap,
  formatIpv4,
  isUsableAddress,
  nextFreeAddress,
  parseCidr,
  parseIpv4,
  type Cidr,
} from './network-ip';
import { putARecordSet, recordNameForFqdn, removeARecordIp } from './private-dns-records';

const RG_NET = '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Network';
const VNETS = `${RG_NET}/virtualNetworks`;
const VNET = `${VNETS}/{virtualNetworkName}`;
const SUBNETS = `${VNET}/subnets`;
const SUBNET = `${SUBNETS}/{subnetName}`;
const PES = `${RG_NET}/privateEndpoints`;
const PE = `${PES}/{privateEndpointName}`;
const ZONE_GROUPS = `${PE}/privateDnsZoneGroups`;
const ZONE_GROUP = `${ZONE_GROUPS}/{privateDnsZoneGroupName}`;
const NICS = `${RG_NET}/networkInterfaces`;
const NIC = `${NICS}/{networkInterfaceName}`;

const POLICY_VALUES = ['Disabled', 'Enabled', 'NetworkSecurityGroupEnabled', 'RouteTableEnabled'];
/** TTL of the A records a DNS zone group writes. */
const ZONE_GROUP_RECORD_TTL = 10;

// ------------------------------------------------------------------------------------------------ helpers

function startNetworkOperation(
  ctx: EmulatorContext,
  subscriptionId: string,
  location: string | undefined,
  resourceId: string,
  kind: 'put' | 'delete',
  complete: () => void,
  fail: (error: { code: string; message: string }) => void,
): Record<string, string> {
  return ctx.lro.start({
    style: 'network',
    subscriptionId,
    location: normalizeLocation(location ?? 'global'),
    headers: kind === 'put' ? ['azure-async-operation'] : ['azure-async-operation', 'location'],
    resourceId,
    complete,
    fail,
  }).headers;
}

function setProvisioningState(ctx: EmulatorContext, id: string, state: string): void {
  const r = ctx.store.get(id);
  if (r) ctx.store.put({ ...r, properties: { ...r.properties, provisioningState: state } });
}

function invalidReference(referencedId: string, byId: string, detailId = referencedId): ArmError {
  return new ArmError(
    400,
    'InvalidResourceReference',
    `Resource ${referencedId} referenced by resource ${byId} was not found. Please make sure that the referenced resource exists, and that both resources are in the same region.`,
    { details: [{ code: 'NotFound', message: `Resource ${detailId} not found.` }] },
  );
}

/** The address prefixes of a subnet (`addressPrefix` or `addressPrefixes`), parsed. */
function subnetPrefixes(subnet: ArmResource): Cidr[] {
  const texts: string[] = subnet.properties.addressPrefixes ?? (subnet.properties.addressPrefix ? [subnet.properties.addressPrefix] : []);
  return texts.map((t) => parseCidr(t)).flatMap((r) => (r.ok ? [r.cidr] : []));
}

function vnetPrefixes(vnet: ArmResource): Cidr[] {
  const texts: string[] = vnet.properties.addressSpace?.addressPrefixes ?? [];
  return texts.map((t) => parseCidr(t)).flatMap((r) => (r.ok ? [r.cidr] : []));
}

/** Validates CIDR texts, in Azure's words. */
function parsePrefixesOrThrow(texts: string[], ownerId: string): Cidr[] {
  return texts.map((t) => {
    const r = parseCidr(t);
    if (r.ok) return r.cidr;
    if (r.reason === 'host-bits') {
      throw new ArmError(
        400,
        'InvalidCIDRNotation',
        `The address prefix ${t} in resource ${ownerId} has an invalid CIDR notation. For the given prefix length, the address prefix should be ${r.expected}.`,
      );
    }
    throw new ArmError(400, 'InvalidAddressPrefixFormat', `Address prefix ${t} of resource ${ownerId} is not formatted correctly. It should follow CIDR notation, for example 10.0.0.0/24.`);
  });
}

/** NIC ip configurations (with their NIC) whose subnet is `subnetId`. */
function ipConfigurationsIn(ctx: EmulatorContext, subnetId: string): Array<{ nic: ArmResource; ipConfig: any }> {
  const out: Array<{ nic: ArmResource; ipConfig: any }> = [];
  // Read-only scan (no copy of every NIC); only the matches are copied.
  for (const nic of ctx.store.scan(TYPES.networkInterface)) {
    for (const ipc of nic.properties.ipConfigurations ?? []) {
      if (!eqi(ipc.properties?.subnet?.id, subnetId)) continue;
      const copy = structuredClone(nic) as ArmResource;
      out.push({ nic: copy, ipConfig: (copy.properties.ipConfigurations as any[]).find((x) => x.id === ipc.id) ?? ipc });
    }
  }
  return out;
}

function privateEndpointsIn(ctx: EmulatorContext, subnetId: string): ArmResource[] {
  const out: ArmResource[] = [];
  for (const pe of ctx.store.scan(TYPES.privateEndpoint)) if (eqi(pe.properties.subnet?.id, subnetId)) out.push(structuredClone(pe));
  return out;
}

/** A subnet as GET returns it: with its private endpoints and ip configurations. */
function subnetView(ctx: EmulatorContext, subnet: ArmResource): ArmResource {
  const properties = strip(subnet.properties, ['privateEndpoints', 'ipConfigurations']);
  const pes = privateEndpointsIn(ctx, subnet.id).map((pe) => ({ id: pe.id }));
  const ipcs = ipConfigurationsIn(ctx, subnet.id).map((x) => ({ id: x.ipConfig.id }));
  if (pes.length > 0) properties.privateEndpoints = pes;
  if (ipcs.length > 0) properties.ipConfigurations = ipcs;
  const { location: _l, tags: _t, ...rest } = subnet;
  return { ...rest, properties };
}

function vnetView(ctx: EmulatorContext, vnet: ArmResource): ArmResource {
  const subnets = ctx.store.children(vnet.id, 'subnets').map((s) => subnetView(ctx, s));
  return { ...vnet, properties: { ...vnet.properties, subnets } };
}

/** Writes the derived arrays (subnet back-references, the VNet's embedded subnets) into the store. */
export function syncVirtualNetwork(ctx: EmulatorContext, vnetId: string): void {
  const vnet = ctx.store.get(vnetId);
  if (!vnet) return;
  for (const s of ctx.store.children(vnet.id, 'subnets')) ctx.store.put(subnetView(ctx, s));
  ctx.store.put(vnetView(ctx, vnet));
}

function syncVnetOfSubnet(ctx: EmulatorContext, subnetId: string | undefined): void {
  const vnetId = subnetId ? ancestorId(subnetId, 'virtualNetworks') : undefined;
  if (vnetId) syncVirtualNetwork(ctx, vnetId);
}

/** Subnet properties as stored from a request body (read-only fields dropped, service defaults applied). */
function subnetProperties(input: Record<string, any>): Record<string, any> {
  const p = strip(input, ['provisioningState', 'privateEndpoints', 'ipConfigurations', 'purpose', 'resourceNavigationLinks', 'serviceAssociationLinks', 'ipConfigurationProfiles']);
  if (p.privateEndpointNetworkPolicies !== undefined && !POLICY_VALUES.includes(p.privateEndpointNetworkPolicies)) {
    throw new ArmError(400, 'InvalidRequestFormat', `Cannot parse the request. The value '${p.privateEndpointNetworkPolicies}' of privateEndpointNetworkPolicies is not one of ${POLICY_VALUES.join(', ')}.`);
  }
  return {
    ...p,
    // Subnet PUT replaces the subnet: omitted properties take the service defaults again.
    privateEndpointNetworkPolicies: p.privateEndpointNetworkPolicies ?? 'Disabled',
    privateLinkServiceNetworkPolicies: p.privateLinkServiceNetworkPolicies ?? 'Enabled',
    delegations: p.delegations ?? [],
    provisioningState: 'Updating',
  };
}

function inUseSubnetError(ctx: EmulatorContext, subnet: ArmResource): ArmError | undefined {
  const users = ipConfigurationsIn(ctx, subnet.id);
  if (users.length === 0) return undefined;
  return new ArmError(
    400,
    'InUseSubnetCannotBeDeleted',
    `Subnet ${subnet.name} is in use by ${users[0].ipConfig.id} and cannot be deleted. In order to delete the subnet, delete all the resources within the subnet. See aka.ms/deletesubnet.`,
  );
}

/**
 * Checks one subnet's prefixes against the VNet address space, its sibling subnets and the addresses already
 * handed out in it (a subnet in use cannot lose an allocated address).
 */
function validateSubnetPrefixes(
  ctx: EmulatorContext,
  vnetName: string,
  space: Cidr[],
  subnetName: string,
  subnetId: string,
  prefixes: Cidr[],
  siblings: Array<{ name: string; prefixes: Cidr[] }>,
): void {
  if (prefixes.length === 0) {
    throw new ArmError(400, 'NetcfgInvalidSubnet', `Subnet '${subnetName}' is not valid in virtual network '${vnetName}'.`);
  }
  for (const c of prefixes) {
    if (!space.some((s) => cidrContains(s, c))) {
      throw new ArmError(
        400,
        'NetcfgSubnetRangeOutsideVnet',
        `Subnet '${subnetName}' is not valid because its IP address range is outside the IP address range of virtual network '${vnetName}'.`,
      );
    }
    for (const sib of siblings) {
      if (sib.prefixes.some((o) => cidrsOverlap(o, c))) {
        throw new ArmError(
          400,
          'NetcfgSubnetRangesOverlap',
          `Subnet '${subnetName}' is not valid because its IP address range overlaps with that of an existing subnet in virtual network '${vnetName}'.`,
        );
      }
    }
  }
  for (const { ipConfig } of ipConfigurationsIn(ctx, subnetId)) {
    const ip = parseIpv4(ipConfig.properties?.privateIPAddress ?? '');
    if (ip !== undefined && !prefixes.some((c) => cidrContainsIp(c, ip))) {
      throw new ArmError(
        400,
        'InUseSubnetCannotBeUpdated',
        `Subnet ${subnetName} is in use by ${ipConfig.id} and its address prefix cannot be changed to exclude the address ${formatIpv4(ip)}.`,
      );
    }
  }
}

function prefixTexts(p: Record<string, any>): string[] {
  if (Array.isArray(p.addressPrefixes) && p.addressPrefixes.length > 0) return p.addressPrefixes;
  if (typeof p.addressPrefix === 'string') return [p.addressPrefix];
  return [];
}

// ------------------------------------------------------------------------------------------------ virtual networks

function vnetIdOf(p: RouteParams): string {
  return `${networkBase(p.subscriptionId, p.resourceGroupName)}/virtualNetworks/${p.virtualNetworkName}`;
}

function putVirtualNetwork(req: EmulatorRequest, p: RouteParams, ctx: EmulatorContext): EmulatorResponse {
  requireResourceGroup(ctx, p.subscriptionId, p.resourceGroupName);
  const id = vnetIdOf(p);
  const existing = ctx.store.get(id);
  const body = bodyObject(req);
  const pr = props(body);
  if (!body.location && !existing) throw new ArmError(400, 'LocationRequired', 'The location property is required for this definition.');
  const location = normalizeLocation(String(body.location ?? existing!.location));
  const spaceTexts: string[] = pr.addressSpace?.addressPrefixes ?? [];
  const space = parsePrefixesOrThrow(spaceTexts, id);
  for (let i = 0; i < space.length; i++) {
    for (let j = i + 1; j < space.length; j++) {
      if (cidrsOverlap(space[i], space[j])) {
        throw new ArmError(400, 'VnetAddressSpacesOverlap', `Address space ${space[i].text} overlaps with address space ${space[j].text} of virtual network ${id}.`);
      }
    }
  }
  // The subnets of the request replace the existing ones (an omitted `subnets` deletes them, as in Azure).
  const requested: Array<{ name: string; id: string; input: Record<string, any>; prefixes: Cidr[] }> = [];
  for (const s of (pr.subnets ?? []) as Array<Record<string, any>>) {
    if (!s?.name) throw new ArmError(400, 'InvalidRequestFormat', 'Cannot parse the request. Every subnet needs a name.');
    const sid = `${id}/subnets/${s.name}`;
    const sp = s.properties ?? {};
    requested.push({ name: s.name, id: sid, input: sp, prefixes: parsePrefixesOrThrow(prefixTexts(sp), sid) });
  }
  if (requested.length > 0 && space.length === 0) {
    throw new ArmError(400, 'NetcfgInvalidSubnet', `Subnet '${requested[0].name}' is not valid in virtual network '${p.virtualNetworkName}'.`);
  }
  requested.forEach((s, i) =>
    validateSubnetPrefixes(ctx, p.virtualNetworkName, space, s.name, s.id, s.prefixes, requested.slice(0, i).map((o) => ({ name: o.name, prefixes: o.prefixes }))),
  );
  const current = existing ? ctx.store.children(id, 'subnets') : [];
  const removed = current.filter((c) => !requested.some((r) => eqi(r.name, c.name)));
  for (const r of removed) {
    const err = inUseSubnetError(ctx, r);
    if (err) throw err;
  }

  // Write.
  for (const r of removed) ctx.store.delete(r.id);
  for (const r of requested) {
    const prev = ctx.store.get(r.id);
    ctx.store.put({
      id: prev?.id ?? r.id,
      name: prev?.name ?? r.name,
      type: TYPES.subnet,
      etag: weakEtag(ctx),
      properties: subnetProperties(r.input),
    });
  }
  const otherProps = strip(pr, ['subnets', 'provisioningState', 'resourceGuid', 'addressSpace']);
  ctx.store.put({
    id: existing?.id ?? id,
    name: existing?.name ?? p.virtualNetworkName,
    type: TYPES.virtualNetwork,
    location,
    ...(tagsOf(body) ? { tags: tagsOf(body) } : {}),
    etag: weakEtag(ctx),
    properties: {
      virtualNetworkPeerings: [],
      enableDdosProtection: false,
      ...otherProps,
      provisioningState: 'Updating',
      resourceGuid: existing?.properties.resourceGuid ?? ctx.newGuid(),
      addressSpace: { addressPrefixes: spaceTexts },
      subnets: [],
    },
  });
  syncVirtualNetwork(ctx, id);
  const complete = () => {
    for (const s of ctx.store.children(id, 'subnets')) setProvisioningState(ctx, s.id, 'Succeeded');
    setProvisioningState(ctx, id, 'Succeeded');
    syncVirtualNetwork(ctx, id);
  };
  const fail = () => {
    setProvisioningState(ctx, id, 'Failed');
    syncVirtualNetwork(ctx, id);
  };
  const headers = startNetworkOperation(ctx, p.subscriptionId, location, id, 'put', complete, fail);
  return { status: existing ? 200 : 201, headers, body: vnetView(ctx, ctx.store.get(id)!) };
}

function getVirtualNetwork(_req: EmulatorRequest, p: RouteParams, ctx: EmulatorContext): EmulatorResponse {
  requireResourceGroup(ctx, p.subscriptionId, p.resourceGroupName);
  const vnet = ctx.store.get(vnetIdOf(p));
  if (!vnet || !eqi(vnet.type, TYPES.virtualNetwork)) throw resourceNotFound(vnetIdOf(p));
  return { status: 200, body: vnetView(ctx, vnet) };
}

function listVirtualNetworks(req: EmulatorRequest, p: RouteParams, ctx: EmulatorContext): EmulatorResponse {
  if (p.resourceGroupName) requireResourceGroup(ctx, p.subscriptionId, p.resourceGroupName);
  const vnets = ctx.store.listIn(TYPES.virtualNetwork, p.subscriptionId, p.resourceGroupName);
  return listResponse(req, vnets.map((v) => vnetView(ctx, v)));
}

function deleteVirtualNetwork(_req: EmulatorRequest, p: RouteParams, ctx: EmulatorContext): EmulatorResponse {
  requireResourceGroup(ctx, p.subscriptionId, p.resourceGroupName);
  const id = vnetIdOf(p);
  const vnet = ctx.store.get(id);
  if (!vnet) return { status: 204 };
  for (const s of ctx.store.children(id, 'subnets')) {
    const err = inUseSubnetError(ctx, s);
    if (err) throw err;
  }
  setProvisioningState(ctx, id, 'Deleting');
  const headers = startNetworkOperation(
    ctx,
    p.subscriptionId,
    vnet.location,
    id,
    'delete',
    () => void ctx.store.delete(id),
    () => setProvisioningState(ctx, id, 'Failed'),
  );
  return { status: 202, headers };
}

// ------------------------------------------------------------------------------------------------ subnets

function subnetIdOf(p: RouteParams): string {
  return `${vnetIdOf(p)}/subnets/${p.subnetName}`;
}

function requireVnet(ctx: EmulatorContext, p: RouteParams): ArmResource {
  requireResourceGroup(ctx, p.subscriptionId, p.resourceGroupName);
  const vnet = ctx.store.get(vnetIdOf(p));
  if (!vnet || !eqi(vnet.type, TYPES.virtualNetwork)) throw resourceNotFound(vnetIdOf(p));
  return vnet;
}

function putSubnet(req: EmulatorRequest, p: RouteParams, ctx: EmulatorContext): EmulatorResponse {
  const vnet = requireVnet(ctx, p);
  const id = subnetIdOf(p);
  const existing = ctx.store.get(id);
  const pr = props(bodyObject(req));
  const prefixes = parsePrefixesOrThrow(prefixTexts(pr), id);
  const siblings = ctx.store
    .children(vnet.id, 'subnets')
    .filter((s) => !eqi(s.id, id))
    .map((s) => ({ name: s.name, prefixes: subnetPrefixes(s) }));
  validateSubnetPrefixes(ctx, vnet.name, vnetPrefixes(vnet), p.subnetName, id, prefixes, siblings);
  const properties = subnetProperties(pr);
  ctx.store.put({ id: existing?.id ?? id, name: existing?.name ?? p.subnetName, type: TYPES.subnet, etag: weakEtag(ctx), properties });
  syncVirtualNetwork(ctx, vnet.id);
  const headers = startNetworkOperation(
    ctx,
    p.subscriptionId,
    vnet.location,
    id,
    'put',
    () => {
      setProvisioningState(ctx, id, 'Succeeded');
      syncVirtualNetwork(ctx, vnet.id);
    },
    () => {
      setProvisioningState(ctx, id, 'Failed');
      syncVirtualNetwork(ctx, vnet.id);
    },
  );
  return { status: existing ? 200 : 201, headers, body: subnetView(ctx, ctx.store.get(id)!) };
}

function getSubnet(_req: EmulatorRequest, p: RouteParams, ctx: EmulatorContext): EmulatorResponse {
  requireVnet(ctx, p);
  const subnet = ctx.store.get(subnetIdOf(p));
  if (!subnet) throw resourceNotFound(subnetIdOf(p));
  return { status: 200, body: subnetView(ctx, subnet) };
}

function listSubnets(req: EmulatorRequest, p: RouteParams, ctx: EmulatorContext): EmulatorResponse {
  const vnet = requireVnet(ctx, p);
  return listResponse(req, ctx.store.children(vnet.id, 'subnets').map((s) => subnetView(ctx, s)));
}

function deleteSubnet(_req: EmulatorRequest, p: RouteParams, ctx: EmulatorContext): EmulatorResponse {
  const vnet = requireVnet(ctx, p);
  const id = subnetIdOf(p);
  const subnet = ctx.store.get(id);
  if (!subnet) return { status: 204 };
  const err = inUseSubnetError(ctx, subnet);
  if (err) throw err;
  setProvisioningState(ctx, id, 'Deleting');
  syncVirtualNetwork(ctx, vnet.id);
  const headers = startNetworkOperation(
    ctx,
    p.subscriptionId,
    vnet.location,
    id,
    'delete',
    () => {
      ctx.store.delete(id);
      syncVirtualNetwork(ctx, vnet.id);
    },
    () => {
      setProvisioningState(ctx, id, 'Failed');
      syncVirtualNetwork(ctx, vnet.id);
    },
  );
  return { status: 202, headers };
}

// ------------------------------------------------------------------------------------------------ private endpoints

type ConnectionKind = 'privateLinkServiceConnections' | 'manualPrivateLinkServiceConnections';

interface PlannedConnection {
  kind: ConnectionKind;
  name: string;
  targetId: string;
  target: ArmResource;
  plt: PrivateLinkTarget;
  groupId: string;
  requestMessage?: string;
}

function peIdOf(p: RouteParams): string {
  return `${networkBase(p.subscriptionId, p.resourceGroupName)}/privateEndpoints/${p.privateEndpointName}`;
}

/** The connections of a private endpoint (both kinds) as stored. */
function connectionsOf(pe: ArmResource): Array<{ kind: ConnectionKind; c: any }> {
  return (['privateLinkServiceConnections', 'manualPrivateLinkServiceConnections'] as ConnectionKind[]).flatMap((kind) =>
    ((pe.properties[kind] ?? []) as any[]).map((c) => ({ kind, c })),
  );
}

/** The live state of one connection, read from the target that owns it. */
function liveConnectionState(ctx: EmulatorContext, peId: string, c: any): { status: string; description: string; actionsRequired: string } {
  const targetId: string | undefined = c.properties?.privateLinkServiceId;
  const type = targetId ? parseResourceId(targetId)?.type : undefined;
  const plt = type ? ctx.privateLinkTargets.get(type) : undefined;
  const state = plt && targetId && ctx.store.get(targetId) ? plt.connectionState(targetId, peId) : undefined;
  if (!state) {
    return { status: 'Disconnected', description: 'The private endpoint connection was removed by the owner of the private link resource.', actionsRequired: 'None' };
  }
  return { status: state.status, description: state.description, actionsRequired: state.actionsRequired ?? 'None' };
}

/** A private endpoint as GET returns it: connection states read back from their targets. */
export function privateEndpointView(ctx: EmulatorContext, pe: ArmResource): ArmResource {
  const properties = { ...pe.properties };
  for (const kind of ['privateLinkServiceConnections', 'manualPrivateLinkServiceConnections'] as ConnectionKind[]) {
    properties[kind] = ((pe.properties[kind] ?? []) as any[]).map((c) => ({
      ...c,
      properties: { ...c.properties, privateLinkServiceConnectionState: liveConnectionState(ctx, pe.id, c) },
    }));
  }
  return { ...pe, properties };
}

/** Validates the requested connections and resolves their targets (nothing is written). */
function planConnections(ctx: EmulatorContext, peId: string, peName: string, pr: Record<string, any>): PlannedConnection[] {
  const planned: PlannedConnection[] = [];
  for (const kind of ['privateLinkServiceConnections', 'manualPrivateLinkServiceConnections'] as ConnectionKind[]) {
    const list = pr[kind];
    if (list === undefined || list === null) continue;
    if (!Array.isArray(list)) throw new ArmError(400, 'InvalidRequestFormat', 'Cannot parse the request.');
    for (const c of list) {
      const cp = c?.properties ?? {};
      const name: string = c?.name ?? peName;
      const connectionId = `${peId}/${kind}/${name}`;
      const targetId: string | undefined = cp.privateLinkServiceId;
      if (!targetId || !parseResourceId(targetId)?.type) {
        throw new ArmError(400, 'LinkedInvalidPropertyId', `Property id '${targetId ?? ''}' at path 'properties.${kind}[0].properties.privateLinkServiceId' is invalid. Expect fully qualified resource Id that start with '/subscriptions/{subscriptionId}' or '/providers/{resourceProviderNamespace}/'.`);
      }
      const groupIds: string[] = Array.isArray(cp.groupIds) ? cp.groupIds : [];
      if (groupIds.length !== 1) {
        // Real message (DFE-Digital/terraform-azurerm-container-apps-hosting#352).
        throw new ArmError(
          400,
          'OnlyOneGroupIdPermitted',
          `Private link service connection ${connectionId} has the following group Ids: ${groupIds.join(', ')}. Only one group Id is permitted when connecting to a first-party resource (${targetId}).`,
        );
      }
      const type = parseResourceId(targetId)!.type!;
      const plt = ctx.privateLinkTargets.get(type);
      const target = ctx.store.get(targetId);
      if (!target || !plt) throw resourceNotFound(targetId);
      // The target checks the group id itself (`Call to {type} failed. Error message: …`).
      const groupId = plt.groupIds.find((g) => eqi(g, groupIds[0])) ?? groupIds[0];
      plt.validateConnection(target, groupId, peId);
      planned.push({ kind, name, targetId: target.id, target, plt, groupId, requestMessage: cp.requestMessage });
    }
  }
  if (planned.length !== 1) {
    throw new ArmError(
      400,
      'BadRequest',
      `Private endpoint ${peId} must have exactly one private link service connection (privateLinkServiceConnections or manualPrivateLinkServiceConnections); the request has ${planned.length}.`,
    );
  }
  return planned;
}

/** The subnet of a private endpoint request, checked the way the Network RP checks it. */
function resolveSubnet(ctx: EmulatorContext, peId: string, location: string, pr: Record<string, any>): { vnet: ArmResource; subnet: ArmResource } {
  const subnetId: string | undefined = pr.subnet?.id;
  if (!subnetId) {
    throw new ArmError(400, 'InvalidRequestFormat', `Cannot parse the request. Private endpoint ${peId} must reference a subnet (properties.subnet.id).`);
  }
  const vnetId = ancestorId(subnetId, 'virtualNetworks');
  const vnet = vnetId ? ctx.store.get(vnetId) : undefined;
  // The Network RP resolves references in the endpoint's own region: a VNet elsewhere reads as "not found".
  if (!vnet || !eqi(vnet.type, TYPES.virtualNetwork) || !sameLocation(vnet.location, location)) {
    throw invalidReference(vnetId ?? subnetId, peId);
  }
  const subnet = ctx.store.get(subnetId);
  if (!subnet || !eqi(subnet.type, TYPES.subnet)) throw invalidReference(subnetId, peId);
  return { vnet, subnet };
}

function usedAddresses(ctx: EmulatorContext, subnetId: string): Set<number> {
  const used = new Set<number>();
  for (const { ipConfig } of ipConfigurationsIn(ctx, subnetId)) {
    const ip = parseIpv4(ipConfig.properties?.privateIPAddress ?? '');
    if (ip !== undefined) used.add(ip);
  }
  return used;
}

/** The address the endpoint gets: a requested static one, or the next free one. */
function allocateAddress(ctx: EmulatorContext, subnet: ArmResource, pr: Record<string, any>): { ip: string; method: 'Static' | 'Dynamic' } {
  const prefixes = subnetPrefixes(subnet);
  const used = usedAddresses(ctx, subnet.id);
  const requested: string | undefined = ((pr.ipConfigurations ?? []) as any[]).find((c) => c?.properties?.privateIPAddress)?.properties?.privateIPAddress;
  if (requested) {
    const ip = parseIpv4(requested);
    if (ip === undefined || !prefixes.some((c) => isUsableAddress(c, ip))) {
      throw new ArmError(400, 'PrivateIPAddressNotInSubnet', `Private static IP address ${requested} does not belong to the range of subnet prefix ${prefixes.map((c) => c.text).join(', ')}.`);
    }
    if (used.has(ip)) {
      throw new ArmError(400, 'PrivateIPAddressInUse', `Private static IP address ${requested} is already in use in subnet ${subnet.id}.`);
    }
    return { ip: requested, method: 'Static' };
  }
  const next = nextFreeAddress(prefixes, used);
  if (next === undefined) {
    throw new ArmError(
      400,
      'SubnetIsFull',
      `Subnet ${subnet.name} with address prefix ${prefixes.map((c) => c.text).join(', ')} does not have enough capacity for 1 IP addresses.`,
    );
  }
  return { ip: formatIpv4(next), method: 'Dynamic' };
}

function putPrivateEndpoint(req: EmulatorRequest, p: RouteParams, ctx: EmulatorContext): EmulatorResponse {
  requireResourceGroup(ctx, p.subscriptionId, p.resourceGroupName);
  const id = peIdOf(p);
  const existing = ctx.store.get(id);
  const body = bodyObject(req);
  const pr = props(body);
  if (!body.location && !existing) throw new ArmError(400, 'LocationRequired', 'The location property is required for this definition.');
  const location = normalizeLocation(String(body.location ?? existing!.location));
  if (existing?.properties.provisioningState === 'Deleting') {
    throw new ArmError(409, 'AnotherOperationInProgress', `Another operation on this or dependent resource is in progress. Private endpoint ${id} is being deleted.`);
  }
  const { vnet, subnet } = resolveSubnet(ctx, id, location, pr);
  if (existing) return updatePrivateEndpoint(ctx, p, existing, body, pr, location, subnet);

  if (Array.isArray(subnet.properties.delegations) && subnet.properties.delegations.length > 0) {
    throw new ArmError(400, 'PrivateEndpointCreationNotAllowedAsSubnetIsDelegated', `Private endpoint ${id} cannot be created as subnet ${subnet.id} is delegated.`);
  }
  const policies = subnet.properties.privateEndpointNetworkPolicies ?? 'Disabled';
  if (policies !== 'Disabled') {
    // Real code and message (Azure/missionlz#673).
    throw new ArmError(
      400,
      'PrivateEndpointCannotBeCreatedInSubnetThatHasNetworkPoliciesEnabled',
      `Private endpoint ${id} cannot be created in a subnet ${subnet.id} since it has private endpoint network policies enabled.`,
    );
  }
  const [conn] = planConnections(ctx, id, p.privateEndpointName, pr);
  const { ip, method } = allocateAddress(ctx, subnet, pr);

  // Everything is valid: write.
  const guid = ctx.newGuid();
  const fqdns = conn.plt.fqdns(conn.target, conn.groupId);
  const nicName: string = pr.customNetworkInterfaceName || `${p.privateEndpointName}.nic.${guid}`;
  const nicId = `${networkBase(p.subscriptionId, p.resourceGroupName)}/networkInterfaces/${nicName}`;
  ctx.store.put({
    id: nicId,
    name: nicName,
    type: TYPES.networkInterface,
    location,
    etag: weakEtag(ctx),
    properties: {
      provisioningState: 'Succeeded',
      resourceGuid: ctx.newGuid(),
      ipConfigurations: [
        {
          name: `privateEndpointIpConfig.${guid}`,
          id: `${nicId}/ipConfigurations/privateEndpointIpConfig.${guid}`,
          etag: weakEtag(ctx),
          type: 'Microsoft.Network/networkInterfaces/ipConfigurations',
          properties: {
            provisioningState: 'Succeeded',
            privateIPAddress: ip,
            privateIPAllocationMethod: method,
            subnet: { id: subnet.id },
            primary: true,
            privateIPAddressVersion: 'IPv4',
            privateLinkConnectionProperties: { groupId: conn.groupId, requiredMemberName: conn.groupId, fqdns },
          },
        },
      ],
      dnsSettings: { dnsServers: [], appliedDnsServers: [] },
      macAddress: '',
      enableAcceleratedNetworking: false,
      vnetEncryptionSupported: false,
      enableIPForwarding: false,
      hostedWorkloads: [],
      tapConfigurations: [],
      privateEndpoint: { id },
      nicType: 'Standard',
    },
  });
  const status = conn.kind === 'privateLinkServiceConnections' ? 'Approved' : 'Pending';
  conn.plt.attach(conn.target, {
    privateEndpointId: id,
    connectionName: `${p.privateEndpointName}.${ctx.newGuid()}`,
    groupId: conn.groupId,
    status,
    ...(conn.requestMessage !== undefined ? { requestMessage: conn.requestMessage } : {}),
  });
  const connection = {
    name: conn.name,
    id: `${id}/${conn.kind}/${conn.name}`,
    etag: weakEtag(ctx),
    type: `${TYPES.privateEndpoint}/${conn.kind}`,
    properties: {
      provisioningState: 'Succeeded',
      privateLinkServiceId: conn.targetId,
      groupIds: [conn.groupId],
      ...(conn.requestMessage !== undefined ? { requestMessage: conn.requestMessage } : {}),
      privateLinkServiceConnectionState:
        status === 'Approved'
          ? { status, description: 'Auto-Approved', actionsRequired: 'None' }
          : { status, description: 'Awaiting approval', actionsRequired: 'None' },
    },
  };
  ctx.store.put({
    id,
    name: p.privateEndpointName,
    type: TYPES.privateEndpoint,
    location,
    ...(tagsOf(body) ? { tags: tagsOf(body) } : {}),
    etag: weakEtag(ctx),
    properties: {
      provisioningState: 'Updating',
      resourceGuid: ctx.newGuid(),
      privateLinkServiceConnections: conn.kind === 'privateLinkServiceConnections' ? [connection] : [],
      manualPrivateLinkServiceConnections: conn.kind === 'manualPrivateLinkServiceConnections' ? [connection] : [],
      subnet: { id: subnet.id },
      ipVersionType: pr.ipVersionType ?? 'IPv4',
      networkInterfaces: [{ id: nicId }],
      customDnsConfigs: fqdns.map((fqdn) => ({ fqdn, ipAddresses: [ip] })),
      applicationSecurityGroups: pr.applicationSecurityGroups ?? [],
      ipConfigurations: pr.ipConfigurations ?? [],
      ...(pr.customNetworkInterfaceName ? { customNetworkInterfaceName: pr.customNetworkInterfaceName } : {}),
    },
  });
  syncVirtualNetwork(ctx, vnet.id);
  const headers = startNetworkOperation(
    ctx,
    p.subscriptionId,
    location,
    id,
    'put',
    () => setProvisioningState(ctx, id, 'Succeeded'),
    () => {
      // A failed creation leaves the endpoint in Failed without its connection; a re-PUT attaches it again.
      setProvisioningState(ctx, id, 'Failed');
      conn.plt.detach(conn.targetId, id);
    },
  );
  return { status: 201, headers, body: privateEndpointView(ctx, ctx.store.get(id)!) };
}

/** Re-PUT of an existing endpoint: tags and request messages may change, the connection is kept (never a second one). */
function updatePrivateEndpoint(
  ctx: EmulatorContext,
  p: RouteParams,
  existing: ArmResource,
  body: Record<string, any>,
  pr: Record<string, any>,
  location: string,
  subnet: ArmResource,
): EmulatorResponse {
  const id = existing.id;
  if (!eqi(existing.properties.subnet?.id, subnet.id)) {
    throw new ArmError(400, 'BadRequest', `The subnet of private endpoint ${id} cannot be changed from ${existing.properties.subnet?.id} to ${subnet.id}; delete the private endpoint and create it again.`);
  }
  const [conn] = planConnectionsForUpdate(ctx, existing, pr);
  const current = connectionsOf(existing)[0];
  if (!current || current.kind !== conn.kind || !eqi(current.c.properties?.privateLinkServiceId, conn.targetId) || !eqi(current.c.properties?.groupIds?.[0], conn.groupId)) {
    throw new ArmError(400, 'BadRequest', `The private link service connection of private endpoint ${id} cannot be changed; delete the private endpoint and create it again.`);
  }
  // A creation that failed left the endpoint without its connection: attach it again.
  const wasFailed = existing.properties.provisioningState === 'Failed';
  if (wasFailed && conn.plt.connectionState(conn.targetId, id) === undefined) {
    conn.plt.validateConnection(conn.target, conn.groupId, id);
    conn.plt.attach(conn.target, {
      privateEndpointId: id,
      connectionName: `${p.privateEndpointName}.${ctx.newGuid()}`,
      groupId: conn.groupId,
      status: conn.kind === 'privateLinkServiceConnections' ? 'Approved' : 'Pending',
      ...(conn.requestMessage !== undefined ? { requestMessage: conn.requestMessage } : {}),
    });
  }
  const updatedConnection = {
    ...current.c,
    etag: weakEtag(ctx),
    properties: {
      ...current.c.properties,
      ...(conn.requestMessage !== undefined ? { requestMessage: conn.requestMessage } : {}),
    },
  };
  const next: ArmResource = {
    ...existing,
    location,
    etag: weakEtag(ctx),
    properties: {
      ...existing.properties,
      [current.kind]: [updatedConnection],
      ...(pr.applicationSecurityGroups ? { applicationSecurityGroups: pr.applicationSecurityGroups } : {}),
      provisioningState: 'Updating',
    },
  };
  // PUT replaces the tags.
  if (body.tags) next.tags = body.tags;
  else delete next.tags;
  ctx.store.put(next);
  const headers = startNetworkOperation(
    ctx,
    p.subscriptionId,
    location,
    id,
    'put',
    () => setProvisioningState(ctx, id, 'Succeeded'),
    () => setProvisioningState(ctx, id, 'Failed'),
  );
  return { status: 200, headers, body: privateEndpointView(ctx, ctx.store.get(id)!) };
}

/** On update, the connection is resolved the same way, but the target's admission check is not re-run. */
function planConnectionsForUpdate(ctx: EmulatorContext, existing: ArmResource, pr: Record<string, any>): PlannedConnection[] {
  const out: PlannedConnection[] = [];
  for (const kind of ['privateLinkServiceConnections', 'manualPrivateLinkServiceConnections'] as ConnectionKind[]) {
    for (const c of (pr[kind] ?? []) as any[]) {
      const cp = c?.properties ?? {};
      const targetId: string | undefined = cp.privateLinkServiceId;
      const type = targetId ? parseResourceId(targetId)?.type : undefined;
      const groupIds: string[] = Array.isArray(cp.groupIds) ? cp.groupIds : [];
      if (groupIds.length !== 1) {
        throw new ArmError(
          400,
          'OnlyOneGroupIdPermitted',
          `Private link service connection ${existing.id}/${kind}/${c?.name ?? existing.name} has the following group Ids: ${groupIds.join(', ')}. Only one group Id is permitted when connecting to a first-party resource (${targetId}).`,
        );
      }
      const plt = type ? ctx.privateLinkTargets.get(type) : undefined;
      const target = targetId ? ctx.store.get(targetId) : undefined;
      if (!targetId || !plt || !target) throw resourceNotFound(targetId ?? '');
      out.push({ kind, name: c?.name ?? existing.name, targetId: target.id, target, plt, groupId: plt.groupIds.find((g) => eqi(g, groupIds[0])) ?? groupIds[0], requestMessage: cp.requestMessage });
    }
  }
  if (out.length !== 1) {
    throw new ArmError(400, 'BadRequest', `Private endpoint ${existing.id} must have exactly one private link service connection; the request has ${out.length}.`);
  }
  return out;
}

function getPrivateEndpoint(_req: EmulatorRequest, p: RouteParams, ctx: EmulatorContext): EmulatorResponse {
  requireResourceGroup(ctx, p.subscriptionId, p.resourceGroupName);
  const pe = ctx.store.get(peIdOf(p));
  if (!pe || !eqi(pe.type, TYPES.privateEndpoint)) throw resourceNotFound(peIdOf(p));
  return { status: 200, body: privateEndpointView(ctx, pe) };
}

function listPrivateEndpoints(req: EmulatorRequest, p: RouteParams, ctx: EmulatorContext): EmulatorResponse {
  if (p.resourceGroupName) requireResourceGroup(ctx, p.subscriptionId, p.resourceGroupName);
  const pes = ctx.store.listIn(TYPES.privateEndpoint, p.subscriptionId, p.resourceGroupName);
  return listResponse(req, pes.map((pe) => privateEndpointView(ctx, pe)));
}

/** Removes the A records a zone group wrote (only this endpoint's address; a record set left empty goes). */
function removeZoneGroupRecords(ctx: EmulatorContext, group: ArmResource): void {
  for (const cfg of (group.properties.privateDnsZoneConfigs ?? []) as any[]) {
    const zoneId: string | undefined = cfg.properties?.privateDnsZoneId;
    if (!zoneId || !ctx.store.get(zoneId)) continue;
    for (const rs of (cfg.properties?.recordSets ?? []) as any[]) {
      for (const ip of (rs.ipAddresses ?? []) as string[]) removeARecordIp(ctx, zoneId, rs.recordSetName, ip);
    }
  }
}

function deletePrivateEndpoint(_req: EmulatorRequest, p: RouteParams, ctx: EmulatorContext): EmulatorResponse {
  requireResourceGroup(ctx, p.subscriptionId, p.resourceGroupName);
  const id = peIdOf(p);
  const pe = ctx.store.get(id);
  if (!pe || !eqi(pe.type, TYPES.privateEndpoint)) return { status: 204 };
  setProvisioningState(ctx, id, 'Deleting');
  const complete = () => {
    const current = ctx.store.get(id);
    if (!current) return;
    for (const group of ctx.store.children(id, 'privateDnsZoneGroups')) removeZoneGroupRecords(ctx, group);
    for (const { c } of connectionsOf(current)) {
      const targetId: string | undefined = c.properties?.privateLinkServiceId;
      const type = targetId ? parseResourceId(targetId)?.type : undefined;
      const plt = type ? ctx.privateLinkTargets.get(type) : undefined;
      if (plt && targetId) plt.detach(targetId, id);
    }
    for (const nic of (current.properties.networkInterfaces ?? []) as Array<{ id: string }>) ctx.store.delete(nic.id);
    ctx.store.delete(id);
    syncVnetOfSubnet(ctx, current.properties.subnet?.id);
  };
  const headers = startNetworkOperation(ctx, p.subscriptionId, pe.location, id, 'delete', complete, () => setProvisioningState(ctx, id, 'Failed'));
  return { status: 202, headers };
}

// ------------------------------------------------------------------------------------------------ DNS zone groups

function zoneGroupIdOf(p: RouteParams): string {
  return `${peIdOf(p)}/privateDnsZoneGroups/${p.privateDnsZoneGroupName}`;
}

function requirePe(ctx: EmulatorContext, p: RouteParams): ArmResource {
  requireResourceGroup(ctx, p.subscriptionId, p.resourceGroupName);
  const pe = ctx.store.get(peIdOf(p));
  if (!pe || !eqi(pe.type, TYPES.privateEndpoint)) throw resourceNotFound(peIdOf(p));
  return pe;
}

/** The FQDN/address pairs a private endpoint serves (from its customDnsConfigs). */
function endpointDnsEntries(pe: ArmResource): Array<{ fqdn: string; ip: string }> {
  return ((pe.properties.customDnsConfigs ?? []) as any[]).flatMap((d) =>
    ((d.ipAddresses ?? []) as string[]).slice(0, 1).map((ip) => ({ fqdn: String(d.fqdn), ip })),
  );
}

function putZoneGroup(req: EmulatorRequest, p: RouteParams, ctx: EmulatorContext): EmulatorResponse {
  const pe = requirePe(ctx, p);
  const id = zoneGroupIdOf(p);
  const existing = ctx.store.get(id);
  const pr = props(bodyObject(req));
  const configs = (pr.privateDnsZoneConfigs ?? []) as any[];
  if (!Array.isArray(configs) || configs.length === 0) {
    throw new ArmError(400, 'InvalidPrivateDnsZoneIds', `Private Dns Zone group ${id} has invalid private dns zone ids .`);
  }
  const zones: ArmResource[] = [];
  const invalid: string[] = [];
  for (const cfg of configs) {
    const zoneId: string | undefined = cfg?.properties?.privateDnsZoneId;
    const zone = zoneId ? ctx.store.get(zoneId) : undefined;
    if (!zone || !eqi(zone.type, TYPES.privateDnsZone)) invalid.push(zoneId ?? '');
    else zones.push(zone);
  }
  if (invalid.length > 0) {
    // Real code and message (Azure/missionlz#1029); the real service reports it through the operation status.
    throw new ArmError(400, 'InvalidPrivateDnsZoneIds', `Private Dns Zone group ${id} has invalid private dns zone ids ${invalid.join(',')}.`);
  }
  const entries = endpointDnsEntries(pe);
  const privateDnsZoneConfigs = configs.map((cfg, i) => {
    const zone = zones[i];
    const recordSets = entries.flatMap(({ fqdn, ip }) => {
      const recordSetName = recordNameForFqdn(zone.name, fqdn);
      return recordSetName
        ? [{ recordType: 'A', recordSetName, fqdn: `${recordSetName}.${zone.name}`, ttl: ZONE_GROUP_RECORD_TTL, ipAddresses: [ip], provisioningState: 'Succeeded' }]
        : [];
    });
    return { ...(cfg.name ? { name: String(cfg.name) } : {}), properties: { privateDnsZoneId: zone.id, recordSets } };
  });
  ctx.store.put({
    id,
    name: existing?.name ?? p.privateDnsZoneGroupName,
    type: TYPES.privateDnsZoneGroup,
    etag: weakEtag(ctx),
    properties: { provisioningState: 'Updating', privateDnsZoneConfigs },
  });
  const complete = () => {
    // The endpoint (and with it the group) may have been deleted meanwhile: write nothing then.
    if (!ctx.store.get(id)) return;
    if (existing) removeZoneGroupRecords(ctx, existing);
    for (const cfg of privateDnsZoneConfigs) {
      if (!ctx.store.get(cfg.properties.privateDnsZoneId)) {
        throw new ArmError(400, 'InvalidPrivateDnsZoneIds', `Private Dns Zone group ${id} has invalid private dns zone ids ${cfg.properties.privateDnsZoneId}.`);
      }
      for (const rs of cfg.properties.recordSets) putARecordSet(ctx, cfg.properties.privateDnsZoneId, rs.recordSetName, rs.ipAddresses, rs.ttl);
    }
    setProvisioningState(ctx, id, 'Succeeded');
  };
  const headers = startNetworkOperation(ctx, p.subscriptionId, pe.location, id, 'put', complete, () => setProvisioningState(ctx, id, 'Failed'));
  return { status: existing ? 200 : 201, headers, body: ctx.store.get(id) };
}

function getZoneGroup(_req: EmulatorRequest, p: RouteParams, ctx: EmulatorContext): EmulatorResponse {
  requirePe(ctx, p);
  const group = ctx.store.get(zoneGroupIdOf(p));
  if (!group) throw resourceNotFound(zoneGroupIdOf(p));
  return { status: 200, body: group };
}

function listZoneGroups(req: EmulatorRequest, p: RouteParams, ctx: EmulatorContext): EmulatorResponse {
  const pe = requirePe(ctx, p);
  return listResponse(req, ctx.store.children(pe.id, 'privateDnsZoneGroups'));
}

function deleteZoneGroup(_req: EmulatorRequest, p: RouteParams, ctx: EmulatorContext): EmulatorResponse {
  const pe = requirePe(ctx, p);
  const id = zoneGroupIdOf(p);
  const group = ctx.store.get(id);
  if (!group) return { status: 204 };
  setProvisioningState(ctx, id, 'Deleting');
  const complete = () => {
    const current = ctx.store.get(id);
    if (!current) return;
    removeZoneGroupRecords(ctx, current);
    ctx.store.delete(id);
  };
  const headers = startNetworkOperation(ctx, p.subscriptionId, pe.location, id, 'delete', complete, () => setProvisioningState(ctx, id, 'Failed'));
  return { status: 202, headers };
}

// ------------------------------------------------------------------------------------------------ network interfaces

function nicIdOf(p: RouteParams): string {
  return `${networkBase(p.subscriptionId, p.resourceGroupName)}/networkInterfaces/${p.networkInterfaceName}`;
}

function getNic(_req: EmulatorRequest, p: RouteParams, ctx: EmulatorContext): EmulatorResponse {
  requireResourceGroup(ctx, p.subscriptionId, p.resourceGroupName);
  const nic = ctx.store.get(nicIdOf(p));
  if (!nic || !eqi(nic.type, TYPES.networkInterface)) throw resourceNotFound(nicIdOf(p));
  return { status: 200, body: nic };
}

function listNics(req: EmulatorRequest, p: RouteParams, ctx: EmulatorContext): EmulatorResponse {
  if (p.resourceGroupName) requireResourceGroup(ctx, p.subscriptionId, p.resourceGroupName);
  return listResponse(req, ctx.store.listIn(TYPES.networkInterface, p.subscriptionId, p.resourceGroupName));
}

function deleteNic(_req: EmulatorRequest, p: RouteParams, ctx: EmulatorContext): EmulatorResponse {
  requireResourceGroup(ctx, p.subscriptionId, p.resourceGroupName);
  const nic = ctx.store.get(nicIdOf(p));
  if (!nic) return { status: 204 };
  const peId: string | undefined = nic.properties.privateEndpoint?.id;
  if (peId && ctx.store.get(peId)) {
    throw new ArmError(
      400,
      'NicAttachedToPrivateEndpoint',
      `Network interface ${nic.id} is used by private endpoint ${peId}. Delete the private endpoint to remove its network interface.`,
    );
  }
  const headers = startNetworkOperation(ctx, p.subscriptionId, nic.location, nic.id, 'delete', () => void ctx.store.delete(nic.id), () => setProvisioningState(ctx, nic.id, 'Failed'));
  return { status: 202, headers };
}

// ------------------------------------------------------------------------------------------------ provider

const routes: RouteDef[] = [
  { method: 'GET', template: '/subscriptions/{subscriptionId}/providers/Microsoft.Network/virtualNetworks', handler: listVirtualNetworks },
  { method: 'GET', template: VNETS, handler: listVirtualNetworks },
  { method: 'PUT', template: VNET, handler: putVirtualNetwork },
  { method: 'GET', template: VNET, handler: getVirtualNetwork },
  { method: 'DELETE', template: VNET, handler: deleteVirtualNetwork },
  { method: 'GET', template: SUBNETS, handler: listSubnets },
  { method: 'PUT', template: SUBNET, handler: putSubnet },
  { method: 'GET', template: SUBNET, handler: getSubnet },
  { method: 'DELETE', template: SUBNET, handler: deleteSubnet },
  { method: 'GET', template: '/subscriptions/{subscriptionId}/providers/Microsoft.Network/privateEndpoints', handler: listPrivateEndpoints },
  { method: 'GET', template: PES, handler: listPrivateEndpoints },
  { method: 'PUT', template: PE, handler: putPrivateEndpoint },
  { method: 'GET', template: PE, handler: getPrivateEndpoint },
  { method: 'DELETE', template: PE, handler: deletePrivateEndpoint },
  { method: 'GET', template: ZONE_GROUPS, handler: listZoneGroups },
  { method: 'PUT', template: ZONE_GROUP, handler: putZoneGroup },
  { method: 'GET', template: ZONE_GROUP, handler: getZoneGroup },
  { method: 'DELETE', template: ZONE_GROUP, handler: deleteZoneGroup },
  { method: 'GET', template: '/subscriptions/{subscriptionId}/providers/Microsoft.Network/networkInterfaces', handler: listNics },
  { method: 'GET', template: NICS, handler: listNics },
  { method: 'GET', template: NIC, handler: getNic },
  { method: 'DELETE', template: NIC, handler: deleteNic },
];

export const networkProvider: Provider = {
  name: 'Microsoft.Network',
  routes,
  /**
   * After an estate is loaded: subnets embedded in a virtual network but not listed on their own become
   * resources, then every virtual network's derived arrays are rebuilt.
   */
  seed(ctx) {
    for (const vnet of ctx.store.list(TYPES.virtualNetwork)) {
      for (const s of (vnet.properties.subnets ?? []) as any[]) {
        const sid: string | undefined = s?.id ?? (s?.name ? `${vnet.id}/subnets/${s.name}` : undefined);
        if (!sid || ctx.store.get(sid)) continue;
        ctx.store.put({ id: sid, name: s.name ?? lastSegment(sid), type: TYPES.subnet, etag: s.etag ?? weakEtag(ctx), properties: { ...(s.properties ?? {}) } });
      }
      syncVirtualNetwork(ctx, vnet.id);
    }
  },
};
