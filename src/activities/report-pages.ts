/**
 * The sweep report's parts: one document per inventory page (written by the page's triage, updated once when its
 * remediations finish), merged at the end of the sweep. Shared by `evaluate-cache-page` and `write-report`.
 */
import type { Dependencies } from '../azure/dependencies';
import type { CacheReportEntry } from './write-report';

export type { CacheReportEntry };

export function pagePath(sweepId: string, page: number): string {
  return `reports/${sweepId}/page-${String(page).padStart(5, '0')}.json`;
}

/** The page's document as stored (a JSON array of entries, one line per entry), or undefined. */
export async function readPageText(deps: Pick<Dependencies, 'documents'>, sweepId: string, page: number): Promise<string | undefined> {
  return deps.documents.read(pagePath(sweepId, page));
}

export async function readPage(deps: Pick<Dependencies, 'documents'>, sweepId: string, page: number): Promise<CacheReportEntry[]> {
  const text = await readPageText(deps, sweepId, page);
  return text ? (JSON.parse(text) as CacheReportEntry[]) : [];
}

/** One entry per line, so the merged report can splice pages without parsing them again. */
export function pageText(entries: CacheReportEntry[]): string {
  return entries.length === 0 ? '[]' : `[\n${entries.map((e) => JSON.stringify(e)).join(',\n')}\n]`;
}

export async function writePage(deps: Pick<Dependencies, 'documents'>, sweepId: string, page: number, entries: CacheReportEntry[]): Promise<void> {
  await deps.documents.write(pagePath(sweepId, page), pageText(entries));
}
