/**
 * Private endpoint -> cache inventory. A "private endpoint deleted" event carries only the endpoint's id, and the
 * endpoint can no longer be read, so the cache it served is looked up here. Sweeps and workflows keep it current.
 * One document per endpoint (keyed by a hash of the lower-cased id): concurrent writers never overwrite each other.
 */
import { createHash } from 'node:crypto';
import type { DocumentStore } from './document-store';

export interface InventoryEntry {
  privateEndpointId: string;
  cacheId: string;
  /** When the mapping was last seen (ISO time). */
  seenAt: string;
}

export class EndpointInventory {
  constructor(private readonly store: DocumentStore, private readonly prefix = 'inventory/private-endpoints') {}

  private key(privateEndpointId: string): string {
    const hash = createHash('sha256').update(privateEndpointId.toLowerCase()).digest('hex').slice(0, 40);
    return `${this.prefix}/${hash}.json`;
  }

  async lookup(privateEndpointId: string): Promise<InventoryEntry | undefined> {
    const text = await this.store.read(this.key(privateEndpointId));
    return text ? (JSON.parse(text) as InventoryEntry) : undefined;
  }

  async record(entries: Array<{ privateEndpointId: string; cacheId: string }>, seenAt: string): Promise<number> {
    let written = 0;
    for (const e of entries) {
      const existing = await this.lookup(e.privateEndpointId);
      if (existing && existing.cacheId.toLowerCase() === e.cacheId.toLowerCase()) continue;
      await this.store.write(this.key(e.privateEndpointId), JSON.stringify({ ...e, seenAt }));
      written++;
    }
    return written;
  }
}
