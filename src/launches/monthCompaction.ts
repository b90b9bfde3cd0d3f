import { randomUUID } from 'node:crypto';
import { CompactedWriter, compactedKey, compactedKeys, type CompactedMonth, type CompactedPart, type EncodedPart } from './compactedMonth';
import { mergeWholeLines } from './launchShards';
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
 * one read only when the index points at it, in one conditional write that also takes the
 * month's day items out of the periods compacted; the items replaced are deleted
 * RETIRED_MS later (deleteRetired), so a read that began on the index before still finds
 * them. If any of those periods changed meanwhile, nothing is committed and what was
 * written is deleted. Record ids stay with each launch, so records the month gains later
 * still count once.
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

/** The month compacted, or null when there was nothing to compact, another instance is at it, or what it read changed. */
export async function compactMonth(store: LaunchStore, month: string, options: CompactionOptions): Promise<CompactedMonth | null> {
  const { instance } = options;
  const claim = compactionClaim(month);
  const generation = randomUUID().slice(0, 8);
  const plan = await store.update((index) => {
    const held = index.claims[claim];
    if (held && held.instance !== instance && options.now().getTime() - Date.parse(held.at) < options.leaseMs) return null;
    const inputs = options.select(index).filter((p) => p.chunks.some((c) => c.month === month));
    if (!inputs.length) return null;
    index.claims[claim] = { instance, at: options.now().toISOString(), generation, written: [] };
    const items: MonthItems = {
      month,
      compacted: index.compacted?.find((c) => c.month === month),
      refs: inputs.flatMap((p) => p.chunks.filter((c) => c.month === month).map((ref) => ({ generation: p.generation, ref }))),
    };
    return { inputs: inputs.map((p) => ({ start: p.start, generation: p.generation })), items, orphans: held?.written ?? [] };
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
      entry.launches += mergeWholeLines(cursors, month, (line) => (full = writer.add(line, entry.shards) ?? full));
      // A part is handed out only at a shard's first launch, so at most one per shard.
      await save(full);
      entry.shards++;
    }
    await save(writer.finish(entry.shards));
    entry.compactedAt = options.now().toISOString();
    committed =
      (await store.update((index) => {
        const held = index.claims[claim];
        if (held?.instance !== instance || held.generation !== generation) return null;
        delete index.claims[claim];
        const periods = plan.inputs.map((i) => index.periods.find((p) => p.start === i.start && p.generation === i.generation));
        // Read again or pruned meanwhile: what was written is not what the index holds.
        if (periods.some((p) => !p?.chunks.some((c) => c.month === month)) || index.compacted?.find((c) => c.month === month)?.generation !== plan.items.compacted?.generation) return false;
        for (const p of periods) p!.chunks = p!.chunks.filter((c) => c.month !== month);
        index.compacted = [...(index.compacted ?? []).filter((c) => c.month !== month), entry];
        const retired = { at: entry.compactedAt, periods: plan.items.refs.map(({ generation: g, ref }) => ({ generation: g, chunks: [ref] })), ...(plan.items.compacted ? { compacted: plan.items.compacted } : {}) };
        index.retired = [...(index.retired ?? []), retired];
        return true;
      })) === true;
  } finally {
    if (!committed) await store.release(claim, instance, written);
  }
  return committed ? entry : null;
}

/** How long replaced items outlive a compaction: longer than any read of a month takes. */
export const RETIRED_MS = 10 * 60_000;

/** Deletes the items compactions replaced more than RETIRED_MS before `now`; returns their keys. */
export async function deleteRetired(store: LaunchStore, now: Date): Promise<string[]> {
  const gone: string[] = [];
  await store.update((index) => {
    gone.length = 0;
    const old = (index.retired ?? []).filter((r) => now.getTime() - Date.parse(r.at) >= RETIRED_MS);
    if (!old.length) return null;
    for (const r of old) gone.push(...r.periods.flatMap(keysOf), ...(r.compacted ? compactedKeys(r.compacted) : []));
    index.retired = index.retired!.filter((r) => !old.includes(r));
    return true;
  });
  await store.state.delete(gone);
  return gone;
}
