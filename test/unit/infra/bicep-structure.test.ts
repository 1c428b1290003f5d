/**
 * Structural checks of infra/ (the Bicep compiler cannot run here): symbols declared and used, module
 * parameters, referenced files, api-versions, the permission and event filter files, the app settings the code
 * reads, and azure.yaml.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { policySchema } from '../../../src/policy/policy-schema';
import {
  checkSymbols,
  declarations,
  evaluateLiteral,
  loadedFiles,
  maskBicep,
  moduleUses,
  resourceTypes,
  type BicepText,
} from './bicep-text';

const ROOT = path.join(__dirname, '..', '..', '..');
const INFRA = path.join(ROOT, 'infra');
const MAIN = path.join(INFRA, 'main.bicep');

function read(file: string): string {
  return fs.readFileSync(file, 'utf8');
}

function bicepFiles(dir = INFRA): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? bicepFiles(path.join(dir, e.name)) : e.name.endsWith('.bicep') ? [path.join(dir, e.name)] : []));
}

const files = bicepFiles().sort();
const texts = new Map<string, BicepText>(files.map((f) => [f, maskBicep(read(f))]));
const rel = (f: string) => path.relative(ROOT, f);
const isLocalModule = (p: string) => !/^(br|ts)[:/]/.test(p);

/** The api-version the installed SDK package sends (the most frequent one in its code). */
function sdkApiVersion(pkg: string): string {
  const dir = path.join(ROOT, 'node_modules', '@azure', pkg, 'dist');
  const counts = new Map<string, number>();
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) {
        if (e.name === 'esm' || e.name === 'browser' || e.name === 'react-native') continue;
        walk(p);
      } else if (e.name.endsWith('.js')) {
        for (const m of read(p).matchAll(/apiVersion[^"\n]{0,60}"(\d{4}-\d{2}-\d{2}(?:-preview)?)"/g)) {
          counts.set(m[1]!, (counts.get(m[1]!) ?? 0) + 1);
        }
      }
    }
  };
  walk(dir);
  const best = [...counts.entries()].sort((a, b) => b[1] - a[1])[0];
  if (!best) throw new Error(`no api-version found in @azure/${pkg}`);
  return best[0];
}

/**
 * Oldest api-version accepted per resource type prefix (longest prefix wins). Infra types: the first stable
 * versions with the features used here. Types the SDKs manage: the version the installed SDK sends.
 */
const MIN_API_VERSIONS: Array<[string, string, string]> = [
  ['Microsoft.Web', '2023-12-01', 'Flex Consumption functionAppConfig'],
  ['Microsoft.Storage', '2023-01-01', 'allowSharedKeyAccess, defaultToOAuthAuthentication, dnsEndpointType'],
  ['Microsoft.Insights', '2020-02-02', 'workspace-based components, DisableLocalAuth'],
  ['Microsoft.OperationalInsights', '2022-10-01', 'current workspace schema'],
  ['Microsoft.EventGrid', '2022-06-15', 'system topic identities, deadLetterWithResourceIdentity'],
  ['Microsoft.Authorization', '2022-04-01', 'roleAssignments description, principalType'],
  ['Microsoft.ManagedIdentity', '2023-01-31', 'current stable'],
  ['Microsoft.Resources', '2021-04-01', 'current stable'],
  ['Microsoft.Cache/redisEnterprise', sdkApiVersion('arm-redisenterprisecache'), '@azure/arm-redisenterprisecache'],
  ['Microsoft.Cache', sdkApiVersion('arm-rediscache'), '@azure/arm-rediscache'],
  ['Microsoft.Network/privateDnsZones', sdkApiVersion('arm-privatedns'), '@azure/arm-privatedns'],
  ['Microsoft.Network', sdkApiVersion('arm-network'), '@azure/arm-network'],
  ['Microsoft.ResourceGraph', sdkApiVersion('arm-resourcegraph'), '@azure/arm-resourcegraph'],
];

function minimumFor(type: string): [string, string, string] | undefined {
  return MIN_API_VERSIONS.filter(([prefix]) => type.toLowerCase() === prefix.toLowerCase() || type.toLowerCase().startsWith(`${prefix.toLowerCase()}/`)).sort(
    (a, b) => b[0].length - a[0].length,
  )[0];
}

