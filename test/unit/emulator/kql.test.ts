import {
  KqlError, parseExpression, parseQuery, runQuery, tokenize,
  type Catalog, type Column, type Row,
} from '../../../emulator/kql';

const SUB1 = '11111111-1111-1111-1111-111111111111';
const SUB2 = '22222222-2222-2222-2222-222222222222';

const COLUMNS: Column[] = [
  { name: 'id', type: 'string' },
  { name: 'name', type: 'string' },
  { name: 'type', type: 'string' },
  { name: 'kind', type: 'string' },
  { name: 'location', type: 'string' },
  { name: 'resourceGroup', type: 'string' },
  { name: 'subscriptionId', type: 'string' },
  { name: 'sku', type: 'dynamic' },
  { name: 'properties', type: 'dynamic' },
  { name: 'tags', type: 'dynamic' },
  { name: 'zones', type: 'dynamic' },
];

function res(sub: string, rg: string, provider: string, name: string, extra: Partial<Row> = {}): Row {
  return {
    id: `/subscriptions/${sub}/resourceGroups/${rg}/providers/${provider}/${name}`,
    name,
    type: provider.toLowerCase(),
    kind: '',
    location: 'eastus',
    resourceGroup: rg.toLowerCase(),
    subscriptionId: sub,
    sku: null,
    properties: {},
    tags: {},
    zones: null,
    ...extra,
  };
}

const ROWS: Row[] = [
  res(SUB1, 'RG-Prod', 'Microsoft.Cache/Redis', 'cache-a', {
    sku: { name: 'Premium', family: 'P', capacity: 1 },
    tags: { env: 'prod', 'cost-center': 'A1' },
    zones: ['1', '2'],
    properties: {
      publicNetworkAccess: 'Disabled',
      port: 6379,
      sslPort: 6380,
      enableNonSslPort: false,
      hostName: 'cache-a.redis.cache.windows.net',
      privateEndpointConnections: [
        { id: 'pec-1', properties: { privateEndpoint: { id: '/pe/one' }, privateLinkServiceConnectionState: { status: 'Approved' } } },
        { id: 'pec-2', properties: { privateEndpoint: { id: '/pe/two' }, privateLinkServiceConnectionState: { status: 'Pending' } } },
      ],
    },
  }),
  res(SUB1, 'rg-dev', 'Microsoft.Cache/Redis', 'Cache-B', {
    sku: { name: 'Basic', family: 'C', capacity: 0 },
    tags: { env: 'dev' },
    properties: { publicNetworkAccess: 'Enabled', port: 6379, privateEndpointConnections: [], hostName: 'Cache-B.redis.cache.windows.net' },
  }),
  res(SUB2, 'rg-ent', 'Microsoft.Cache/redisEnterprise', 'ent-1', {
    location: 'westeurope',
    sku: { name: 'Enterprise_E10', capacity: 2 },
    properties: { hostName: 'ent-1.westeurope.redisenterprise.cache.azure.net' },
  }),
  res(SUB2, 'rg-net', 'Microsoft.Network/privateEndpoints', 'pe-one', {
    properties: {
      subnet: { id: `/subscriptions/${SUB2}/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet/subnets/default` },
      privateLinkServiceConnections: [
        { name: 'c1', properties: { privateLinkServiceId: `/subscriptions/${SUB1}/resourceGroups/RG-Prod/providers/Microsoft.Cache/Redis/cache-a`, groupIds: ['redisCache'] } },
      ],
      manualPrivateLinkServiceConnections: [],
    },
  }),
  res(SUB2, 'rg-net', 'Microsoft.Network/virtualNetworks', 'vnet', {
    properties: { addressSpace: { addressPrefixes: ['10.0.0.0/16'] }, subnets: [{ name: 'default' }, { name: 'apps' }] },
  }),
];

const catalog = (rows: Row[] = ROWS): Catalog => ({ resources: { columns: COLUMNS, rows: () => rows.map((r) => structuredClone(r)) } });
const run = (q: string, rows?: Row[]) => runQuery(q, catalog(rows));
const names = (q: string, rows?: Row[]) => run(q, rows).rows.map((r) => r.name);

