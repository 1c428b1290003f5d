/**
 * docs/deployment.md says what the infra and its tests prove: the environment values it lists are those
 * infra/main.parameters.json reads, the tests it cites exist, its figures are those of infra/ and host.json.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..', '..', '..');
const read = (p: string) => fs.readFileSync(path.join(ROOT, p), 'utf8');
const doc = read('docs/deployment.md');

describe('docs/deployment.md', () => {
  it('describes azd up, a second azd up, azd down and what survives it, and the first check with the Bicep compiler', () => {
    for (const heading of ['### What `azd up` does, step by step', '### A second `azd up`', '### `azd down`: what is deleted, what survives']) {
      expect(doc).toContain(heading);
    }
    expect(doc).toContain('az bicep build --file infra/main.bicep');
    expect(doc).toContain('azd provision --preview');
    expect(doc).toMatch(/\*\*The private DNS zones group and all its zones/);
    expect(doc).toMatch(/\*\*Adopted system topics\*\*/);
  });

  it('lists exactly the environment values infra/main.parameters.json reads', () => {
    const parameters = read('infra/main.parameters.json');
    const fromParams = [...new Set([...parameters.matchAll(/\$\{([A-Z_]+)/g)].map((m) => m[1]!))].sort();
    const section = doc.slice(doc.indexOf('### Environment values'), doc.indexOf('### Scale'));
    const fromDoc = [...new Set([...section.matchAll(/^\| `([A-Z_]+)`(?:, `([A-Z_]+)`)?/gm)].flatMap((m) => [m[1]!, m[2]].filter(Boolean) as string[]))].sort();
    expect(fromDoc).toEqual(fromParams);
    expect(doc).not.toMatch(/AUTOPILOT_EVENT_SUBSCRIPTIONS|AUTOPILOT_NODE_VERSION|existingSystemTopics\b/);
  });

  it('cites tests and files that exist', () => {
    const cited = [...new Set([...doc.matchAll(/`((?:test|infra)\/[A-Za-z0-9_./-]+\.(?:ts|cjs|sh|ps1|json|bicep))`/g)].map((m) => m[1]!))];
    expect(cited.length).toBeGreaterThanOrEqual(6);
    for (const file of cited) expect({ file, exists: fs.existsSync(path.join(ROOT, file)) }).toEqual({ file, exists: true });
  });

  it('gives the figures infra/ and host.json use', () => {
    const host = JSON.parse(read('host.json'));
    const per = host.extensions.durableTask.maxConcurrentActivityFunctions as number;
    const max = Number(/@maxValue\((\d+)\)\s*\nparam maximumInstanceCount/.exec(read('infra/main.bicep'))![1]);
    expect(doc).toContain(`\`maxConcurrentActivityFunctions\` = ${per}`);
    expect(doc).toContain(`capped at **${max}** (\`${max} × ${per} = ${max * per}\``);
    expect(doc).toContain('**200 writes**');
    expect(doc).toContain('Node.js 22');
  });
});
