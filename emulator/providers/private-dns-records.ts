/**
 * Record sets and counters of Private DNS zones, shared by the Private DNS provider and the private endpoint
 * DNS zone groups of the Microsoft.Network provider (which write A records into zones).
 *
 * Record sets are stored as resources of their own: `{zoneId}/{TYPE}/{name}` with the type in upper case and
 * the relative name lower-cased (ARM answers `recordA` as `recorda`), type `Microsoft.Network/privateDnsZones/{TYPE}`.
 */
import type { ArmResource, EmulatorContext } from '../core/types';
import { TYPES, eqi } from './network-common';

export const RECORD_TYPES = ['A', 'AAAA', 'CNAME', 'MX', 'PTR', 'SOA', 'SRV', 'TXT'] as const;
export type RecordType = (typeof RECORD_TYPES)[number];

/** Property holding the records of each type (wire names). */
export const RECORD_PROPERTY: Record<RecordType, string> = {
  A: 'aRecords',
  AAAA: 'aaaaRecords',
  CNAME: 'cnameRecord',
  MX: 'mxRecords',
  PTR: 'ptrRecords',
  SOA: 'soaRecord',
  SRV: 'srvRecords',
  TXT: 'txtRecords',
};

export function recordTypeOf(text: string): RecordType | undefined {
  return RECORD_TYPES.find((t) => t === text.toUpperCase());
}

export function recordSetId(zoneId: string, type: RecordType, relativeName: string): string {
  return `${zoneId}/${type}/${relativeName.toLowerCase()}`;
}

/** `recorda.privatezone1.com.` (the apex `@` is the zone name itself). */
export function recordFqdn(zoneName: string, relativeName: string): string {
  return relativeName === '@' ? `${zoneName}.` : `${relativeName.toLowerCase()}.${zoneName}.`;
}

export function zoneNameOf(zoneId: string): string {
  const m = /\/privateDnsZones\/([^/]+)/i.exec(zoneId);
  return m ? m[1] : '';
}

export function listRecordSets(ctx: EmulatorContext, zoneId: string, type?: RecordType): ArmResource[] {
  const types = type ? [type] : [...RECORD_TYPES];
  return types.flatMap((t) => ctx.store.children(zoneId, t));
}

/**
 * One page of a zone's record sets (of one type, or all types in RECORD_TYPES order) and whether more follow, read
 * through the store's child index (only the page is copied).
 */
export function recordSetPage(ctx: EmulatorContext, zoneId: string, type: RecordType | undefined, offset: number, limit: number): { items: ArmResource[]; more: boolean } {
  const types = type ? [type] : [...RECORD_TYPES];
  const items: ArmResource[] = [];
  let skip = offset;
  let total = 0;
  for (const t of types) {
    const n = ctx.store.childCount(zoneId, t);
    total += n;
    if (items.length < limit && skip < n) {
      items.push(...ctx.store.childrenSlice(zoneId, t, skip, limit - items.length));
      skip = 0;
    } else if (skip >= n) {
      skip -= n;
    } else {
      skip = 0;
    }
  }
  return { items, more: offset + items.length < total };
}

export function listZoneLinks(ctx: EmulatorContext, zoneId: string): ArmResource[] {
  return ctx.store.children(zoneId, 'virtualNetworkLinks');
}

/** The SOA record set every zone has (created with the zone). */
export function soaRecordSet(ctx: EmulatorContext, zoneId: string, zoneName: string): ArmResource {
  return {
    id: recordSetId(zoneId, 'SOA', '@'),
    name: '@',
    type: `${TYPES.privateDnsZone}/SOA`,
    etag: ctx.newGuid(),
    properties: {
      ttl: 3600,
      fqdn: `${zoneName}.`,
      isAutoRegistered: false,
      soaRecord: {
        email: 'azureprivatedns-host.microsoft.com',
        expireTime: 2419200,
        host: 'azureprivatedns.net',
        minimumTtl: 10,
        refreshTime: 3600,
        retryTime: 300,
        serialNumber: 1,
      },
    },
  };
}

/** Zone counters derived from its children (a zone always has its SOA record set, even when an estate omits it). */
export function zoneCounters(ctx: EmulatorContext, zoneId: string): Record<string, number> {
  // Counted through the store's child index: a zone of 100,000 records is not copied on every record write.
  const records = RECORD_TYPES.reduce((n, t) => n + ctx.store.childCount(zoneId, t), 0);
  const hasSoa = ctx.store.childCount(zoneId, 'SOA') > 0;
  const links = listZoneLinks(ctx, zoneId);
  return {
    numberOfRecordSets: records + (hasSoa ? 0 : 1),
    numberOfVirtualNetworkLinks: links.length,
    numberOfVirtualNetworkLinksWithRegistration: links.filter((l) => l.properties?.registrationEnabled === true).length,
  };
}