describe('the Bicep reader used by these checks', () => {
  it('finds undeclared identifiers and unused parameters, and ignores keys, members, calls and strings', () => {
    const t = maskBicep(
      [
        "param used string",
        "param unused int = 1",
        "@description('uses notAnIdentifier in text')",
        "param other object = {}",
        "var v = {",
        "  location: used // a comment naming ghost",
        "  'quoted-key': '${other.name}-${typo}'",
        "  nested: { a: resourceGroup().location }",
        "}",
        "resource r 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {",
        "  name: v.location",
        "}",
        "output o array = [for (x, i) in items: x]",
        "output p array = map(v.list, y => y.id)",
      ].join('\n'),
    );
    const report = checkSymbols(t);
    expect(report.undeclared.map((u) => u.name).sort()).toEqual(['items', 'typo']);
    expect(report.unusedParams).toEqual(['unused']);
    const d = declarations(t);
    expect(d.params).toEqual([
      { name: 'used', type: 'string', required: true },
      { name: 'unused', type: 'int', required: false },
      { name: 'other', type: 'object', required: false },
    ]);
    expect(d.locals.sort()).toEqual(['i', 'x', 'y']);
    expect(resourceTypes(t)).toEqual([
      { symbol: 'r', type: 'Microsoft.Storage/storageAccounts', apiVersion: '2023-05-01', existing: true },
    ]);
  });

  it('lists the first-level keys of a module params object, across loops and conditions', () => {
    const t = maskBicep(
      [
        "module a 'm.bicep' = [for s in subs: {",
        "  name: 'a-${s}'",
        "  params: {",
        "    one: s",
        "    two: cond",
        "      ? { inner: 1 }",
        "      : {}",
        "    three: [",
        "      'x'",
        "    ]",
        "  }",
        "}]",
        "module b 'n.bicep' = if (cond) {",
        "  name: 'b'",
        "}",
      ].join('\n'),
    );
    expect(moduleUses(t).map((m) => [m.symbol, m.path, m.params])).toEqual([
      ['a', 'm.bicep', ['one', 'two', 'three']],
      ['b', 'n.bicep', []],
    ]);
  });

  it('reads the api-version each SDK sends from the installed packages', () => {
    expect(sdkApiVersion('arm-rediscache')).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(minimumFor('Microsoft.Network/privateDnsZones/virtualNetworkLinks')?.[2]).toBe('@azure/arm-privatedns');
    expect(minimumFor('Microsoft.Network/privateEndpoints')?.[2]).toBe('@azure/arm-network');
    expect(minimumFor('Microsoft.Cache/redisEnterprise')?.[2]).toBe('@azure/arm-redisenterprisecache');
    expect(minimumFor('Microsoft.Cache/redis')?.[2]).toBe('@azure/arm-rediscache');
    expect(minimumFor('Microsoft.Unknown/things')).toBeUndefined();
  });
});

