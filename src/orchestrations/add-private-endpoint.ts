/**
 * Add a private endpoint to an existing cache: the seed's portal, PowerShell and CLI procedure, made safe.
 *
 *  1. read the cache; refuse what Azure refuses (VNet injection, link limits, clustering, passive geo-replication
 *     unless the policy allows unlink-and-relink) before any write
 *  2. subnet ready (private endpoint network policies disabled)
 *  3. private DNS zone exists and is linked to the endpoint's VNet and every consumer VNet, BEFORE the endpoint
 *  4. unlink passive geo-replication (relink registered as compensation: it always runs)
 *  5. create the endpoint and its DNS zone group; wait until Succeeded and Approved
 *  6. relink (finally) and wait until linked
 *  7. verify DNS; only then, if the policy says so, disable public network access
 */
import type { OrchestrationContext } from 'durable-functions';
import { resourceNameOf, sameId, parseResourceId, formatResourceId, virtualNetworkIdOfSubnet } from '../azure/resource-id';
import type { GetPrivateEndpointResult } from '../activities/get-private-endpoint';
import { ActivityNames } from '../activities/names';
import type { Outcome } from '../activities/define';
import { buildContext } from '../policy/context';
import { evaluate } from '../policy/evaluate';
import { privateEndpointName } from '../policy/naming';
import { preflightAddEndpoint } from '../policy/preflight';
import { tierFactsOf } from '../policy/tiers';
import { SEED } from '../policy/seed-rules';
import type { CreatePrivateEndpointStep, Step } from '../policy/types';
import { callActivity, ProgressReporter, throwIfFailed, type Orchestration } from './durable-helpers';
import { planFor, runModeOf } from './workflow-plan';
import { executeSteps, runStepsDirectly } from './execute-steps';
import { GATE_REJECTED } from './gates';
import { expectOk, readSnapshot, refused, zoneIdFor, type StepRecord, type WorkflowEnvelope, type WorkflowResult } from './common';
import { geoLinkOf } from './geo-replication';

export interface AddPrivateEndpointInput extends WorkflowEnvelope {
  cacheId: string;
  /** Subnet for the endpoint; defaults to the policy's placement for the cache's region. */
  subnetId?: string;
  /** Defaults to `pe-<cache>-<vnet>`. */
  privateEndpointName?: string;
  /** Overrides policy.geoReplication for this run. */
  geoReplication?: 'manual' | 'unlink-and-relink';
  /** Overrides policy.publicNetworkAccess for this run (what to set once the endpoint verifies). */
  publicNetworkAccess?: 'Enabled' | 'Disabled';
  /** Read and check only: return the steps that would run. */
  dryRun?: boolean;
}

const DNS_RULES = new Set(['dns-zone-group-missing', 'dns-zone-wrong', 'dns-zone-not-linked', 'dns-record-mismatch']);

