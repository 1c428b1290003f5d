import type { EmulatorContext } from '../core/types';

export interface ConnectivityResult {
  cacheId: string;
  from: string;
  hostName: string;
  port: number;
  /** What the host name resolves to from there: an IP, or null (no answer). */
  resolvedAddress: string | null;
  /** 'private' (A record of a linked privatelink zone), 'public', or 'none'. */
  resolution: 'private' | 'public' | 'none';
  /** Whether a TLS connection on the port succeeds. */
  reachable: boolean;
  reason: string;
}

/** Placeholder until the oracle is written. `from` is a virtual network id or 'internet'. */
export function checkConnectivity(_ctx: EmulatorContext, _cacheId: string, _from: string): ConnectivityResult {
  throw new Error('connectivity oracle not implemented yet');
}