describe('infra/*.bicep', () => {
  it('has a subscription-scope main.bicep that creates the resource group, like the azd templates', () => {
    const t = texts.get(MAIN)!;
    expect(declarations(t).targetScope).toBe('subscription');
    expect(resourceTypes(t).some((r) => r.type === 'Microsoft.Resources/resourceGroups' && !r.existing)).toBe(true);
  });

  it.each(files.map((f) => [rel(f), f]))('%s: every identifier used is declared, every parameter declared is used', (_name, file) => {
    const report = checkSymbols(texts.get(file)!);
    expect(report.undeclared.map((u) => `${u.name} (line ${u.line})`)).toEqual([]);
    expect(report.unusedParams).toEqual([]);
  });

  it.each(files.map((f) => [rel(f), f]))('%s: every module path exists and its params match the module declaration', (_name, file) => {
    for (const use of moduleUses(texts.get(file)!)) {
      expect(isLocalModule(use.path)).toBe(true);
      const target = path.resolve(path.dirname(file), use.path);
      expect({ module: use.symbol, exists: fs.existsSync(target) }).toEqual({ module: use.symbol, exists: true });
      const declared = declarations(texts.get(target) ?? maskBicep(read(target))).params;
      const names = declared.map((p) => p.name);
      expect({ module: use.symbol, undeclared: use.params.filter((p) => !names.includes(p)) }).toEqual({
        module: use.symbol,
        undeclared: [],
      });
      const missing = declared.filter((p) => p.required && !use.params.includes(p.name)).map((p) => p.name);
      expect({ module: use.symbol, missingRequired: missing }).toEqual({ module: use.symbol, missingRequired: [] });
    }
  });

  it.each(files.map((f) => [rel(f), f]))('%s: every loaded file exists (and parses, for JSON)', (_name, file) => {
    for (const load of loadedFiles(texts.get(file)!)) {
      const target = path.resolve(path.dirname(file), load.path);
      expect({ load: load.path, exists: fs.existsSync(target) }).toEqual({ load: load.path, exists: true });
      if (load.fn === 'loadJsonContent') expect(() => JSON.parse(read(target))).not.toThrow();
    }
  });

  it('has no module file that main.bicep does not reach', () => {
    const reached = new Set<string>([MAIN]);
    const queue = [MAIN];
    while (queue.length) {
      const file = queue.shift()!;
      for (const use of moduleUses(texts.get(file)!)) {
        const target = path.resolve(path.dirname(file), use.path);
        if (!reached.has(target)) {
          reached.add(target);
          queue.push(target);
        }
      }
    }
    expect(files.filter((f) => !reached.has(f)).map(rel)).toEqual([]);
  });

  it('uses stable api-versions not older than the minimum of each resource type', () => {
    const problems: string[] = [];
    let count = 0;
    for (const file of files) {
      for (const r of resourceTypes(texts.get(file)!)) {
        count++;
        const min = minimumFor(r.type);
        if (!min) problems.push(`${rel(file)}: ${r.type} has no minimum api-version in the table`);
        else if (r.apiVersion.includes('preview')) problems.push(`${rel(file)}: ${r.type}@${r.apiVersion} is a preview`);
        else if (r.apiVersion < min[1]) problems.push(`${rel(file)}: ${r.type}@${r.apiVersion} is older than ${min[1]} (${min[2]})`);
      }
    }
    expect(problems).toEqual([]);
    expect(count).toBeGreaterThan(10);
  });

  it('grants no account keys and no broad built-in role', () => {
    const all = files.map((f) => texts.get(f)!.noComments).join('\n');
    expect(all).not.toMatch(/listKeys|listAccountSas|AccountKey=|SharedAccessSignature/i);
    const storage = texts.get(path.join(INFRA, 'modules', 'storage.bicep'))!.noComments;
    expect(storage).toMatch(/allowSharedKeyAccess:\s*false/);
    expect(storage).toMatch(/allowBlobPublicAccess:\s*false/);
    // Every role definition GUID in the templates is one of these data-plane or telemetry roles.
    const allowedBuiltIns = new Map([
      ['b7e6dc6d-f1e8-4753-8033-0f276bb0955b', 'Storage Blob Data Owner'],
      ['974c5e8b-45b9-4653-ba55-5f855dd0fb88', 'Storage Queue Data Contributor'],
      ['0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3', 'Storage Table Data Contributor'],
      ['ba92f5b4-2d11-453d-a403-e96b0029c9fe', 'Storage Blob Data Contributor'],
      ['3913510d-42f4-4e42-8a64-420c390055eb', 'Monitoring Metrics Publisher'],
      ['2a2b9908-6ea1-4ae2-8e65-a410df84e7d1', 'Storage Blob Data Reader'],
    ]);
    const guids = [...all.matchAll(/'([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})'/gi)].map((m) => m[1]!.toLowerCase());
    expect(guids.length).toBeGreaterThanOrEqual(5);
    expect(guids.filter((g) => !allowedBuiltIns.has(g))).toEqual([]);
  });
});

describe('infra/abbreviations.json', () => {
  // Values of azd's abbreviations.json (Azure/azure-dev templates) for the keys used here; the system topic has
  // no azd entry and takes the Cloud Adoption Framework abbreviation.
  const AZD: Record<string, string> = {
    eventGridEventSubscriptions: 'evgs-',
    insightsComponents: 'appi-',
    managedIdentityUserAssignedIdentities: 'id-',
    networkNatGateways: 'ng-',
    networkPublicIPAddresses: 'pip-',
    networkVirtualNetworks: 'vnet-',
    operationalInsightsWorkspaces: 'log-',
    resourcesResourceGroups: 'rg-',
    storageStorageAccounts: 'st',
    webServerFarms: 'plan-',
    webSitesFunctions: 'func-',
  };
  const CAF: Record<string, string> = { eventGridEventSystemTopics: 'egst-' };
  const abbrs = JSON.parse(read(path.join(INFRA, 'abbreviations.json'))) as Record<string, string>;

  it('uses azd\'s abbreviations (evgs- for event subscriptions), and only keys the templates use', () => {
    expect(abbrs).toEqual({ ...AZD, ...CAF });
    const used = new Set(files.flatMap((f) => [...texts.get(f)!.noComments.matchAll(/abbrs\.(\w+)/g)].map((m) => m[1]!)));
    expect([...used].sort()).toEqual(Object.keys(abbrs).sort());
  });
});

