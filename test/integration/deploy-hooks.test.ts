/**
 * The azd hooks (infra/hooks/): the real script run as azd runs it, against a small recording ARM endpoint on
 * 127.0.0.1 (the emulator does not model Event Grid, role assignments or resource groups), with a stand-in
 * `azd` on PATH that only answers `azd auth token` and records every call.
 *
 * Proves item 2 of issue #14 (event subscriptions after deploy, idempotently, every time, no state in the azd
 * environment, no nested azd provision) and the hook halves of items 1 and 5 (adopted topics are never
 * written; the DNS zones group is created outside the deployment and never deleted).
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');
const HOOKS = path.join(ROOT, 'infra', 'hooks');
const FILTERS = JSON.parse(fs.readFileSync(path.join(ROOT, 'infra', 'event-filters.json'), 'utf8')) as {
  includedEventTypes: string[];
  operationNames: string[];
};

const S1 = '11111111-1111-1111-1111-111111111111';
const S2 = '22222222-2222-2222-2222-222222222222';
const HUB = '99999999-9999-9999-9999-999999999999';
const APP_RG = `/subscriptions/${S1}/resourceGroups/rg-prod`;
const FUNCTION_ID = `${APP_RG}/providers/Microsoft.Web/sites/func-autopilot-abc/functions/eventGridResourceChanged`;
const OWN_TOPIC = `/subscriptions/${S1}/resourceGroups/rg-prod-events/providers/Microsoft.EventGrid/systemTopics/egst-autopilot-prod`;
const ADOPTED_TOPIC = `/subscriptions/${S2}/resourceGroups/rg-platform/providers/Microsoft.EventGrid/systemTopics/platform-arm-events`;
const DEADLETTER_ID = `${APP_RG}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-autopilot-eventgrid-abc`;
const STORAGE_ID = `${APP_RG}/providers/Microsoft.Storage/storageAccounts/stabc`;
const ROLE_GUID = '0b7b7c2e-1d0c-5f7e-9a40-5a1c2a8e3f11';
const DNS_RG = `/subscriptions/${S1}/resourceGroups/rg-prod-privatedns`;
const HUB_DNS_RG = `/subscriptions/${HUB}/resourceGroups/rg-hub-dns`;
const SUB_NAME = 'evgs-autopilot-prod';

interface Recorded {
  method: string;
  path: string;
  apiVersion: string | null;
  body: any;
  authorization: string | undefined;
}

/** A recording ARM endpoint: GET/PUT/DELETE on an in-memory map of resources keyed by lower-cased id. */
class FakeArm {
  readonly resources = new Map<string, any>();
  readonly requests: Recorded[] = [];
  /** GETs of the function answered 404 before it "appears" (the deployment lists it). */
  functionMissingFor = 0;
  private server = http.createServer((req, res) => this.handle(req, res));
  url = '';

