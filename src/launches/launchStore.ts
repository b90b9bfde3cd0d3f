import { randomUUID } from 'node:crypto';
import { isETagConflict, type StateStore, type StoreItem } from '../storage/stateStore';
import type { AuditLaunch, AuditPeriod, AuditReaderKind, LaunchMonthSource, MonthCoverage } from './launch';
import { mergeCursors, mergeLines, ShardCursor, type LaunchKeys } from './launchShards';
import { CompactedKeys, compactedKey, compactedKeys, detailLines, missingPart, shardLines, visitCompacted, type CompactedMonth } from './compactedMonth';

/**
 * The launch store: months of distinct launches built up period by period, in the state
 * store (files locally, Azure Blob Storage when configured), so a month stays whole
 * although the Office 365 feed keeps 7 days and Graph queries take minutes.
 *
 * One index item (`launches/index`) says which periods were collected (by which reader,
 * when, into which shard items), which failed and why, and which are being collected
 * now and by whom. Every change of it is a read-modify-write on its eTag, so of two
 * instances only one claims a period (as the digest claims a channel: src/digest/
 * runner.ts); a claim not renewed within the lease belongs to an instance that died and
 * may be taken over. A period's launches are written under a fresh generation and become
 * visible only when the index points at it: a restart mid-period leaves nothing counted
 * twice, and the period is simply read again.
 */

export interface ChunkRef {
  month: string;
  part: number;
  shards: number;
  /** Shard numbers written (empty shards are not). */
  present: number[];
}

export interface PeriodEntry extends AuditPeriod {
  reader: AuditReaderKind;
  collectedAt: string;
  generation: string;
  chunks: ChunkRef[];
  /** LaunchPowerApp records read, per month of their CreationTime. */
  records: Record<string, number>;
  malformed: number;
  duplicates: number;
  /** Part of the period could not be read (expired content): shown as failed, its launches kept. */
  gap?: { reason: string; fix: string };
}

export interface FailedEntry extends AuditPeriod {
  reader: AuditReaderKind;
  reason: string;
  fix: string;
  code: string | null;
  at: string;
}

export interface PeriodClaim {
  instance: string;
  at: string;
  generation: string;
  /** Items written so far under the claim's generation: deleted if the claim is taken over. */
  written: string[];
}

export interface LaunchIndex extends StoreItem {
  periods: PeriodEntry[];
  failed: FailedEntry[];
  /** Keyed by period start; a compaction's by `compact <month>` (monthCompaction.ts). */
  claims: Record<string, PeriodClaim>;
  /**
   * Settled months written again as a few items (compactedMonth.ts), as `index()` gives it:
   * kept in an item of their own (`launches/compacted`), which the code before them leaves
   * alone when it writes the index.
   */
  compacted?: CompactedMonth[];
  /** Items a compaction replaced, deleted a while after (monthCompaction.ts): a read that began before it still finds them. */
  retired?: { at: string; periods: { generation: string; chunks: ChunkRef[] }[]; compacted?: CompactedMonth }[];
}

/** What holds a month's launches: its compacted items, and the day items not (yet) in them. */
export interface MonthItems {
  month: string;
  compacted?: CompactedMonth;
  refs: { generation: string; ref: ChunkRef }[];
}

const INDEX = 'launches/index';
const COMPACTED = 'launches/compacted';

interface CompactedIndex extends StoreItem {
  months: CompactedMonth[];
}

export function chunkKey(generation: string, ref: { month: string; part: number }, shard: number): string {
  return `launches/${ref.month}/${generation}/${ref.part}/${shard}`;
}

export const monthOf = (iso: string): string => iso.slice(0, 7);

function monthBounds(month: string): AuditPeriod {
  const [y, m] = month.split('-').map(Number);
  return { start: new Date(Date.UTC(y, m - 1, 1)).toISOString(), end: new Date(Date.UTC(y, m, 1)).toISOString() };
}

function overlaps(p: AuditPeriod, q: AuditPeriod): boolean {
  return p.start < q.end && q.start < p.end;
}

/** Sorted, touching or overlapping periods joined. */
export function mergePeriods(periods: AuditPeriod[]): AuditPeriod[] {
  const sorted = [...periods].sort((a, b) => a.start.localeCompare(b.start));
  const out: AuditPeriod[] = [];
  for (const p of sorted) {
    const last = out[out.length - 1];
    if (last && p.start <= last.end) {
      if (p.end > last.end) last.end = p.end;
    } else out.push({ start: p.start, end: p.end });
  }
  return out;
}

export class LaunchStore implements LaunchMonthSource {
  constructor(readonly state: StateStore) {}

