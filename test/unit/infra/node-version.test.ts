/**
 * One supported Node.js version, said the same way everywhere: package.json engines, the Flex Consumption
 * runtime in infra/, the README, and the version CI runs the suite on (.ci/run sources .ci/node22.sh, which
 * sets AUTOPILOT_EXPECT_NODE_MAJOR so that this suite fails when it is not running on that version).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..', '..', '..');
const read = (p: string) => fs.readFileSync(path.join(ROOT, p), 'utf8');
const SUPPORTED_MAJOR = '22';

describe('the supported Node.js version', () => {
  it('is what package.json engines accepts (22 only: Node 20 reached end of life on 2026-04-30)', () => {
    const pkg = JSON.parse(read('package.json')) as { engines: { node: string }; devDependencies: Record<string, string> };
    expect(pkg.engines.node).toBe(`>=${SUPPORTED_MAJOR} <${Number(SUPPORTED_MAJOR) + 1}`);
    // Types of the same major, so that code cannot use an API the runtime does not have.
    expect(pkg.devDependencies['@types/node']).toMatch(new RegExp(`^\\^${SUPPORTED_MAJOR}\\.`));
    const lock = JSON.parse(read('package-lock.json')) as { packages: Record<string, { engines?: { node: string } }> };
    expect(lock.packages['']?.engines?.node).toBe(pkg.engines.node);
  });

  it('is what the README says', () => {
    const readme = read('README.md');
    expect(readme).toMatch(new RegExp(`Node\\.js ${SUPPORTED_MAJOR}\\b`));
    expect(readme).not.toMatch(/Node(\.js)? 20 or 22/);
  });

  it('is what CI installs and runs every step on', () => {
    const run = read('.ci/run');
    // The first line that runs each command (comments aside).
    const lineOf = (command: string) => run.split('\n').findIndex((l) => l.trimStart().startsWith(command));
    const setup = lineOf('. .ci/node22.sh');
    expect(setup).toBeGreaterThan(0);
    // before npm ci, lint, build and the tests
    for (const step of ['npm ci', 'npm run lint', 'npm run build', 'npm test']) {
      expect({ step, after: lineOf(step) > setup }).toEqual({ step, after: true });
    }
    const script = read('.ci/node22.sh');
    expect(script).toMatch(/npm install [^\n]*node@22/);
    expect(script).toMatch(/export AUTOPILOT_EXPECT_NODE_MAJOR=22/);
  });

  const expected = process.env.AUTOPILOT_EXPECT_NODE_MAJOR;
  (expected ? it : it.skip)('is the version this suite is running on (set by CI)', () => {
    expect(process.versions.node.split('.')[0]).toBe(expected);
    expect(expected).toBe(SUPPORTED_MAJOR);
  });
});
