/**
 * The local host's parts on their own: route templates, the state store, the extension's retry arithmetic,
 * the replay check on hand-made slots, and the virtual clock.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { VirtualClock } from '../../../src/local/host/clock';
import { checkDeterminism, computeRetryDelay, flattenActions, nextTimerSegment } from '../../../src/local/host/replay-rules';
import { compileRoute, matchRoute } from '../../../src/local/host/routes';
import { FileStore, instanceFileName } from '../../../src/local/host/store';
import { ActionType, type InstanceRecord, type Slot } from '../../../src/local/host/types';

describe('route templates', () => {
  const m = (template: string, p: string) => matchRoute(compileRoute(template), p);

  test('parameters, optional parameters, defaults and catch-all', () => {
    expect(m('caches/{name}', 'caches/redis-1')).toEqual({ name: 'redis-1' });
    expect(m('caches/{name}', 'CACHES/redis%2D1')).toEqual({ name: 'redis-1' });
    expect(m('caches/{name}', 'caches')).toBeUndefined();
    expect(m('caches/{name?}', 'caches')).toEqual({});
    expect(m('caches/{name=all}', 'caches')).toEqual({ name: 'all' });
    expect(m('files/{*path}', 'files/a/b/c')).toEqual({ path: 'a/b/c' });
    expect(m('files/{*path}', 'files')).toEqual({});
    expect(m('caches/{name}', 'caches/a/b')).toBeUndefined();
  });

  test('constraints', () => {
    expect(m('items/{id:int}', 'items/12')).toEqual({ id: '12' });
    expect(m('items/{id:int}', 'items/x')).toBeUndefined();
    expect(m('items/{id:guid}', 'items/2d1781af-3a4c-4d7c-bd0c-e34b19da4e66')).toBeDefined();
    expect(m('items/{id:alpha:minlength(3)}', 'items/ab')).toBeUndefined();
    expect(m('items/{id:alpha:minlength(3)}', 'items/abc')).toEqual({ id: 'abc' });
    expect(m('items/{id:regex(^r-\\d+$)}', 'items/r-7')).toEqual({ id: 'r-7' });
  });
});

describe('state store', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'local-host-store-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const record = (instanceId: string): InstanceRecord => ({
    formatVersion: 1,
    instanceId,
    executionId: 'e1',
    name: 'X',
    input: 'null',
    runtimeStatus: 'Running',
    output: null,
    customStatus: null,
    createdTime: '2026-01-01T00:00:00.000Z',
    lastUpdatedTime: '2026-01-01T00:00:00.000Z',
    parent: null,
    history: [],
    inbox: [],
    slots: [],
    nextSequenceId: 0,
    activities: [],
    timers: [],
    outbox: [],
    episodes: 0,
  });

  test('records round-trip; odd ids get safe file names; interrupted writes are discarded', () => {
    const store = new FileStore(dir);
    const ids = ['plain', 'exec:3', '/subscriptions/s/resourceGroups/rg', 'x'.repeat(300)];
    for (const id of ids) store.save(record(id));
    fs.writeFileSync(path.join(dir, 'instances', 'torn.json.123.tmp'), '{"formatVersion":1,');
    store.close();
    const again = new FileStore(dir);
    expect(again.loadAll().map((r) => r.instanceId).sort()).toEqual([...ids].sort());
    expect(fs.readdirSync(path.join(dir, 'instances')).some((f) => f.endsWith('.tmp'))).toBe(false);
    expect(instanceFileName('x'.repeat(300))).toMatch(/^sha256-[0-9a-f]{64}\.json$/);
    expect(instanceFileName('/a/b')).toBe('%2Fa%2Fb.json');
    again.remove('plain');
    expect(again.loadAll().map((r) => r.instanceId)).not.toContain('plain');
    again.close();
  });

  test('a directory held by a live process is refused; a lock left by a dead process is taken over', () => {
    fs.mkdirSync(path.join(dir, 'instances'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'host.lock'), `${process.ppid}\n`);
    expect(() => new FileStore(dir)).toThrow(/in use by process/);
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
    fs.writeFileSync(path.join(dir, 'host.lock'), `${dead}\n`);
    const store = new FileStore(dir);
    expect(fs.readFileSync(path.join(dir, 'host.lock'), 'utf8').trim()).toBe(String(process.pid));
    store.close();
    expect(fs.existsSync(path.join(dir, 'host.lock'))).toBe(false);
  });
});

describe("the extension's rules", () => {
  test('retry delay: first * backoff^attempt, capped; zero once retryTimeout has elapsed', () => {
    const o = { firstRetryIntervalInMilliseconds: 1000, maxNumberOfAttempts: 5, backoffCoefficient: 3, maxRetryIntervalInMilliseconds: 5000 };
    expect([0, 1, 2].map((a) => computeRetryDelay(o, a, 0, 0))).toEqual([1000, 3000, 5000]);
    expect(computeRetryDelay({ ...o, retryTimeoutInMilliseconds: 2000 }, 1, 0, 1999)).toBe(3000);
    expect(computeRetryDelay({ ...o, retryTimeoutInMilliseconds: 2000 }, 1, 0, 2000)).toBe(0);
    expect(computeRetryDelay({ firstRetryIntervalInMilliseconds: 10, maxNumberOfAttempts: 2 }, 4, 0, 0)).toBe(10);
  });

  test('long timers: 3-day segments while more than 6 days remain', () => {
    const day = 24 * 3600_000;
    expect(nextTimerSegment(10 * day, 0)).toBe(3 * day);
    expect(nextTimerSegment(10 * day, 3 * day)).toBe(6 * day);
    expect(nextTimerSegment(10 * day, 6 * day)).toBe(10 * day);
  });

  test('actions are flattened depth-first; waits and continueAsNew take no sequence number', () => {
    const leaves = flattenActions([
      [
        { actionType: ActionType.CallActivity, functionName: 'a' },
        {
          actionType: ActionType.WhenAll,
          compoundActions: [
            { actionType: ActionType.CreateTimer, fireAt: '2026-01-01T00:00:00Z' },
            { actionType: ActionType.WaitForExternalEvent, externalEventName: 'e' },
            { actionType: ActionType.WhenAny, compoundActions: [{ actionType: ActionType.CallSubOrchestrator, functionName: 'c' }] },
          ],
        },
        { actionType: ActionType.ContinueAsNew, input: 1 },
      ],
    ]);
    expect(leaves.map((l) => l.functionName ?? l.actionType)).toEqual(['a', ActionType.CreateTimer, 'c']);
  });

  test('the replay check compares kind and case-insensitive name by position', () => {
    const slots: Slot[] = [
      { kind: 'activity', name: 'GetCache', firstId: 0, currentId: 0 },
      { kind: 'subOrchestration', name: 'Child', firstId: 1, currentId: 1, childInstanceId: 'e:1' },
    ];
    expect(
      checkDeterminism(slots, [
        { actionType: ActionType.CallActivityWithRetry, functionName: 'getcache' },
        { actionType: ActionType.CallSubOrchestrator, functionName: 'CHILD' },
      ]),
    ).toBeUndefined();
    expect(
      checkDeterminism(slots, [
        { actionType: ActionType.CallActivity, functionName: 'GetCache' },
        { actionType: ActionType.CallSubOrchestrator, functionName: 'Other' },
      ]),
    ).toBe(
      "Non-Deterministic workflow detected: A previous execution of this orchestration scheduled a sub-orchestration task with sequence ID 1 and name 'Child' (version '', instance ID 'e:1'), but the current orchestration replay instead scheduled a sub-orchestration task with name Other at this sequence number. Was a change made to the orchestrator code after this instance had already started running?",
    );
    expect(checkDeterminism(slots, [{ actionType: ActionType.CallActivity, functionName: 'GetCache' }])).toMatch(
      /sub-orchestration task with sequence ID 1 .* hasn't \(yet\?\) scheduled this task/,
    );
  });
});

describe('virtual clock', () => {
  const tick = () => new Promise((r) => setImmediate(r));

  test('jumps to the next timer only when the host is idle; pause and advance', async () => {
    const clock = new VirtualClock(1000);
    let busy = true;
    clock.setBusyProbe(() => busy);
    const fired: number[] = [];
    clock.schedule(5000, () => fired.push(clock.now()));
    clock.schedule(3000, () => fired.push(clock.now()));
    await tick();
    await tick();
    expect(fired).toEqual([]);
    expect(clock.now()).toBe(1000);
    busy = false;
    clock.pause();
    clock.poke();
    await tick();
    expect(fired).toEqual([]);
    clock.advance(2500);
    expect(fired).toEqual([3500]);
    clock.resume();
    for (let i = 0; i < 5; i++) await tick();
    expect(fired).toEqual([3500, 5000]);
    clock.dispose();
  });
});
