#!/usr/bin/env node
// What the autopilot needs in Azure but must NOT be part of the azd deployment (azd down deletes every resource
// group named in the deployment's resources), done by the azd hooks, idempotently, every time:
//
//   1. the default private DNS zones group (rg-<env>-privatedns), created when missing and never deleted here;
//   2. the custom role on a DNS zones group outside the subscriptions in scope (hub-and-spoke);
//   3. one event subscription on each system topic (ours and adopted) to the eventGridResourceChanged function,
//      once the function exists (Event Grid validates an AzureFunction destination when it is created).
//      Adopted topics are only read, never written; a topic's own identity dead-letters for it.
//
// Usage: node infra/hooks/outside-deployment.cjs postprovision|postdeploy|predown
//   postprovision  steps 1 and 2; step 3 only if the function already exists (a later `azd provision`).
//   postdeploy     steps 1, 2 and 3, waiting (bounded) for the function to be listed after the deployment.
//   predown        removes what steps 2 and 3 made outside the groups azd deletes, and our topics' groups in the
//                  other subscriptions in scope (azd down deletes groups in the deployment subscription only);
//                  keeps the DNS zones group.
//
// Inputs: the outputs of infra/main.bicep, which azd passes to hooks as environment variables. Nothing is
// written back to the azd environment, and no `azd provision` is run from here.
// Authentication: `azd auth token` (the identity azd deploys with), or `az account get-access-token`.
// Plain Node.js (22), CommonJS, no dependency: it runs before `npm ci` on a fresh clone, and the tests call
// run() in-process (test/integration/deploy-hooks.test.ts).
'use strict';

const { spawnSync } = require('node:child_process');
const { createHash } = require('node:crypto');
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

const here = __dirname;
const PHASES = ['postprovision', 'postdeploy', 'predown'];

class HookError extends Error {}

/**
 * Runs one phase. `env` holds the outputs of infra/main.bicep (and AUTOPILOT_HOOK_* test settings); `log`
 * receives progress lines. Throws HookError with a message for a human when something is missing or refused.
 */
