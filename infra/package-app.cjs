#!/usr/bin/env node
// The deployment package of the function app: production dependencies only, no second build.
//
// azd builds the `api` service once (npm install, then `npm run build`: tsc to dist/), then runs the `package`
// script (this file) and zips the directory azure.yaml names as `dist` (deploy-package/). This script copies
// the compiled app (without the emulator and source maps), host.json, package.json (without scripts and
// devDependencies) and package-lock.json, and from node_modules only the packages the lock file does not mark
// dev or devOptional: the tree `npm ci --omit=dev` installs, taken from what is already installed (no network,
// no second install, the lock file's exact versions). The production dependencies are pure JavaScript (no
// .node addon: test/unit/infra/package-app.test.ts), so a package made on any OS runs on the Linux workers.
//
// Usage: node infra/package-app.cjs [--out <dir>] [--list]
//   --list  print the plan as JSON (packages, bytes, native addons) and copy nothing.
'use strict';

const { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } = require('node:fs');
const { join, relative, resolve, sep } = require('node:path');

/** Lock file entries (node_modules/...) that a production install has. */
function productionPackages(lock) {
  return Object.entries(lock.packages || {})
    .filter(([path, meta]) => path.startsWith('node_modules/') && !meta.dev && !meta.devOptional && !meta.extraneous && !meta.link)
    .map(([path, meta]) => ({ path, version: meta.version, optional: Boolean(meta.optional) }));
}

/** Files under a package directory, its own nested node_modules excluded (they are lock entries of their own). */
function ownFiles(dir) {
  const out = [];
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) {
        if (e.name !== 'node_modules') walk(p);
      } else out.push(p);
    }
  };
  walk(dir);
  return out;
}

/** What goes into the package: the production packages that are installed (optional ones may not be). */
function plan(root) {
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'));
  const packages = productionPackages(lock).filter((p) => {
    const present = existsSync(join(root, p.path, 'package.json'));
    if (!present && !p.optional) throw new Error(`${p.path} is in the lock file but not installed: run \`npm ci\``);
    return present; // an optional package for another platform is simply not installed
  });
  const files = packages.flatMap((p) => ownFiles(join(root, p.path)));
  return {
    packages: packages.map((p) => p.path),
    nativeAddons: files.filter((f) => f.endsWith('.node')).map((f) => relative(root, f)),
    bytes: files.reduce((sum, f) => sum + statSync(f).size, 0),
  };
}

function writePackage(root, out) {
  if (!existsSync(join(root, 'dist', 'src', 'index.js'))) {
    throw new Error('dist/src/index.js is missing: run `npm run build` first (azd does, before `npm run package`)');
  }
  const { packages } = plan(root);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const dist = join(root, 'dist');
  cpSync(dist, join(out, 'dist'), {
    recursive: true,
    // The emulator is never loaded in Azure; source maps are for local debugging.
    filter: (src) => !src.endsWith('.js.map') && relative(dist, src).split(sep)[0] !== 'emulator',
  });
  for (const file of ['host.json', 'package-lock.json']) cpSync(join(root, file), join(out, file));
  // package.json without the development parts: the Functions host reads `main`.
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  delete pkg.devDependencies;
  delete pkg.scripts;
  writeFileSync(join(out, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
  for (const path of packages) {
    const from = join(root, path);
    cpSync(from, join(out, path), {
      recursive: true,
      filter: (src) => src === from || !relative(from, src).split(sep).includes('node_modules'),
    });
  }
  return { packages: packages.length };
}

module.exports = { productionPackages, plan, writePackage };

if (require.main === module) {
  const root = resolve(__dirname, '..');
  const args = process.argv.slice(2);
  const outIndex = args.indexOf('--out');
  const out = resolve(root, outIndex >= 0 ? args[outIndex + 1] : 'deploy-package');
  try {
    if (args.includes('--list')) {
      process.stdout.write(`${JSON.stringify(plan(root), null, 2)}\n`);
    } else {
      const { packages } = writePackage(root, out);
      const size = (p) => (statSync(p).isDirectory() ? readdirSync(p).reduce((sum, n) => sum + size(join(p, n)), 0) : statSync(p).size);
      const mb = size(out) / 1024 / 1024;
      process.stderr.write(`deployment package ${relative(root, out)}: ${packages} production packages, ${mb.toFixed(1)} MB\n`);
    }
  } catch (error) {
    process.stderr.write(`package-app: ${error.message}\n`);
    process.exit(1);
  }
}