function kqlError(q: string): KqlError {
  try {
    run(q);
  } catch (e) {
    if (e instanceof KqlError) return e;
    throw e;
  }
  throw new Error(`expected a KqlError for: ${q}`);
}

describe('lexer', () => {
  it('produces tokens with 1-based lines and 0-based columns, skipping // comments', () => {
    const toks = tokenize("Resources // all of them\n| where name == 'x'");
    expect(toks.map((t) => [t.kind, t.text, t.pos.line, t.pos.column])).toEqual([
      ['ident', 'Resources', 1, 0],
      ['op', '|', 2, 0],
      ['ident', 'where', 2, 2],
      ['ident', 'name', 2, 8],
      ['op', '==', 2, 13],
      ['string', "'x'", 2, 16],
      ['eof', '<EOF>', 2, 19],
    ]);
  });

  it('decodes single, double and verbatim strings', () => {
    const toks = tokenize(`'it\\'s' "say \\"hi\\"\\n" @'c:\\dir''s' @"a""b"`);
    expect(toks.slice(0, 4).map((t) => t.value)).toEqual(["it's", 'say "hi"\n', "c:\\dir's", 'a"b']);
  });

  it('reads negated and case-insensitive set operators as one token', () => {
    const toks = tokenize('a !in (1) and b in~ (2) and c !in~ (3) and d !has "x" and e !contains_cs "y" and f !~ "z"');
    const ops = toks.filter((t) => t.kind === 'op' && !['(', ')'].includes(t.text)).map((t) => t.text);
    expect(ops).toEqual(['!in', 'in~', '!in~', '!has', '!contains_cs', '!~']);
  });

  it('reads integers and reals', () => {
    const toks = tokenize('42 1.5 2e3');
    expect(toks.slice(0, 3).map((t) => [t.value, t.isReal])).toEqual([[42, false], [1.5, true], [2000, true]]);
  });

  it('reports an unterminated string at its start', () => {
    const err = (() => {
      try {
        tokenize("Resources\n| where name == 'abc");
      } catch (e) {
        return e as KqlError;
      }
      throw new Error('no error');
    })();
    expect(err).toBeInstanceOf(KqlError);
    expect(err.code).toBe('ParserFailure');
    expect(err.position).toMatchObject({ line: 2, column: 16 });
  });

  it('rejects characters outside the language', () => {
    expect(() => tokenize('Resources | where name == #')).toThrow(KqlError);
  });
});

describe('parser', () => {
  it('gives and a higher precedence than or', () => {
    const e = parseExpression('a == 1 or b == 2 and c == 3');
    expect(e).toMatchObject({ kind: 'logical', op: 'or', right: { kind: 'logical', op: 'and' } });
    const p = parseExpression('(a == 1 or b == 2) and c == 3');
    expect(p).toMatchObject({ kind: 'logical', op: 'and', left: { kind: 'logical', op: 'or' } });
  });

  it('binds arithmetic tighter than comparison and * tighter than +', () => {
    const e = parseExpression('x + 2 * 3 > 7');
    expect(e).toMatchObject({
      kind: 'compare',
      op: '>',
      left: { kind: 'arith', op: '+', right: { kind: 'arith', op: '*' } },
    });
  });

  it('parses dynamic access by dot, string index and numeric index', () => {
    const e = parseExpression("properties.a['b-c'][0].d");
    expect(e).toMatchObject({
      kind: 'member',
      name: 'd',
      target: { kind: 'index', index: { value: 0 }, target: { kind: 'member', name: 'b-c', target: { kind: 'member', name: 'a' } } },
    });
  });

  it('parses hyphenated operators and defaults the table to Resources', () => {
    const q = parseQuery("where type =~ 'x' | project-away tags | mv-expand c = properties.list limit 2");
    expect(q.table.name).toBe('resources');
    expect(q.operators.map((o) => o.kind)).toEqual(['where', 'project-away', 'mv-expand']);
    expect(q.operators[2]).toMatchObject({ limit: 2, items: [{ name: 'c' }] });
  });

  it('parses sort keys with KQL defaults (desc) and explicit directions', () => {
    const q = parseQuery('Resources | order by name asc, location | sort by id desc nulls first');
    expect(q.operators[0]).toMatchObject({ kind: 'sort', keys: [{ desc: false }, { desc: true }] });
    expect(q.operators[1]).toMatchObject({ keys: [{ desc: true, nullsFirst: true }] });
  });

  it('rejects chained comparisons', () => {
    expect(() => parseExpression('a == b == c')).toThrow(KqlError);
  });

  it('reports unknown operators as ParserFailure with the operator token and position', () => {
    const err = kqlError('Resources\n| where name != ""\n  | parse id with * "/" x');
    expect(err.code).toBe('ParserFailure');
    expect(err.token).toBe('parse');
    expect(err.position).toMatchObject({ line: 3, column: 4 });
    expect(err.toDetail()).toEqual({ code: 'ParserFailure', message: 'ParserFailure', line: 3, characterPositionInLine: 4, token: 'parse' });
  });

  it('reports a query that ends too early at <EOF>', () => {
    const err = kqlError("Resources | where type == 'x' |");
    expect(err.toDetail()).toMatchObject({ code: 'ParserFailure', line: 1, characterPositionInLine: 31, token: '<EOF>' });
  });

  it('reports a missing closing parenthesis with the expected token', () => {
    const err = kqlError("Resources | where name in ('a', 'b'");
    expect(err.toDetail()).toMatchObject({ token: '<EOF>', expectedToken: ')' });
  });

  it('rejects keywords used as column names', () => {
    const err = kqlError('where where');
    expect(err.code).toBe('ParserFailure');
    expect(err.token).toBe('where');
    expect(err.position.column).toBe(6);
  });
});

