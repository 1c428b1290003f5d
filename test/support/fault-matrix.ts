/**
 * The fault matrix of issue #11, shared by the suite (test/e2e/fault-matrix-*.test.ts) and `npm run bench`
 * (bench/fault-matrix.ts): for each workflow scenario, every write step x every fault, run against ONE emulator
 * (reset to the scenario's estate between cases) and ONE embedded host on the virtual clock, whose clock also drives
 * the emulator's (so a 300-second outage or a 10-minute throttle costs no wall time).
 *
 * Each case checks the invariant (docs/safety.md, "Every fault ends no worse than we found it"):
 *  - each cache is reachable from every place it was reachable from before (connectivity oracle, per VNet and from
 *    the internet), unless the policy explicitly chose otherwise (public access Disabled once an endpoint verifies;
 *    a consumer VNet resolving the private address counts as reachable: the emulator does not model peering);
 *  - every geo pair the workflow unlinked is linked again (and its unlink record removed), or a human was told
 *    (`geo-relink-failed` in the workflow's result / error);
 *  - nothing the workflow created is half-configured: no endpoint in Failed, every approved endpoint has its DNS
 *    zone group and its A record;
 *  - an operation that ended Failed is reported as a failure, never as success.
 */
import type { Estate } from '../../emulator';
import type { ArmResource } from '../../emulator/core/types';
import type { FaultSpec, RequestMatcher } from '../../emulator/core/faults';
import { OrchestratorNames } from '../../src/orchestrations/names';
import type { RuntimeSettings } from '../../src/azure/settings';
import { GEO_UNLINKED_TAG } from '../../src/policy/naming';
import type { Policy } from '../../src/policy/policy-schema';
import type { WorkflowHarness } from './workflow-harness';
import { ESTATE_RESOURCE_GROUPS, FAST_SETTINGS, RG, SUB, createCache, createNetworks, ids, linkGeoPair, testPolicy } from './workflow-estate';

export const FAULTS = ['429', '500', '503', '409-busy', 'operation-failed', 'outage-300s'] as const;
export type FaultKind = (typeof FAULTS)[number];

/** Window of the persistent faults: longer than a step's retries (4 attempts, seconds apart, and at most 5 busy
 * rounds), shorter than the compensation budget. */
export const FAULT_WINDOW_SECONDS = 300;

/** Matrix settings: 4 attempts per step, and the production compensation schedule (1 min .. 30 min, 6 h). */
export const MATRIX_SETTINGS: RuntimeSettings = {
  ...FAST_SETTINGS,
  activityRetry: { ...FAST_SETTINGS.activityRetry, maxNumberOfAttempts: 4 },
  compensation: { firstRetrySeconds: 60, maxRetrySeconds: 1800, budgetSeconds: 6 * 3600 },
};

export interface WriteStep {
  name: string;
  /** The step's first request (method, path, body). */
  match: RequestMatcher;
  /** The resource id pattern of its long-running operation; absent: the write is not a long-running operation. */
  operation?: { resourcePattern: string; method: string };
}

export type Place = 'internet' | string;

export interface Scenario {
  name: string;
  /** Which base estate (built once per harness). */
  estate: 'geo' | 'last-endpoint';
  /** The orchestration and its input. */
  orchestrator: string;
  input(): Record<string, unknown>;
  policy: Policy;
  caches: string[];
  places: Place[];
  steps: WriteStep[];
  /** Geo pairs the workflow unlinks (primary, secondary names). */
  geoPairs?: Array<[string, string]>;
  /** Places a cache must be reachable from after the workflow, whatever it was before (the goal of the workflow). */
  mustReach?: (cache: string) => Place[];
}

const cacheId = (name: string) => ids.cache(name);
const pe = (name: string) => ids.pe(name);
const anyOf = (...names: string[]) => names.join('|');

