/** The emulator store's indexes: by type (list/scan), children counts and pages, kept right through deletes. */
import { MemoryStore } from '../../../emulator/core/store';

const ZONE = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/privateDnsZones/z.net';
const rec = (n: string) => ({ id: `${ZONE}/A/${n}`, name: n, type: 'Microsoft.Network/privateDnsZones/A', properties: { aRecords: [] } });

describe('MemoryStore indexes', () => {
  it('lists and scans by type (case-insensitive), copies from list only', () => {
    const s = new MemoryStore();
    s.put({ id: ZONE, name: 'z.net', type: 'Microsoft.Network/privateDnsZones', properties: {} });
    for (const n of ['a', 'b', 'c']) s.put(rec(n));
    expect(s.list('microsoft.network/privatednszones/a').map((r) => r.name)).toEqual(['a', 'b', 'c']);
    const scanned = [...s.scan('MICROSOFT.NETWORK/PRIVATEDNSZONES/A')];
    expect(scanned.map((r) => r.name)).toEqual(['a', 'b', 'c']);
    const listed = s.list('Microsoft.Network/privateDnsZones/A')[0]!;
    listed.properties.changed = true;
    expect(s.get(listed.id)!.properties.changed).toBeUndefined();
    expect([...s.scan()].length).toBe(4);
  });

  it('counts and pages children, and forgets deleted ones (also under a deleted parent)', () => {
    const s = new MemoryStore();
    s.put({ id: ZONE, name: 'z.net', type: 'Microsoft.Network/privateDnsZones', properties: {} });
    for (let i = 0; i < 7; i++) s.put(rec(`r${i}`));
    expect(s.childCount(ZONE, 'a')).toBe(7);
    expect(s.childrenSlice(ZONE, 'A', 5, 10).map((r) => r.name)).toEqual(['r5', 'r6']);
    expect(s.childrenSlice(ZONE, 'A', 2, 2).map((r) => r.name)).toEqual(['r2', 'r3']);
    s.delete(`${ZONE}/A/r3`);
    expect(s.childCount(ZONE, 'A')).toBe(6);
    expect(s.list('Microsoft.Network/privateDnsZones/A')).toHaveLength(6);
    s.delete(ZONE);
    expect(s.childCount(ZONE, 'A')).toBe(0);
    expect([...s.scan('Microsoft.Network/privateDnsZones/A')]).toEqual([]);
    expect(s.size).toBe(0);
  });
});
