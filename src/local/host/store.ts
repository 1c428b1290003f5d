/**
 * Durable state of the local host: one JSON file per orchestration instance, written atomically
 * (write a temporary file, then rename it over the old one), so a process killed at any point leaves
 * either the old or the new state of each instance, never a torn file.
 *
 * A lock file (`host.lock`, holding the owner's pid) keeps two live hosts off the same directory; a lock
 * left by a killed process is taken over.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { InstanceRecord } from './types';

export interface DurableStore {
  /** Every persisted instance (called once, at start). */
  loadAll(): InstanceRecord[];
  save(record: InstanceRecord): void;
  remove(instanceId: string): void;
  close(): void;
  /** Directory of the state, or undefined for the in-memory store. */
  readonly location: string | undefined;
}

/** No persistence: state lives as long as the host object. */
export class MemoryStore implements DurableStore {
  readonly location = undefined;
  loadAll(): InstanceRecord[] {
    return [];
  }
  save(): void {}
  remove(): void {}
  close(): void {}
}

const lockedDirs = new Set<string>();

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    // A killed process not yet reaped by its parent (a zombie) still answers signal 0 on Linux.
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true;
  }
}

/** File name of an instance: readable when possible, hashed when the id is too long for a file name. */
export function instanceFileName(instanceId: string): string {
  const encoded = encodeURIComponent(instanceId).replace(/\*/g, '%2A');
  if (encoded.length <= 180 && encoded !== '.' && encoded !== '..') return `${encoded}.json`;
  return `sha256-${crypto.createHash('sha256').update(instanceId).digest('hex')}.json`;
}

export class FileStore implements DurableStore {
  readonly location: string;
  readonly #instancesDir: string;
  readonly #lockFile: string;
  #closed = false;

  constructor(stateDir: string) {
    this.location = path.resolve(stateDir);
    this.#instancesDir = path.join(this.location, 'instances');
    this.#lockFile = path.join(this.location, 'host.lock');
    fs.mkdirSync(this.#instancesDir, { recursive: true });
    this.#acquireLock();
  }

  #acquireLock(): void {
    if (lockedDirs.has(this.location)) {
      throw new Error(`State directory ${this.location} is already used by another local host in this process.`);
    }
    try {
      const owner = Number.parseInt(fs.readFileSync(this.#lockFile, 'utf8').trim(), 10);
      if (Number.isInteger(owner) && owner !== process.pid && isProcessAlive(owner)) {
        throw new Error(`State directory ${this.location} is in use by process ${owner} (${this.#lockFile}).`);
      }
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    fs.writeFileSync(this.#lockFile, `${process.pid}\n`);
    lockedDirs.add(this.location);
  }

  loadAll(): InstanceRecord[] {
    const out: InstanceRecord[] = [];
    for (const entry of fs.readdirSync(this.#instancesDir)) {
      const full = path.join(this.#instancesDir, entry);
      if (entry.endsWith('.tmp')) {
        // A write interrupted before its rename: the previous file (if any) is the committed state.
        fs.rmSync(full, { force: true });
        continue;
      }
      if (!entry.endsWith('.json')) continue;
      const record = JSON.parse(fs.readFileSync(full, 'utf8')) as InstanceRecord;
      if (record.formatVersion !== 1) {
        throw new Error(`${full}: unsupported state format ${String(record.formatVersion)}`);
      }
      out.push(record);
    }
    return out;
  }

  save(record: InstanceRecord): void {
    if (this.#closed) return;
    const file = path.join(this.#instancesDir, instanceFileName(record.instanceId));
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(record));
    fs.renameSync(tmp, file);
  }

  remove(instanceId: string): void {
    if (this.#closed) return;
    fs.rmSync(path.join(this.#instancesDir, instanceFileName(instanceId)), { force: true });
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    lockedDirs.delete(this.location);
    try {
      const owner = Number.parseInt(fs.readFileSync(this.#lockFile, 'utf8').trim(), 10);
      if (owner === process.pid) fs.rmSync(this.#lockFile, { force: true });
    } catch {
      // already gone
    }
  }
}