describe('semantic errors', () => {
  it('unknown function -> UnknownFunction with position', () => {
    const err = kqlError('Resources | where cout(name) > 1');
    expect(err.code).toBe('UnknownFunction');
    expect(err.message).toBe("Unknown function: 'cout'.");
    expect(err.position.column).toBe(18);
  });

  it('function names are case-sensitive', () => {
    expect(kqlError('Resources | project ToLower(name)').code).toBe('UnknownFunction');
  });

  it('unknown column -> UnknownColumn naming the operator', () => {
    const err = kqlError('Resources | project id | where name == "x"');
    expect(err.code).toBe('UnknownColumn');
    expect(err.message).toBe("'where' operator: Failed to resolve scalar expression named 'name'");
  });

  it('unknown table -> UnknownTable', () => {
    expect(kqlError('ResourcesX | take 1').code).toBe('UnknownTable');
  });

  it('is detected before any row is read (empty table)', () => {
    expect(() => runQuery('Resources | where nope == 1', catalog([]))).toThrow(KqlError);
  });

  it('rejects comparing a string with a number, wrong arity and aggregates outside summarize', () => {
    expect(kqlError("Resources | where name == 5").code).toBe('SemanticError');
    expect(kqlError('Resources | where isempty(name, id)').code).toBe('SemanticError');
    expect(kqlError('Resources | where count() > 1').code).toBe('SemanticError');
  });

  it('rejects a summarize key of dynamic type', () => {
    const err = kqlError('Resources | summarize count() by sku.name');
    expect(err.code).toBe('SemanticError');
    expect(err.message).toContain("is of a 'dynamic' type");
  });
});