  /** The index, with the compacted months. */
  async index(): Promise<LaunchIndex> {
    const items = await this.state.read([INDEX, COMPACTED]);
    const index = (items[INDEX] as LaunchIndex | undefined) ?? { periods: [], failed: [], claims: {} };
    const compacted = (items[COMPACTED] as CompactedIndex | undefined)?.months;
    return compacted?.length ? { ...index, compacted } : index;
  }

  async compactedMonths(): Promise<CompactedMonth[]> {
    return ((await this.state.read([COMPACTED]))[COMPACTED] as CompactedIndex | undefined)?.months ?? [];
  }

  /**
   * Applies `change` to the index (its compacted months not included) and writes it on its
   * eTag; on a conflict reads again and retries. `change` returns null to leave it alone
   * (the result is then null too).
   */
  update<T>(change: (index: LaunchIndex) => T | null): Promise<T | null> {
    return this.change(INDEX, (): LaunchIndex => ({ periods: [], failed: [], claims: {} }), change, ({ periods, failed, claims, retired }) => ({ periods, failed, claims, ...(retired?.length ? { retired } : {}) }));
  }

  /** The same for the compacted months (monthCompaction.ts, which creates the item before its first claim). */
  updateCompacted<T>(change: (compacted: CompactedIndex) => T | null): Promise<T | null> {
    return this.change(COMPACTED, (): CompactedIndex => ({ months: [] }), change, ({ months }) => ({ months }));
  }

  private async change<I extends StoreItem, T>(key: string, empty: () => I, change: (item: I) => T | null, fields: (item: I) => StoreItem): Promise<T | null> {
    for (let attempt = 0; attempt < 50; attempt++) {
      const current = (await this.state.read([key]))[key] as I | undefined;
      if (!current) {
        // The store has no create-only write: an empty item is written unconditionally, never
        // with a change in it, and the change is made on the item read back, on its eTag.
        // A creation racing ours can only erase an empty index or a claim made in that
        // instant, whose holder then fails to commit (its eTag is gone): nothing counts twice.
        await this.state.write({ [key]: { ...empty(), eTag: '*' } });
        continue;
      }
      const item = structuredClone(current);
      const result = change(item);
      if (result === null) return null;
      try {
        await this.state.write({ [key]: { ...fields(item), eTag: current.eTag } });
        return result;
      } catch (e) {
        if (!isETagConflict(e)) throw e;
        await new Promise((r) => setTimeout(r, 5 + Math.random() * 40));
      }
    }
    throw new Error('The launch store index kept changing under PassLens; try again.');
  }

  /**
   * Creates the index if it is missing (the composition root calls it at start). Two
   * instances creating it at the same instant may each claim the first period: the one
   * whose claim was erased cannot commit, so a query is wasted and nothing counts twice.
   */
  async ensureIndex(): Promise<void> {
    await this.update(() => null);
  }

  /**
   * Claims `period` for `instance` if nobody holds it or the holder's lease ran out.
   * Returns the generation to write under, and the items a dead holder left to delete.
   */
  async claim(period: AuditPeriod, instance: string, leaseMs: number, now: Date, due: (read: PeriodEntry | undefined) => boolean = () => true): Promise<{ generation: string; orphans: string[] } | null> {
    const generation = randomUUID().slice(0, 8);
    const claimed = await this.update((index) => {
      // Decided again on the index being written: another instance may have read the period since the plan was made.
      if (!due(index.periods.find((p) => p.start === period.start))) return null;
      const held = index.claims[period.start];
      if (held && held.instance !== instance && now.getTime() - Date.parse(held.at) < leaseMs) return null;
      index.claims[period.start] = { instance, at: now.toISOString(), generation, written: [] };
      return { generation, orphans: held?.written ?? [] };
    });
    // Read back: a claim erased by a racing creation of the index is not worth a query.
    if (claimed && (await this.index()).claims[period.start]?.generation !== generation) return null;
    return claimed;
  }

  /** Renews the claim (and records items written under it); false when it is no longer this instance's. */
  async renew(period: AuditPeriod | string, instance: string, now: Date, written: string[] = []): Promise<boolean> {
    const claim = typeof period === 'string' ? period : period.start;
    const ok = await this.update((index) => {
      const held = index.claims[claim];
      if (!held || held.instance !== instance) return null;
      held.at = now.toISOString();
      held.written.push(...written);
      return true;
    });
    return ok === true;
  }

