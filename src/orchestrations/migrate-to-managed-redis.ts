/**
 * `migrateToManagedRedisOrchestrator`: move one Azure Cache for Redis cache to Azure Managed Redis and stay
 * private, side by side (the path Microsoft's tooling refuses for caches with private endpoints, VNet injection or
 * geo-replication). One instance per source cache (`cacheInstanceId('migrate', cacheId)`).
 *
 *  P0 preflight and plan (read-only): the source in full, its consumer VNets, the SKU mapping with alternatives, the
 *     target name, refusals. A dry run returns the whole plan.
 *  P1 the target private from birth: cluster with publicNetworkAccess Disabled (api 2025-07-01), database (10000,
 *     Encrypted), zone privatelink.redis.azure.net linked to every consumer VNet BEFORE the endpoint, the endpoint
 *     (groupIds redisEnterprise) and its zone group; verified (Approved, A record = endpoint IP, links, PNA Disabled).
 *  P2 data: none | export-import (Premium only; the storage firewall caveat).
 *  P3 cutover: gate `cutover` (approve = cutover confirmed: applications use <name>.<region>.redis.azure.net:10000),
 *     reminders on a durable timer; Microsoft's tooling (switchDns) only when validate reports no blocking error.
 *  P4 soak: a durable timer.
 *  P5 decommission behind the gate `decommission`: the source's endpoints (their A records go with their zone groups;
 *     the shared zone stays) and the source cache; the target re-verified.
 * Nothing touches the source before P5. A failure in P1-P2 (or a rejected cutover) removes only what this workflow
 * created (tagged) and says so.
 */
import type { OrchestrationContext } from 'durable-functions';
import { getCloud } from '../azure/cloud';
import { formatResourceId, parseResourceId, privateDnsZoneIdOf, resourceNameOf, sameId, virtualNetworkIdOfSubnet } from '../azure/resource-id';
import type { Outcome } from '../activities/define';
import type { GetPrivateEndpointResult } from '../activities/get-private-endpoint';
import type { ManagedRedisTarget, MigrationSource } from '../activities/managed-redis';
import { ActivityNames } from '../activities/names';
import { buildContext } from '../policy/context';
import { ALWAYS_ON_GATES } from '../policy/gates';
import { proposeSku, toolingBlockers, type SkuProposal } from '../policy/migration';
import { validateCacheName } from '../policy/naming';
import { placementFor } from '../policy/policy-schema';
import { SEED, quote } from '../policy/seed-rules';
import type { CacheSnapshot } from '../policy/snapshot';
import { tierOf } from '../policy/tiers';
import { addSeconds } from '../policy/time';
import { callActivity, pollUntil, throwIfFailed, type Orchestration } from './durable-helpers';
import { expectOk, readSnapshot, type StepRecord, type WorkflowEnvelope, type WorkflowResult } from './common';
import { passGate, type DecisionRecord } from './gates';

export interface MigrateToManagedRedisInput extends WorkflowEnvelope {
  /** The source Azure Cache for Redis cache. */
  cacheId: string;
  /** Full AMR SKU name (default: the documented mapping). */
  targetSku?: string;
  /** Target cluster name (default `<source>-amr`). */
  targetName?: string;
  data?: 'none' | 'export-import';
  /** Storage container for export-import (default: the policy's `migration.exportContainerUrl`). */
  exportContainerUrl?: string;
  /** Subnets for the target's private endpoints (default: the subnets of the source's endpoints, else the policy's
   * endpointPlacement for the region): the target is reachable from where the source was. */
  endpointSubnetIds?: string[];
  dryRun?: boolean;
}

export interface MigrationPlan {
  source: { cacheId: string; tier: string; sku: string; shards: number; replicasPerPrimary: number; tlsOnly: boolean; vnetInjected: boolean; geoPartners: string[]; privateEndpoints: string[] };
  target: { clusterId: string; name: string; location: string; sku: string; highAvailability: 'Enabled' | 'Disabled'; clusteringPolicy: 'EnterpriseCluster' | 'OSSCluster'; hostName: string; port: 10000; publicNetworkAccess: 'Disabled' };
  skuProposal: SkuProposal | { sku: string; alternatives: []; why: string };
  consumerVirtualNetworks: string[];
  dnsZoneId: string;
  privateEndpoints: Array<{ id: string; name: string; subnetId: string; groupId: 'redisEnterprise' }>;
  data: 'none' | 'export-import';
  cutover: { path: 'confirm' | 'microsoft-tooling-if-valid'; toolingBlockers: string[] };
  soakHours: number;
  gates: string[];
  notes: string[];
  phases: Array<{ phase: string; steps: string[] }>;
}