  async start() {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  stop() {
    return new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  seed(id: string, body: any) {
    this.resources.set(id.toLowerCase(), { id, ...body });
  }

  writes() {
    return this.requests.filter((r) => r.method !== 'GET');
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse) {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      const url = new URL(req.url!, 'http://x');
      const id = decodeURIComponent(url.pathname);
      const body = raw ? JSON.parse(raw) : undefined;
      this.requests.push({ method: req.method!, path: id, apiVersion: url.searchParams.get('api-version'), body, authorization: req.headers.authorization });
      const key = id.toLowerCase();
      const send = (status: number, json?: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(json === undefined ? '' : JSON.stringify(json));
      };
      const notFound = () => send(404, { error: { code: 'ResourceNotFound', message: `${id} not found` } });
      if (req.method === 'GET') {
        if (key === FUNCTION_ID.toLowerCase() && this.functionMissingFor > 0) {
          this.functionMissingFor--;
          return notFound();
        }
        const found = this.resources.get(key);
        return found ? send(200, found) : notFound();
      }
      if (req.method === 'PUT') {
        const existed = this.resources.has(key);
        const stored = { id, name: id.split('/').pop(), ...body };
        if (/\/eventSubscriptions\//i.test(id)) stored.properties = { ...body.properties, provisioningState: 'Succeeded' };
        this.resources.set(key, stored);
        return send(existed ? 200 : 201, stored);
      }
      if (req.method === 'DELETE') {
        const existed = this.resources.delete(key);
        return send(existed ? 200 : 204);
      }
      return send(405, { error: { code: 'MethodNotAllowed', message: req.method } });
    });
  }
}

let arm: FakeArm;
let bin: string;
let azdLog: string;

beforeEach(async () => {
  arm = new FakeArm();
  await arm.start();
  bin = fs.mkdtempSync(path.join(os.tmpdir(), 'autopilot-hooks-'));
  azdLog = path.join(bin, 'azd-calls.log');
  fs.writeFileSync(
    path.join(bin, 'azd'),
    [
      '#!/bin/sh',
      'echo "$@" >> "$FAKE_AZD_LOG"',
      'if [ "$1" = auth ] && [ "$2" = token ]; then echo \'{"token":"deployer-token","expiresOn":"2030-01-01T00:00:00Z"}\'; exit 0; fi',
      'echo "unexpected azd call: $*" >&2; exit 3',
    ].join('\n'),
    { mode: 0o755 },
  );
  // The function app, our topic and the adopted topic exist (provisioned, deployed).
  arm.seed(FUNCTION_ID, { properties: { name: 'eventGridResourceChanged' } });
  arm.seed(OWN_TOPIC, { identity: { type: 'UserAssigned', userAssignedIdentities: { [DEADLETTER_ID]: {} } }, properties: { source: `/subscriptions/${S1}` } });
  arm.seed(ADOPTED_TOPIC, {
    identity: { type: 'SystemAssigned', principalId: 'aaaaaaaa-0000-0000-0000-00000000a0a0' },
    tags: { owner: 'platform-team' },
    properties: { source: `/subscriptions/${S2}`, topicType: 'Microsoft.Resources.Subscriptions' },
  });
});

afterEach(async () => {
  await arm.stop();
  fs.rmSync(bin, { recursive: true, force: true });
});

/** The outputs of infra/main.bicep as azd passes them to hooks. */
function outputs(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    AZURE_ENV_NAME: 'prod',
    AZURE_LOCATION: 'westeurope',
    AUTOPILOT_DNS_ZONE_RESOURCE_GROUP: DNS_RG,
    AUTOPILOT_DNS_ZONE_RESOURCE_GROUP_CREATE: 'true',
    AUTOPILOT_DNS_ROLE_ASSIGNMENT_NAME: '',
    AUTOPILOT_ROLE_DEFINITION_ID: `/subscriptions/${S1}/providers/Microsoft.Authorization/roleDefinitions/${ROLE_GUID}`,
    AUTOPILOT_IDENTITY_PRINCIPAL_ID: 'cccccccc-0000-0000-0000-00000000c0c0',
    AUTOPILOT_SYSTEM_TOPIC_IDS: `${OWN_TOPIC},${ADOPTED_TOPIC}`,
    AUTOPILOT_ADOPTED_SYSTEM_TOPICS: JSON.stringify([{ id: ADOPTED_TOPIC, source: `/subscriptions/${S2}` }]),
    AUTOPILOT_EVENT_SUBSCRIPTION_NAME: SUB_NAME,
    AUTOPILOT_EVENT_FUNCTION_ID: FUNCTION_ID,
    AUTOPILOT_DEADLETTER_IDENTITY_ID: DEADLETTER_ID,
    AUTOPILOT_DEADLETTER_STORAGE_ID: STORAGE_ID,
    AUTOPILOT_DEADLETTER_CONTAINER_NAME: 'eventgrid-deadletter',
    ...overrides,
  };
}

interface Run {
  code: number;
  stderr: string;
}

const hooks = require('../../infra/hooks/outside-deployment.cjs') as {
  run(options: { phase: string; env: Record<string, string>; log: (line: string) => void }): Promise<void>;
};