  /** Makes the period's new generation the one read, if the claim is still this instance's; deletes what it replaces. */
  async commit(entry: PeriodEntry, instance: string): Promise<boolean> {
    const replaced: string[] = [];
    const ok = await this.update((index) => {
      const held = index.claims[entry.start];
      if (!held || held.instance !== instance || held.generation !== entry.generation) return null;
      // The new generation replaces what was read of the same period before, and any smaller periods inside it.
      const replaces = (p: AuditPeriod) => p.start === entry.start || (p.start >= entry.start && p.end <= entry.end);
      replaced.length = 0;
      for (const old of index.periods.filter(replaces)) replaced.push(...keysOf(old));
      index.periods = [...index.periods.filter((p) => !replaces(p)), entry];
      index.failed = index.failed.filter((f) => !replaces(f));
      delete index.claims[entry.start];
      return true;
    });
    if (ok) await this.state.delete(replaced);
    return ok === true;
  }

  /** Records a failed or refused period (and lets go of its claim); what other periods read stays. */
  async fail(failure: FailedEntry, instance: string, written: string[]): Promise<void> {
    await this.update((index) => {
      const held = index.claims[failure.start];
      if (held && held.instance !== instance) return null;
      index.failed = [...index.failed.filter((f) => f.start !== failure.start), failure];
      delete index.claims[failure.start];
      return true;
    });
    await this.state.delete(written);
  }

  /** Lets go of a claim without recording anything (a stopped collection). */
  async release(period: AuditPeriod | string, instance: string, written: string[]): Promise<void> {
    const claim = typeof period === 'string' ? period : period.start;
    await this.update((index) => {
      if (index.claims[claim]?.instance !== instance) return null;
      delete index.claims[claim];
      return true;
    });
    await this.state.delete(written);
  }

