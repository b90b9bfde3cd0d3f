import { randomUUID } from 'node:crypto';
import { CompactedWriter, compactedKey, compactedKeys, type CompactedMonth, type CompactedPart, type EncodedPart } from './compactedMonth';
import { mergeLines } from './launchShards';
import { keysOf, type LaunchIndex, type LaunchStore, type MonthItems, type PeriodEntry } from './launchStore';

/**
 * Writes a settled month of the launch store again as a few large items (compactedMonth.ts):
 * the day items of the periods `select` names (settled: never read again) merged with what
 * was compacted of the month before, so the analysis reads a handful of items instead of
 * one per shard of each day (docs/performance.md, "Launches from the audit log").
 *
 * As a period is collected: the work is claimed in the index on its eTag (of two
 * instances one compacts; a claim not renewed within the lease may be taken over, and
 * what its dead holder wrote is deleted), written under a fresh generation, and made the
 * one read by a conditional write of the compacted months (`launches/compacted`, an item
 * of its own: the code before compaction rewrites the index with the fields it knows, and
 * would drop them from it), unless another compaction of the month committed first (then
 * what was written is deleted). Only then are the month's day items taken out of the
 * periods; until then a read merges both, and a period read again meanwhile keeps its new
 * day items. The items replaced are deleted RETIRED_MS later (deleteRetired), so a read
 * that began before still finds them. Record ids stay with each launch, so records the
 * month gains later still count once.
 */

export interface CompactionOptions {
  instance: string;
  leaseMs: number;
  now: () => Date;
  /** The periods whose day items of the month may be compacted, decided on the index being written. */
  select: (index: LaunchIndex) => PeriodEntry[];
  /** Launches a part is cut at (at the next shard's start). */
  partLaunches?: number;
}

export const compactionClaim = (month: string): string => `compact ${month}`;

/** The month compacted, or null when there was nothing to compact, another instance is at it, or another compaction of it committed first. */
export async function compactMonth(store: LaunchStore, month: string, options: CompactionOptions): Promise<CompactedMonth | null> {
  const { instance } = options;
  const claim = compactionClaim(month);
  const generation = randomUUID().slice(0, 8);
  // Created before any claim, so no creation of it can erase a compaction's entry; the months it holds are read in the same read.
  let before: CompactedMonth[] = [];
  await store.updateCompacted((compacted) => {
    before = compacted.months;
    return null;
  });
  const prior = before.find((c) => c.month === month);
  // Parts a dead holder wrote are its orphans only if it did not get to point the compacted months at them.
  const live = new Set(before.flatMap(compactedKeys));
  const plan = await store.update((index) => {
    const held = index.claims[claim];
    if (held && held.instance !== instance && options.now().getTime() - Date.parse(held.at) < options.leaseMs) return null;
    const inputs = options.select(index).filter((p) => p.chunks.some((c) => c.month === month));
    if (!inputs.length) return null;
    index.claims[claim] = { instance, at: options.now().toISOString(), generation, written: [] };
    const items: MonthItems = {
      month,
      compacted: prior,
      refs: inputs.flatMap((p) => p.chunks.filter((c) => c.month === month).map((ref) => ({ generation: p.generation, ref }))),
    };
    return { inputs: inputs.map((p) => ({ start: p.start, generation: p.generation })), items, orphans: (held?.written ?? []).filter((k) => !live.has(k)) };
  });
  if (!plan) return null;
  if (plan.orphans.length) await store.state.delete(plan.orphans);
  const parts: CompactedPart[] = [];
  const entry: CompactedMonth = { month, generation, shards: 0, parts, compactedAt: '', launches: 0 };
  const written: string[] = [];
  const save = async (encoded: EncodedPart | null): Promise<void> => {
    if (!encoded) return;
    const keys = [compactedKey(entry, parts.length, 'keys'), compactedKey(entry, parts.length, 'detail')];
    parts.push(encoded.part);
    await store.state.write({ [keys[0]]: { data: encoded.keys, eTag: '*' }, [keys[1]]: { data: encoded.detail, eTag: '*' } });
    written.push(...keys);
    if (!(await store.renew(claim, instance, options.now(), keys))) throw new Error('Another instance took the compaction over.');
  };
  let committed = false;
  try {
    const writer = new CompactedWriter(options.partLaunches);
    for await (const cursors of store.shardCursors(plan.items)) {
      let full: EncodedPart | null = null;
      entry.launches += mergeLines(cursors, (line) => (full = writer.add(line, entry.shards) ?? full), month);
      // A part is handed out only at a shard's first launch, so at most one per shard.
      await save(full);
      entry.shards++;
    }
    await save(writer.finish(entry.shards));
    entry.compactedAt = options.now().toISOString();
    // First the compacted months point at the new parts, unless another compaction of the month committed since.
    committed =
      (await store.updateCompacted((compacted) => {
        if (compacted.months.find((c) => c.month === month)?.generation !== prior?.generation) return false;
        compacted.months = [...compacted.months.filter((c) => c.month !== month), entry];
        return true;
      })) === true;
  } finally {
    if (!committed) await store.release(claim, instance, written);
  }
  if (!committed) return null;
  // Then the day items it holds leave the periods, to be deleted later with the parts it replaced. A
  // period read again meanwhile keeps its new day items: read with the parts until the next compaction.
  // (Until this write, a read merges the parts with the day items, and counts nothing twice.)
  await store.update((index) => {
    if (index.claims[claim]?.instance === instance) delete index.claims[claim];
    const retired: Retired = { at: entry.compactedAt, periods: [], ...(prior ? { compacted: prior } : {}) };
    for (const input of plan.inputs) {
      const p = index.periods.find((q) => q.start === input.start && q.generation === input.generation);
      const chunks = p?.chunks.filter((c) => c.month === month) ?? [];
      if (!p || !chunks.length) continue;
      retired.periods.push({ generation: p.generation, chunks });
      p.chunks = p.chunks.filter((c) => c.month !== month);
    }
    index.retired = [...(index.retired ?? []), retired];
    return true;
  });
  return entry;
}

type Retired = NonNullable<LaunchIndex['retired']>[number];

/** How long replaced items outlive a compaction: longer than any read of a month takes. */
export const RETIRED_MS = 10 * 60_000;

/** Deletes the items compactions replaced more than RETIRED_MS before `now` (or those `due` names); returns their keys. */
export async function deleteRetired(store: LaunchStore, now: Date, due: (r: Retired) => boolean = (r) => now.getTime() - Date.parse(r.at) >= RETIRED_MS): Promise<string[]> {
  const gone: string[] = [];
  await store.update((index) => {
    gone.length = 0;
    const old = (index.retired ?? []).filter(due);
    if (!old.length) return null;
    for (const r of old) gone.push(...r.periods.flatMap(keysOf), ...(r.compacted ? compactedKeys(r.compacted) : []));
    index.retired = index.retired!.filter((r) => !old.includes(r));
    return true;
  });
  await store.state.delete(gone);
  return gone;
}