export function* addPrivateEndpointOrchestrator(context: OrchestrationContext): Orchestration<WorkflowResult> {
  const input = context.df.getInput() as AddPrivateEndpointInput;
  const { settings, policy } = input;
  const actions: StepRecord[] = [];
  const progress = new ProgressReporter(context, 6, input.cacheId);

  progress.next('Reading the cache and everything attached to it');
  const snapshot = yield* readSnapshot(context, input);
  if (!snapshot) return refused(input.cacheId, 'cache-not-found', `Cache ${input.cacheId} does not exist.`);
  const facts = tierFactsOf(snapshot);

  const subnetId = input.subnetId ?? policy.endpointPlacement[snapshot.location.toLowerCase().replace(/\s+/g, '')]?.subnetId;
  if (!subnetId) {
    return refused(
      input.cacheId,
      'endpoint-placement-missing',
      `No subnet given and the policy has no endpointPlacement for region '${snapshot.location}'.`,
    );
  }
  const geoMode = input.geoReplication ?? policy.geoReplication;
  const check = preflightAddEndpoint(snapshot, { subnetId, geoReplication: geoMode });
  if (!check.ok) return refused(input.cacheId, check.rule, check.message);
  const links = snapshot.linkedServers.map((ls) => geoLinkOf(snapshot.cacheId, snapshot.location, ls));
  const vnetId = virtualNetworkIdOfSubnet(subnetId);
  const subnet = parseResourceId(subnetId);
  const peName = input.privateEndpointName ?? privateEndpointName(snapshot.name, resourceNameOf(vnetId));
  const privateEndpointId = formatResourceId({
    subscriptionId: subnet.subscriptionId,
    resourceGroup: subnet.resourceGroup,
    namespace: 'Microsoft.Network',
    resources: [{ type: 'privateEndpoints', name: peName }],
  });
  const zoneId = zoneIdFor(snapshot, policy);
  // Dry run is a type: past this return `mode` is 'execute', the only mode planFor turns into an ExecutablePlan.
  const mode = runModeOf(input);
  if (mode === 'dry-run') {
    const vnetsToLink = [vnetId, ...policy.consumerVirtualNetworks.filter((v) => !sameId(v, vnetId))];
    const wantedAccess = input.publicNetworkAccess ?? policy.publicNetworkAccess;
    const steps = [
      `ensure-subnet-ready ${subnetId}`,
      `ensure-dns-zone ${zoneId}`,
      ...vnetsToLink.map((v) => `ensure-dns-zone-link ${v}`),
      ...links.map((l) => `unlink-geo-replication ${resourceNameOf(l.primaryCacheId)} -> ${resourceNameOf(l.secondaryCacheId)}`),
      `create-private-endpoint ${privateEndpointId}`,
      `ensure-dns-zone-group ${privateEndpointId}`,
      ...links.map((l) => `relink-geo-replication ${resourceNameOf(l.primaryCacheId)} -> ${resourceNameOf(l.secondaryCacheId)}`),
      ...(wantedAccess === 'Disabled' && facts.supportsPublicNetworkAccess && snapshot.publicNetworkAccess === 'Enabled'
        ? ['set-public-network-access Disabled (once DNS verifies)']
        : []),
    ];
    return {
      status: 'planned',
      cacheId: snapshot.cacheId,
      message: `Dry-run: ${steps.length} step(s) would run; nothing was changed.`,
      actions: steps.map((step) => ({ step, status: 'planned' as const })),
      privateEndpointId,
    };
  }

  progress.next('Preparing the subnet (private endpoint network policies disabled)');
  const subnetReady = yield* callActivity<Outcome<{ changed: boolean; location?: string }>>(context, settings, ActivityNames.ensureSubnetReady, { subnetId });
  if (!subnetReady.ok) return refused(input.cacheId, 'subnet-invalid', subnetReady.message, actions);
  actions.push({ step: `ensure-subnet-ready ${subnetId}`, status: subnetReady.changed ? 'done' : 'skipped' });

  progress.next(`Preparing the private DNS zone ${resourceNameOf(zoneId)}`);
  const zone = expectOk('Private DNS zone', yield* callActivity<Outcome<{ changed: boolean }>>(context, settings, ActivityNames.ensurePrivateDnsZone, { zoneId }));
  actions.push({ step: `ensure-dns-zone ${zoneId}`, status: zone.changed ? 'done' : 'skipped' });

  progress.next('Linking the DNS zone to the endpoint VNet and consumer VNets');
  const vnets = [vnetId, ...policy.consumerVirtualNetworks.filter((v) => !sameId(v, vnetId))];
  for (const virtualNetworkId of vnets) {
    const link = expectOk(
      'Virtual network link',
      yield* callActivity<Outcome<{ changed: boolean }>>(context, settings, ActivityNames.ensureVirtualNetworkLink, { zoneId, virtualNetworkId }),
    );
    actions.push({ step: `ensure-dns-zone-link ${virtualNetworkId}`, status: link.changed ? 'done' : 'skipped' });
  }

  // Unlink (when geo-replicated) .. create the endpoint and its DNS zone group, wait until Approved .. relink:
  // as plan steps, so the geo part runs under the pair's lock with the relink saga (relink always runs).
  const createStep: CreatePrivateEndpointStep = {
    kind: 'create-private-endpoint',
    cacheId: snapshot.cacheId,
    rule: 'private-endpoint-missing',
    reason: `runbook: add private endpoint ${peName}`,
    privateEndpointId,
    subnetId,
    groupId: facts.groupId,
    location: subnetReady.location ?? snapshot.location,
    zoneId,
    dnsZoneGroupName: 'default',
  };
  const steps: Step[] = [
    ...links.map((l) => ({ kind: 'unlink-geo-replication' as const, cacheId: snapshot.cacheId, rule: 'private-endpoint-missing' as const, reason: SEED.geoReplication, primaryCacheId: l.primaryCacheId, secondaryCacheId: l.secondaryCacheId })),
    createStep,
    ...links.map((l) => ({ kind: 'relink-geo-replication' as const, cacheId: snapshot.cacheId, rule: 'private-endpoint-missing' as const, reason: SEED.geoReplication, primaryCacheId: l.primaryCacheId, secondaryCacheId: l.secondaryCacheId, secondaryLocation: l.secondaryLocation })),
  ];
  progress.next(links.length > 0 ? `Unlinking geo-replication, creating private endpoint ${peName}, relinking` : `Creating private endpoint ${peName}`);
  let executed: { actions: StepRecord[]; compensationErrors: string[] };
  try {
    executed = yield* executeSteps(context, settings, planFor(mode, steps), undefined, policy);
  } catch (e) {
    if (e instanceof Error && e.message.startsWith(GATE_REJECTED)) return refused(input.cacheId, 'approval-rejected', e.message, actions);
    throw e;
  }
  actions.push(...executed.actions);
  const endpoint = yield* callActivity<GetPrivateEndpointResult>(context, settings, ActivityNames.getPrivateEndpoint, { privateEndpointId });
  throwIfFailed(ActivityNames.getPrivateEndpoint, endpoint);

  progress.next('Verifying DNS for the new endpoint');
  const after = yield* readSnapshot(context, input);
  const dnsFindings = after ? evaluate(after, policy).filter((f) => DNS_RULES.has(f.rule)) : [];
  // The endpoint verifies when its zone is the right one, linked to its VNet, and holds its IP as the A record.
  const newEndpointVerified = !!after && buildContext(after, policy).verified.some((v) => sameId(v.connection.privateEndpointId, privateEndpointId));
  const wanted = input.publicNetworkAccess ?? policy.publicNetworkAccess;
  let publicAccess = after?.publicNetworkAccess;
  if (wanted === 'Disabled' && facts.supportsPublicNetworkAccess && after?.publicNetworkAccess === 'Enabled') {
    if (newEndpointVerified) {
      // As a plan step: waits until the cache accepts changes, runs again after a 409 busy, and is awaited until
      // the cache has settled (an update that ended Failed fails the workflow).
      const disabled = yield* runStepsDirectly(context, settings, planFor(mode, [
        { kind: 'set-public-network-access', cacheId: snapshot.cacheId, rule: 'public-access-enabled', reason: 'the new endpoint verifies', value: 'Disabled' },
      ]));
      actions.push(...disabled.actions);
      publicAccess = 'Disabled';
    } else {
      actions.push({ step: 'set-public-network-access Disabled', status: 'skipped', detail: 'DNS does not verify yet: public access kept on to avoid a lockout' });
    }
  }
  yield* callActivity(context, settings, ActivityNames.recordInventory, { entries: [{ privateEndpointId, cacheId: snapshot.cacheId }] });
  return {
    status: 'succeeded',
    cacheId: snapshot.cacheId,
    message: `Private endpoint ${peName} is Approved at ${(endpoint.exists && endpoint.privateIp) || 'an unknown IP'}; clients connect to ${snapshot.hostName}:${facts.port}.`,
    actions,
    privateEndpointId,
    privateIp: endpoint.exists ? endpoint.privateIp : undefined,
    hostName: snapshot.hostName,
    port: facts.port,
    publicNetworkAccess: publicAccess,
    findings: dnsFindings,
  };
}