/** Writes the derived counters into the stored zone. */
export function refreshZoneCounters(ctx: EmulatorContext, zoneId: string): void {
  const zone = ctx.store.get(zoneId);
  if (!zone) return;
  const counters = zoneCounters(ctx, zoneId);
  const changed = Object.entries(counters).some(([k, v]) => zone.properties[k] !== v);
  if (changed) ctx.store.put({ ...zone, properties: { ...zone.properties, ...counters } });
}

/** Creates or replaces an A record set holding exactly `ips`. */
export function putARecordSet(ctx: EmulatorContext, zoneId: string, relativeName: string, ips: string[], ttl: number): ArmResource {
  const zoneName = zoneNameOf(zoneId);
  const id = recordSetId(zoneId, 'A', relativeName);
  const existing = ctx.store.get(id);
  const stored = ctx.store.put({
    id,
    name: relativeName.toLowerCase(),
    type: `${TYPES.privateDnsZone}/A`,
    etag: ctx.newGuid(),
    properties: {
      ...(existing?.properties ?? {}),
      ttl,
      fqdn: recordFqdn(zoneName, relativeName),
      isAutoRegistered: false,
      aRecords: ips.map((ipv4Address) => ({ ipv4Address })),
    },
  });
  refreshZoneCounters(ctx, zoneId);
  return stored;
}

/** Removes `ip` from an A record set; the record set goes when it holds no address any more. */
export function removeARecordIp(ctx: EmulatorContext, zoneId: string, relativeName: string, ip: string): void {
  const id = recordSetId(zoneId, 'A', relativeName);
  const rs = ctx.store.get(id);
  if (!rs) return;
  const remaining = ((rs.properties.aRecords as Array<{ ipv4Address?: string }>) ?? []).filter((a) => a.ipv4Address !== ip);
  if (remaining.length === 0) ctx.store.delete(id);
  else ctx.store.put({ ...rs, etag: ctx.newGuid(), properties: { ...rs.properties, aRecords: remaining } });
  refreshZoneCounters(ctx, zoneId);
}

/** The first address of an A record set, or undefined when there is none. */
export function aRecordAddress(ctx: EmulatorContext, zoneId: string, relativeName: string): string | undefined {
  const rs = ctx.store.get(recordSetId(zoneId, 'A', relativeName));
  const first = (rs?.properties.aRecords as Array<{ ipv4Address?: string }> | undefined)?.[0];
  return first?.ipv4Address;
}

/**
 * The record name a private DNS zone holds for an FQDN, following the privatelink convention: zone
 * `privatelink.redis.cache.windows.net` serves `mycache.redis.cache.windows.net` as `mycache`, and zone
 * `privatelink.redisenterprise.cache.azure.net` serves `c.westus2.redisenterprise.cache.azure.net` as `c.westus2`.
 * An FQDN already inside the zone (`mycache.privatelink.redis.cache.windows.net`) maps the same way.
 */
export function recordNameForFqdn(zoneName: string, fqdn: string): string | undefined {
  const host = fqdn.replace(/\.$/, '').toLowerCase();
  const zone = zoneName.toLowerCase();
  const candidates = [zone];
  if (zone.startsWith('privatelink.')) candidates.push(zone.slice('privatelink.'.length));
  for (const suffix of candidates) {
    if (host.endsWith(`.${suffix}`)) {
      const label = host.slice(0, host.length - suffix.length - 1);
      if (label.length > 0) return label;
    }
  }
  return undefined;
}

/** Zones whose virtual network links include `vnetId`. */
export function zonesLinkedTo(ctx: EmulatorContext, vnetId: string): ArmResource[] {
  const out: ArmResource[] = [];
  for (const link of ctx.store.list(TYPES.virtualNetworkLink)) {
    if (!eqi(link.properties?.virtualNetwork?.id, vnetId)) continue;
    const zoneId = link.id.replace(/\/virtualNetworkLinks\/[^/]+$/i, '');
    const zone = ctx.store.get(zoneId);
    if (zone && !out.some((z) => eqi(z.id, zone.id))) out.push(zone);
  }
  return out;
}