async function run({ phase, env, log }) {
  const API = {
    resourceGroups: '2021-04-01',
    roleAssignments: '2022-04-01',
    eventGrid: '2025-02-15',
    sites: '2024-04-01',
  };
  // Built-in role: Storage Blob Data Contributor (write dead-lettered events).
  const STORAGE_BLOB_DATA_CONTRIBUTOR = 'ba92f5b4-2d11-453d-a403-e96b0029c9fe';

  function required(name) {
    const value = env[name];
    if (value === undefined || value === '') throw new HookError(`${name} is not set: run \`azd provision\` first (it is an output of infra/main.bicep)`);
    return value;
  }

  function list(name) {
    return (env[name] ?? '')
      .split(',')
      .map((v) => v.trim())
      .filter(Boolean);
  }

  const armEndpoint = (env.AUTOPILOT_HOOK_ARM_ENDPOINT || env.AZURE_RESOURCE_MANAGER_ENDPOINT || 'https://management.azure.com/').replace(/\/+$/, '');
  const waitSeconds = Number(env.AUTOPILOT_HOOK_FUNCTION_WAIT_SECONDS ?? 600);
  const pollSeconds = Number(env.AUTOPILOT_HOOK_POLL_SECONDS ?? 10);
  const sleep = (seconds) => new Promise((resolve) => setTimeout(resolve, seconds * 1000));

  // ------------------------------------------------------------------------------------------------------------
  // Azure Resource Manager over HTTPS with the deployer's token
  // ------------------------------------------------------------------------------------------------------------

  let cachedToken;
  function token() {
    if (cachedToken) return cachedToken;
    const scope = `${armEndpoint}/.default`;
    const attempts = [
      ['azd', ['auth', 'token', '--output', 'json', '--scope', scope], (o) => o.token],
      ['az', ['account', 'get-access-token', '--output', 'json', '--scope', scope], (o) => o.accessToken],
    ];
    const failures = [];
    for (const [command, args, pick] of attempts) {
      const result = spawnSync(command, args, { encoding: 'utf8', env, shell: process.platform === 'win32' });
      if (result.status === 0) {
        try {
          const value = pick(JSON.parse(result.stdout));
          if (value) return (cachedToken = value);
        } catch {
          // not JSON: try the next tool
        }
      }
      failures.push(`${command}: ${(result.stderr || result.error?.message || 'failed').trim().split('\n')[0]}`);
    }
    throw new HookError(`no Azure token (${failures.join('; ')}): run \`azd auth login\``);
  }

  async function arm(method, path, apiVersion, body) {
    const url = `${armEndpoint}${path}${path.includes('?') ? '&' : '?'}api-version=${apiVersion}`;
    for (let attempt = 1; ; attempt++) {
      const response = await fetch(url, {
        method,
        headers: { authorization: `Bearer ${token()}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      let json;
      try {
        json = text ? JSON.parse(text) : undefined;
      } catch {
        json = undefined;
      }
      // Throttling and transient faults: ARM's Retry-After, three attempts.
      if ((response.status === 429 || response.status >= 500) && attempt < 3) {
        await sleep(Math.min(Number(response.headers.get('retry-after') ?? pollSeconds) || pollSeconds, 60));
        continue;
      }
      return { status: response.status, json };
    }
  }

  function armError(what, res) {
    const error = res.json?.error;
    return new HookError(`${what}: HTTP ${res.status}${error ? ` ${error.code}: ${error.message}` : ''}`);
  }

  /** A stable GUID from its parts (the same idea as Bicep's guid()): re-running PUTs the same assignment. */
  function stableGuid(...parts) {
    const h = createHash('sha1').update(parts.join('|').toLowerCase()).digest('hex');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16], 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }

  async function putRoleAssignment(scope, name, roleDefinitionId, principalId, description) {
    const res = await arm('PUT', `${scope}/providers/Microsoft.Authorization/roleAssignments/${name}`, API.roleAssignments, {
      properties: { roleDefinitionId, principalId, principalType: 'ServicePrincipal', description },
    });
    // RoleAssignmentExists: the same principal already holds the role there (under another name): fine.
    if (res.status === 200 || res.status === 201 || (res.status === 409 && res.json?.error?.code === 'RoleAssignmentExists')) return;
    throw armError(`role assignment at ${scope}`, res);
  }

  // ------------------------------------------------------------------------------------------------------------
  // 1. The private DNS zones group
  // ------------------------------------------------------------------------------------------------------------

  async function ensureDnsZoneGroup() {
    const groupId = required('AUTOPILOT_DNS_ZONE_RESOURCE_GROUP');
    const existing = await arm('GET', groupId, API.resourceGroups);
    if (existing.status === 200) {
      log(`private DNS zones group ${groupId} exists (left as it is)`);
      return;
    }
    if (existing.status !== 404) throw armError(`reading ${groupId}`, existing);
    if (env.AUTOPILOT_DNS_ZONE_RESOURCE_GROUP_CREATE !== 'true') {
      throw new HookError(`the private DNS zones group ${groupId} (AUTOPILOT_DNS_ZONE_RESOURCE_GROUP_ID) does not exist: create it, or leave the setting empty for rg-<env>-privatedns`);
    }
    // Not tagged azd-env-name: it is not the environment's group and outlives `azd down`.
    const created = await arm('PUT', groupId, API.resourceGroups, {
      location: required('AZURE_LOCATION'),
      tags: { 'autopilot-private-dns-zones': required('AZURE_ENV_NAME') },
    });
    if (created.status !== 200 && created.status !== 201) throw armError(`creating ${groupId}`, created);
    log(`created the private DNS zones group ${groupId} (outside the deployment: azd down keeps it and its zones)`);
  }

  // ------------------------------------------------------------------------------------------------------------
  // 2. The custom role on a DNS zones group outside the subscriptions in scope
  // ------------------------------------------------------------------------------------------------------------

  function roleDefinitionIdIn(subscriptionId) {
    const roleGuid = required('AUTOPILOT_ROLE_DEFINITION_ID').split('/').pop();
    return `/subscriptions/${subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${roleGuid}`;
  }

  async function ensureDnsZoneGroupRole() {
    const name = env.AUTOPILOT_DNS_ROLE_ASSIGNMENT_NAME ?? '';
    if (!name) return;
    const groupId = required('AUTOPILOT_DNS_ZONE_RESOURCE_GROUP');
    await putRoleAssignment(
      groupId,
      name,
      roleDefinitionIdIn(groupId.split('/')[2]),
      required('AUTOPILOT_IDENTITY_PRINCIPAL_ID'),
      `Redis Private Link Autopilot (${required('AZURE_ENV_NAME')}): private DNS zones, their virtual network links and A records`,
    );
    log(`custom role assigned on the private DNS zones group ${groupId}`);
  }

  // ------------------------------------------------------------------------------------------------------------
  // 3. Event subscriptions
  // ------------------------------------------------------------------------------------------------------------

  /** Adopted topics: lower-cased id -> id as given. */
  function adoptedTopicIds() {
    const raw = env.AUTOPILOT_ADOPTED_SYSTEM_TOPICS ?? '';
    if (!raw.trim()) return new Map();
    let parsed;
    try {
      parsed = JSON.parse(raw);
    } catch {
      throw new HookError('AUTOPILOT_ADOPTED_SYSTEM_TOPICS is not a JSON array: run `azd provision` again');
    }
    return new Map(parsed.map((t) => [String(t.id).toLowerCase(), String(t.id)]));
  }

  async function functionExists(functionId) {
    const res = await arm('GET', functionId, API.sites);
    if (res.status === 200) return true;
    if (res.status === 404) return false;
    throw armError(`reading ${functionId}`, res);
  }

  /** The dead-letter identity for a topic: ours on our topics; on an adopted topic, the identity it already has. */
  async function deadLetterFor(topicId, adopted) {
    const ours = required('AUTOPILOT_DEADLETTER_IDENTITY_ID');
    if (!adopted) return { type: 'UserAssigned', userAssignedIdentity: ours };
    const topic = await arm('GET', topicId, API.eventGrid);
    if (topic.status !== 200) throw armError(`reading the adopted system topic ${topicId}`, topic);
    const identity = topic.json?.identity ?? {};
    const type = String(identity.type ?? 'None');
    const userAssigned = Object.keys(identity.userAssignedIdentities ?? {});
    if (userAssigned.some((id) => id.toLowerCase() === ours.toLowerCase())) return { type: 'UserAssigned', userAssignedIdentity: ours };
    if (/SystemAssigned/i.test(type) && identity.principalId) {
      // Let the topic's own identity write to the dead-letter container (in the app group: azd down removes it).
      const container = `${required('AUTOPILOT_DEADLETTER_STORAGE_ID')}/blobServices/default/containers/${required('AUTOPILOT_DEADLETTER_CONTAINER_NAME')}`;
      const subscriptionId = container.split('/')[2];
      await putRoleAssignment(
        container,
        stableGuid(container, identity.principalId, STORAGE_BLOB_DATA_CONTRIBUTOR),
        `/subscriptions/${subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${STORAGE_BLOB_DATA_CONTRIBUTOR}`,
        identity.principalId,
        `Redis Private Link Autopilot: the adopted system topic ${topicId} dead-letters undeliverable events here`,
      );
      return { type: 'SystemAssigned' };
    }
    log(`WARNING: the adopted topic ${topicId} has no identity this deployment can use: its event subscription has no dead-lettering (events are retried for 24 hours, then dropped; the sweep still finds what they announced). Add the identity ${ours} to the topic to dead-letter.`);
    return undefined;
  }

  function eventSubscriptionBody(deadLetterIdentity) {
    const filters = JSON.parse(readFileSync(join(here, '..', 'event-filters.json'), 'utf8'));
    const properties = {
      eventDeliverySchema: 'EventGridSchema',
      destination: {
        endpointType: 'AzureFunction',
        properties: {
          resourceId: required('AUTOPILOT_EVENT_FUNCTION_ID'),
          // One event per invocation: a failure redelivers one event, not a batch.
          maxEventsPerBatch: 1,
          preferredBatchSizeInKilobytes: 64,
        },
      },
      filter: {
        includedEventTypes: filters.includedEventTypes,
        isSubjectCaseSensitive: false,
        enableAdvancedFilteringOnArrays: false,
        advancedFilters: [{ operatorType: 'StringIn', key: 'data.operationName', values: filters.operationNames }],
      },
      retryPolicy: { maxDeliveryAttempts: 30, eventTimeToLiveInMinutes: 1440 },
    };
    if (deadLetterIdentity) {
      properties.deadLetterWithResourceIdentity = {
        identity: deadLetterIdentity,
        deadLetterDestination: {
          endpointType: 'StorageBlob',
          properties: {
            resourceId: required('AUTOPILOT_DEADLETTER_STORAGE_ID'),
            blobContainerName: required('AUTOPILOT_DEADLETTER_CONTAINER_NAME'),
          },
        },
      };
    }
    return { properties };
  }

  async function waitForProvisioning(id) {
    const deadline = Date.now() + waitSeconds * 1000;
    for (;;) {
      const res = await arm('GET', id, API.eventGrid);
      const state = res.json?.properties?.provisioningState;
      if (res.status === 200 && state === 'Succeeded') return;
      if (res.status === 200 && (state === 'Failed' || state === 'Canceled')) throw new HookError(`event subscription ${id}: ${state}`);
      if (res.status !== 200 && res.status !== 404) throw armError(`reading ${id}`, res);
      if (Date.now() > deadline) throw new HookError(`event subscription ${id}: still ${state ?? 'not found'} after ${waitSeconds} s`);
      await sleep(pollSeconds);
    }
  }

  async function ensureEventSubscriptions({ wait }) {
    const functionId = required('AUTOPILOT_EVENT_FUNCTION_ID');
    const topics = list('AUTOPILOT_SYSTEM_TOPIC_IDS');
    const name = required('AUTOPILOT_EVENT_SUBSCRIPTION_NAME');
    if (!(await functionExists(functionId))) {
      if (!wait) {
        log('event subscriptions: the function is not deployed yet; the postdeploy hook creates them after `azd deploy`');
        return;
      }
      const deadline = Date.now() + waitSeconds * 1000;
      log(`waiting for ${functionId} to be listed (up to ${waitSeconds} s)`);
      do {
        if (Date.now() > deadline) throw new HookError(`the function ${functionId} is not listed after ${waitSeconds} s: check the deployment (azd deploy) and run this hook again (azd hooks run postdeploy)`);
        await sleep(pollSeconds);
      } while (!(await functionExists(functionId)));
    }
    const adopted = adoptedTopicIds();
    for (const topicId of topics) {
      const isAdopted = adopted.has(topicId.toLowerCase());
      const id = `${topicId}/eventSubscriptions/${name}`;
      const res = await arm('PUT', id, API.eventGrid, eventSubscriptionBody(await deadLetterFor(topicId, isAdopted)));
      if (res.status !== 200 && res.status !== 201) throw armError(`creating ${id}`, res);
      await waitForProvisioning(id);
      log(`event subscription ${name} on ${isAdopted ? 'the adopted' : 'our'} topic ${topicId}: up to date`);
    }
  }

  // ------------------------------------------------------------------------------------------------------------
  // predown: what azd down cannot see
  // ------------------------------------------------------------------------------------------------------------

  async function removeOutsideDeployment() {
    const name = env.AUTOPILOT_EVENT_SUBSCRIPTION_NAME ?? '';
    for (const topicId of adoptedTopicIds().values()) {
      if (!name) break;
      // Our event subscription on an adopted topic would keep delivering to a deleted function.
      const res = await arm('DELETE', `${topicId}/eventSubscriptions/${name}`, API.eventGrid);
      if (![200, 202, 204, 404].includes(res.status)) throw armError(`deleting our event subscription on ${topicId}`, res);
      log(`removed our event subscription from the adopted topic ${topicId} (the topic stays)`);
    }
    const assignment = env.AUTOPILOT_DNS_ROLE_ASSIGNMENT_NAME ?? '';
    if (assignment) {
      const groupId = required('AUTOPILOT_DNS_ZONE_RESOURCE_GROUP');
      const res = await arm('DELETE', `${groupId}/providers/Microsoft.Authorization/roleAssignments/${assignment}`, API.roleAssignments);
      if (![200, 204, 404].includes(res.status)) throw armError(`deleting the role assignment on ${groupId}`, res);
      log(`removed the custom role assignment on ${groupId} (the group and its zones stay)`);
    }
    // Our topics' groups in the other subscriptions in scope: azd down deletes the groups the deployment names
    // in the deployment subscription only. Deleted only when tagged with this environment (ours).
    const deploymentSubscription = (env.AZURE_SUBSCRIPTION_ID ?? '').toLowerCase();
    const adopted = adoptedTopicIds();
    const groups = new Set(
      list('AUTOPILOT_SYSTEM_TOPIC_IDS')
        .filter((id) => !adopted.has(id.toLowerCase()))
        .map((id) => id.split('/').slice(0, 5).join('/'))
        .filter((group) => deploymentSubscription && group.split('/')[2].toLowerCase() !== deploymentSubscription),
    );
    for (const group of groups) {
      const found = await arm('GET', group, API.resourceGroups);
      if (found.status === 404) continue;
      if (found.status !== 200) throw armError(`reading ${group}`, found);
      if (found.json?.tags?.['azd-env-name'] !== env.AZURE_ENV_NAME) {
        log(`WARNING: ${group} is not tagged azd-env-name=${env.AZURE_ENV_NAME}: left in place`);
        continue;
      }
      const res = await arm('DELETE', group, API.resourceGroups);
      if (![200, 202, 204, 404].includes(res.status)) throw armError(`deleting ${group}`, res);
      log(`deleting our topic's group ${group} (another subscription in scope: azd down does not see it)`);
    }
    log('the private DNS zones group and its zones are kept (they serve every cache in scope)');
  }

  if (!PHASES.includes(phase)) throw new HookError(`usage: outside-deployment.cjs ${PHASES.join('|')}`);
  if (phase === 'predown') return removeOutsideDeployment();
  await ensureDnsZoneGroup();
  await ensureDnsZoneGroupRole();
  await ensureEventSubscriptions({ wait: phase === 'postdeploy' });
}

module.exports = { run, HookError, PHASES };

if (require.main === module) {
  const phase = process.argv[2];
  run({ phase, env: process.env, log: (message) => process.stderr.write(`[autopilot ${phase}] ${message}\n`) }).then(
    () => process.exit(0),
    (error) => {
      process.stderr.write(`[autopilot ${phase}] FAILED: ${error instanceof HookError ? error.message : (error && error.stack) || error}\n`);
      process.exit(1);
    },
  );
}