describe('where: comparison operators', () => {
  it('== is case-sensitive, =~ is not', () => {
    expect(names("Resources | where name == 'cache-b'")).toEqual([]);
    expect(names("Resources | where name == 'Cache-B'")).toEqual(['Cache-B']);
    expect(names("Resources | where name =~ 'CACHE-b'")).toEqual(['Cache-B']);
  });

  it('!= and !~', () => {
    expect(names("Resources | where type != 'microsoft.cache/redis'")).toEqual(['ent-1', 'pe-one', 'vnet']);
    expect(names("Resources | where type !~ 'MICROSOFT.CACHE/REDIS'")).toEqual(['ent-1', 'pe-one', 'vnet']);
  });

  it('in / !in are case-sensitive, in~ / !in~ are not', () => {
    expect(names("Resources | where name in ('cache-a', 'CACHE-B')")).toEqual(['cache-a']);
    expect(names("Resources | where name in~ ('cache-a', 'CACHE-B')")).toEqual(['cache-a', 'Cache-B']);
    expect(names("Resources | where name !in ('cache-a', 'vnet')")).toEqual(['Cache-B', 'ent-1', 'pe-one']);
    expect(names("Resources | where name !in~ ('CACHE-A', 'VNET', 'cache-b')")).toEqual(['ent-1', 'pe-one']);
  });

  it('in accepts a dynamic array', () => {
    expect(names("Resources | where name in (dynamic(['vnet', 'pe-one']))")).toEqual(['pe-one', 'vnet']);
  });

  it('has is term-based and case-insensitive', () => {
    expect(names("Resources | where properties.hostName has 'REDIS'")).toEqual(['cache-a', 'Cache-B']);
    // 'redisenterprise' is one term: 'redis' does not match it
    expect(names("Resources | where properties.hostName has 'redis' and type has 'redisenterprise'")).toEqual([]);
    expect(names("Resources | where type has 'redisenterprise'")).toEqual(['ent-1']);
    expect(names("Resources | where id has 'microsoft.cache'")).toEqual(['cache-a', 'Cache-B', 'ent-1']);
    expect(names("Resources | where name has 'cach'")).toEqual([]);
    expect(names("Resources | where name !has 'cache'")).toEqual(['ent-1', 'pe-one', 'vnet']);
    expect(names("Resources | where name has_cs 'B'")).toEqual(['Cache-B']);
  });

  it('contains / !contains / startswith / endswith are case-insensitive; _cs variants are not', () => {
    expect(names("Resources | where name contains 'ACH'")).toEqual(['cache-a', 'Cache-B']);
    expect(names("Resources | where name !contains 'ach'")).toEqual(['ent-1', 'pe-one', 'vnet']);
    expect(names("Resources | where name contains_cs 'Cach'")).toEqual(['Cache-B']);
    expect(names("Resources | where name startswith 'CACHE'")).toEqual(['cache-a', 'Cache-B']);
    expect(names("Resources | where name startswith_cs 'cache'")).toEqual(['cache-a']);
    expect(names("Resources | where name endswith '-B'")).toEqual(['Cache-B']);
    expect(names("Resources | where name !startswith 'cache'")).toEqual(['ent-1', 'pe-one', 'vnet']);
    expect(names("Resources | where name !endswith 'e'")).toEqual(['cache-a', 'Cache-B', 'ent-1', 'vnet']);
  });

  it('numeric comparisons on dynamic values', () => {
    expect(names('Resources | where sku.capacity > 0')).toEqual(['cache-a', 'ent-1']);
    expect(names('Resources | where sku.capacity >= 1')).toEqual(['cache-a', 'ent-1']);
    expect(names('Resources | where sku.capacity < 1')).toEqual(['Cache-B']);
    expect(names('Resources | where sku.capacity <= 2 and sku.capacity > 1')).toEqual(['ent-1']);
    expect(names('Resources | where properties.sslPort == 6380')).toEqual(['cache-a']);
    expect(names('Resources | where toint(sku.capacity) between (1 .. 2)')).toEqual(['cache-a', 'ent-1']);
  });

  it('and / or / not() / parentheses', () => {
    expect(names("Resources | where type =~ 'microsoft.cache/redis' and tags.env == 'prod' or name == 'vnet'")).toEqual(['cache-a', 'vnet']);
    expect(names("Resources | where type =~ 'microsoft.cache/redis' and (tags.env == 'prod' or name == 'vnet')")).toEqual(['cache-a']);
    expect(names("Resources | where not(type startswith 'microsoft.cache')")).toEqual(['pe-one', 'vnet']);
    expect(names('Resources | where properties.enableNonSslPort == false')).toEqual(['cache-a']);
  });

  it('a missing dynamic property is null: it equals the empty string, fails numeric tests', () => {
    expect(names("Resources | where properties.publicNetworkAccess == ''")).toEqual(['ent-1', 'pe-one', 'vnet']);
    expect(names("Resources | where properties.publicNetworkAccess != 'Disabled'")).toEqual(['Cache-B', 'ent-1', 'pe-one', 'vnet']);
    expect(names('Resources | where properties.sslPort != 6380')).toEqual([]);
  });

  it('isempty / isnotempty / isnull / isnotnull', () => {
    expect(names('Resources | where isnotempty(properties.publicNetworkAccess)')).toEqual(['cache-a', 'Cache-B']);
    expect(names('Resources | where isempty(properties.publicNetworkAccess)')).toEqual(['ent-1', 'pe-one', 'vnet']);
    expect(names('Resources | where isnull(zones)')).toEqual(['Cache-B', 'ent-1', 'pe-one', 'vnet']);
    expect(names('Resources | where isnotnull(zones)')).toEqual(['cache-a']);
    // string columns are never null in Kusto: an absent kind is ""
    expect(names('Resources | where isnull(kind)')).toEqual([]);
    expect(names('Resources | where isempty(kind)')).toHaveLength(5);
    // an empty array is not empty for isempty()
    expect(names('Resources | where isempty(properties.privateEndpointConnections)')).toEqual(['ent-1', 'pe-one', 'vnet']);
  });

  it('tolower / toupper / tostring / toint / array_length', () => {
    expect(names("Resources | where tolower(name) == 'cache-b'")).toEqual(['Cache-B']);
    expect(names("Resources | where toupper(name) == 'VNET'")).toEqual(['vnet']);
    expect(names("Resources | where tostring(sku.name) == 'Premium'")).toEqual(['cache-a']);
    expect(names('Resources | where toint(tostring(sku.capacity)) == 2')).toEqual(['ent-1']);
    expect(names('Resources | where array_length(properties.privateEndpointConnections) == 0')).toEqual(['Cache-B']);
    expect(names('Resources | where array_length(properties.privateEndpointConnections) > 0')).toEqual(['cache-a']);
    expect(names('Resources | where array_length(properties.subnets) == 2')).toEqual(['vnet']);
  });

  it('bracket access with quoted keys and array indexes (negative from the end)', () => {
    expect(names("Resources | where tags['cost-center'] == 'A1'")).toEqual(['cache-a']);
    expect(names("Resources | where properties['privateEndpointConnections'][1].properties.privateLinkServiceConnectionState.status == 'Pending'")).toEqual(['cache-a']);
    expect(names("Resources | where properties.subnets[-1].name == 'apps'")).toEqual(['vnet']);
    expect(names("Resources | where zones[5] == '1'")).toEqual([]);
  });

  it('rejects a non-boolean predicate', () => {
    expect(kqlError('Resources | where name').code).toBe('SemanticError');
  });
});