describe('infra/main.parameters.json', () => {
  const parameters = JSON.parse(read(path.join(INFRA, 'main.parameters.json'))).parameters as Record<string, { value: unknown }>;
  const mainParams = declarations(texts.get(MAIN)!).params;

  it('names only parameters main.bicep declares, and every required one', () => {
    const declared = mainParams.map((p) => p.name);
    expect(Object.keys(parameters).filter((k) => !declared.includes(k))).toEqual([]);
    expect(mainParams.filter((p) => p.required).map((p) => p.name).filter((p) => !(p in parameters))).toEqual([]);
  });

  it('takes its values from the azd environment', () => {
    for (const [name, { value }] of Object.entries(parameters)) {
      expect({ name, value }).toEqual({ name, value: expect.stringMatching(/^\$\{[A-Z_]+(=[^}]*)?\}$/) });
    }
    expect(parameters.environmentName!.value).toBe('${AZURE_ENV_NAME}');
    expect(parameters.location!.value).toBe('${AZURE_LOCATION}');
  });

  it('feeds no array or object parameter from the environment: lists are comma-separated strings that main.bicep splits (item 7)', () => {
    // azd substitutes ${VAR=default} as text: an array parameter defaulted to "[]" would reach Bicep as a string.
    const byName = new Map(mainParams.map((p) => [p.name, p.type]));
    expect(Object.keys(parameters).filter((k) => !['string', 'bool', 'int'].includes(byName.get(k) ?? ''))).toEqual([]);
    expect(Object.keys(parameters).filter((k) => /\$\{[A-Z_]+=\[\]\}/.test(String(parameters[k]!.value)))).toEqual([]);
    const main = texts.get(MAIN)!.noComments;
    for (const list of ['scopeSubscriptionIds', 'allowedRoles', 'allowedGroups', 'existingSystemTopicIds']) {
      expect({ list, type: byName.get(list) }).toEqual({ list, type: 'string' });
      expect(main).toMatch(new RegExp(`filter\\(map\\(split\\(${list}, ','\\), (\\w+) => [^\\n]*trim\\(\\1\\)\\)?\\), \\w+ => !empty\\(\\w+\\)\\)`));
    }
    expect(parameters.scopeSubscriptionIds!.value).toBe('${AUTOPILOT_SCOPE_SUBSCRIPTION_IDS=}');
  });
});