function hookEnv(env: Record<string, string>): Record<string, string> {
  return {
    PATH: `${bin}${path.delimiter}${path.dirname(process.execPath)}${path.delimiter}/usr/bin${path.delimiter}/bin`,
    HOME: bin,
    FAKE_AZD_LOG: azdLog,
    AUTOPILOT_HOOK_ARM_ENDPOINT: arm.url,
    AUTOPILOT_HOOK_POLL_SECONDS: '0.01',
    AUTOPILOT_HOOK_FUNCTION_WAIT_SECONDS: '5',
    ...env,
  };
}

/**
 * Runs a hook: in-process through the script's run() (what its CLI entry calls), or as azure.yaml does, through
 * the .sh wrapper in a child process (slower: used where the wrapper itself is under test).
 */
async function runHook(phase: string, env: Record<string, string>, via: 'sh' | 'in-process' = 'in-process'): Promise<Run> {
  if (via === 'in-process') {
    const lines: string[] = [];
    try {
      await hooks.run({ phase, env: hookEnv(env), log: (line) => lines.push(line) });
      return { code: 0, stderr: lines.join('\n') };
    } catch (error) {
      return { code: 1, stderr: [...lines, `FAILED: ${(error as Error).message}`].join('\n') };
    }
  }
  return new Promise((resolve) => {
    execFile('sh', [path.join(HOOKS, `${phase}.sh`)], { cwd: ROOT, env: hookEnv(env), timeout: 60_000 }, (error, _stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stderr }),
    );
  });
}