describe('tabular operators', () => {
  it('project keeps the order, renames and derives names from dynamic paths', () => {
    const r = run("Resources | where name == 'cache-a' | project name, n = tolower(name), properties.port, tostring(sku.name), tolower(type)");
    expect(r.columns).toEqual([
      { name: 'name', type: 'string' },
      { name: 'n', type: 'string' },
      { name: 'properties_port', type: 'dynamic' },
      { name: 'sku_name', type: 'string' },
      { name: 'Column1', type: 'string' },
    ]);
    expect(r.rows).toEqual([{ name: 'cache-a', n: 'cache-a', properties_port: 6379, sku_name: 'Premium', Column1: 'microsoft.cache/redis' }]);
    expect(Object.keys(r.rows[0])).toEqual(['name', 'n', 'properties_port', 'sku_name', 'Column1']);
  });

  it('project-away removes columns (wildcards allowed), unknown names fail', () => {
    const r = run('Resources | take 1 | project-away properties, tags, resource*');
    expect(r.columns.map((c) => c.name)).toEqual(['id', 'name', 'type', 'kind', 'location', 'subscriptionId', 'sku', 'zones']);
    expect(kqlError('Resources | project-away nope').code).toBe('UnknownColumn');
  });

  it('project-keep and project-rename', () => {
    expect(run('Resources | project-keep name, *Id | take 1').columns.map((c) => c.name)).toEqual(['name', 'subscriptionId']);
    const r = run("Resources | where name == 'vnet' | project name, type | project-rename resourceName = name");
    expect(r.rows).toEqual([{ resourceName: 'vnet', type: 'microsoft.network/virtualnetworks' }]);
  });

  it('extend adds columns, may replace one in place and use earlier items', () => {
    const r = run("Resources | where name == 'Cache-B' | project name, type | extend type = toupper(type), lower = tolower(name), n2 = strcat(lower, '!')");
    expect(r.columns.map((c) => c.name)).toEqual(['name', 'type', 'lower', 'n2']);
    expect(r.rows[0]).toEqual({ name: 'Cache-B', type: 'MICROSOFT.CACHE/REDIS', lower: 'cache-b', n2: 'cache-b!' });
  });

  it('mv-expand with an alias: one row per element, other columns copied', () => {
    const r = run("Resources | where name == 'cache-a' | mv-expand pec = properties.privateEndpointConnections | project name, peId = tostring(pec.properties.privateEndpoint.id), status = tostring(pec.properties.privateLinkServiceConnectionState.status)");
    expect(r.rows).toEqual([
      { name: 'cache-a', peId: '/pe/one', status: 'Approved' },
      { name: 'cache-a', peId: '/pe/two', status: 'Pending' },
    ]);
  });

  it('mv-expand drops rows whose array is empty, keeps one null row for null, honours limit', () => {
    const r = run('Resources | mv-expand pec = properties.privateEndpointConnections | project name, pec');
    expect(r.rows.map((x) => x.name)).toEqual(['cache-a', 'cache-a', 'ent-1', 'pe-one', 'vnet']);
    expect(r.rows.filter((x) => x.pec === null).map((x) => x.name)).toEqual(['ent-1', 'pe-one', 'vnet']);
    expect(run("Resources | where name == 'cache-a' | mv-expand pec = properties.privateEndpointConnections limit 1").rows).toHaveLength(1);
  });

  it('mv-expand of a column replaces it; of a property bag yields one-key bags', () => {
    const z = run("Resources | where name == 'cache-a' | mv-expand zones | project zones");
    expect(z.rows).toEqual([{ zones: '1' }, { zones: '2' }]);
    const t = run("Resources | where name == 'cache-a' | mv-expand tags | project tags");
    expect(t.rows).toEqual([{ tags: { env: 'prod' } }, { tags: { 'cost-center': 'A1' } }]);
  });

  it('mv-expand ... to typeof(T) casts elements (non-conforming ones become null / empty)', () => {
    const r = run("Resources | where name == 'vnet' | extend mixed = dynamic(['a', 1, 'b']) | mv-expand s = mixed to typeof(string), n = mixed to typeof(long) | project s, n");
    expect(r.columns).toEqual([{ name: 's', type: 'string' }, { name: 'n', type: 'long' }]);
    expect(r.rows).toEqual([{ s: 'a', n: null }, { s: '', n: 1 }, { s: 'b', n: null }]);
    expect(kqlError("Resources | mv-expand zones to typeof(guid)").code).toBe('ParserFailure');
  });

  it('mv-expand of several arrays expands them in parallel, padding with null', () => {
    const r = run("Resources | where name == 'cache-a' | mv-expand z = zones, p = properties.privateEndpointConnections, k = dynamic([1, 2, 3]) | project z, p = tostring(p.id), k");
    expect(r.rows).toEqual([
      { z: '1', p: 'pec-1', k: 1 },
      { z: '2', p: 'pec-2', k: 2 },
      { z: null, p: '', k: 3 },
    ]);
  });

  it('the product query: private endpoint targets', () => {
    const r = run(`resources | where type =~ 'microsoft.network/privateendpoints' | mv-expand c = properties.privateLinkServiceConnections
| extend target = tolower(tostring(c.properties.privateLinkServiceId)) | project id, target, subnetId = tostring(properties.subnet.id)`);
    expect(r.rows).toEqual([
      {
        id: ROWS[3].id,
        target: `/subscriptions/${SUB1}/resourcegroups/rg-prod/providers/microsoft.cache/redis/cache-a`,
        subnetId: (ROWS[3].properties as any).subnet.id,
      },
    ]);
  });

  it('the product query: caches of some subscriptions', () => {
    const r = run(`resources | where type =~ 'microsoft.cache/redis' or type =~ 'microsoft.cache/redisenterprise'
| where subscriptionId in~ ('${SUB2.toUpperCase()}', 'sub-x') | project id, name, type, location, resourceGroup, subscriptionId, sku, tags, properties`);
    expect(r.rows.map((x) => x.name)).toEqual(['ent-1']);
    expect(r.columns.map((c) => c.name)).toEqual(['id', 'name', 'type', 'location', 'resourceGroup', 'subscriptionId', 'sku', 'tags', 'properties']);
  });

  it('a multi-line compliance query with comments, extend chains and null-aware filters', () => {
    const r = run(`resources
// caches of both kinds
| where type in~ ('Microsoft.Cache/Redis', 'microsoft.cache/redisenterprise')
| extend pna = tostring(properties.publicNetworkAccess), peCount = array_length(properties.privateEndpointConnections)
| where pna =~ 'enabled' or isnull(peCount) or peCount == 0 // exposed, or no private endpoint
| project id, name, pna, peCount, tier = tostring(sku.name)
| order by name asc`);
    expect(r.rows.map((x) => [x.name, x.pna, x.peCount, x.tier])).toEqual([
      ['Cache-B', 'Enabled', 0, 'Basic'],
      ['ent-1', '', null, 'Enterprise_E10'],
    ]);
  });

  it('summarize count() by a column, with a named aggregate and a derived key name', () => {
    const r = run('Resources | summarize count() by type | order by type asc');
    expect(r.columns).toEqual([{ name: 'type', type: 'string' }, { name: 'count_', type: 'long' }]);
    expect(r.rows).toEqual([
      { type: 'microsoft.cache/redis', count_: 2 },
      { type: 'microsoft.cache/redisenterprise', count_: 1 },
      { type: 'microsoft.network/privateendpoints', count_: 1 },
      { type: 'microsoft.network/virtualnetworks', count_: 1 },
    ]);
    const n = run("Resources | summarize n = count(), prem = countif(tostring(sku.name) == 'Premium') by tostring(sku.family) | order by sku_family asc");
    expect(n.rows).toEqual([
      { sku_family: '', n: 3, prem: 0 },
      { sku_family: 'C', n: 1, prem: 0 },
      { sku_family: 'P', n: 1, prem: 1 },
    ]);
  });

  it('summarize without by yields one row even over no rows; other aggregates', () => {
    expect(run("Resources | where name == 'none' | summarize count()").rows).toEqual([{ count_: 0 }]);
    const r = run('Resources | summarize dcount(location), max(toint(sku.capacity)), sum(toint(sku.capacity)), make_set(location)');
    expect(r.rows).toEqual([{ dcount_location: 2, max_sku_capacity: 2, sum_sku_capacity: 3, set_location: ['eastus', 'westeurope'] }]);
  });

  it('summarize by alone is distinct', () => {
    expect(run('Resources | summarize by location').rows).toEqual([{ location: 'eastus' }, { location: 'westeurope' }]);
    expect(run('Resources | distinct subscriptionId').rows).toHaveLength(2);
  });

  it('order by / sort by: asc, desc (the default), several keys, nulls placement', () => {
    expect(names('Resources | order by name asc')).toEqual(['Cache-B', 'cache-a', 'ent-1', 'pe-one', 'vnet']);
    expect(names('Resources | sort by name')).toEqual(['vnet', 'pe-one', 'ent-1', 'cache-a', 'Cache-B']);
    expect(names('Resources | order by location desc, name asc')).toEqual(['ent-1', 'Cache-B', 'cache-a', 'pe-one', 'vnet']);
    expect(names('Resources | order by toint(sku.capacity) asc, name asc')).toEqual(['pe-one', 'vnet', 'Cache-B', 'cache-a', 'ent-1']);
    expect(names('Resources | order by toint(sku.capacity) desc, name asc')).toEqual(['ent-1', 'cache-a', 'Cache-B', 'pe-one', 'vnet']);
    expect(names('Resources | order by toint(sku.capacity) asc nulls last, name asc')).toEqual(['Cache-B', 'cache-a', 'ent-1', 'pe-one', 'vnet']);
  });

  it('take / limit / top mark the result as limited', () => {
    const t = run('Resources | order by name asc | take 2');
    expect(t.rows.map((r) => r.name)).toEqual(['Cache-B', 'cache-a']);
    expect(t.limited).toBe(true);
    expect(run('Resources | limit 3').rows).toHaveLength(3);
    expect(names('Resources | top 2 by name asc')).toEqual(['Cache-B', 'cache-a']);
    expect(run('Resources | where true').limited).toBe(false);
  });

  it('count', () => {
    const r = run("Resources | where type startswith 'microsoft.cache' | count");
    expect(r.columns).toEqual([{ name: 'Count', type: 'long' }]);
    expect(r.rows).toEqual([{ Count: 3 }]);
  });

  it('Resource Graph table names are case-insensitive; a query may start with an operator', () => {
    expect(run('RESOURCES | count').rows).toEqual([{ Count: 5 }]);
    expect(run("where name == 'vnet' | project name").rows).toEqual([{ name: 'vnet' }]);
  });

  it('does not mutate the source rows', () => {
    const rows = [structuredClone(ROWS[0])];
    const src: Catalog = { resources: { columns: COLUMNS, rows: () => rows } };
    runQuery("Resources | extend name = 'changed' | mv-expand zones", src);
    expect(rows[0].name).toBe('cache-a');
    expect(rows[0].zones).toEqual(['1', '2']);
  });
});

