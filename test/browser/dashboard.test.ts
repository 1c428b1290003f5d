/// <reference lib="dom" />
/**
 * The dashboard in a real browser (Debian's chromium driven by playwright-core), served by the app's own
 * functions on the embedded host after a compliance sweep of the demo estate in audit mode (so the orphaned
 * Premium stays unreachable). Asserts what is drawn, and writes screenshots under test/artifacts/ for review.
 */
import path from 'node:path';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startLocalHost, type LocalHost } from '../../src/local/host';
import { createDependencies, setDependencies } from '../../src/azure/dependencies';
import { MemoryDocumentStore } from '../../src/azure/document-store';
import { parsePolicy } from '../../src/policy/policy-schema';
import { SWEEP_INSTANCE_ID } from '../../src/functions/start-or-signal';
import { startTestEmulator, type TestEmulator } from '../support/emulator';

const root = path.join(__dirname, '..', '..');
const artifacts = path.join(root, 'test', 'artifacts');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const demoPolicy = JSON.parse(readFileSync(path.join(root, 'examples', 'policy.demo.json'), 'utf8'));

let t: TestEmulator;
let host: LocalHost;
let browser: Browser;
let page: Page;
let report: any;
let documents: MemoryDocumentStore;

beforeAll(async () => {
  t = await startTestEmulator(path.join(root, 'emulator', 'estates', 'demo.json'));
  documents = new MemoryDocumentStore();
  setDependencies(createDependencies({ clients: t.clients, documents }));
  const policy = parsePolicy({ ...demoPolicy, mode: 'audit' });
  host = await startLocalHost({
    clock: 'virtual',
    enableTimers: false,
    env: { AUTOPILOT_POLICY: JSON.stringify(policy), AUTOPILOT_POLL_INTERVAL_SECONDS: '5', AUTOPILOT_AUTH: 'disabled', AUTOPILOT_REQUIRE_PRINCIPAL: 'false' },
  });
  await host.runFunction('timerComplianceSweep');
  const done = await host.waitForCompletion(SWEEP_INSTANCE_ID, { timeoutMs: 120_000 });
  expect(done.runtimeStatus).toBe('Completed');
  report = JSON.parse((await documents.read('reports/latest.json'))!);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  mkdirSync(artifacts, { recursive: true });
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await host?.stop();
  setDependencies(undefined);
  await t?.close();
});

it('the chromium the tests drive is installed', () => {
  expect(existsSync(CHROMIUM)).toBe(true);
});

it('serves the page and the data from the same app; the overview shows the estate at a glance', async () => {
  const external: string[] = [];
  page.on('request', (r) => {
    if (!r.url().startsWith(host.url)) external.push(r.url());
  });
  const res = await page.goto(`${host.url}/api/dashboard`);
  expect(res?.status()).toBe(200);
  await page.waitForSelector('body[data-loaded="true"]');
  expect(external).toEqual([]); // no CDN, nothing outside the app
  await expect(page.title()).resolves.toMatch(/compliance dashboard/);
  const card = async (name: string) => Number(await page.locator(`[data-card="${name}"] .n`).textContent());
  expect(await card('caches')).toBe(report.caches.length);
  expect(await card('compliant')).toBe(report.summary.compliant);
  expect(await card('non-compliant')).toBe(report.summary.nonCompliant);
  expect(await card('unreachable')).toBeGreaterThanOrEqual(1);
  // findings by rule, caches by tier, a trend chart with a text alternative
  await expect(page.locator('[data-rule="private-endpoint-missing"]').count()).resolves.toBe(1);
  await expect(page.locator('#tiers tbody tr').count()).resolves.toBeGreaterThanOrEqual(4);
  await expect(page.locator('#trend-chart desc').textContent()).resolves.toMatch(/compliant/);
  // one row per cache, the unreachable one marked in the table
  await expect(page.locator('#caches tbody tr[data-cache]').count()).resolves.toBe(report.caches.length);
  await expect(page.locator('#row-demo-premium-orphaned [data-unreachable-badge]').count()).resolves.toBe(1);
  // the sweep's workflows with their status
  await expect(page.locator(`#workflows tr[data-instance="${SWEEP_INSTANCE_ID}"]`).textContent()).resolves.toMatch(/Completed/);
  await page.screenshot({ path: path.join(artifacts, 'dashboard-overview.png'), fullPage: true });
});