const azdCalls = () => (fs.existsSync(azdLog) ? fs.readFileSync(azdLog, 'utf8').trim().split('\n') : []);
const eventSubscriptionPuts = () => arm.writes().filter((r) => r.method === 'PUT' && /\/eventSubscriptions\//.test(r.path));

describe('the postdeploy hook', () => {
  it('creates one event subscription per topic, filtered on infra/event-filters.json, to the function, with dead-lettering', async () => {
    const run = await runHook('postdeploy', outputs());
    expect(run).toEqual({ code: 0, stderr: expect.stringContaining('up to date') });
    const puts = eventSubscriptionPuts();
    expect(puts.map((p) => p.path)).toEqual([`${OWN_TOPIC}/eventSubscriptions/${SUB_NAME}`, `${ADOPTED_TOPIC}/eventSubscriptions/${SUB_NAME}`]);
    for (const put of puts) {
      const p = put.body.properties;
      expect(p.destination).toEqual({
        endpointType: 'AzureFunction',
        properties: { resourceId: FUNCTION_ID, maxEventsPerBatch: 1, preferredBatchSizeInKilobytes: 64 },
      });
      expect(p.filter.includedEventTypes).toEqual(FILTERS.includedEventTypes);
      expect(p.filter.advancedFilters).toEqual([{ operatorType: 'StringIn', key: 'data.operationName', values: FILTERS.operationNames }]);
      expect(p.retryPolicy).toEqual({ maxDeliveryAttempts: 30, eventTimeToLiveInMinutes: 1440 });
      expect(p.deadLetterWithResourceIdentity.deadLetterDestination).toEqual({
        endpointType: 'StorageBlob',
        properties: { resourceId: STORAGE_ID, blobContainerName: 'eventgrid-deadletter' },
      });
      expect(put.authorization).toBe('Bearer deployer-token');
    }
    // Our topic dead-letters with our identity; the adopted one with its own system identity, which gets
    // write access to the dead-letter container (in the app group).
    expect(puts[0]!.body.properties.deadLetterWithResourceIdentity.identity).toEqual({ type: 'UserAssigned', userAssignedIdentity: DEADLETTER_ID });
    expect(puts[1]!.body.properties.deadLetterWithResourceIdentity.identity).toEqual({ type: 'SystemAssigned' });
    const containerAssignments = arm.writes().filter((r) => r.path.startsWith(`${STORAGE_ID}/blobServices/default/containers/eventgrid-deadletter/providers/Microsoft.Authorization/roleAssignments/`));
    expect(containerAssignments).toHaveLength(1);
    expect(containerAssignments[0]!.body.properties).toMatchObject({
      principalId: 'aaaaaaaa-0000-0000-0000-00000000a0a0',
      roleDefinitionId: `/subscriptions/${S1}/providers/Microsoft.Authorization/roleDefinitions/ba92f5b4-2d11-453d-a403-e96b0029c9fe`,
      principalType: 'ServicePrincipal',
    });
  });

  it('never writes to an adopted topic (only reads it) and keeps its identity and tags', async () => {
    await runHook('postdeploy', outputs());
    const onTopic = arm.requests.filter((r) => r.path.toLowerCase() === ADOPTED_TOPIC.toLowerCase());
    expect(onTopic.map((r) => r.method)).toEqual(['GET']);
    expect(arm.resources.get(ADOPTED_TOPIC.toLowerCase())).toMatchObject({
      identity: { type: 'SystemAssigned', principalId: 'aaaaaaaa-0000-0000-0000-00000000a0a0' },
      tags: { owner: 'platform-team' },
    });
  });

  it('is idempotent: a second run (a second azd up) sends the same PUTs, deletes nothing and leaves the same state', async () => {
    expect((await runHook('postdeploy', outputs())).code).toBe(0);
    const first = arm.writes();
    const stateAfterFirst = JSON.stringify([...arm.resources.entries()].sort());
    arm.requests.length = 0;
    expect((await runHook('postdeploy', outputs())).code).toBe(0);
    const second = arm.writes();
    // The DNS zones group is created once; everything else is the same PUT again.
    expect(first.filter((r) => r.path === DNS_RG).map((r) => r.method)).toEqual(['PUT']);
    const withoutGroup = (rs: Recorded[]) => rs.filter((r) => r.path !== DNS_RG).map((r) => ({ m: r.method, p: r.path, b: r.body }));
    expect(withoutGroup(second)).toEqual(withoutGroup(first));
    expect(second.filter((r) => r.method !== 'PUT')).toEqual([]);
    expect(JSON.stringify([...arm.resources.entries()].sort())).toBe(stateAfterFirst);
  });

  it('keeps no state in the azd environment and runs no nested azd provision: its only azd call is `azd auth token`', async () => {
    await runHook('postdeploy', outputs());
    await runHook('postprovision', outputs());
    const calls = azdCalls();
    expect(calls.length).toBeGreaterThanOrEqual(2);
    expect(calls.filter((c) => !/^auth token --output json --scope /.test(c))).toEqual([]);
    // The wrappers call only node; the script spawns only the two token commands.
    for (const file of fs.readdirSync(HOOKS).filter((f) => /\.(sh|ps1)$/.test(f))) {
      const code = fs.readFileSync(path.join(HOOKS, file), 'utf8').replace(/^\s*#.*$/gm, '');
      expect({ file, commands: code.split('\n').filter((l) => /\b(azd|az)\b/.test(l)) }).toEqual({ file, commands: [] });
    }
    const script = fs.readFileSync(path.join(HOOKS, 'outside-deployment.cjs'), 'utf8');
    expect(script.match(/spawnSync\(/g)).toHaveLength(1);
    expect([...script.matchAll(/\['(azd|az)', \[([^\]]*)\]/g)].map((m) => `${m[1]} ${m[2]}`)).toEqual([
      "azd 'auth', 'token', '--output', 'json', '--scope', scope",
      "az 'account', 'get-access-token', '--output', 'json', '--scope', scope",
    ]);
  });

  it('waits (bounded) for the function to be listed after the deployment, then creates the subscriptions', async () => {
    arm.functionMissingFor = 3;
    const run = await runHook('postdeploy', outputs());
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/waiting for .*eventGridResourceChanged/);
    expect(eventSubscriptionPuts()).toHaveLength(2);
  });

  it('fails clearly, and creates no subscription, when the function never appears', async () => {
    arm.functionMissingFor = 1_000_000;
    const run = await runHook('postdeploy', outputs({ AUTOPILOT_HOOK_FUNCTION_WAIT_SECONDS: '0.2' }));
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/is not listed after 0\.2 s/);
    expect(eventSubscriptionPuts()).toEqual([]);
  });

  it('runs the same through the sh wrapper azure.yaml names', async () => {
    const run = await runHook('postdeploy', outputs(), 'sh');
    expect(run.code).toBe(0);
    expect(eventSubscriptionPuts()).toHaveLength(2);
  });

  it('on an adopted topic that already has our identity, dead-letters with it and assigns nothing', async () => {
    arm.seed(ADOPTED_TOPIC, { identity: { type: 'UserAssigned', userAssignedIdentities: { [DEADLETTER_ID.toUpperCase()]: {} } }, properties: { source: `/subscriptions/${S2}` } });
    await runHook('postdeploy', outputs());
    expect(eventSubscriptionPuts()[1]!.body.properties.deadLetterWithResourceIdentity.identity).toEqual({ type: 'UserAssigned', userAssignedIdentity: DEADLETTER_ID });
    expect(arm.writes().filter((r) => /roleAssignments/.test(r.path))).toEqual([]);
  });

  it('on an adopted topic without identity, subscribes without dead-lettering and says so', async () => {
    arm.seed(ADOPTED_TOPIC, { properties: { source: `/subscriptions/${S2}` } });
    const run = await runHook('postdeploy', outputs());
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/WARNING: the adopted topic .* has no identity/);
    expect(eventSubscriptionPuts()[1]!.body.properties.deadLetterWithResourceIdentity).toBeUndefined();
  });
});

