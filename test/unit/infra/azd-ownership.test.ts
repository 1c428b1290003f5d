/**
 * What `azd down` deletes, proven on the text of infra/ (no Bicep compiler here).
 *
 * azd down deletes every resource group named in the resources of the environment's last deployment (the
 * `outputResources` of the subscription deployment and its nested deployments, Azure/azure-dev PR #2048 and
 * `resourceGroupsToDelete` in its bicep provider; issue #2916 shows it deleting a pre-existing group that only
 * received a subnet). So the rule is structural: every resource this deployment WRITES lands either at
 * subscription level or in a resource group this deployment itself creates. Private DNS zones' groups (default
 * or hub), adopted system topics and their groups are only read (`existing`) or handled by the hooks.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { blocks, declarations, identifiersIn, maskBicep, moduleUses, parameterDependencies, type BicepText } from './bicep-text';

const ROOT = path.join(__dirname, '..', '..', '..');
const INFRA = path.join(ROOT, 'infra');
const MAIN = path.join(INFRA, 'main.bicep');

type Load = (file: string) => BicepText;
const loadFromDisk: Load = (file) => maskBicep(fs.readFileSync(file, 'utf8'));

type Target = { kind: 'subscription'; scope: string } | { kind: 'group'; group: string };

interface Placement {
  file: string;
  symbol: string;
  type: string;
  target: Target;
}

interface Ownership {
  /** Resource groups this deployment creates: "<file>:<symbol>" with the name expression. */
  createdGroups: Array<{ file: string; symbol: string; name: string }>;
  /** Every written (not `existing`) resource and where it lands. */
  written: Placement[];
  /** Every `existing` reference, with its scope expression. */
  existing: Array<{ file: string; symbol: string; type: string; scope: string | undefined }>;
  violations: string[];
}

/**
 * Walks the module tree from main.bicep and places every written resource. A module or resource may target:
 * nothing (its file's target), `subscription(...)`, or a resource group declared (not existing) in the same
 * file. Anything else (`resourceGroup(...)`, a parameter, an existing group) is a violation for written
 * resources and modules; `existing` references may point anywhere.
 */