export function faultFor(kind: Exclude<FaultKind, 'operation-failed'>, step: WriteStep): FaultSpec {
  const window = { ...step.match, durationSeconds: FAULT_WINDOW_SECONDS };
  switch (kind) {
    case '429':
      return { ...window, status: 429, code: 'SubscriptionRequestsThrottled', message: 'Injected: too many requests.', retryAfterSeconds: 30 };
    case '500':
      return { ...window, status: 500, code: 'InternalServerError', message: 'Injected: internal server error.' };
    case '503':
      return { ...window, status: 503, code: 'ServiceUnavailable', message: 'Injected: service unavailable.' };
    case '409-busy':
      return {
        ...window,
        status: 409,
        code: 'Conflict',
        message: 'Injected: the resource is busy processing a previous update request or is undergoing system maintenance. Please retry later.',
      };
    case 'outage-300s':
      return { pathPattern: '.*', status: 503, code: 'ServiceUnavailable', message: 'Injected: ARM outage.', durationSeconds: 300, startOn: step.match };
  }
}

const UNTAG_BODY = `^(?![\\s\\S]*${GEO_UNLINKED_TAG})[\\s\\S]*"tags"`;

export function scenarios(): Scenario[] {
  const geoPolicy = testPolicy();
  const geoP = cacheId('geo-p');
  const geo: Scenario = {
    name: 'geo-replicated add-endpoint',
    estate: 'geo',
    orchestrator: OrchestratorNames.addPrivateEndpoint,
    input: () => ({ cacheId: geoP, policy: geoPolicy, settings: MATRIX_SETTINGS }),
    policy: geoPolicy,
    caches: ['geo-p', 'geo-s'],
    places: ['internet', ids.vnet('vnet-app'), ids.vnet('vnet-consumer')],
    geoPairs: [['geo-p', 'geo-s']],
    steps: [
      { name: 'subnet', match: { method: 'PUT', pathPattern: 'virtualNetworks/vnet-app/subnets/endpoints$' }, operation: { method: 'PUT', resourcePattern: 'virtualNetworks/vnet-app/subnets/endpoints$' } },
      { name: 'dns-zone', match: { method: 'PUT', pathPattern: 'privateDnsZones/privatelink\\.redis\\.cache\\.windows\\.net$' }, operation: { method: 'PUT', resourcePattern: 'privateDnsZones/privatelink\\.redis\\.cache\\.windows\\.net$' } },
      { name: 'zone-link', match: { method: 'PUT', pathPattern: 'virtualNetworkLinks/[^/]+$' }, operation: { method: 'PUT', resourcePattern: 'virtualNetworkLinks/[^/]+$' } },
      { name: 'unlink-record', match: { method: 'PATCH', pathPattern: 'Redis/geo-p$', bodyPattern: GEO_UNLINKED_TAG } },
      { name: 'unlink', match: { method: 'DELETE', pathPattern: 'linkedServers/geo-s$' }, operation: { method: 'DELETE', resourcePattern: 'linkedServers/geo-s$' } },
      { name: 'endpoint', match: { method: 'PUT', pathPattern: 'privateEndpoints/pe-geo-p-vnet-app$' }, operation: { method: 'PUT', resourcePattern: 'privateEndpoints/pe-geo-p-vnet-app$' } },
      { name: 'zone-group', match: { method: 'PUT', pathPattern: 'privateDnsZoneGroups/default$' }, operation: { method: 'PUT', resourcePattern: 'privateDnsZoneGroups/default$' } },
      { name: 'relink', match: { method: 'PUT', pathPattern: 'linkedServers/geo-s$' }, operation: { method: 'PUT', resourcePattern: 'linkedServers/geo-s$' } },
      { name: 'unlink-record-removal', match: { method: 'PATCH', pathPattern: 'Redis/geo-p$', bodyPattern: UNTAG_BODY } },
      { name: 'disable-public-access', match: { method: 'PATCH', pathPattern: 'Redis/geo-p$', bodyPattern: 'publicNetworkAccess' }, operation: { method: 'PATCH', resourcePattern: 'Redis/geo-p$' } },
    ],
  };

  const lastSteps = {
    enable: { name: 'enable-public-access', match: { method: 'PATCH', pathPattern: `Redis/${anyOf('std-last', 'std-orphan')}$`, bodyPattern: 'publicNetworkAccess' }, operation: { method: 'PATCH', resourcePattern: `Redis/${anyOf('std-last', 'std-orphan')}$` } },
    endpoint: (cache: string) => ({ name: 'replacement-endpoint', match: { method: 'PUT', pathPattern: `privateEndpoints/pe-${cache}-vnet-app$` }, operation: { method: 'PUT', resourcePattern: `privateEndpoints/pe-${cache}-vnet-app$` } }),
    zoneGroup: (cache: string) => ({ name: 'replacement-zone-group', match: { method: 'PUT', pathPattern: `pe-${cache}-vnet-app/privateDnsZoneGroups/default$` }, operation: { method: 'PUT', resourcePattern: `pe-${cache}-vnet-app/privateDnsZoneGroups/default$` } }),
    remove: { name: 'delete-endpoint', match: { method: 'DELETE', pathPattern: 'privateEndpoints/pe-manual$' }, operation: { method: 'DELETE', resourcePattern: 'privateEndpoints/pe-manual$' } },
  } satisfies Record<string, WriteStep | ((cache: string) => WriteStep)>;

  const out: Scenario[] = [geo];
  for (const mode of ['enable-public-access', 'recreate-endpoint'] as const) {
    const policy = testPolicy({ onLastEndpointDeleted: mode });
    out.push({
      name: `last-endpoint removal (${mode})`,
      estate: 'last-endpoint',
      orchestrator: OrchestratorNames.removePrivateEndpoint,
      input: () => ({ cacheId: cacheId('std-last'), privateEndpointId: pe('pe-manual'), policy, settings: MATRIX_SETTINGS }),
      policy,
      caches: ['std-last'],
      places: ['internet', ids.vnet('vnet-app'), ids.vnet('vnet-consumer')],
      steps: mode === 'enable-public-access' ? [lastSteps.enable, lastSteps.remove] : [lastSteps.endpoint('std-last'), lastSteps.zoneGroup('std-last'), lastSteps.remove],
    });
    out.push({
      name: `last endpoint deleted, Event Grid remediation (${mode})`,
      estate: 'last-endpoint',
      orchestrator: OrchestratorNames.remediateCache,
      input: () => ({ cacheId: cacheId('std-orphan'), policy, settings: MATRIX_SETTINGS, reason: 'event: private endpoint deleted' }),
      policy,
      caches: ['std-orphan'],
      places: ['internet', ids.vnet('vnet-app'), ids.vnet('vnet-consumer')],
      // The cache was unreachable: the remediation must make it reachable (per the policy, or the fallback).
      mustReach: () => ['anywhere'],
      steps: mode === 'enable-public-access' ? [lastSteps.enable] : [lastSteps.endpoint('std-orphan'), lastSteps.zoneGroup('std-orphan')],
    });
  }
  return out;
}