it('draws every private endpoint of the demo estate in its cache topology, and marks the unreachable cache', async () => {
  await page.goto(`${host.url}/api/dashboard`);
  await page.waitForSelector('body[data-loaded="true"]');
  // every endpoint in the emulator's ARM state, grouped by the cache its connection targets
  const endpoints = t.emu.control.snapshot().filter((r) => /\/privateEndpoints\/[^/]+$/i.test(r.id));
  expect(endpoints.length).toBeGreaterThanOrEqual(2);
  for (const button of await page.locator('[data-show-topology]').all()) await button.click();
  for (const pe of endpoints) {
    const node = page.locator(`[data-node="endpoint"][data-endpoint-id="${pe.id}" i]`);
    await expect(node.count()).resolves.toBe(1);
  }
  const orphan = page.locator('#topology-demo-premium-orphaned');
  await expect(orphan.getAttribute('data-unreachable')).resolves.toBe('true');
  await expect(orphan.locator('[data-node="cache"][data-unreachable="true"]').count()).resolves.toBe(1);
  await expect(orphan.locator('svg title').first().textContent()).resolves.toMatch(/unreachable/);
  // public access as a door: the Standard cache with public access on has it open; the geo pair shows its link
  await expect(page.locator('#topology-demo-std-pe-public [data-node="public-access"]').getAttribute('data-open')).resolves.toBe('true');
  await expect(page.locator('#topology-demo-geo-primary [data-node="geo"]').getAttribute('data-linked')).resolves.toBe('true');
  // the std cache: endpoint IP, DNS zone, and what the name resolves to from its VNet
  const std = page.locator('#topology-demo-std-pe-public');
  await expect(std.locator('[data-node="dns-zone"]').count()).resolves.toBe(1);
  await expect(std.locator('[data-node="resolution"]').first().getAttribute('data-reachable')).resolves.toBe('true');
  await expect(std.locator('svg desc').textContent()).resolves.toMatch(/IP 10\.\d+\.\d+\.\d+/);
  await std.screenshot({ path: path.join(artifacts, 'dashboard-topology-demo-std-pe-public.png') });
  await orphan.screenshot({ path: path.join(artifacts, 'dashboard-topology-demo-premium-orphaned.png') });
});

it('is usable with the keyboard: Tab reaches a topology button and Enter opens it', async () => {
  await page.goto(`${host.url}/api/dashboard`);
  await page.waitForSelector('body[data-loaded="true"]');
  let focused = '';
  for (let i = 0; i < 60 && !focused; i++) {
    await page.keyboard.press('Tab');
    focused = (await page.evaluate(() => document.activeElement?.getAttribute('data-show-topology') ?? '')) as string;
  }
  expect(focused).toMatch(/Microsoft\.Cache/);
  await page.keyboard.press('Enter');
  await expect(page.evaluate(() => document.activeElement?.getAttribute('aria-expanded'))).resolves.toBe('true');
  // every picture has a text alternative
  const missing = await page.evaluate(() => Array.from(document.querySelectorAll('svg[role="img"]')).filter((s) => !s.querySelector('title') || !s.querySelector('desc')).length);
  expect(missing).toBe(0);
});

it('pending decisions have Approve / Reject buttons that post to the decision runbook', async () => {
  const withDecision = structuredClone(report);
  const row = withDecision.caches.find((c: any) => c.id.endsWith('/demo-geo-primary'));
  row.pendingDecisions = [{ instanceId: 'remediate:demo-geo-primary', decision: 'geoUnlink', gate: 'geoUnlink', question: 'Unlink geo-replication of demo-geo-primary to add a private endpoint?' }];
  row.nextMaintenanceWindow = { start: '2026-12-05T02:00:00Z', end: '2026-12-05T04:00:00Z', source: 'policy' };
  await documents.write('reports/latest.json', JSON.stringify(withDecision));
  const posted: Array<{ url: string; body: any }> = [];
  await page.route('**/api/runbooks/decisions/**', async (route) => {
    posted.push({ url: route.request().url(), body: JSON.parse(route.request().postData() ?? '{}') });
    await route.fulfill({ status: 202, contentType: 'application/json', body: '{}' });
  });
  await page.goto(`${host.url}/api/dashboard`);
  await page.waitForSelector('body[data-loaded="true"]');
  const item = page.locator('[data-decision="remediate:demo-geo-primary"]');
  await expect(item.textContent()).resolves.toMatch(/Unlink geo-replication/);
  await item.getByRole('button', { name: /Approve geoUnlink/ }).click();
  await page.waitForFunction(() => /HTTP 202/.test(document.getElementById('status')?.textContent ?? ''));
  expect(posted).toHaveLength(1);
  expect(posted[0].url).toContain('/api/runbooks/decisions/remediate%3Ademo-geo-primary');
  expect(posted[0].body).toMatchObject({ gate: 'geoUnlink', decision: 'approve' });
  await expect(page.locator('#status').textContent()).resolves.toMatch(/approve .*HTTP 202/);
  await page.unroute('**/api/runbooks/decisions/**');
  await documents.write('reports/latest.json', JSON.stringify(report));
});
