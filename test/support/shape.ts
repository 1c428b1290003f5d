/**
 * Compares a wire body the emulator sent with a real payload recorded by Microsoft: keys, JSON types and enum
 * values. Every key of `expected` must exist in `actual` with the same JSON type, recursively (arrays: their first
 * elements); where a key is an enum of the ARM API (by the end of its path), the actual value must be one of the
 * enum's values. One implementation for every fidelity test.
 */

/** Enum values by key path suffix (case-insensitive values), from the REST API specs of the services. */
export const ARM_ENUMS: Record<string, string[]> = {
  provisioningState: ['Succeeded', 'Failed', 'Canceled', 'Creating', 'Updating', 'Deleting', 'Provisioning', 'Linking', 'Unlinking', 'Scaling', 'Disabled', 'Enabling', 'Disabling', 'RecoveringScaleFailure', 'Unprovisioning', 'ConfiguringAAD', 'Running'],
  'privateLinkServiceConnectionState.status': ['Approved', 'Pending', 'Rejected', 'Disconnected'],
  publicNetworkAccess: ['Enabled', 'Disabled'],
  privateEndpointNetworkPolicies: ['Enabled', 'Disabled', 'NetworkSecurityGroupEnabled', 'RouteTableEnabled'],
  privateLinkServiceNetworkPolicies: ['Enabled', 'Disabled'],
  serverRole: ['Primary', 'Secondary'],
  virtualNetworkLinkState: ['InProgress', 'Completed'],
  minimumTlsVersion: ['1.0', '1.1', '1.2'],
  'sku.family': ['C', 'P'],
  resourceState: ['Running', 'Creating', 'CreateFailed', 'Updating', 'UpdateFailed', 'Deleting', 'DeleteFailed', 'Enabling', 'EnableFailed', 'Disabling', 'DisableFailed', 'Disabled', 'Scaling', 'ScalingFailed'],
  clientProtocol: ['Encrypted', 'Plaintext'],
  clusteringPolicy: ['EnterpriseCluster', 'OSSCluster', 'NoCluster'],
  evictionPolicy: ['AllKeysLFU', 'AllKeysLRU', 'AllKeysRandom', 'VolatileLRU', 'VolatileLFU', 'VolatileTTL', 'VolatileRandom', 'NoEviction'],
};

function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

function enumFor(path: string): string[] | undefined {
  const clean = path.replace(/\[\d+\]/g, '');
  for (const [suffix, values] of Object.entries(ARM_ENUMS)) {
    if (clean === suffix || clean.endsWith(`.${suffix}`)) return values;
  }
  return undefined;
}

export interface ShapeOptions {
  /** Paths to skip (e.g. 'properties.accessKeys', '[0].zone'); written without a root marker. */
  ignore?: string[];
  /** A non-empty array in `expected` needs a non-empty array in `actual` (default true). */
  nonEmptyArrays?: boolean;
}

export function shapeDiff(expected: unknown, actual: unknown, options: ShapeOptions = {}, path = ''): string[] {
  const ignore = options.ignore ?? [];
  if (path && ignore.includes(path)) return [];
  const where = path || '(root)';
  const te = jsonType(expected);
  const ta = jsonType(actual);
  if (te !== ta) return [`${where}: expected ${te}, got ${ta}`];
  if (te === 'string') {
    const values = enumFor(path);
    if (values && !values.some((v) => v.toLowerCase() === String(actual).toLowerCase())) {
      return [`${where}: '${String(actual)}' is not one of ${values.join(', ')}`];
    }
    return [];
  }
  if (te === 'array') {
    const e = expected as unknown[];
    const a = actual as unknown[];
    if (e.length === 0) return [];
    if (a.length === 0) return options.nonEmptyArrays === false ? [] : [`${where}: expected a non-empty array`];
    return shapeDiff(e[0], a[0], options, `${path}[0]`);
  }
  if (te !== 'object') return [];
  const out: string[] = [];
  for (const [k, v] of Object.entries(expected as Record<string, unknown>)) {
    const p = path ? `${path}.${k}` : k;
    if (ignore.includes(p)) continue;
    if (!(k in (actual as Record<string, unknown>))) out.push(`${p}: missing`);
    else out.push(...shapeDiff(v, (actual as Record<string, unknown>)[k], options, p));
  }
  return out;
}
