/**
 * The connectivity oracle (not part of ARM): what a client sees when it resolves a cache's host name and opens a
 * TLS connection on the tier's port, from inside a virtual network or from the internet. It answers from the
 * emulator's state only, with the rules below (each answer carries the rule that decided it in `reason`).
 *
 * Name resolution (Azure Private Endpoint DNS, learn.microsoft.com/azure/private-link/private-endpoint-dns):
 * - A cache with at least one private endpoint connection publishes the CNAME
 *   `{host}` -> `{label}.privatelink.{suffix}`; a cache without any publishes no CNAME, so its name resolves to
 *   the public address everywhere (a privatelink zone linked to the VNet is then never consulted).
 * - From a VNet, the CNAME target is answered by a private DNS zone named `privatelink.{suffix}` linked to that
 *   VNet: its A record `{label}` gives the private address; when the zone has no such record the answer is
 *   NXDOMAIN (resolution 'none', nothing to connect to). Without a linked zone, public DNS answers with the public
 *   address. From the internet the answer is always the public address.
 *   (`{label}` is the host name minus the suffix: `mycache` for Basic/Standard/Premium, `c.westus2` for Enterprise.)
 *
 * Reachability:
 * - A private address is reachable when it is the address of a private endpoint in the same VNet (VNet peering is
 *   not modelled) whose connection to this cache is Approved and which is not failed or being deleted.
 * - The public address is reachable when the cache accepts public traffic: `endpointInfo(...).publicNetworkAccess`
 *   from the cache's private link target. For Basic/Standard/Premium that is `publicNetworkAccess: Enabled` (and no
 *   VNet injection). For Enterprise / Azure Managed Redis the Learn page says the tiers do not support the
 *   `publicNetworkAccess` flag (older api-versions) while newer api-versions expose it; the redisEnterprise target
 *   decides (flag when present, otherwise public unless an Approved private endpoint exists).
 */
import { ArmError, type ArmResource, type EmulatorContext, type PrivateLinkTarget } from '../core/types';
import { TYPES, eqi } from '../providers/network-common';
import { aRecordAddress, recordNameForFqdn, zonesLinkedTo } from '../providers/private-dns-records';

export interface ConnectivityResult {
  cacheId: string;
  from: string;
  hostName: string;
  port: number;
  /** What the host name resolves to from there: an IP, or null (no answer). */
  resolvedAddress: string | null;
  /** 'private' (A record of a linked privatelink zone), 'public', or 'none'. */
  resolution: 'private' | 'public' | 'none';
  /** Whether a TLS connection on the port succeeds. */
  reachable: boolean;
  reason: string;
}

/** Thrown for an unknown cache or virtual network; the control route renders it as a 404. */
function notFound(what: string, id: string): ArmError {
  return new ArmError(404, 'ResourceNotFound', `The ${what} '${id}' was not found.`);
}

function privateLinkTargetOf(ctx: EmulatorContext, cache: ArmResource): PrivateLinkTarget | undefined {
  return ctx.privateLinkTargets.get(cache.type);
}

/** Private endpoints whose connection points at `cacheId`. */
function endpointsOf(ctx: EmulatorContext, cacheId: string): ArmResource[] {
  return ctx.store.list(TYPES.privateEndpoint).filter((pe) =>
    ['privateLinkServiceConnections', 'manualPrivateLinkServiceConnections'].some((k) =>
      ((pe.properties[k] ?? []) as any[]).some((c) => eqi(c?.properties?.privateLinkServiceId, cacheId)),
    ),
  );
}

/** The private addresses of an endpoint (its NIC ip configurations; customDnsConfigs when the NIC is absent). */
function endpointAddresses(ctx: EmulatorContext, pe: ArmResource): string[] {
  const fromNics = ((pe.properties.networkInterfaces ?? []) as Array<{ id: string }>).flatMap((n) => {
    const nic = ctx.store.get(n.id);
    return ((nic?.properties.ipConfigurations ?? []) as any[]).map((c) => c?.properties?.privateIPAddress).filter((a): a is string => typeof a === 'string');
  });
  if (fromNics.length > 0) return fromNics;
  return ((pe.properties.customDnsConfigs ?? []) as any[]).flatMap((d) => (d.ipAddresses ?? []) as string[]);
}

function vnetOfSubnet(subnetId: string | undefined): string | undefined {
  const m = subnetId ? /^(.*\/virtualNetworks\/[^/]+)\/subnets\/[^/]+$/i.exec(subnetId) : null;
  return m ? m[1] : undefined;
}