function ownership(load: Load, main = MAIN): Ownership {
  const result: Ownership = { createdGroups: [], written: [], existing: [], violations: [] };
  const walk = (file: string, target: Target) => {
    const t = load(file);
    const bs = blocks(t);
    const createdHere = new Map(
      bs.filter((b) => b.kind === 'resource' && !b.existing && b.target === 'Microsoft.Resources/resourceGroups').map((b) => [b.symbol, b]),
    );
    const placeOf = (scope: string | undefined, what: string): Target | undefined => {
      if (scope === undefined) return target;
      if (/^subscription\(/.test(scope)) return { kind: 'subscription', scope };
      const group = createdHere.get(scope);
      if (group) return { kind: 'group', group: `${path.relative(ROOT, file)}:${group.symbol}` };
      // Extension resources (role assignments on a storage account, a container, ...) scoped to a resource
      // declared in the same file land where that resource is, which is this file's target.
      const sibling = bs.find((b) => b.symbol === scope.split('::')[0] && b.kind === 'resource');
      if (sibling && sibling.scope === undefined && target.kind === 'group') return target;
      result.violations.push(`${path.relative(ROOT, file)}: ${what} is written into '${scope}', a scope this deployment does not own`);
      return undefined;
    };
    for (const b of bs) {
      const where = `${b.kind} ${b.symbol} (line ${b.line})`;
      if (b.kind === 'resource' && b.existing) {
        result.existing.push({ file: path.relative(ROOT, file), symbol: b.symbol, type: b.target, scope: b.scope });
        continue;
      }
      if (b.kind === 'resource') {
        const place = placeOf(b.scope, where);
        if (!place) continue;
        result.written.push({ file: path.relative(ROOT, file), symbol: b.symbol, type: b.target, target: place });
        if (b.target === 'Microsoft.Resources/resourceGroups') {
          if (place.kind !== 'subscription') result.violations.push(`${where}: a resource group inside a resource group`);
          result.createdGroups.push({ file: path.relative(ROOT, file), symbol: b.symbol, name: b.name ?? '' });
        }
        continue;
      }
      const place = placeOf(b.scope, where);
      if (place) walk(path.resolve(path.dirname(file), b.target), place);
    }
  };
  walk(main, { kind: 'subscription', scope: 'deployment' });
  return result;
}

const main = loadFromDisk(MAIN);
const mainBlocks = blocks(main);
const block = (symbol: string) => {
  const b = mainBlocks.find((x) => x.symbol === symbol);
  if (!b) throw new Error(`main.bicep has no ${symbol}`);
  return b;
};
/** The parameters of main.bicep an expression of main.bicep depends on (through variables). */
const paramsOf = (from: number, to: number) => parameterDependencies(main, identifiersIn(main, from, to));
/** The parameters a variable of main.bicep depends on. */
const paramsOfVar = (name: string) => parameterDependencies(main, [name]);
/** The text of a module's parameter value in main.bicep. */
function moduleParamValue(symbol: string, param: string): string {
  const b = block(symbol);
  const body = main.noComments.slice(b.body[0], b.body[1]);
  const m = new RegExp(`\\n\\s*${param}:\\s*([^\\n]+)`).exec(body);
  if (!m) throw new Error(`${symbol} has no param ${param}`);
  return m[1]!.trim();
}

const FOREIGN_INPUTS = ['privateDnsZoneResourceGroupId', 'existingSystemTopicIds'];

describe('what azd down deletes (item 1)', () => {
  const own = ownership(loadFromDisk);

  it('writes only at subscription level or into resource groups the deployment creates', () => {
    expect(own.violations).toEqual([]);
    expect(own.written.length).toBeGreaterThan(15);
    // Every written resource in a group is in one of the created groups.
    const created = new Set(own.createdGroups.map((g) => `${g.file}:${g.symbol}`));
    const inGroups = own.written.filter((w) => w.target.kind === 'group');
    expect(inGroups.filter((w) => w.target.kind === 'group' && !created.has(w.target.group))).toEqual([]);
  });

  it('creates exactly two kinds of groups: the app group and rg-<env>-events, named from neither the DNS zones nor an adopted topic', () => {
    expect(own.createdGroups.map((g) => `${g.file}:${g.symbol}`).sort()).toEqual([
      'infra/main.bicep:rg',
      'infra/modules/event-grid-system-topic.bicep:eventsResourceGroup',
    ]);
    const rg = block('rg');
    expect(paramsOf(rg.body[0], rg.body[1])).toEqual(['environmentName', 'location', 'resourceGroupName', 'tags']);
    // The events group takes its name from the module parameter that main.bicep sets to eventsResourceGroupName.
    const topicModule = fs.readFileSync(path.join(INFRA, 'modules', 'event-grid-system-topic.bicep'), 'utf8');
    expect(topicModule).toMatch(/resource eventsResourceGroup 'Microsoft\.Resources\/resourceGroups@[^']+' = \{\s*\n\s*name: resourceGroupName/);
    expect(moduleParamValue('ownSystemTopics', 'resourceGroupName')).toBe('eventsResourceGroupName');
    expect(paramsOfVar('eventsResourceGroupName')).toEqual(['environmentName', 'eventGridResourceGroupName']);
    for (const g of [paramsOf(rg.body[0], rg.body[1]), paramsOfVar('eventsResourceGroupName')]) {
      expect(g.filter((p) => FOREIGN_INPUTS.includes(p))).toEqual([]);
    }
    // The default DNS zones group has another name than both: rg-<env>-privatedns.
    expect(main.noComments).toMatch(/: '\$\{abbrs\.resourcesResourceGroups\}\$\{environmentName\}-privatedns'/);
    expect(main.noComments).toMatch(/: '\$\{abbrs\.resourcesResourceGroups\}\$\{environmentName\}-events'/);
    expect(main.noComments).toMatch(/: '\$\{abbrs\.resourcesResourceGroups\}\$\{environmentName\}'\n/);
  });

  it('never scopes a module or a written resource by the DNS zones group or an adopted topic (only existing references may)', () => {
    for (const file of [MAIN]) {
      const t = loadFromDisk(file);
      for (const b of blocks(t)) {
        if (b.scope === undefined) continue;
        const at = t.noComments.indexOf(b.scope, b.body[0]);
        const deps = parameterDependencies(t, identifiersIn(t, at, at + b.scope.length));
        const foreign = deps.filter((p) => FOREIGN_INPUTS.includes(p));
        if (b.kind === 'resource' && b.existing) continue;
        expect({ block: b.symbol, foreign }).toEqual({ block: b.symbol, foreign: [] });
      }
    }
    // The module loops run over lists that the foreign inputs do not feed, except the own-topic list, which
    // they can only shorten (subscriptions with an adopted topic get no topic of ours).
    expect(block('subscriptionRoleAssignments').header).toMatch(/^\[\s*for sub in scopeSubscriptions:$/);
    expect(block('ownSystemTopics').header).toMatch(/^\[\s*for sub in ownTopicSubscriptions:$/);
    expect(main.noComments).toMatch(/var ownTopicSubscriptions = filter\(scopeSubscriptions, sub => !contains\(adoptedTopicSubscriptions, sub\)\)/);
  });

  it('references adopted system topics as existing only, and creates no event subscription (the hook does)', () => {
    expect(own.existing.filter((e) => e.type === 'Microsoft.EventGrid/systemTopics')).toEqual([
      { file: 'infra/main.bicep', symbol: 'adoptedSystemTopics', type: 'Microsoft.EventGrid/systemTopics', scope: 'resourceGroup(topic.subscriptionId, topic.resourceGroupName)' },
    ]);
    expect(block('adoptedSystemTopics').header).toMatch(/^\[\s*for topic in adoptedTopics:$/);
    // Our own topics: one written systemTopics resource, in a group we create.
    const topics = own.written.filter((w) => w.type === 'Microsoft.EventGrid/systemTopics');
    expect(topics).toEqual([
      { file: 'infra/modules/system-topic.bicep', symbol: 'systemTopic', type: 'Microsoft.EventGrid/systemTopics', target: { kind: 'group', group: 'infra/modules/event-grid-system-topic.bicep:eventsResourceGroup' } },
    ]);
    expect(own.written.filter((w) => /eventSubscriptions/i.test(w.type))).toEqual([]);
  });

  it('makes role assignments only at subscription level or on resources of the app group', () => {
    const assignments = own.written.filter((w) => w.type === 'Microsoft.Authorization/roleAssignments');
    expect(assignments.length).toBeGreaterThanOrEqual(6);
    for (const a of assignments) {
      const ok = a.target.kind === 'subscription' || (a.target.kind === 'group' && a.target.group === 'infra/main.bicep:rg');
      expect({ assignment: `${a.file}:${a.symbol}`, ok }).toEqual({ assignment: `${a.file}:${a.symbol}`, ok: true });
    }
  });

  it('gives azd the app group as AZURE_RESOURCE_GROUP, and the DNS zones group only as a plain value', () => {
    expect(main.noComments).toMatch(/^output AZURE_RESOURCE_GROUP string = rg\.name$/m);
    expect(declarations(main).outputs.filter((o) => /^AZURE_RESOURCE_GROUP/.test(o))).toEqual(['AZURE_RESOURCE_GROUP']);
    expect(main.noComments).toMatch(/^output AUTOPILOT_DNS_ZONE_RESOURCE_GROUP string = dnsZoneResourceGroupId$/m);
  });

  it('the walk flags a module scoped to the DNS zones group, a group given by parameter, and a written resource there', () => {
    const files: Record<string, string> = {
      '/x/main.bicep': [
        "targetScope = 'subscription'",
        'param dnsGroupId string',
        "resource rg 'Microsoft.Resources/resourceGroups@2024-11-01' = {",
        "  name: 'rg-app'",
        "  location: 'westeurope'",
        '}',
        "module ok 'ok.bicep' = {",
        "  name: 'ok'",
        '  scope: rg',
        '}',
        "module zones 'ok.bicep' = {",
        "  name: 'zones'",
        "  scope: resourceGroup(split(dnsGroupId, '/')[2], split(dnsGroupId, '/')[4])",
        '}',
        "resource assignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = {",
        "  name: 'x'",
        "  scope: resourceGroup('hub')",
        '}',
      ].join('\n'),
      '/x/ok.bicep': "resource id 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {\n  name: 'id'\n  location: 'westeurope'\n}\n",
    };
    const own2 = ownership((f) => maskBicep(files[f]!), '/x/main.bicep');
    expect(own2.violations).toHaveLength(2);
    expect(own2.violations.join('\n')).toMatch(/module zones/);
    expect(own2.violations.join('\n')).toMatch(/resource assignment/);
    expect(own2.written.map((w) => w.symbol).sort()).toEqual(['id', 'rg']);
  });
});

describe('the custom role keeps one identity (item 4)', () => {
  const role = loadFromDisk(path.join(INFRA, 'modules', 'custom-role.bicep'));
  const SCOPE_LIST_INPUTS = ['scopeSubscriptionIds', 'privateDnsZoneResourceGroupId', 'existingSystemTopicIds'];

  it('is defined in its home subscription, whatever the subscriptions in scope or their order', () => {
    const m = block('customRole');
    expect(m.scope).toBe('subscription(roleHomeSubscriptionId)');
    const at = main.noComments.indexOf(m.scope!, m.body[0]);
    expect(paramsOf(at, at + m.scope!.length)).toEqual(['roleDefinitionSubscriptionId']);
    expect(main.noComments).toMatch(/var roleHomeSubscriptionId = !empty\(roleDefinitionSubscriptionId\)\s*\?\s*toLower\(roleDefinitionSubscriptionId\)\s*:\s*subscription\(\)\.subscriptionId/);
  });

  it('has an id that is a function of its name only, and a name that does not depend on the scope list', () => {
    const roleBlock = blocks(role).find((b) => b.target === 'Microsoft.Authorization/roleDefinitions')!;
    expect(roleBlock.name).toBe("guid('redis-private-link-autopilot-role', roleName)");
    expect(parameterDependencies(role, identifiersIn(role, role.noComments.indexOf(roleBlock.name!), role.noComments.indexOf(roleBlock.name!) + roleBlock.name!.length))).toEqual(['roleName']);
    expect(moduleParamValue('customRole', 'roleName')).toBe('roleName');
    const nameDeps = paramsOfVar('roleName');
    expect(nameDeps.filter((p) => SCOPE_LIST_INPUTS.includes(p))).toEqual([]);
    expect(nameDeps).toEqual(['environmentName', 'location']);
  });

  it('lists its assignable scopes sorted, with the home subscription, so that reordering changes nothing', () => {
    expect(main.noComments).toMatch(/var roleAssignableScopes = sort\(\s*\n\s*union\(\s*\n\s*\['\/subscriptions\/\$\{roleHomeSubscriptionId\}'\],/);
    expect(main.noComments).toMatch(/\(a, b\) => a < b\s*\n\)/);
    // Module deployment names follow the subscription, not its position in the list.
    expect(block('subscriptionRoleAssignments').name).toBe("'autopilot-role-assignment-${uniqueString(sub, resourceToken)}'");
    expect(block('ownSystemTopics').name).toBe("'autopilot-events-${uniqueString(sub, resourceToken)}'");
    expect(moduleUses(main).find((u) => u.symbol === 'customRole')!.params.sort()).toEqual(['assignableScopes', 'roleName']);
  });
});