describe('the postprovision hook', () => {
  it('before the first code deployment: creates the DNS zones group (not tagged as the environment\'s) and no event subscription', async () => {
    arm.functionMissingFor = 1_000_000;
    const run = await runHook('postprovision', outputs());
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/the postdeploy hook creates them/);
    expect(eventSubscriptionPuts()).toEqual([]);
    const group = arm.writes().filter((r) => r.path === DNS_RG);
    expect(group).toHaveLength(1);
    expect(group[0]!.body).toEqual({ location: 'westeurope', tags: { 'autopilot-private-dns-zones': 'prod' } });
  });

  it('leaves an existing DNS zones group as it is', async () => {
    arm.seed(DNS_RG, { location: 'northeurope', tags: { 'cost-center': 'network' } });
    await runHook('postprovision', outputs());
    expect(arm.writes().filter((r) => r.path === DNS_RG)).toEqual([]);
  });

  it('once the code is deployed (a later azd provision), brings the event subscriptions up to date at once', async () => {
    const run = await runHook('postprovision', outputs());
    expect(run.code).toBe(0);
    expect(eventSubscriptionPuts()).toHaveLength(2);
  });

  it('hub-and-spoke: assigns the custom role on the given DNS group, never creates or changes that group', async () => {
    arm.seed(HUB_DNS_RG, { location: 'westeurope' });
    const name = '5f1c3b7e-8a2d-5c4e-9f10-0a1b2c3d4e5f';
    const run = await runHook(
      'postprovision',
      outputs({ AUTOPILOT_DNS_ZONE_RESOURCE_GROUP: HUB_DNS_RG, AUTOPILOT_DNS_ZONE_RESOURCE_GROUP_CREATE: 'false', AUTOPILOT_DNS_ROLE_ASSIGNMENT_NAME: name }),
    );
    expect(run.code).toBe(0);
    const writes = arm.writes().filter((r) => !/\/eventSubscriptions\/|\/containers\//.test(r.path));
    expect(writes.map((r) => `${r.method} ${r.path}`)).toEqual([`PUT ${HUB_DNS_RG}/providers/Microsoft.Authorization/roleAssignments/${name}`]);
    expect(writes[0]!.body.properties).toMatchObject({
      roleDefinitionId: `/subscriptions/${HUB}/providers/Microsoft.Authorization/roleDefinitions/${ROLE_GUID}`,
      principalId: 'cccccccc-0000-0000-0000-00000000c0c0',
      principalType: 'ServicePrincipal',
    });
  });

  it('refuses a given DNS group that does not exist, without creating it', async () => {
    const run = await runHook('postprovision', outputs({ AUTOPILOT_DNS_ZONE_RESOURCE_GROUP: HUB_DNS_RG, AUTOPILOT_DNS_ZONE_RESOURCE_GROUP_CREATE: 'false' }));
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/rg-hub-dns .*does not exist: create it/);
    expect(arm.writes()).toEqual([]);
  });
});

