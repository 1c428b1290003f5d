/**
 * Private endpoint -> cache inventory. A "private endpoint deleted" event carries only the endpoint's id, and the
 * endpoint can no longer be read, so the cache it served is looked up here. Sweeps and workflows keep it current.
 * `seenAt` is when the mapping was last written (a sweep writes only mappings that changed).
 */
import { createHash } from 'node:crypto';
import type { DocumentStore } from './document-store';

export interface InventoryEntry {
  privateEndpointId: string;
  cacheId: string;
  /** When the mapping was last seen (ISO time). */
  seenAt: string;
}

/** Buckets of the sweep's inventory (by the first byte of the id's hash). */
export const INVENTORY_BUCKETS = 64;

type Bucket = Record<string, InventoryEntry>;

/** Runs `fn` over `items`, at most `limit` at a time. */
async function eachLimited<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/**
 * Two kinds of documents:
 * - one per endpoint (`record`), written by workflows: concurrent writers never overwrite each other;
 * - 64 bucket documents (`recordSweep`), written only by the compliance sweep (a singleton whose pages run one
 *   after the other): a sweep writes only the buckets whose mappings changed, so a sweep of an unchanged estate
 *   writes nothing, and reads each bucket at most once per process (kept in memory) plus once before each write
 *   of a bucket it already knew.
 * `lookup` reads both and answers the most recent mapping.
 */
export class EndpointInventory {
  /** Bucket contents this process has read or written: lower-case endpoint id -> entry. */
  private readonly known = new Map<number, Map<string, InventoryEntry>>();

  constructor(private readonly store: DocumentStore, private readonly prefix = 'inventory/private-endpoints') {}

  private static hash(privateEndpointId: string): string {
    return createHash('sha256').update(privateEndpointId.toLowerCase()).digest('hex');
  }

  private key(privateEndpointId: string): string {
    return `${this.prefix}/${EndpointInventory.hash(privateEndpointId).slice(0, 40)}.json`;
  }

  static bucketOf(privateEndpointId: string): number {
    return parseInt(EndpointInventory.hash(privateEndpointId).slice(0, 2), 16) % INVENTORY_BUCKETS;
  }

  private bucketKey(bucket: number): string {
    return `${this.prefix}/buckets/${String(bucket).padStart(2, '0')}.json`;
  }

  private async readBucket(bucket: number): Promise<Map<string, InventoryEntry>> {
    const text = await this.store.read(this.bucketKey(bucket));
    const parsed = text ? (JSON.parse(text) as Bucket) : {};
    const map = new Map(Object.entries(parsed));
    this.known.set(bucket, map);
    return map;
  }

  async lookup(privateEndpointId: string): Promise<InventoryEntry | undefined> {
    const [text, bucket] = await Promise.all([
      this.store.read(this.key(privateEndpointId)),
      this.readBucket(EndpointInventory.bucketOf(privateEndpointId)),
    ]);
    const single = text ? (JSON.parse(text) as InventoryEntry) : undefined;
    const swept = bucket.get(privateEndpointId.toLowerCase());
    if (!single) return swept;
    if (!swept) return single;
    return swept.seenAt > single.seenAt ? swept : single;
  }

  /** One document per endpoint, read then written when the mapping changed (workflows). */
  async record(entries: Array<{ privateEndpointId: string; cacheId: string }>, seenAt: string): Promise<number> {
    let written = 0;
    for (const e of entries) {
      const text = await this.store.read(this.key(e.privateEndpointId));
      const existing = text ? (JSON.parse(text) as InventoryEntry) : undefined;
      if (existing && existing.cacheId.toLowerCase() === e.cacheId.toLowerCase()) continue;
      await this.store.write(this.key(e.privateEndpointId), JSON.stringify({ ...e, seenAt }));
      written++;
    }
    return written;
  }

  /**
   * The sweep's mappings: only what changed is written (a bucket document per changed bucket). Returns the number
   * of mappings that changed and the document operations it took.
   */
  async recordSweep(entries: Array<{ privateEndpointId: string; cacheId: string }>, seenAt: string): Promise<{ changed: number; reads: number; writes: number }> {
    const byBucket = new Map<number, Array<{ privateEndpointId: string; cacheId: string }>>();
    for (const e of entries) {
      const b = EndpointInventory.bucketOf(e.privateEndpointId);
      const list = byBucket.get(b);
      if (list) list.push(e);
      else byBucket.set(b, [e]);
    }
    let reads = 0;
    let writes = 0;
    let changed = 0;
    await eachLimited([...byBucket.entries()], 8, async ([bucket, list]) => {
      let known = this.known.get(bucket);
      let justRead = false;
      if (!known) {
        known = await this.readBucket(bucket);
        reads++;
        justRead = true;
      }
      const delta = list.filter((e) => known!.get(e.privateEndpointId.toLowerCase())?.cacheId.toLowerCase() !== e.cacheId.toLowerCase());
      if (delta.length === 0) return;
      // Read again right before writing (unless just read): another instance may have written this bucket for an
      // earlier page.
      let fresh = known;
      if (!justRead) {
        fresh = await this.readBucket(bucket);
        reads++;
      }
      for (const e of delta) fresh.set(e.privateEndpointId.toLowerCase(), { privateEndpointId: e.privateEndpointId, cacheId: e.cacheId, seenAt });
      await this.store.write(this.bucketKey(bucket), JSON.stringify(Object.fromEntries(fresh)));
      writes++;
      changed += delta.length;
    });
    return { changed, reads, writes };
  }
}