/** Builds the two base estates through the real SDK clients, once; returns them as emulator estates. */
export async function buildEstates(h: Pick<WorkflowHarness, 'emu' | 'clients'>): Promise<Record<Scenario['estate'], Estate>> {
  const capture = (): Estate => ({ resourceGroups: ESTATE_RESOURCE_GROUPS, resources: structuredClone(h.emu.control.snapshot()) as ArmResource[] });
  const empty: Estate = { resourceGroups: ESTATE_RESOURCE_GROUPS, resources: [] };
  h.emu.control.reset(empty);
  await createNetworks(h.clients);
  const primary = await createCache(h.clients, 'geo-p', 'Premium');
  const secondary = await createCache(h.clients, 'geo-s', 'Premium', { location: 'eastus' });
  await linkGeoPair(h.clients, primary, secondary, 'eastus');
  const geo = capture();

  h.emu.control.reset(empty);
  await createNetworks(h.clients);
  const poll = { updateIntervalInMs: 5 };
  // The endpoint subnet is ready (private endpoint network policies Disabled) in this estate.
  const subnet = await h.clients.network(SUB).subnets.get('rg-net', 'vnet-app', 'endpoints');
  await h.clients.network(SUB).subnets.createOrUpdate('rg-net', 'vnet-app', 'endpoints', { ...subnet, privateEndpointNetworkPolicies: 'Disabled' }, poll);
  const dns = h.clients.privateDns(SUB);
  await dns.privateZones.createOrUpdate('rg-dns', 'privatelink.redis.cache.windows.net', { location: 'global' }, poll);
  for (const vnet of ['vnet-app', 'vnet-consumer']) {
    await dns.virtualNetworkLinks.createOrUpdate('rg-dns', 'privatelink.redis.cache.windows.net', `link-${vnet}`, { location: 'global', virtualNetwork: { id: ids.vnet(vnet) }, registrationEnabled: false }, poll);
  }
  const last = await createCache(h.clients, 'std-last', 'Standard', { publicNetworkAccess: 'Disabled' });
  await createCache(h.clients, 'std-orphan', 'Standard', { publicNetworkAccess: 'Disabled' });
  const network = h.clients.network(SUB);
  await network.privateEndpoints.createOrUpdate('rg-net', 'pe-manual', {
    location: 'westus2',
    subnet: { id: ids.subnet('vnet-app', 'endpoints') },
    privateLinkServiceConnections: [{ name: 'pe-manual', privateLinkServiceId: last, groupIds: ['redisCache'] }],
  }, poll);
  await network.privateDnsZoneGroups.createOrUpdate('rg-net', 'pe-manual', 'default', {
    privateDnsZoneConfigs: [{ name: 'privatelink-redis-cache-windows-net', privateDnsZoneId: ids.zone() }],
  }, poll);
  return { geo, 'last-endpoint': capture() };
}

