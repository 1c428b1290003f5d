/** What counts as an ARM write in the emulator's request log, and a fault that makes every such write fail. */
import type { EmulatorControl } from '../../emulator/core/control';
import type { RequestLogEntry } from '../../emulator/core/request-log';

/** POSTs that only read: Resource Graph queries and key listings. */
const READ_POST = /\/providers\/Microsoft\.ResourceGraph\/resources$|\/listKeys$/i;

export function isArmWrite(r: Pick<RequestLogEntry, 'method' | 'path'>): boolean {
  if (r.path.startsWith('/_emulator')) return false;
  const m = r.method.toUpperCase();
  if (m === 'GET' || m === 'HEAD' || m === 'OPTIONS') return false;
  return !(m === 'POST' && READ_POST.test(r.path));
}

/** Every write attempt (any status), as `METHOD path (status)`. */
export function armWrites(requests: RequestLogEntry[]): string[] {
  return requests.filter(isArmWrite).map((r) => `${r.method} ${r.path} (${r.status})`);
}

/** Makes every PUT, PATCH, DELETE and writing POST fail with 500 `DryRunWriteAttempt` (so a write cannot succeed). */
export function failEveryArmWrite(control: EmulatorControl): void {
  for (const method of ['PUT', 'PATCH', 'DELETE']) {
    control.injectFault({ method, pathPattern: '.', status: 500, code: 'DryRunWriteAttempt', message: 'a dry run attempted a write', count: 1_000_000 });
  }
  control.injectFault({
    method: 'POST',
    pathPattern: '^(?!.*(/providers/Microsoft\\.ResourceGraph/resources|/listKeys)$)',
    status: 500,
    code: 'DryRunWriteAttempt',
    message: 'a dry run attempted a write',
    count: 1_000_000,
  });
}