describe('scalar functions and arithmetic', () => {
  const one = (expr: string) => run(`Resources | where name == 'cache-a' | project v = ${expr}`).rows[0].v;
  const id = (name: string) => ROWS.find((r) => r.name === name)!.id as string;

  it('conversions', () => {
    expect(one("toint('42')")).toBe(42);
    expect(one("toint('x')")).toBeNull();
    expect(one('toint(2.9)')).toBe(2);
    expect(one("tolong('-7')")).toBe(-7);
    expect(one("todouble('1.5')")).toBe(1.5);
    expect(one("tobool('TRUE')")).toBe(true);
    expect(one('tostring(sku)')).toBe('{"name":"Premium","family":"P","capacity":1}');
    expect(one('tostring(properties.missing)')).toBe('');
    expect(one("todynamic('{\"a\":[1,2]}').a[1]")).toBe(2);
  });

  it('string helpers, iff, coalesce, split, substring, strlen, typeof', () => {
    expect(one("strcat(name, '/', location)")).toBe('cache-a/eastus');
    expect(one("iff(sku.capacity > 0, 'big', 'small')")).toBe('big');
    expect(one("coalesce(properties.missing, properties.hostName)")).toBe('cache-a.redis.cache.windows.net');
    expect(one("split(id, '/')[2]")).toBe(SUB1);
    expect(one('substring(name, 0, 5)')).toBe('cache');
    expect(one('strlen(name)')).toBe(7);
    expect(one('typeof(properties.privateEndpointConnections)')).toBe('array');
    expect(one("indexof(id, '/providers/')")).toBe(id('cache-a').indexOf('/providers/'));
    expect(one("indexof(name, 'zzz')")).toBe(-1);
    expect(one("substring(id, 0, indexof(id, '/providers/'))")).toBe(`/subscriptions/${SUB1}/resourceGroups/RG-Prod`);
    expect(one("replace_string(name, '-', '_')")).toBe('cache_a');
    expect(one("extract('resourceGroups/([^/]+)', 1, id)")).toBe('RG-Prod');
    expect(one("extract('nomatch(x)', 1, id)")).toBe('');
  });

  it('arithmetic with precedence, integer division and nulls', () => {
    expect(one('1 + 2 * 3')).toBe(7);
    expect(one('(1 + 2) * 3')).toBe(9);
    expect(one('7 / 2')).toBe(3);
    expect(one('7.0 / 2')).toBe(3.5);
    expect(one('-sku.capacity')).toBe(-1);
    expect(one('sku.missing + 1')).toBeNull();
    expect(one('10 % 4')).toBe(2);
  });
});
