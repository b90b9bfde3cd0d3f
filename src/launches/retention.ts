import type { AuditLaunch, LaunchMonthSource } from './launch';
import type { LaunchStore } from './launchStore';
import { deleteRetired } from './monthCompaction';

/**
 * PASSLENS_LAUNCH_RETENTION_MONTHS as every reader of the launch store sees it: a month
 * older than the retention is never answered from, even in the moment before the next
 * prune deletes it (the bot prunes at start and at each collection, the CLI on each live
 * run), so what docs/security.md says is kept is all that can be shown.
 */

/** The oldest month kept (YYYY-MM) at `now` with `months` of retention; the current month counts as one. */
export function oldestKeptMonth(now: Date, months: number): string {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - (months - 1), 1)).toISOString().slice(0, 7);
}

/** The retention in words, for a note or an error: "the current month only", "the last 13 months". */
export function retentionWords(months: number): string {
  return months === 1 ? 'the current month only' : `the last ${months} months, the current one included`;
}

async function* nothing<T>(): AsyncIterable<T> {}

/** `source` without the months older than the retention at `now()`. */
export function withinRetention(source: LaunchMonthSource, months: number, now: () => Date = () => new Date()): LaunchMonthSource {
  const kept = (month: string) => month >= oldestKeptMonth(now(), months);
  const view: LaunchMonthSource = {
    months: async () => (await source.months()).filter(kept),
    coverage: async (month) => (kept(month) ? source.coverage(month) : null),
    launches: (month) => (kept(month) ? source.launches(month) : nothing<AuditLaunch>()),
  };
  if (source.launchBatches) view.launchBatches = (month) => (kept(month) ? source.launchBatches!(month) : nothing<AuditLaunch[]>());
  if (source.launchLines) view.launchLines = async (month, visit) => (kept(month) ? source.launchLines!(month, visit) : 0);
  return view;
}

/**
 * Deletes the months older than the retention: their day items and compacted items
 * (LaunchStore.prune), and what compactions replaced of them, which otherwise waits for
 * the collector's next compaction (monthCompaction.ts, RETIRED_MS) and, with the reader
 * off, would wait forever. No read of a pruned month begins any more, so they go at once.
 * Returns the keys deleted.
 */
export async function pruneLaunches(store: LaunchStore, now: Date, months: number): Promise<string[]> {
  const gone = await store.prune(now, months);
  const oldest = oldestKeptMonth(now, months);
  const retired = await deleteRetired(store, now, (r) => r.periods.every((p) => p.chunks.every((c) => c.month < oldest)) && (!r.compacted || r.compacted.month < oldest));
  return [...gone, ...retired];
}