export interface MigrationResult extends WorkflowResult {
  phase: string;
  plan?: MigrationPlan;
  decisions: DecisionRecord[];
  removed?: string[];
  target?: { clusterId: string; hostName: string; port: number; privateEndpoints: Array<{ id: string; privateIp?: string }> };
}

const AMR_SKU = /^(Balanced_B|MemoryOptimized_M|ComputeOptimized_X|FlashOptimized_A)\d+$/;

function refuse(cacheId: string, rule: string, message: string, extra: Partial<MigrationResult> = {}): MigrationResult {
  return { status: 'refused', cacheId, rule, message, actions: [], phase: 'P0', decisions: [], ...extra };
}

/** The VNets whose clients use the cache: its endpoints' VNets, the VNets linked to their zones, the injected VNet, the policy's. */
export function consumerVirtualNetworksOf(snapshot: CacheSnapshot, source: Pick<MigrationSource, 'subnetId'>, policyConsumers: string[]): string[] {
  const out: string[] = [];
  const add = (id: string | undefined) => {
    if (id && !out.some((x) => sameId(x, id))) out.push(id);
  };
  for (const pe of snapshot.privateEndpoints) add(pe.virtualNetworkId);
  const zoneIds = snapshot.privateEndpoints.flatMap((pe) => pe.dnsZoneGroups.flatMap((g) => g.zoneIds));
  for (const z of snapshot.dnsZones) if (zoneIds.some((id) => sameId(id, z.id))) z.virtualNetworkLinks.forEach(add);
  if (source.subnetId) add(virtualNetworkIdOfSubnet(source.subnetId));
  policyConsumers.forEach(add);
  return out;
}