  /** Deletes months older than the last `months` (counting the month of `now`). */
  async prune(now: Date, months: number): Promise<string[]> {
    const cut = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - (months - 1), 1)).toISOString();
    const gone: string[] = [];
    await this.update((index) => {
      gone.length = 0;
      const old = index.periods.filter((p) => p.start < cut);
      if (!old.length && !index.failed.some((f) => f.start < cut)) return null;
      for (const p of old) gone.push(...keysOf(p));
      index.periods = index.periods.filter((p) => p.start >= cut);
      index.failed = index.failed.filter((f) => f.start >= cut);
      return true;
    });
    const compacted: string[] = [];
    if ((await this.compactedMonths()).some((c) => c.month < monthOf(cut))) {
      await this.updateCompacted((item) => {
        const old = item.months.filter((c) => c.month < monthOf(cut));
        compacted.splice(0, compacted.length, ...old.flatMap(compactedKeys));
        item.months = item.months.filter((c) => !old.includes(c));
        return old.length ? true : null;
      });
    }
    await this.state.delete([...gone, ...compacted]);
    return [...gone, ...compacted];
  }

  async months(): Promise<string[]> {
    const index = await this.index();
    const months = new Set<string>();
    for (const p of index.periods) for (const c of p.chunks) months.add(c.month);
    for (const p of index.periods) months.add(monthOf(p.start));
    for (const c of index.compacted ?? []) months.add(c.month);
    for (const f of index.failed) months.add(monthOf(f.start));
    return [...months].sort();
  }

  async coverage(month: string): Promise<MonthCoverage | null> {
    const index = await this.index();
    const bounds = monthBounds(month);
    // A period's launches of another month may be in that month's compacted items: its record count still says so.
    const periods = index.periods.filter((p) => overlaps(p, bounds) || (p.records[month] ?? 0) > 0 || p.chunks.some((c) => c.month === month));
    const failed = index.failed.filter((f) => overlaps(f, bounds));
    if (!periods.length && !failed.length) return null;
    const clip = (p: AuditPeriod): AuditPeriod => ({ start: p.start < bounds.start ? bounds.start : p.start, end: p.end > bounds.end ? bounds.end : p.end });
    const whole = periods.filter((p) => !p.gap && overlaps(p, bounds));
    const latest = [...periods].sort((a, b) => a.collectedAt.localeCompare(b.collectedAt)).pop();
    const latestFailure = [...failed].sort((a, b) => a.at.localeCompare(b.at)).pop();
    return {
      month,
      reader: latest?.reader ?? latestFailure!.reader,
      collected: mergePeriods(whole.map(clip)),
      failed: [
        ...failed.map((f) => ({ ...clip(f), reason: f.reason, fix: f.fix })),
        ...periods.filter((p) => p.gap && overlaps(p, bounds)).map((p) => ({ ...clip(p), reason: `partly read: ${p.gap!.reason}`, fix: p.gap!.fix })),
      ].sort((a, b) => a.start.localeCompare(b.start)),
      recordsRead: periods.reduce((s, p) => s + (p.records[month] ?? 0), 0),
      malformedRecords: periods.filter((p) => monthOf(p.start) === month).reduce((s, p) => s + p.malformed, 0),
      duplicateRecords: periods.filter((p) => monthOf(p.start) === month).reduce((s, p) => s + p.duplicates, 0),
      lastCollectedAt: latest?.collectedAt ?? latestFailure!.at,
    };
  }

  /** The month's distinct launches, one shard at a time: at most one shard's launches are in memory. */
  async *launches(month: string): AsyncIterable<AuditLaunch> {
    for await (const batch of this.launchBatches(month)) yield* batch;
  }

  /**
   * The same launches a shard at a time (LaunchMonthSource.launchBatches): a million
   * launches handed out one by one through an async generator cost more in promises than
   * reading them.
   */
  async *launchBatches(month: string): AsyncIterable<AuditLaunch[]> {
    for await (const cursors of this.shardCursors(itemsOf(await this.index(), month))) {
      // Small batches: a launch is garbage soon after it is made, collected young.
      let batch: AuditLaunch[] = [];
      for (const launch of mergeCursors(cursors, month)) {
        batch.push(launch);
        if (batch.length === 1024) {
          yield batch;
          batch = [];
        }
      }
      if (batch.length) yield batch;
    }
  }

  /**
   * The same distinct launches as lines (LaunchMonthSource.launchLines), for a reader that
   * takes only keys and app names: no launch object and no string per field is made. A
   * compacted month with nothing added since is read from its parts alone.
   */
  async launchLines(month: string, visit: (line: LaunchKeys) => void): Promise<number> {
    const items = itemsOf(await this.index(), month);
    if (items.compacted && !items.refs.length) return visitCompacted(this.state, items.compacted, visit);
    let n = 0;
    for await (const cursors of this.shardCursors(items)) n += mergeLines(cursors, visit);
    return n;
  }

  /**
   * Per month shard j (every j, in order), the cursors of every item that holds part of
   * it: the day items, and a compacted month's shard as day lines, so the two merge.
   */
  async *shardCursors(items: MonthItems): AsyncIterable<ShardCursor[]> {
    const { refs, compacted } = items;
    if (!refs.length && !compacted) return;
    const shards = Math.max(compacted?.shards ?? 1, ...refs.map((r) => r.ref.shards));
    let part: { index: number; keys: CompactedKeys; lines: string[] } | null = null;
    const compactedShard = async (j: number): Promise<ShardCursor[]> => {
      if (!compacted) return [];
      const s = j % compacted.shards;
      const index = compacted.parts.findIndex((p) => p.from <= s && s < p.to);
      if (index < 0) return [];
      if (part?.index !== index) part = { index, ...(await this.compactedPart(compacted, index)) };
      return [new ShardCursor(shardLines(part.keys, part.lines, compacted.parts[index], s), compacted.shards === shards ? undefined : [j, shards])];
    };
    // The items of shard j read together (a blob store answers them in parallel; files are read ahead).
    const read = (j: number) =>
      Promise.all(
        refs
          .filter(({ ref }) => ref.present.includes(j % ref.shards))
          .map(async ({ generation, ref }) => {
            const key = chunkKey(generation, ref, j % ref.shards);
            const item = (await this.state.read([key]))[key] as { rows?: string } | undefined;
            return new ShardCursor(item?.rows ?? '', ref.shards === shards ? undefined : [j, shards]);
          }),
      );
    let next = read(0);
    for (let j = 0; j < shards; j++) {
      const cursors = await next;
      // Shard j + 1 is read while shard j is merged: waiting for a month's 2,000 items one shard at a time was a third of the read.
      if (j + 1 < shards) {
        next = read(j + 1);
        // Handled where it is awaited; this only keeps a read abandoned with the loop from being an unhandled rejection.
        next.catch(() => undefined);
      }
      yield [...(await compactedShard(j)), ...cursors];
    }
  }

  private async compactedPart(c: CompactedMonth, index: number): Promise<{ keys: CompactedKeys; lines: string[] }> {
    const keys = compactedKey(c, index, 'keys');
    const detail = compactedKey(c, index, 'detail');
    const items = await this.state.read([keys, detail]);
    const data = items[keys]?.data;
    const lines = items[detail]?.data;
    if (typeof data !== 'string' || typeof lines !== 'string') throw missingPart(c, index);
    return { keys: new CompactedKeys(data, c.parts[index]), lines: detailLines(lines) };
  }
}

/** The items that hold `month`'s launches, as `index` says. */
export function itemsOf(index: LaunchIndex, month: string): MonthItems {
  const refs: MonthItems['refs'] = [];
  for (const p of index.periods) for (const ref of p.chunks) if (ref.month === month) refs.push({ generation: p.generation, ref });
  return { month, compacted: index.compacted?.find((c) => c.month === month), refs };
}

export function keysOf(entry: { generation: string; chunks: ChunkRef[] }): string[] {
  return entry.chunks.flatMap((ref) => ref.present.map((s) => chunkKey(entry.generation, ref, s)));
}
