import type { ArmResource, ResourceStore } from './types';
import { parseResourceId } from './ids';

const clone = <T>(v: T): T => structuredClone(v);

/** An explicitly seeded resource group (resource groups also exist implicitly when a resource lives in them). */
export interface ResourceGroupEntry {
  subscriptionId: string;
  name: string;
  location?: string;
}

/**
 * In-memory ARM state. Ids compare case-insensitively and keep the casing they were stored with.
 * Every read returns a deep copy and every write stores one: mutate a resource by `put`ting it back.
 * Insertion order is kept (lists come back in creation order, like a fresh ARM list).
 */
export class MemoryStore implements ResourceStore {
  private readonly resources = new Map<string, ArmResource>();
  private readonly groups = new Map<string, ResourceGroupEntry>();
  /** `<parent id>/<child type>` (lower-case) -> keys of the direct children of that type, in insertion order. */
  private readonly byParent = new Map<string, Set<string>>();
  /** Lower-case type -> keys of the resources of that type, in insertion order. */
  private readonly byType = new Map<string, Set<string>>();

  private static parentKey(key: string): string {
    return key.slice(0, key.lastIndexOf('/'));
  }

  private indexAdd(key: string, type: string): void {
    const t = type.toLowerCase();
    let keys = this.byType.get(t);
    if (!keys) this.byType.set(t, (keys = new Set()));
    keys.add(key);
    const pk = MemoryStore.parentKey(key);
    let set = this.byParent.get(pk);
    if (!set) this.byParent.set(pk, (set = new Set()));
    set.add(key);
  }

  private indexRemove(key: string, type: string): void {
    this.byType.get(type.toLowerCase())?.delete(key);
    const pk = MemoryStore.parentKey(key);
    const set = this.byParent.get(pk);
    if (!set) return;
    set.delete(key);
    if (set.size === 0) this.byParent.delete(pk);
  }

  get(id: string): ArmResource | undefined {
    const r = this.resources.get(id.toLowerCase());
    return r ? clone(r) : undefined;
  }

  has(id: string): boolean {
    return this.resources.has(id.toLowerCase());
  }

  put(resource: ArmResource): ArmResource {
    if (!resource || typeof resource.id !== 'string' || !resource.id.startsWith('/')) {
      throw new Error(`store.put: resource without a valid id: ${JSON.stringify(resource?.id)}`);
    }
    const key = resource.id.toLowerCase();
    const existing = this.resources.get(key);
    // Keep the casing of the id the resource was first stored with (ARM keeps the creation casing).
    const stored = clone({ ...resource, id: existing ? existing.id : resource.id });
    this.resources.set(key, stored);
    if (existing && existing.type.toLowerCase() !== stored.type.toLowerCase()) this.indexRemove(key, existing.type);
    this.indexAdd(key, stored.type);
    return clone(stored);
  }

  delete(id: string): boolean {
    const key = id.toLowerCase();
    const prefix = `${key}/`;
    const own = this.resources.get(key);
    const existed = this.resources.delete(key);
    if (own) this.indexRemove(key, own.type);
    for (const [k, r] of [...this.resources.entries()]) {
      if (k.startsWith(prefix)) {
        this.resources.delete(k);
        this.indexRemove(k, r.type);
      }
    }
    return existed;
  }

  children(parentId: string, childType: string): ArmResource[] {
    const keys = this.byParent.get(`${parentId.toLowerCase()}/${childType.toLowerCase()}`);
    const out: ArmResource[] = [];
    for (const k of keys ?? []) {
      const r = this.resources.get(k);
      if (r) out.push(clone(r));
    }
    return out;
  }

  list(type?: string): ArmResource[] {
    const out: ArmResource[] = [];
    for (const r of this.scan(type)) out.push(clone(r));
    return out;
  }

  /**
   * The stored resources (of a type, through the type index), WITHOUT copies: for read-only derivations over many
   * resources (a subnet's users, a zone's record count, Resource Graph rows). Never mutate what it yields.
   */
  *scan(type?: string): IterableIterator<Readonly<ArmResource>> {
    if (!type) {
      yield* this.resources.values();
      return;
    }
    for (const k of this.byType.get(type.toLowerCase()) ?? []) {
      const r = this.resources.get(k);
      if (r) yield r;
    }
  }

  /** How many direct children of that type `parentId` has (no copies). */
  childCount(parentId: string, childType: string): number {
    return this.byParent.get(`${parentId.toLowerCase()}/${childType.toLowerCase()}`)?.size ?? 0;
  }

  /** Copies of the direct children of that type from `offset`, at most `limit` (a list page without copying the rest). */
  childrenSlice(parentId: string, childType: string, offset: number, limit: number): ArmResource[] {
    const keys = this.byParent.get(`${parentId.toLowerCase()}/${childType.toLowerCase()}`);
    const out: ArmResource[] = [];
    if (!keys) return out;
    let i = 0;
    for (const k of keys) {
      if (i++ < offset) continue;
      if (out.length >= limit) break;
      const r = this.resources.get(k);
      if (r) out.push(clone(r));
    }
    return out;
  }

  /** Resources of a type in one subscription (and resource group when given). */
  listIn(type: string, subscriptionId: string, resourceGroupName?: string): ArmResource[] {
    const prefix = resourceGroupName
      ? `/subscriptions/${subscriptionId}/resourcegroups/${resourceGroupName}/`.toLowerCase()
      : `/subscriptions/${subscriptionId}/`.toLowerCase();
    return this.list(type).filter((r) => r.id.toLowerCase().startsWith(prefix));
  }

  addResourceGroup(entry: ResourceGroupEntry): void {
    this.groups.set(`${entry.subscriptionId}/${entry.name}`.toLowerCase(), { ...entry });
  }

  resourceGroups(): ResourceGroupEntry[] {
    const seen = new Map(this.groups);
    for (const r of this.resources.values()) {
      const p = parseResourceId(r.id);
      if (!p?.resourceGroupName) continue;
      const key = `${p.subscriptionId}/${p.resourceGroupName}`.toLowerCase();
      if (!seen.has(key)) seen.set(key, { subscriptionId: p.subscriptionId, name: p.resourceGroupName });
    }
    return [...seen.values()].map((g) => ({ ...g }));
  }

  resourceGroupExists(subscriptionId: string, resourceGroupName: string): boolean {
    if (this.groups.has(`${subscriptionId}/${resourceGroupName}`.toLowerCase())) return true;
    const prefix = `/subscriptions/${subscriptionId}/resourcegroups/${resourceGroupName}/`.toLowerCase();
    for (const k of this.resources.keys()) if (k.startsWith(prefix)) return true;
    return false;
  }

  snapshot(): ArmResource[] {
    return [...this.resources.values()].map(clone);
  }

  restore(resources: ArmResource[]): void {
    this.resources.clear();
    this.byParent.clear();
    this.byType.clear();
    for (const r of resources) this.put(r);
  }

  /** Drops every resource and every explicit resource group. */
  clear(): void {
    this.resources.clear();
    this.byParent.clear();
    this.byType.clear();
    this.groups.clear();
  }

  get size(): number {
    return this.resources.size;
  }
}