export function* migrateToManagedRedisOrchestrator(context: OrchestrationContext): Orchestration<MigrationResult> {
  const input = context.df.getInput() as MigrateToManagedRedisInput;
  const { policy, settings } = input;
  const actions: StepRecord[] = [];
  const decisions: DecisionRecord[] = [];
  let phase = 'P0';
  const status = (doing: string, extra: Record<string, unknown> = {}) => {
    context.df.setCustomStatus({ phase, doing, cacheId: input.cacheId, ...extra });
    if (!context.df.isReplaying) context.log(`[${phase}] ${doing}`);
  };
  const call = <T extends object>(activity: string, a: unknown) => callActivity<Outcome<T>>(context, settings, activity, a);

  // ---------------------------------------------------------------------------------------------- P0
  status('Reading the source cache, its endpoints, zones and links');
  const src = expectOk('Reading the source', yield* call<{ source?: MigrationSource }>(ActivityNames.getMigrationSource, { cacheId: input.cacheId }));
  if (!src.source) return refuse(input.cacheId, 'cache-not-found', `Cache ${input.cacheId} does not exist.`);
  const source = src.source;
  const snapshot = yield* readSnapshot(context, input);
  if (!snapshot) return refuse(input.cacheId, 'cache-not-found', `Cache ${input.cacheId} does not exist.`);
  const tier = tierOf(snapshot);
  if (tier !== 'Basic' && tier !== 'Standard' && tier !== 'Premium') {
    return refuse(input.cacheId, 'not-azure-cache-for-redis', `${snapshot.name} is ${tier}: only Basic, Standard and Premium caches migrate side by side (Enterprise tiers use the in-place SKU update, which is not automated here).`);
  }
  if (source.provisioningState !== 'Succeeded') {
    return refuse(input.cacheId, 'source-not-running', `${snapshot.name} is ${source.provisioningState}: the source must be running (Succeeded) before a migration starts.`);
  }
  const sku = input.targetSku ?? '';
  let proposal: MigrationPlan['skuProposal'];
  if (input.targetSku) {
    if (!AMR_SKU.test(sku)) return refuse(input.cacheId, 'target-sku-invalid', `targetSku '${sku}' is not an Azure Managed Redis SKU (Balanced_B*, MemoryOptimized_M*, ComputeOptimized_X*, FlashOptimized_A*).`);
    const mapped = proposeSku({ tier, capacity: source.sku.capacity, shardCount: source.shardCount, replicasPerPrimary: source.replicasPerPrimary });
    proposal = { sku, alternatives: [], why: `Requested${mapped ? `; the documented mapping proposes ${mapped.sku}` : ''}.` };
  } else {
    const mapped = proposeSku({ tier, capacity: source.sku.capacity, shardCount: source.shardCount, replicasPerPrimary: source.replicasPerPrimary });
    if (!mapped) return refuse(input.cacheId, 'no-sku-mapping', `No documented AMR SKU for ${tier} capacity ${source.sku.capacity}; pass targetSku.`);
    proposal = mapped;
  }
  const targetName = input.targetName ?? `${snapshot.name}-amr`.slice(0, 63);
  const nameCheck = validateCacheName(targetName);
  if (!nameCheck.ok) return refuse(input.cacheId, 'target-name-invalid', `Target name '${targetName}': ${nameCheck.message}`);
  const parsed = parseResourceId(snapshot.cacheId);
  const clusterId = formatResourceId({ subscriptionId: parsed.subscriptionId, resourceGroup: parsed.resourceGroup, namespace: 'Microsoft.Cache', resources: [{ type: 'redisEnterprise', name: targetName }] });
  const existing = expectOk('Reading the target', yield* call<ManagedRedisTarget>(ActivityNames.getManagedRedisTarget, { clusterId }));
  if (existing.exists && String(existing.tags?.['privatelink-autopilot-migration-source'] ?? '').toLowerCase() !== snapshot.cacheId.toLowerCase()) {
    return refuse(input.cacheId, 'target-name-taken', `The target name is taken: ${clusterId} exists and was not created by this migration. Pass another targetName.`);
  }
  const consumers = consumerVirtualNetworksOf(snapshot, source, policy.consumerVirtualNetworks);
  const region = snapshot.location.replace(/\s+/g, '').toLowerCase();
  const placement = placementFor(policy, snapshot.location);
  const subnetIds: string[] = [];
  for (const s of input.endpointSubnetIds ?? snapshot.privateEndpoints.map((p) => p.subnetId)) if (!subnetIds.some((x) => sameId(x, s))) subnetIds.push(s);
  if (subnetIds.length === 0 && placement) subnetIds.push(placement.subnetId);
  if (subnetIds.length === 0) {
    return refuse(input.cacheId, 'endpoint-placement-missing', `No endpointPlacement for region '${snapshot.location}' in the policy, no endpointSubnetIds, and the source has no endpoint subnet to reuse: the target's private endpoint has nowhere to go.`);
  }
  for (const s of [...subnetIds].reverse()) {
    const v = virtualNetworkIdOfSubnet(s);
    if (!consumers.some((x) => sameId(x, v))) consumers.unshift(v);
  }
  if (consumers.length === 0) return refuse(input.cacheId, 'no-consumer-vnet', 'No consumer virtual network is known: nothing could reach the target privately.');
  const data = input.data ?? policy.migration.dataMigration;
  const containerUrl = input.exportContainerUrl ?? policy.migration.exportContainerUrl;
  if (data === 'export-import') {
    if (tier !== 'Premium') return refuse(input.cacheId, 'export-import-premium-only', `data export-import needs a Premium source (import/export is a Premium feature); ${snapshot.name} is ${tier}. Use data: none (cache-aside) or copy the data in the application.`);
    if (!containerUrl) return refuse(input.cacheId, 'export-container-missing', 'data export-import needs a storage container: pass exportContainerUrl or set migration.exportContainerUrl in the policy.');
    if (snapshot.persistence?.storageFirewall && !snapshot.persistence.managedIdentity) {
      return refuse(input.cacheId, 'storage-firewall-persistence', `The storage account has a firewall: ${quote(SEED.storageFirewall)}`);
    }
  }
  // Microsoft.Cache must be registered in the target's subscription (offering AMR in the region) and in every
  // subscription a target endpoint goes to.
  const subscriptions = [parsed.subscriptionId, ...subnetIds.map((s) => parseResourceId(s).subscriptionId)].filter((s, i, all) => all.findIndex((x) => x.toLowerCase() === s.toLowerCase()) === i);
  for (const subscriptionId of subscriptions) {
    const rp = expectOk('Reading Microsoft.Cache registration', yield* call<{ registered: boolean; redisEnterpriseLocations: string[] }>(ActivityNames.getCacheProvider, { subscriptionId }));
    if (!rp.registered) {
      return refuse(input.cacheId, 'provider-not-registered', `Microsoft.Cache is not registered in subscription ${subscriptionId}${subscriptionId === parsed.subscriptionId ? '' : ' (a target endpoint goes there)'}: register it first (az provider register --namespace Microsoft.Cache).`);
    }
    if (subscriptionId === parsed.subscriptionId && !rp.redisEnterpriseLocations.includes(region)) {
      return refuse(input.cacheId, 'region-without-amr', `Azure Managed Redis (Microsoft.Cache/redisEnterprise) is not offered in ${region} for subscription ${subscriptionId}; the migration API also needs source and target in the same region.`);
    }
  }
  const cloud = getCloud(policy.cloud);
  const zoneName = cloud.privateDnsZones.azureManagedRedis;
  const zoneId = privateDnsZoneIdOf(policy.dnsZones.subscriptionId, policy.dnsZones.resourceGroup, zoneName);
  const endpoints = subnetIds.map((subnetId) => {
    const subnet = parseResourceId(subnetId);
    const name = `pe-${targetName}-${resourceNameOf(virtualNetworkIdOfSubnet(subnetId))}`.slice(0, 80);
    return { id: formatResourceId({ subscriptionId: subnet.subscriptionId, resourceGroup: subnet.resourceGroup, namespace: 'Microsoft.Network', resources: [{ type: 'privateEndpoints', name }] }), name, subnetId, groupId: 'redisEnterprise' as const };
  });
  const blockers = toolingBlockers(snapshot);
  const hostName = `${targetName}.${region}.${cloud.hostSuffixes.azureManagedRedis}`;
  const clusteringPolicy = policy.migration.clientsClusterAware ? 'OSSCluster' : 'EnterpriseCluster';
  const plan: MigrationPlan = {
    source: {
      cacheId: snapshot.cacheId,
      tier,
      sku: `${source.sku.family}${source.sku.capacity}`,
      shards: source.shardCount,
      replicasPerPrimary: source.replicasPerPrimary,
      tlsOnly: !source.enableNonSslPort,
      vnetInjected: !!source.subnetId,
      geoPartners: snapshot.linkedServers.map((l) => l.linkedRedisCacheId),
      privateEndpoints: snapshot.privateEndpoints.map((p) => p.id),
    },
    target: { clusterId, name: targetName, location: region, sku: proposal.sku, highAvailability: 'highAvailability' in proposal ? proposal.highAvailability : 'Enabled', clusteringPolicy, hostName, port: 10000, publicNetworkAccess: 'Disabled' },
    skuProposal: proposal,
    consumerVirtualNetworks: consumers,
    dnsZoneId: zoneId,
    privateEndpoints: endpoints,
    data,
    cutover: { path: blockers.length === 0 ? 'microsoft-tooling-if-valid' : 'confirm', toolingBlockers: blockers },
    soakHours: policy.migration.soakHours,
    gates: ['cutover', 'decommission'],
    notes: [
      ...(snapshot.linkedServers.length > 0 ? [`Geo-replicated: this cache migrates to its own target; migrate ${snapshot.linkedServers.map((l) => resourceNameOf(l.linkedRedisCacheId)).join(', ')} with its own instance. No unlink is needed until decommission.`] : []),
      ...(source.subnetId ? ['VNet-injected: the target is reached through a private endpoint; the injected VNet is a consumer VNet and gets the zone link.'] : []),
      `Clients move from ${source.hostName}:${source.enableNonSslPort ? '6379/6380' : '6380'} to ${hostName}:10000 (TLS). Entra settings, firewall rules, persistence and the update schedule are not copied.`,
      `Checked: Microsoft.Cache registered in ${subscriptions.length} subscription(s) and Azure Managed Redis offered in ${region}.`,
    ],
    phases: [
      { phase: 'P0', steps: ['read the source, its endpoints, zones, links (read-only)'] },
      { phase: 'P1', steps: [`create ${clusterId} (${proposal.sku}, publicNetworkAccess Disabled)`, `create database default (port 10000, Encrypted, ${clusteringPolicy})`, `ensure zone ${zoneName}`, ...consumers.map((v) => `link ${zoneName} -> ${v}`), ...endpoints.map((e) => `create private endpoint ${e.name} in ${e.subnetId} (groupIds [redisEnterprise]) + zone group`), 'verify: Approved, A record = endpoint IP, links, public access Disabled'] },
      { phase: 'P2', steps: [data === 'export-import' ? `export an RDB from ${snapshot.name} to ${containerUrl}, import into ${targetName}` : 'no data copy (cache-aside)'] },
      { phase: 'P3', steps: ['wait for the cutover decision (gate cutover: approve = applications use the new hostname)', ...(blockers.length === 0 ? ['Microsoft tooling (switchDns) only if validate reports no blocking error'] : [])] },
      { phase: 'P4', steps: [`soak ${policy.migration.soakHours} h`] },
      { phase: 'P5', steps: ['wait for the decommission decision', ...snapshot.privateEndpoints.map((p) => `delete source endpoint ${p.name}`), ...(snapshot.linkedServers.length ? ['unlink geo-replication'] : []), `delete ${snapshot.name}`, 're-verify the target'] },
    ],
  };
  if (input.dryRun) {
    return { status: 'planned', cacheId: snapshot.cacheId, message: `Dry run: ${snapshot.name} -> ${targetName} (${proposal.sku}), private only; nothing was changed.`, actions: plan.phases.flatMap((p) => p.steps.map((s) => ({ step: `${p.phase} ${s}`, status: 'planned' as const }))), phase: 'P0', plan, decisions };
  }

  // ---------------------------------------------------------------------------------------------- P1, P2
  const created: Array<{ what: string; undo: () => Orchestration<unknown> }> = [];
  const compensate = function* (): Orchestration<{ removed: string[]; errors: string[] }> {
    const removed: string[] = [];
    const errors: string[] = [];
    while (created.length > 0) {
      const c = created.pop()!;
      try {
        yield* c.undo();
        removed.push(c.what);
      } catch (e) {
        errors.push(`${c.what}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    return { removed, errors };
  };
  const removeCluster = function* (): Orchestration<unknown> {
    const r = yield* call<{ deleted: boolean }>(ActivityNames.deleteManagedRedisCluster, { clusterId, sourceCacheId: snapshot.cacheId });
    expectOk('Deleting the target cluster', r);
    yield* pollUntil<ManagedRedisTarget>(context, settings, `${targetName} is deleted`, ActivityNames.getManagedRedisTarget, { clusterId }, (t) => !t.exists);
    return r;
  };
  const removeEndpoint = (privateEndpointId: string) =>
    function* (): Orchestration<unknown> {
      return expectOk('Deleting the target endpoint', yield* call<{ deleted: boolean }>(ActivityNames.deletePrivateEndpoint, { privateEndpointId }));
    };
  const ips: Array<{ id: string; privateIp?: string }> = [];
  try {
    phase = 'P1';
    status(`Creating ${targetName} (${proposal.sku}) with public network access Disabled`);
    // Registered before the write: a create that fails half-way still leaves a tagged cluster to remove.
    created.push({ what: `cluster ${clusterId}`, undo: removeCluster });
    const cluster = yield* call<{ created: boolean }>(ActivityNames.createManagedRedisCluster, { clusterId, location: region, sku: proposal.sku, highAvailability: plan.target.highAvailability, sourceCacheId: snapshot.cacheId });
    if (!cluster.ok && cluster.code === 'TargetNameTaken') {
      created.pop();
      return refuse(input.cacheId, 'target-name-taken', cluster.message);
    }
    actions.push({ step: `create cluster ${targetName}`, status: expectOk('Creating the target cluster', cluster).created ? 'done' : 'skipped' });
    const running = yield* pollUntil<ManagedRedisTarget>(context, settings, `${targetName} is Succeeded`, ActivityNames.getManagedRedisTarget, { clusterId }, (t) => !t.exists || ['Succeeded', 'Failed'].includes(String(t.provisioningState)));
    if (!running.exists || running.provisioningState !== 'Succeeded') throw new Error(`The target cluster ended ${running.exists ? running.provisioningState : 'missing'}`);
    if (String(running.publicNetworkAccess) !== 'Disabled') throw new Error(`The target cluster has publicNetworkAccess ${String(running.publicNetworkAccess)}, not Disabled`);

    status('Creating the database (port 10000, TLS only)');
    const db = expectOk('Creating the database', yield* call<{ created: boolean }>(ActivityNames.createManagedRedisDatabase, { clusterId, clusteringPolicy }));
    actions.push({ step: `create database default (${clusteringPolicy}, 10000, Encrypted)`, status: db.created ? 'done' : 'skipped' });
    const withDb = yield* pollUntil<ManagedRedisTarget>(context, settings, 'the database is Succeeded', ActivityNames.getManagedRedisTarget, { clusterId }, (t) => ['Succeeded', 'Failed'].includes(String(t.database?.provisioningState)));
    if (withDb.database?.provisioningState !== 'Succeeded') throw new Error(`The database ended ${String(withDb.database?.provisioningState)}`);

    status(`Linking ${zoneName} to ${consumers.length} consumer VNet(s) before the endpoint exists`);
    const zone = expectOk('Private DNS zone', yield* call<{ changed: boolean }>(ActivityNames.ensurePrivateDnsZone, { zoneId }));
    actions.push({ step: `ensure zone ${zoneName}`, status: zone.changed ? 'done' : 'skipped' });
    for (const virtualNetworkId of consumers) {
      const link = expectOk('Virtual network link', yield* call<{ changed: boolean }>(ActivityNames.ensureVirtualNetworkLink, { zoneId, virtualNetworkId }));
      actions.push({ step: `link ${zoneName} -> ${resourceNameOf(virtualNetworkId)}`, status: link.changed ? 'done' : 'skipped' });
    }

    for (const e of endpoints) {
      status(`Creating the private endpoint ${e.name}`);
      const ready = expectOk('Preparing the subnet', yield* call<{ changed: boolean; location?: string }>(ActivityNames.ensureSubnetReady, { subnetId: e.subnetId }));
      created.push({ what: `private endpoint ${e.id}`, undo: removeEndpoint(e.id) });
      const pe = expectOk('Creating the private endpoint', yield* call<{ created: boolean }>(ActivityNames.createPrivateEndpoint, {
        privateEndpointId: e.id,
        cacheId: clusterId,
        subnetId: e.subnetId,
        groupId: 'redisEnterprise',
        location: ready.location ?? region,
        connectionName: e.name,
        tags: { 'privatelink-autopilot-migration-source': snapshot.cacheId },
      }));
      expectOk('Zone group', yield* call<{ changed: boolean }>(ActivityNames.ensurePrivateDnsZoneGroup, { privateEndpointId: e.id, zoneId }));
      actions.push({ step: `create private endpoint ${e.name} + zone group`, status: pe.created ? 'done' : 'skipped' });
      const endpoint = yield* pollUntil<GetPrivateEndpointResult>(context, settings, `${e.name} is Succeeded and Approved`, ActivityNames.getPrivateEndpoint, { privateEndpointId: e.id }, (p) =>
        !p.exists || p.provisioningState === 'Failed' || p.connectionStatus === 'Rejected' || (p.provisioningState === 'Succeeded' && p.connectionStatus === 'Approved'),
      );
      if (!endpoint.exists || endpoint.provisioningState !== 'Succeeded' || endpoint.connectionStatus !== 'Approved') {
        throw new Error(`The target endpoint ${e.name} ended ${endpoint.exists ? `${endpoint.provisioningState} / ${endpoint.connectionStatus}` : 'missing'}`);
      }
      ips.push({ id: e.id, ...(endpoint.privateIp ? { privateIp: endpoint.privateIp } : {}) });
    }

    status('Verifying the target: Approved, A record = endpoint IP, zone linked to every consumer VNet, public access Disabled');
    const problems = yield* verifyTarget(context, input, clusterId, endpoints.map((e) => e.id), zoneId, consumers);
    if (problems.length > 0) throw new Error(`The target does not verify: ${problems.join('; ')}`);
    actions.push({ step: 'verify target (P1)', status: 'done', detail: `${hostName}:10000 -> ${ips.map((i) => i.privateIp ?? '?').join(', ')}; zone linked to ${consumers.length} VNet(s); public access Disabled` });

    phase = 'P2';
    if (data === 'export-import') {
      status(`Exporting an RDB from ${snapshot.name} and importing it into ${targetName}`);
      const prefix = `${snapshot.name}-to-${targetName}`;
      const exported = expectOk('Exporting the source data', yield* call<{ exported: string }>(ActivityNames.exportCacheData, { cacheId: snapshot.cacheId, containerUrl, prefix }));
      actions.push({ step: `export ${snapshot.name} -> ${exported.exported}`, status: 'done' });
      const imported = expectOk('Importing into the target', yield* call<{ imported: number }>(ActivityNames.importManagedRedisData, { clusterId, blobUrls: [exported.exported] }));
      actions.push({ step: `import into ${targetName}`, status: 'done', detail: `${imported.imported} blob(s)` });
    } else {
      actions.push({ step: 'data: none (cache-aside)', status: 'skipped' });
    }
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const undone = yield* compensate();
    return {
      status: 'failed',
      cacheId: snapshot.cacheId,
      message: `${phase} failed: ${message}. Removed what this workflow created: ${undone.removed.join(', ') || 'nothing'}${undone.errors.length ? `; could not remove: ${undone.errors.join('; ')}` : ''}. The source ${snapshot.name} was not touched. The zone ${zoneName} and its VNet links stay (shared, harmless without records).`,
      actions,
      phase,
      plan,
      decisions,
      removed: undone.removed,
      ...(undone.errors.length ? { compensationErrors: undone.errors } : {}),
    };
  }
  const target = { clusterId, hostName, port: 10000, privateEndpoints: ips };

  // ---------------------------------------------------------------------------------------------- P3
  phase = 'P3';
  let usedTooling = false;
  if (blockers.length === 0) {
    const v = yield* call<{ isValid: boolean; errors: unknown[] }>(ActivityNames.validateManagedRedisMigration, { clusterId, sourceCacheId: snapshot.cacheId });
    usedTooling = v.ok && v.isValid && v.errors.length === 0;
    actions.push({ step: 'validate (Microsoft tooling)', status: 'done', detail: usedTooling ? 'no blocking error: the tooling switches DNS at cutover' : 'blocking errors: cutover by confirmation' });
  }
  const cutover = yield* passGate(context, policy, {
    gate: 'cutover',
    required: ALWAYS_ON_GATES.includes('cutover'),
    what: usedTooling
      ? `start Microsoft's migration with switchDns: ${source.hostName} then resolves to ${targetName}`
      : `confirm that applications now use ${hostName}:10000 instead of ${source.hostName}`,
    why: `The target ${targetName} is built and verified private-only. Approve once the applications point at it (cutover-confirmed); reject to remove the target and keep the source.`,
    status: { phase, cacheId: input.cacheId, target },
    reminderMinutes: policy.approvals.cutover?.reminderMinutes ?? policy.migration.cutoverReminderMinutes,
  });
  if (cutover.decision) decisions.push(cutover.decision);
  if (!cutover.approved) {
    const undone = yield* compensate();
    return {
      status: 'refused',
      rule: 'approval-rejected',
      cacheId: snapshot.cacheId,
      message: `${cutover.message} Removed what this workflow created: ${undone.removed.join(', ') || 'nothing'}. The source ${snapshot.name} was not touched.`,
      actions,
      phase,
      plan,
      decisions,
      removed: undone.removed,
    };
  }
  if (usedTooling) {
    const started = yield* call<{ state: string }>(ActivityNames.startManagedRedisMigration, { clusterId, sourceCacheId: snapshot.cacheId });
    if (!started.ok) {
      actions.push({ step: 'start Microsoft migration (switchDns)', status: 'failed', detail: started.message });
      usedTooling = false;
      // The tooling refused: nothing switched. Cut over by confirmation instead (a new decision: the first one
      // approved a DNS switch, not that the applications moved).
      const confirm = yield* passGate(context, policy, {
        gate: 'cutover',
        required: true,
        what: `confirm that applications now use ${hostName}:10000 instead of ${source.hostName} (Microsoft's migration refused: ${started.message})`,
        status: { phase, cacheId: input.cacheId, target },
        reminderMinutes: policy.approvals.cutover?.reminderMinutes ?? policy.migration.cutoverReminderMinutes,
      });
      if (confirm.decision) decisions.push(confirm.decision);
      if (!confirm.approved) {
        const undone = yield* compensate();
        return { status: 'refused', rule: 'approval-rejected', cacheId: snapshot.cacheId, message: `${confirm.message} Removed what this workflow created: ${undone.removed.join(', ') || 'nothing'}. The source ${snapshot.name} was not touched.`, actions, phase, plan, decisions, removed: undone.removed };
      }
    } else {
      const m = yield* pollUntil<{ ok: boolean; exists: boolean; state?: string }>(context, settings, 'the migration settles', ActivityNames.getManagedRedisMigration, { clusterId }, (x) => ['Succeeded', 'Failed', 'Cancelled'].includes(String(x.state)));
      actions.push({ step: 'Microsoft migration (switchDns)', status: m.state === 'Succeeded' ? 'done' : 'failed', detail: String(m.state) });
      if (m.state !== 'Succeeded') {
        return { status: 'failed', cacheId: snapshot.cacheId, message: `Microsoft's migration ended ${String(m.state)}; the target and the source both stay; point applications at ${hostName}:10000 or retry.`, actions, phase, plan, decisions, target };
      }
    }
  }
  actions.push({ step: 'cutover', status: 'done', detail: cutover.message });

  // ---------------------------------------------------------------------------------------------- P4
  phase = 'P4';
  const soakUntil = addSeconds(context.df.currentUtcDateTime, policy.migration.soakHours * 3600);
  status(`Soaking until ${soakUntil.toISOString()}: roll back by pointing applications back at ${source.hostName}`, { target, soakUntil: soakUntil.toISOString() });
  if (policy.migration.soakHours > 0) yield context.df.createTimer(soakUntil);
  actions.push({ step: `soak ${policy.migration.soakHours} h`, status: 'done' });

  // ---------------------------------------------------------------------------------------------- P5
  phase = 'P5';
  const decommission = yield* passGate(context, policy, {
    gate: 'decommission',
    required: ALWAYS_ON_GATES.includes('decommission'),
    what: `delete ${snapshot.privateEndpoints.length} private endpoint(s) of ${snapshot.name} and the cache itself`,
    status: { phase, cacheId: input.cacheId, target },
  });
  if (decommission.decision) decisions.push(decommission.decision);
  if (!decommission.approved) {
    return {
      status: 'succeeded',
      cacheId: snapshot.cacheId,
      message: `${targetName} serves the applications; decommission was not approved (${decommission.message}): ${snapshot.name} and its endpoints stay and keep billing.`,
      actions: [...actions, { step: 'decommission', status: 'skipped', detail: decommission.message }],
      phase,
      plan,
      decisions,
      target,
    };
  }
  let decommissionError: string | undefined;
  try {
    const now = yield* readSnapshot(context, input);
    if (now) {
      for (const pe of now.privateEndpoints) {
        const r = expectOk(`Deleting ${pe.name}`, yield* call<{ deleted: boolean }>(ActivityNames.deletePrivateEndpoint, { privateEndpointId: pe.id }));
        actions.push({ step: `delete source endpoint ${pe.name}`, status: r.deleted ? 'done' : 'skipped', detail: 'its A record goes with its zone group; the shared zone stays' });
      }
      for (const ls of now.linkedServers) {
        const primary = ls.serverRole === 'Secondary' ? now.cacheId : ls.linkedRedisCacheId;
        const secondary = ls.serverRole === 'Secondary' ? ls.linkedRedisCacheId : now.cacheId;
        expectOk('Unlinking geo-replication', yield* call<{ started: boolean }>(ActivityNames.deleteLinkedServer, { cacheId: primary, linkedServerName: resourceNameOf(secondary) }));
        yield* pollUntil<{ exists: boolean; provisioningState?: string; linkedServers: Array<{ linkedRedisCacheId: string }> }>(context, settings, `${now.name} is unlinked`, ActivityNames.getCacheState, { cacheId: now.cacheId }, (s) => !s.exists || (s.provisioningState === 'Succeeded' && s.linkedServers.length === 0));
        actions.push({ step: `unlink geo-replication ${resourceNameOf(primary)} -> ${resourceNameOf(secondary)}`, status: 'done' });
      }
      const del = expectOk(`Deleting ${now.name}`, yield* call<{ deleted: boolean }>(ActivityNames.deleteCache, { cacheId: now.cacheId }));
      actions.push({ step: `delete source cache ${now.name}`, status: del.deleted ? 'done' : 'skipped' });
    }
  } catch (e) {
    // The target serves the applications already; report what was done and what is left, then re-verify the target.
    decommissionError = (e instanceof Error ? e.message : String(e)).split('\n')[0]!.trim();
    actions.push({ step: 'decommission', status: 'failed', detail: decommissionError });
  }
  const problems = yield* verifyTarget(context, input, clusterId, endpoints.map((e) => e.id), zoneId, consumers);
  actions.push({ step: 'verify target (P5)', status: problems.length ? 'failed' : 'done', ...(problems.length ? { detail: problems.join('; ') } : {}) });
  return {
    status: problems.length || decommissionError ? 'failed' : 'succeeded',
    cacheId: snapshot.cacheId,
    message: decommissionError
      ? `The decommission of ${snapshot.name} did not finish (${decommissionError}); done: ${actions.filter((a) => a.status === 'done' && /^(delete|unlink)/.test(a.step)).map((a) => a.step).join(', ') || 'nothing'}. ${targetName} ${problems.length ? `does not verify: ${problems.join('; ')}` : 'still verifies private-only'}; start the migration again to retry the decommission.`
      : problems.length
        ? `Decommissioned ${snapshot.name}, but the target does not verify: ${problems.join('; ')}`
        : `Migrated ${snapshot.name} to ${targetName}: ${hostName}:10000 is reachable only through ${endpoints.map((e) => e.name).join(', ')}; the source is decommissioned.`,
    actions,
    phase,
    plan,
    decisions,
    target,
  };
}

/** The documented verification of the target: Approved, A record = endpoint IP, zone linked to every consumer VNet, PNA Disabled. */
function* verifyTarget(
  context: OrchestrationContext,
  input: MigrateToManagedRedisInput,
  clusterId: string,
  privateEndpointIds: string[],
  zoneId: string,
  consumers: string[],
): Orchestration<string[]> {
  const problems: string[] = [];
  const t = yield* callActivity<Outcome<ManagedRedisTarget>>(context, input.settings, ActivityNames.getManagedRedisTarget, { clusterId });
  throwIfFailed(ActivityNames.getManagedRedisTarget, t);
  if (!t.ok || !t.exists) return ['the target cluster is missing'];
  if (String(t.publicNetworkAccess) !== 'Disabled') problems.push(`publicNetworkAccess is ${String(t.publicNetworkAccess)}`);
  const snap = yield* readSnapshot(context, { ...input, cacheId: clusterId });
  if (!snap) return ['the target cluster is missing'];
  const ctx = buildContext(snap, input.policy);
  for (const id of privateEndpointIds) {
    if (!ctx.verified.some((v) => sameId(v.connection.privateEndpointId, id))) problems.push(`${resourceNameOf(id)} is not Approved with its A record = its IP in a linked zone`);
  }
  const zone = ctx.zoneById(zoneId);
  for (const v of consumers) if (!zone?.virtualNetworkLinks.some((l) => sameId(l, v))) problems.push(`the zone is not linked to ${resourceNameOf(v)}`);
  return problems;
}