export function checkConnectivity(ctx: EmulatorContext, cacheId: string, from: string): ConnectivityResult {
  const cache = ctx.store.get(cacheId);
  const target = cache ? privateLinkTargetOf(ctx, cache) : undefined;
  if (!cache || !target) throw notFound('cache', cacheId);
  const info = target.endpointInfo(cache);
  const base = { cacheId: cache.id, from, hostName: info.hostName, port: info.port };

  const publicAnswer = (why: string): ConnectivityResult => ({
    ...base,
    resolvedAddress: info.publicIp,
    resolution: 'public',
    reachable: info.publicNetworkAccess,
    reason: info.publicNetworkAccess
      ? `${why}; the cache accepts public network traffic, so a TLS connection to ${info.publicIp}:${info.port} succeeds.`
      : `${why}; the cache refuses public network traffic (public network access disabled), so a connection to ${info.publicIp}:${info.port} fails.`,
  });

  if (from.toLowerCase() === 'internet') {
    return publicAnswer(`From the internet ${info.hostName} resolves through public DNS to the public address ${info.publicIp}`);
  }

  const vnet = ctx.store.get(from);
  if (!vnet || !eqi(vnet.type, TYPES.virtualNetwork)) throw notFound('virtual network', from);

  const endpoints = endpointsOf(ctx, cache.id);
  const hasConnection = endpoints.some((pe) => target.connectionState(cache.id, pe.id) !== undefined);
  if (!hasConnection) {
    return publicAnswer(
      `${info.hostName} has no private endpoint connection, so public DNS publishes no privatelink CNAME and the name resolves to the public address ${info.publicIp} from virtual network ${vnet.name}`,
    );
  }

  // The CNAME points into privatelink.{suffix}: find the linked zone that serves the host (longest suffix wins).
  const candidates = zonesLinkedTo(ctx, vnet.id)
    .filter((z) => z.name.toLowerCase().startsWith('privatelink.'))
    .map((z) => ({ zone: z, label: recordNameForFqdn(z.name, info.hostName) }))
    .filter((x): x is { zone: ArmResource; label: string } => x.label !== undefined)
    .sort((a, b) => b.zone.name.length - a.zone.name.length);
  const linked = candidates[0];
  if (!linked) {
    return publicAnswer(
      `No privatelink private DNS zone serving ${info.hostName} is linked to virtual network ${vnet.name}, so the privatelink CNAME is answered by public DNS with the public address ${info.publicIp}`,
    );
  }

  const address = aRecordAddress(ctx, linked.zone.id, linked.label);
  if (!address) {
    return {
      ...base,
      resolvedAddress: null,
      resolution: 'none',
      reachable: false,
      reason: `Private DNS zone ${linked.zone.name} is linked to virtual network ${vnet.name} but has no A record '${linked.label}': ${info.hostName} does not resolve (NXDOMAIN), so no connection can be made.`,
    };
  }

  const owner = ctx.store
    .list(TYPES.privateEndpoint)
    .find((pe) => endpointAddresses(ctx, pe).includes(address));
  const resolved = { ...base, resolvedAddress: address, resolution: 'private' as const };
  const prefix = `${info.hostName} resolves to ${address} (A record '${linked.label}' in ${linked.zone.name}, linked to ${vnet.name})`;
  if (!owner) {
    return { ...resolved, reachable: false, reason: `${prefix}, but no private endpoint has that address: the record is stale.` };
  }
  if (!eqi(vnetOfSubnet(owner.properties.subnet?.id), vnet.id)) {
    return {
      ...resolved,
      reachable: false,
      reason: `${prefix}, but that address belongs to private endpoint ${owner.name} in another virtual network (${vnetOfSubnet(owner.properties.subnet?.id) ?? 'unknown'}); the emulator does not model VNet peering.`,
    };
  }
  if (!endpoints.some((pe) => eqi(pe.id, owner.id))) {
    return { ...resolved, reachable: false, reason: `${prefix}, but private endpoint ${owner.name} connects to another resource, not to ${cache.name}.` };
  }
  const state = target.connectionState(cache.id, owner.id);
  if (!state) {
    return { ...resolved, reachable: false, reason: `${prefix}, but the connection of private endpoint ${owner.name} was removed on the cache side (Disconnected).` };
  }
  if (state.status !== 'Approved') {
    return { ...resolved, reachable: false, reason: `${prefix}, but the connection of private endpoint ${owner.name} is ${state.status}, not Approved.` };
  }
  const peState = owner.properties.provisioningState;
  if (peState === 'Failed' || peState === 'Deleting') {
    return { ...resolved, reachable: false, reason: `${prefix}, but private endpoint ${owner.name} is ${peState}.` };
  }
  return {
    ...resolved,
    reachable: true,
    reason: `${prefix}; it is the address of private endpoint ${owner.name} in this virtual network with an Approved connection, so a TLS connection on port ${info.port} succeeds.`,
  };
}