export interface CaseResult {
  scenario: string;
  step: string;
  fault: FaultKind;
  runtimeStatus: string;
  workflowStatus?: string;
  /** ARM requests the workflow sent (the emulator's log). */
  requests: number;
  /** Virtual time from start to the end of the workflow (s). */
  virtualSeconds: number;
  /** Whether the fault was met at all (the step ran and a request matched). */
  faultMet: boolean;
  violations: string[];
}

type Reach = Record<string, Record<string, boolean>>;

function reachOf(h: WorkflowHarness, s: Scenario): Reach {
  const out: Reach = {};
  for (const c of s.caches) {
    out[c] = {};
    for (const place of s.places) {
      const r = h.emu.control.connectivity(cacheId(c), place);
      // A consumer VNet that resolves the private address reaches the endpoint through peering in Azure; the
      // emulator does not model peering.
      out[c]![place] = r.reachable || (place !== 'internet' && r.resolution === 'private' && !!r.resolvedAddress);
    }
  }
  return out;
}

function checkInvariant(h: WorkflowHarness, s: Scenario, before: Reach, output: unknown, failedText: string): string[] {
  const v: string[] = [];
  const after = reachOf(h, s);
  const resources = h.emu.control.snapshot();
  for (const c of s.caches) {
    const cache = resources.find((r) => r.id.toLowerCase() === cacheId(c).toLowerCase())!;
    const publicDisabledByPolicy = s.policy.publicNetworkAccess === 'Disabled' && cache.properties.publicNetworkAccess === 'Disabled';
    for (const place of s.places) {
      if (!before[c]![place] || after[c]![place]) continue;
      // The policy's explicit choice: no public access once a verified endpoint serves the cache.
      if (place === 'internet' && publicDisabledByPolicy && Object.entries(after[c]!).some(([p, ok]) => p !== 'internet' && ok)) continue;
      // The removal asked for: the removed endpoint's VNet may lose its private path only if public access serves it.
      v.push(`${c} was reachable from ${place === 'internet' ? 'the internet' : place.split('/').pop()} before and is not after`);
    }
    if (s.mustReach && !Object.values(after[c]!).some(Boolean) && s.policy.onLastEndpointDeleted !== 'report-only') {
      v.push(`${c} is still unreachable from everywhere`);
    }
    if (cache.properties.provisioningState === 'Failed' && !/Failed/.test(failedText)) v.push(`${c} ended provisioningState Failed and the workflow did not report a failure`);
  }
  for (const [p, sec] of s.geoPairs ?? []) {
    const link = resources.find((r) => r.id.toLowerCase() === `${cacheId(p)}/linkedServers/${sec}`.toLowerCase());
    const tag = Object.keys(resources.find((r) => r.id.toLowerCase() === cacheId(p).toLowerCase())?.tags ?? {}).includes(GEO_UNLINKED_TAG);
    const told = /geo-relink-failed/.test(JSON.stringify(output ?? '')) || /geo-relink-failed/.test(failedText);
    if ((!link || link.properties.provisioningState !== 'Succeeded') && !told) v.push(`geo pair ${p} -> ${sec} is not linked and nobody was told`);
    if (link && tag) v.push(`geo pair ${p} -> ${sec} is linked but still carries the unlink record`);
  }
  const zone = resources.filter((r) => /\/A\//i.test(r.id) && /privatelink\.redis\.cache\.windows\.net/i.test(r.id));
  for (const e of resources.filter((r) => r.type.toLowerCase() === 'microsoft.network/privateendpoints')) {
    const conns = [...(e.properties.privateLinkServiceConnections ?? []), ...(e.properties.manualPrivateLinkServiceConnections ?? [])];
    const target = conns.map((c: any) => String(c.properties?.privateLinkServiceId ?? '').split('/').pop()).find((n: string | undefined) => !!n && s.caches.includes(n));
    if (!target) continue;
    if (e.properties.provisioningState === 'Failed') v.push(`endpoint ${e.name} is left Failed`);
    const approved = conns.some((c: any) => c.properties?.privateLinkServiceConnectionState?.status === 'Approved');
    if (!approved || e.properties.provisioningState === 'Failed') continue;
    const hasGroup = resources.some((r) => r.id.toLowerCase().startsWith(`${e.id.toLowerCase()}/privatednszonegroups/`));
    const record = zone.find((r) => r.name.toLowerCase() === target.toLowerCase());
    if (!hasGroup) v.push(`approved endpoint ${e.name} has no DNS zone group`);
    else if (!record) v.push(`approved endpoint ${e.name} has no A record (NXDOMAIN in linked VNets)`);
  }
  return v;
}

let caseCounter = 0;

/** Runs one case: reset to the scenario's estate, arm the fault, run the workflow, check the invariant. */
export async function runCase(h: WorkflowHarness, estates: Record<Scenario['estate'], Estate>, s: Scenario, step: WriteStep, fault: FaultKind): Promise<CaseResult> {
  h.emu.control.reset(structuredClone(estates[s.estate]));
  const before = reachOf(h, s);
  if (fault === 'operation-failed') {
    if (!step.operation) throw new Error(`step ${step.name} has no long-running operation`);
    h.emu.control.failNextOperation({ ...step.operation, code: 'InternalServerError', message: 'Injected: the operation ended Failed.' });
  } else {
    h.emu.control.injectFault(faultFor(fault, step));
  }
  const startedAt = h.host.clock.now().getTime();
  const id = await h.host.startNew(s.orchestrator, { instanceId: `matrix-${++caseCounter}-${step.name}-${fault}`, input: s.input() });
  const status = await h.host.waitForCompletion(id, { timeoutMs: 120_000 });
  const virtualSeconds = Math.round((h.host.clock.now().getTime() - startedAt) / 1000);
  const requests = h.emu.control.requests();
  const faultMet =
    fault === 'operation-failed'
      ? h.emu.control.pendingFaults().operations.length === 0
      : requests.some((r) => r.status >= 400 && (fault === 'outage-300s' ? r.errorCode === 'ServiceUnavailable' : true));
  const output = status.output as { status?: string } | string | undefined;
  const failedText = `${status.runtimeStatus === 'Failed' ? 'Failed' : ''} ${typeof output === 'string' ? output : (output as { status?: string })?.status === 'failed' ? 'Failed' : ''} ${JSON.stringify(output ?? '')}`;
  const violations = ['Completed', 'Failed'].includes(status.runtimeStatus) ? checkInvariant(h, s, before, output, failedText) : [`the workflow did not end (${status.runtimeStatus})`];
  if (fault === 'operation-failed' && faultMet && status.runtimeStatus === 'Completed' && (output as { status?: string })?.status === 'succeeded' && step.name === 'disable-public-access') {
    violations.push('the public-access update ended Failed and the workflow reported success');
  }
  return {
    scenario: s.name,
    step: step.name,
    fault,
    runtimeStatus: status.runtimeStatus,
    workflowStatus: typeof output === 'object' ? output?.status : undefined,
    requests: requests.length,
    virtualSeconds,
    faultMet,
    violations,
  };
}

/** Every (scenario, step, fault) of the matrix; `operation-failed` only for steps that are long-running operations. */
export function matrixCases(): Array<{ scenario: Scenario; step: WriteStep; fault: FaultKind }> {
  const out: Array<{ scenario: Scenario; step: WriteStep; fault: FaultKind }> = [];
  for (const scenario of scenarios()) {
    for (const step of scenario.steps) {
      for (const fault of FAULTS) {
        if (fault === 'operation-failed' && !step.operation) continue;
        out.push({ scenario, step, fault });
      }
    }
  }
  return out;
}

export { RG };