describe('the predown hook', () => {
  it('removes only what azd down cannot see (our subscription on the adopted topic, the hub role), and keeps topics and groups', async () => {
    arm.seed(HUB_DNS_RG, { location: 'westeurope' });
    const name = '5f1c3b7e-8a2d-5c4e-9f10-0a1b2c3d4e5f';
    const env = outputs({ AUTOPILOT_DNS_ZONE_RESOURCE_GROUP: HUB_DNS_RG, AUTOPILOT_DNS_ZONE_RESOURCE_GROUP_CREATE: 'false', AUTOPILOT_DNS_ROLE_ASSIGNMENT_NAME: name });
    expect((await runHook('postdeploy', env)).code).toBe(0);
    arm.requests.length = 0;
    const run = await runHook('predown', env, 'sh');
    expect(run.code).toBe(0);
    expect(arm.writes().map((r) => `${r.method} ${r.path}`)).toEqual([
      `DELETE ${ADOPTED_TOPIC}/eventSubscriptions/${SUB_NAME}`,
      `DELETE ${HUB_DNS_RG}/providers/Microsoft.Authorization/roleAssignments/${name}`,
    ]);
    expect(arm.resources.has(ADOPTED_TOPIC.toLowerCase())).toBe(true);
    expect(arm.resources.has(HUB_DNS_RG.toLowerCase())).toBe(true);
    // Run again (azd down retried): nothing left to remove, still success.
    expect((await runHook('predown', env)).code).toBe(0);
  });
});

describe('the predown hook and our topics in other subscriptions', () => {
  const OTHER_TOPIC = `/subscriptions/${S2}/resourceGroups/rg-prod-events/providers/Microsoft.EventGrid/systemTopics/egst-autopilot-prod`;
  const OTHER_GROUP = `/subscriptions/${S2}/resourceGroups/rg-prod-events`;
  const SHARED_GROUP = `/subscriptions/${HUB}/resourceGroups/rg-prod-events`;

  it('deletes our events group in another subscription (tagged with the environment), never the deployment subscription\'s or an untagged one', async () => {
    arm.seed(OTHER_GROUP, { location: 'westeurope', tags: { 'azd-env-name': 'prod' } });
    arm.seed(SHARED_GROUP, { location: 'westeurope', tags: { owner: 'someone-else' } });
    const env = outputs({
      AZURE_SUBSCRIPTION_ID: S1,
      AUTOPILOT_SYSTEM_TOPIC_IDS: [OWN_TOPIC, OTHER_TOPIC, SHARED_GROUP + '/providers/Microsoft.EventGrid/systemTopics/egst-autopilot-prod', ADOPTED_TOPIC].join(','),
    });
    const run = await runHook('predown', env);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/rg-prod-events is not tagged azd-env-name=prod: left in place/);
    expect(arm.writes().map((r) => `${r.method} ${r.path}`)).toEqual([`DELETE ${ADOPTED_TOPIC}/eventSubscriptions/${SUB_NAME}`, `DELETE ${OTHER_GROUP}`]);
    expect(arm.resources.has(SHARED_GROUP.toLowerCase())).toBe(true);
  });
});

describe('the PowerShell wrappers', () => {
  it.each(['postprovision', 'postdeploy', 'predown'])('%s.ps1 runs the same script and phase as its .sh twin', (phase) => {
    const ps1 = fs.readFileSync(path.join(HOOKS, `${phase}.ps1`), 'utf8');
    const sh = fs.readFileSync(path.join(HOOKS, `${phase}.sh`), 'utf8');
    expect(ps1).toMatch(new RegExp(`^node \\(Join-Path \\$PSScriptRoot 'outside-deployment\\.cjs'\\) ${phase}$`, 'm'));
    expect(ps1).toMatch(/^exit \$LASTEXITCODE$/m);
    expect(sh).toMatch(new RegExp(`^exec node "\\$\\(dirname "\\$0"\\)/outside-deployment\\.cjs" ${phase}$`, 'm'));
  });
});
