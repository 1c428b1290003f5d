/** Progress lines on stderr: `label [k/n] what it does` from an orchestration's custom status. */
export interface ProgressStatus {
  step?: number;
  of?: number;
  doing?: string;
  /** Sweeps: caches done of caches known (the phase total stays stable). */
  items?: { done: number; total: number };
}

export function formatProgress(label: string, p: ProgressStatus | undefined): string {
  if (!p?.doing) return '';
  const items = p.items && p.items.total > 0 ? ` (${p.items.done}/${p.items.total})` : '';
  return `${label} [${p.step}/${p.of}] ${p.doing}${items}`;
}
