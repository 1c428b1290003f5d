import { RUNBOOK_ROUTES, openApiDocument } from '../../../../src/functions/http/openapi';
import { REQUEST_SCHEMAS } from '../../../../src/functions/http/schemas';

const doc = openApiDocument() as any;

function collectRefs(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((n) => collectRefs(n, out));
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string') out.push(v);
      else collectRefs(v, out);
    }
  }
  return out;
}

describe('RUNBOOK_ROUTES', () => {
  it('has the eight runbook routes with unique operation ids', () => {
    expect(RUNBOOK_ROUTES.map((r) => `${r.method} ${r.route}`)).toEqual([
      'POST runbooks/add-endpoint',
      'POST runbooks/remove-endpoint',
      'POST runbooks/public-access',
      'POST runbooks/create-cache',
      'POST runbooks/remediate',
      'POST runbooks/verify',
      'POST runbooks/migrate',
      'POST runbooks/decisions/{instanceId}',
      'GET runbooks/operations/{instanceId}',
      'GET openapi.json',
    ]);
    expect(new Set(RUNBOOK_ROUTES.map((r) => r.operationId)).size).toBe(RUNBOOK_ROUTES.length);
  });
  it('every POST names a request schema that exists; GETs have none', () => {
    for (const r of RUNBOOK_ROUTES) {
      if (r.method === 'POST') expect(Object.keys(REQUEST_SCHEMAS)).toContain(r.requestSchema);
      else expect(r.requestSchema).toBeUndefined();
    }
  });
});

describe('openApiDocument', () => {
  it('is OpenAPI 3.0.3 with the x-functions-key security scheme applied', () => {
    expect(doc.openapi).toBe('3.0.3');
    expect(doc.components.securitySchemes.functionKey).toEqual(expect.objectContaining({ type: 'apiKey', in: 'header', name: 'x-functions-key' }));
    expect(doc.security).toEqual([{ functionKey: [] }]);
    expect(JSON.parse(JSON.stringify(doc))).toEqual(doc); // plain JSON
  });

  it('lists every route with its operation id and 401/403 responses', () => {
    for (const r of RUNBOOK_ROUTES) {
      const op = doc.paths[`/${r.route}`]?.[r.method.toLowerCase()];
      expect(op).toBeDefined();
      expect(op.operationId).toBe(r.operationId);
      expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['401', '403']));
    }
    const ops = Object.values(doc.paths).flatMap((p) => Object.keys(p as object));
    expect(ops).toHaveLength(RUNBOOK_ROUTES.length);
  });

  it('POST routes take their zod schema as the body and answer 202 (200 for a dry-run)/400', () => {
    for (const r of RUNBOOK_ROUTES.filter((x) => x.method === 'POST')) {
      const op = doc.paths[`/${r.route}`].post;
      expect(op.requestBody.content['application/json'].schema).toEqual({ $ref: `#/components/schemas/${r.requestSchema}` });
      // A decision has no dry-run; it answers 404 (no workflow) and 409 (not waiting for that gate).
      expect(Object.keys(op.responses).sort()).toEqual(r.operationId === 'httpDecide' ? ['202', '400', '401', '403', '404', '409'] : ['200', '202', '400', '401', '403']);
    }
  });

  it('the status route has the instanceId path parameter', () => {
    const op = doc.paths['/runbooks/operations/{instanceId}'].get;
    expect(op.parameters).toEqual([expect.objectContaining({ name: 'instanceId', in: 'path', required: true })]);
  });

  it('every $ref resolves', () => {
    for (const r of collectRefs(doc)) {
      const name = r.replace('#/components/schemas/', '');
      expect(doc.components.schemas[name]).toBeDefined();
    }
  });

  it('the component schemas are generated from the zod schemas (fields, required, enums, no extra fields)', () => {
    const create = doc.components.schemas.createCacheBody;
    expect(create.type).toBe('object');
    expect(create.additionalProperties).toBe(false);
    expect(create.required.sort()).toEqual(['location', 'name', 'resourceGroup', 'sku', 'subscriptionId', 'virtualNetwork']);
    expect(create.properties.sku.properties.name.enum).toEqual(['Basic', 'Standard', 'Premium']);
    expect(create.properties.sku.properties.capacity).toMatchObject({ type: 'integer', minimum: 0, maximum: 6 });
    expect(create.properties.virtualNetwork.properties.addressPrefixes).toMatchObject({ type: 'array', minItems: 1 });
    expect(create.properties.name.description).toContain('The cache name must be a string between 1 and 63 characters');
    const add = doc.components.schemas.addEndpointBody;
    expect(add.required.sort()).toEqual(['cacheId', 'subnetId']);
    expect(add.properties.geoReplication.enum).toEqual(['manual', 'unlink-and-relink']);
    expect(doc.components.schemas.publicAccessBody.properties.value.enum).toEqual(['Enabled', 'Disabled']);
    for (const name of Object.keys(REQUEST_SCHEMAS)) {
      expect(doc.components.schemas[name].$schema).toBeUndefined();
      if (name !== 'decisionBody') expect(doc.components.schemas[name].properties.dryRun).toMatchObject({ type: 'boolean' });
    }
    expect(doc.components.schemas.decisionBody.properties.decision.enum).toEqual(['approve', 'reject']);
    expect(doc.components.schemas.decisionBody.required.sort()).toEqual(['decision', 'gate']);
  });

  it('takes the server URL and version as options', () => {
    const d = openApiDocument({ serverUrl: 'https://func.example/api', version: '2.1.0' }) as { servers: unknown; info: { version: string } };
    expect(d.servers).toEqual([{ url: 'https://func.example/api' }]);
    expect(d.info.version).toBe('2.1.0');
  });
});