describe('infra/role-actions.json', () => {
  const role = JSON.parse(read(path.join(INFRA, 'role-actions.json'))) as { actions: string[]; dataActions: string[] };

  it('has no wildcard, no authorization write, no duplicate and only well-formed actions', () => {
    expect(role.actions.length).toBeGreaterThan(0);
    expect(role.actions.filter((a) => a.includes('*'))).toEqual([]);
    expect(role.actions.filter((a) => /^Microsoft\.Authorization\//i.test(a) && !/\/read$/i.test(a))).toEqual([]);
    const lower = role.actions.map((a) => a.toLowerCase());
    expect(lower.filter((a, i) => lower.indexOf(a) !== i)).toEqual([]);
    expect(role.actions.filter((a) => !/^Microsoft\.[A-Za-z]+(\/[A-Za-z0-9]+)+\/(read|write|delete|action)$/.test(a))).toEqual([]);
    expect(role.dataActions).toEqual([]);
  });

  it('never lets the automation delete a cache', () => {
    expect(role.actions.map((a) => a.toLowerCase())).not.toContain('microsoft.cache/redis/delete');
    expect(role.actions.map((a) => a.toLowerCase())).not.toContain('microsoft.cache/redisenterprise/delete');
  });

  it('is what the custom role definition loads', () => {
    const t = texts.get(path.join(INFRA, 'modules', 'custom-role.bicep'))!;
    expect(loadedFiles(t)).toEqual([{ fn: 'loadJsonContent', path: '../role-actions.json' }]);
    expect(t.noComments).toMatch(/actions:\s*roleActions\.actions/);
    expect(t.noComments).toMatch(/dataActions:\s*roleActions\.dataActions/);
    expect(t.noComments).toMatch(/notActions:\s*\[\]/);
  });
});

describe('infra/event-filters.json', () => {
  const filters = JSON.parse(read(path.join(INFRA, 'event-filters.json'))) as {
    includedEventTypes: string[];
    operationNames: string[];
  };

  it('fits the Event Grid advanced filter limits', () => {
    // 25 values across all advanced filters of an event subscription, 512 characters per string value.
    expect(filters.operationNames.length).toBeGreaterThan(0);
    expect(filters.operationNames.length).toBeLessThanOrEqual(25);
    expect(filters.operationNames.filter((v) => v.length > 512)).toEqual([]);
    const lower = filters.operationNames.map((v) => v.toLowerCase());
    expect(lower.filter((v, i) => lower.indexOf(v) !== i)).toEqual([]);
    expect(filters.operationNames.filter((v) => !/^Microsoft\.[A-Za-z]+(\/[A-Za-z]+)+\/(write|delete)$/.test(v))).toEqual([]);
  });

  it('subscribes to ARM write and delete successes only', () => {
    expect([...filters.includedEventTypes].sort()).toEqual([
      'Microsoft.Resources.ResourceDeleteSuccess',
      'Microsoft.Resources.ResourceWriteSuccess',
    ]);
  });

  it('covers the operations that change whether a cache is reachable only through Private Link', () => {
    expect(filters.operationNames).toEqual(
      expect.arrayContaining([
        'Microsoft.Network/privateEndpoints/write',
        'Microsoft.Network/privateEndpoints/delete',
        'Microsoft.Cache/redis/write',
        'Microsoft.Cache/redis/delete',
        'Microsoft.Cache/redis/privateEndpointConnections/write',
        'Microsoft.Cache/redis/privateEndpointConnections/delete',
        'Microsoft.Cache/redis/linkedServers/write',
        'Microsoft.Cache/redis/linkedServers/delete',
        'Microsoft.Cache/redisEnterprise/write',
        'Microsoft.Cache/redisEnterprise/delete',
        'Microsoft.Network/privateDnsZones/virtualNetworkLinks/delete',
        'Microsoft.Network/privateEndpoints/privateDnsZoneGroups/delete',
      ]),
    );
  });

  it('is what the event subscriptions filter on (built by the hook, see test/integration/deploy-hooks.test.ts)', () => {
    const hook = read(path.join(INFRA, 'hooks', 'outside-deployment.cjs'));
    expect(hook).toMatch(/readFileSync\(join\(here, '\.\.', 'event-filters\.json'\)/);
    expect(hook).toMatch(/includedEventTypes: filters\.includedEventTypes/);
    expect(hook).toMatch(/\{ operatorType: 'StringIn', key: 'data\.operationName', values: filters\.operationNames \}/);
    expect(hook).toMatch(/endpointType: 'AzureFunction'/);
    expect(hook).toMatch(/retryPolicy: \{ maxDeliveryAttempts: 30, eventTimeToLiveInMinutes: 1440 \}/);
    // The topics the hook subscribes are Resource Manager subscription topics, and the destination is the
    // product's Event Grid trigger.
    expect(texts.get(path.join(INFRA, 'modules', 'system-topic.bicep'))!.noComments).toMatch(/topicType:\s*'Microsoft\.Resources\.Subscriptions'/);
    expect(texts.get(MAIN)!.noComments).toMatch(/eventGridFunctionName\s*=\s*'eventGridResourceChanged'/);
    expect(texts.get(MAIN)!.noComments).toMatch(/output AUTOPILOT_EVENT_FUNCTION_ID string = '\$\{functionApp\.outputs\.resourceId\}\/functions\/\$\{eventGridFunctionName\}'/);
  });
});

describe('the function app', () => {
  const main = texts.get(MAIN)!.noComments;
  const app = texts.get(path.join(INFRA, 'modules', 'function-app.bicep'))!.noComments;
  const settingNames = (s: string) => [...s.matchAll(/^\s*([A-Za-z_][A-Za-z0-9_]*)\s*:/gm)].map((m) => m[1]!);

  it('runs Node 22 on Flex Consumption with a deployment container read with the identity', () => {
    expect(app).toMatch(/sku:\s*\{\s*\n\s*name:\s*'FC1'\s*\n\s*tier:\s*'FlexConsumption'/);
    expect(app).toMatch(/runtime:\s*\{\s*\n\s*name:\s*'node'\s*\n\s*version:\s*'22'/);
    expect(app).not.toMatch(/'20'/);
    expect(app).toMatch(/type:\s*'blobContainer'/);
    expect(app).toMatch(/type:\s*'UserAssignedIdentity'/);
  });

  it('bounds instances x concurrent activities by ARM\'s per-subscription write budget (200 per principal)', () => {
    // "Request limits and throttling" (Microsoft Learn): subscription writes, bucket 200, refill 10/s, per
    // subscription, service principal and operation type. Every activity makes at most one ARM call at a time.
    const ARM_WRITE_BUCKET = 200;
    const host = JSON.parse(read(path.join(ROOT, 'host.json')));
    const perInstance = host.extensions.durableTask.maxConcurrentActivityFunctions as number;
    const bound = (text: string) => {
      const m = /@maxValue\((\d+)\)\s*\nparam maximumInstanceCount int = (\d+)/.exec(text);
      expect(m).not.toBeNull();
      return { max: Number(m![1]), byDefault: Number(m![2]) };
    };
    for (const text of [main, app]) {
      const { max, byDefault } = bound(text);
      expect(max * perInstance).toBeLessThanOrEqual(ARM_WRITE_BUCKET);
      expect(byDefault).toBeLessThanOrEqual(max);
    }
    expect(bound(main).max).toBe(Math.floor(ARM_WRITE_BUCKET / perInstance));
    expect(main).toMatch(/maximumInstanceCount: maximumInstanceCount/);
  });

  it('allows only Flex Consumption regions (the azd templates\' list)', () => {
    const m = /@allowed\(\[([^\]]*)\]\)\s*\n@metadata\(\{\s*\n\s*azd: \{\s*\n\s*type: 'location'/.exec(main);
    expect(m).not.toBeNull();
    const regions = [...m![1]!.matchAll(/'([a-z0-9]+)'/g)].map((r) => r[1]);
    expect(regions).toHaveLength(32);
    expect(regions).toEqual([...regions].sort());
    expect(regions).toEqual(expect.arrayContaining(['eastus', 'westeurope', 'swedencentral', 'australiaeast']));
  });

  it('gives the deployer read access to reports and dead letters with deployer().objectId, as the templates give data roles', () => {
    expect(main).toMatch(/^param principalId string = deployer\(\)\.objectId$/m);
    expect(main).toMatch(/deployerPrincipalId: principalId/);
    const roles = read(path.join(INFRA, 'modules', 'app-role-assignments.bicep'));
    expect(roles).toMatch(/resource deployerReportReader '[^']+' = if \(!empty\(deployerPrincipalId\)\)/);
    expect(roles).toMatch(/scope: storage::blobServices::reportContainer/);
    expect(roles).toMatch(/scope: storage::blobServices::deadLetterContainer/);
  });

  it('vnetEnabled: outbound through the app subnet, storage private endpoints, no public access on storage', () => {
    expect(main).toMatch(/^param vnetEnabled bool = false$/m);
    expect(main).toMatch(/module network 'modules\/network\.bicep' = if \(vnetEnabled\)/);
    expect(main).toMatch(/module storagePrivateEndpoints 'modules\/storage-private-endpoints\.bicep' = if \(vnetEnabled\)/);
    expect(main).toMatch(/publicNetworkAccess: vnetEnabled \? 'Disabled' : 'Enabled'/);
    expect(main).toMatch(/virtualNetworkSubnetId: vnetEnabled \? network!\.outputs\.appSubnetId : ''/);
    expect(app).toMatch(/virtualNetworkSubnetId: empty\(virtualNetworkSubnetId\) \? null : virtualNetworkSubnetId/);
    const net = read(path.join(INFRA, 'modules', 'network.bicep'));
    expect(net).toMatch(/serviceName: 'Microsoft\.App\/environments'/);
    expect(net).toMatch(/natGateway: \{\s*\n\s*id: natGateway\.id/);
    const pe = read(path.join(INFRA, 'modules', 'storage-private-endpoints.bicep'));
    for (const svc of ['blob', 'queue', 'table']) expect(pe).toContain(`'${svc}'`);
    expect(pe).toMatch(/name: 'privatelink\.\$\{service\}\.\$\{environment\(\)\.suffixes\.storage\}'/);
    const storage = read(path.join(INFRA, 'modules', 'storage.bicep'));
    expect(storage).toMatch(/defaultAction: publicNetworkAccess == 'Disabled' \? 'Deny' : 'Allow'/);
  });

  it('sets every app setting the code and host.json read, with identity-based storage', () => {
    const names = new Set([...settingNames(main), ...settingNames(app)]);
    const hostJson = read(path.join(ROOT, 'host.json'));
    const fromHost = [...hostJson.matchAll(/%([A-Za-z_][A-Za-z0-9_]*)%/g)].map((m) => m[1]!);
    const required = [
      'AUTOPILOT_POLICY',
      'AUTOPILOT_CLOUD',
      'AUTOPILOT_SWEEP_SCHEDULE',
      'AUTOPILOT_REPORT_CONTAINER_URL',
      'AUTOPILOT_STATE_CONTAINER_URL',
      'AUTOPILOT_ALLOWED_ROLES',
      'AUTOPILOT_ALLOWED_GROUPS',
      'AUTOPILOT_ALLOWED_SUBSCRIPTIONS',
      'AZURE_CLIENT_ID',
      'DURABLE_TASK_HUB',
      'AzureWebJobsStorage__credential',
      'AzureWebJobsStorage__clientId',
      'AzureWebJobsStorage__blobServiceUri',
      'AzureWebJobsStorage__queueServiceUri',
      'AzureWebJobsStorage__tableServiceUri',
      'APPLICATIONINSIGHTS_CONNECTION_STRING',
      'APPLICATIONINSIGHTS_AUTHENTICATION_STRING',
      ...fromHost,
    ];
    expect(fromHost).toContain('DURABLE_TASK_HUB');
    expect(required.filter((n) => !names.has(n))).toEqual([]);
    // Flex Consumption rejects these (runtime comes from functionAppConfig); a plain AzureWebJobsStorage
    // would be a connection string with a key.
    for (const forbidden of ['FUNCTIONS_WORKER_RUNTIME', 'FUNCTIONS_EXTENSION_VERSION', 'WEBSITE_NODE_DEFAULT_VERSION', 'AzureWebJobsStorage']) {
      expect(names.has(forbidden)).toBe(false);
    }
    expect(main).toMatch(/AUTOPILOT_CLOUD:\s*environment\(\)\.name/);
    expect(main).toMatch(/AUTOPILOT_ALLOWED_SUBSCRIPTIONS:\s*join\(scopeSubscriptions, ','\)/);
    expect(main).toMatch(/param sweepSchedule string = '0 0 \* \* \* \*'/);
  });
});

describe('the default policy document (AUTOPILOT_POLICY)', () => {
  const t = texts.get(MAIN)!;
  const SUB_A = '11111111-1111-1111-1111-111111111111';
  const SUB_B = '22222222-2222-2222-2222-222222222222';
  const env = {
    scopeSubscriptions: [SUB_A, SUB_B],
    autopilotMode: 'enforce',
    'environment().name': 'AzureUSGovernment',
    dnsZoneSubscriptionId: SUB_A,
    dnsZoneResourceGroupName: 'rg-prod-privatedns',
  };
  const defaultPolicy = () => {
    const m = /^var policyDocument = empty\(autopilotPolicy\)\s*\?\s*/m.exec(t.code);
    expect(m).not.toBeNull();
    return evaluateLiteral(t, m!.index + m![0].length, env);
  };

  it('is a valid policy for the code (strict schema: no unknown key, every required one)', () => {
    const policy = defaultPolicy();
    expect(policy).toEqual({
      version: 1,
      cloud: 'AzureUSGovernment',
      scopes: { subscriptions: [SUB_A, SUB_B] },
      mode: 'enforce',
      dnsZones: { subscriptionId: SUB_A, resourceGroup: 'rg-prod-privatedns' },
    });
    const parsed = policySchema.safeParse(policy);
    expect(parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual([]);
  });

  it('the literal reader refuses an expression it has no value for (so the check above cannot pass by accident)', () => {
    const m = /^var policyDocument = empty\(autopilotPolicy\)\s*\?\s*/m.exec(t.code)!;
    const withoutName: Record<string, unknown> = { ...env };
    delete withoutName.dnsZoneResourceGroupName;
    expect(() => evaluateLiteral(t, m.index + m[0].length, withoutName)).toThrow(/dnsZoneResourceGroupName/);
  });
});

describe('App Service authentication of the HTTP runbooks', () => {
  const app = texts.get(path.join(INFRA, 'modules', 'function-app.bicep'))!.noComments;

  it('identifies callers without refusing anonymous requests at the front door (Event Grid and the runtime must get through)', () => {
    expect(app).toMatch(/'config' = if \(!empty\(authClientId\)\) \{\s*\n\s*name:\s*'authsettingsV2'/);
    expect(app).toMatch(/requireAuthentication:\s*false/);
    expect(app).toMatch(/unauthenticatedClientAction:\s*'AllowAnonymous'/);
    expect(app).toMatch(/openIdIssuer:\s*'\$\{environment\(\)\.authentication\.loginEndpoint\}\$\{tenant\(\)\.tenantId\}\/v2\.0'/);
    expect(app).not.toMatch(/clientSecret/);
  });
});

describe('azure.yaml', () => {
  const yaml = read(path.join(ROOT, 'azure.yaml'));
  const pkg = JSON.parse(read(path.join(ROOT, 'package.json'))) as { scripts: Record<string, string> };

  it('declares the api service as a TypeScript function app, built once by azd and packaged with production dependencies only', () => {
    expect(yaml).toMatch(/^services:\s*\n\s+api:\s*\n/m);
    expect(yaml).toMatch(/^\s+language:\s*ts\s*$/m);
    expect(yaml).toMatch(/^\s+host:\s*function\s*$/m);
    expect(yaml).toMatch(/^\s+project:\s*\.\s*$/m);
    expect(yaml).toMatch(/^\s+path:\s*infra\s*$/m);
    // No prepackage build: azd runs `npm run build` itself, then `npm run package`, then zips `dist`.
    expect(yaml.replace(/#.*$/gm, '')).not.toMatch(/prepackage|npm ci|npm run build/);
    expect(yaml).toMatch(/^\s+dist:\s*deploy-package\s*$/m);
    expect(yaml).toMatch(/^\s+remoteBuild:\s*false\s*$/m);
    expect(pkg.scripts.package).toBe('node infra/package-app.cjs');
    expect(read(path.join(ROOT, '.gitignore'))).toMatch(/^deploy-package\/$/m);
  });

  it('runs the hooks, posix and windows, and each script exists', () => {
    for (const hook of ['postprovision', 'postdeploy', 'predown']) {
      const block = new RegExp(`^  ${hook}:\\s*\\n    posix:\\s*\\n      shell: sh\\s*\\n      run: \\./infra/hooks/${hook}\\.sh\\s*\\n(?:      .*\\n)*    windows:\\s*\\n      shell: pwsh\\s*\\n      run: \\./infra/hooks/${hook}\\.ps1`, 'm');
      expect({ hook, declared: block.test(yaml) }).toEqual({ hook, declared: true });
    }
    const scripts = [...yaml.matchAll(/run:\s*(\.\/\S+)/g)].map((m) => m[1]!);
    expect(scripts).toHaveLength(6);
    for (const s of scripts) expect({ script: s, exists: fs.existsSync(path.join(ROOT, s)) }).toEqual({ script: s, exists: true });
    // Hooks fail the command when they fail: a half-wired deployment is not reported as a success.
    expect([...yaml.matchAll(/continueOnError:\s*(\w+)/g)].map((m) => m[1])).toEqual(Array(6).fill('false'));
  });

  it('keeps event subscriptions out of the Bicep and out of the azd environment (item 2)', () => {
    const all = files.map((f) => texts.get(f)!.noComments).join('\n');
    expect(all).not.toMatch(/eventSubscriptions@/);
    expect(all).not.toMatch(/deployEventSubscriptions/);
    expect(read(path.join(INFRA, 'main.parameters.json'))).not.toMatch(/AUTOPILOT_EVENT_SUBSCRIPTIONS/);
  });
});
