/**
 * The deployment package (infra/package-app.cjs, `npm run package`, zipped by azd): production dependencies
 * only, every one of them, nothing native, the app without the emulator.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const packageApp = require('../../../infra/package-app.cjs') as {
  productionPackages(lock: unknown): Array<{ path: string; version: string; optional: boolean }>;
  plan(root: string): { packages: string[]; nativeAddons: string[]; bytes: number };
  writePackage(root: string, out: string): { packages: number };
};

const ROOT = path.join(__dirname, '..', '..', '..');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

describe('the deployment package of this repository', () => {
  const plan = packageApp.plan(ROOT);
  const included = new Set(plan.packages);

  it('holds every runtime dependency and none of the development tools', () => {
    for (const dep of Object.keys(pkg.dependencies)) expect({ dep, included: included.has(`node_modules/${dep}`) }).toEqual({ dep, included: true });
    for (const dev of Object.keys(pkg.devDependencies)) expect({ dev, included: included.has(`node_modules/${dev}`) }).toEqual({ dev, included: false });
    for (const tool of ['typescript', 'jest', 'eslint', '@swc/core', 'tsx', 'playwright-core', 'esbuild']) {
      expect(plan.packages.filter((p) => p === `node_modules/${tool}` || p.endsWith(`/node_modules/${tool}`))).toEqual([]);
    }
  });

  it('is closed: every dependency of an included package resolves, from its folder, to an included package', () => {
    const missing: string[] = [];
    for (const p of plan.packages) {
      const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, p, 'package.json'), 'utf8')) as {
        dependencies?: Record<string, string>;
        optionalDependencies?: Record<string, string>;
      };
      for (const dep of Object.keys(manifest.dependencies ?? {})) {
        if (manifest.optionalDependencies?.[dep]) continue;
        // Node's lookup: <pkg>/node_modules/<dep>, then each parent node_modules.
        let dir = path.join(ROOT, p);
        let found: string | undefined;
        while (dir.startsWith(ROOT) && !found) {
          const candidate = path.join(dir, 'node_modules', dep);
          if (fs.existsSync(path.join(candidate, 'package.json'))) found = path.relative(ROOT, candidate).split(path.sep).join('/');
          dir = path.dirname(dir);
        }
        if (!found || !included.has(found)) missing.push(`${p} -> ${dep} (${found ?? 'not installed'})`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('has no native addon (a package made on any OS runs on the Linux workers) and is much smaller than the full tree', () => {
    expect(plan.nativeAddons).toEqual([]);
    expect(plan.packages.length).toBeLessThan(Object.keys((JSON.parse(fs.readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')) as { packages: object }).packages).length / 2);
    expect(plan.bytes).toBeLessThan(200 * 1024 * 1024);
  });
});

describe('the app the package holds', () => {
  it('loads nothing from the emulator (left out of the package): the import graph of src/index.ts stays in src/ and infra/', () => {
    const seen = new Set<string>();
    const queue = [path.join(ROOT, 'src', 'index.ts')];
    const outside: string[] = [];
    while (queue.length) {
      const file = queue.pop()!;
      if (seen.has(file)) continue;
      seen.add(file);
      const text = fs.readFileSync(file, 'utf8');
      for (const m of text.matchAll(/(?:from\s+|require\(|import\()\s*['"](\.[^'"]+)['"]/g)) {
        const base = path.resolve(path.dirname(file), m[1]!);
        const target = [`${base}.ts`, path.join(base, 'index.ts'), base].find((c) => fs.existsSync(c) && fs.statSync(c).isFile());
        if (!target) continue;
        const rel = path.relative(ROOT, target).split(path.sep).join('/');
        if (!rel.startsWith('src/') && !/^infra\/[^/]+\.json$/.test(rel)) outside.push(`${path.relative(ROOT, file)} -> ${rel}`);
        if (target.endsWith('.ts')) queue.push(target);
      }
    }
    expect(seen.size).toBeGreaterThan(20);
    expect(outside).toEqual([]);
  });
});

describe('writePackage', () => {
  let root: string;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'autopilot-package-'));
    const write = (rel: string, text: string) => {
      fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      fs.writeFileSync(path.join(root, rel), text);
    };
    write('package.json', JSON.stringify({ name: 'app', main: 'dist/src/index.js', scripts: { build: 'tsc' }, dependencies: { a: '1' }, devDependencies: { d: '1' } }));
    write(
      'package-lock.json',
      JSON.stringify({
        lockfileVersion: 3,
        packages: {
          '': { name: 'app' },
          'node_modules/a': { version: '1.0.0' },
          'node_modules/a/node_modules/b': { version: '2.0.0' },
          'node_modules/a/node_modules/c': { version: '1.0.0', dev: true },
          'node_modules/d': { version: '1.0.0', dev: true },
          'node_modules/o': { version: '1.0.0', optional: true },
          'node_modules/e': { version: '1.0.0', devOptional: true },
        },
      }),
    );
    write('host.json', '{"version":"2.0"}');
    write('dist/src/index.js', 'module.exports = 1;');
    write('dist/src/index.js.map', '{}');
    write('dist/infra/event-filters.json', '{}');
    write('dist/emulator/server.js', '');
    for (const p of ['a', 'a/node_modules/b', 'a/node_modules/c', 'd', 'e']) write(`node_modules/${p}/package.json`, '{}');
    write('node_modules/a/lib/index.js', '');
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  const tree = (dir: string): string[] =>
    fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? tree(path.join(dir, e.name)).map((f) => `${e.name}/${f}`) : [e.name])).sort();

  it('copies the app, the manifests and exactly the production packages (nested ones included, dev-only nested ones not)', () => {
    const out = path.join(root, 'deploy-package');
    expect(packageApp.writePackage(root, out)).toEqual({ packages: 2 });
    expect(tree(out)).toEqual(
      [
        'dist/infra/event-filters.json',
        'dist/src/index.js',
        'host.json',
        'node_modules/a/lib/index.js',
        'node_modules/a/node_modules/b/package.json',
        'node_modules/a/package.json',
        'package-lock.json',
        'package.json',
      ].sort(),
    );
    expect(JSON.parse(fs.readFileSync(path.join(out, 'package.json'), 'utf8'))).toEqual({ name: 'app', main: 'dist/src/index.js', dependencies: { a: '1' } });
  });

  it('refuses to package before the build, and a production package missing from node_modules', () => {
    fs.rmSync(path.join(root, 'dist'), { recursive: true });
    expect(() => packageApp.writePackage(root, path.join(root, 'out'))).toThrow(/run `npm run build` first/);
    fs.mkdirSync(path.join(root, 'dist', 'src'), { recursive: true });
    fs.writeFileSync(path.join(root, 'dist', 'src', 'index.js'), '');
    fs.rmSync(path.join(root, 'node_modules', 'a'), { recursive: true });
    expect(() => packageApp.writePackage(root, path.join(root, 'out'))).toThrow(/node_modules\/a is in the lock file but not installed/);
  });
});
