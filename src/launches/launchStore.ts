import { randomUUID } from 'node:crypto';
import { isETagConflict, type StateStore, type StoreItem } from '../storage/stateStore';
import type { AuditLaunch, AuditPeriod, AuditReaderKind, LaunchMonthSource, MonthCoverage } from './launch';
import { mergeCursors, mergeLines, ShardCursor, type LaunchLine } from './launchShards';

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

interface LaunchIndex extends StoreItem {
  periods: PeriodEntry[];
  failed: FailedEntry[];
  claims: Record<string, PeriodClaim>;
}

const INDEX = 'launches/index';

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

  async index(): Promise<LaunchIndex> {
    const item = (await this.state.read([INDEX]))[INDEX] as LaunchIndex | undefined;
    return item ?? { periods: [], failed: [], claims: {} };
  }

  /**
   * Applies `change` to the index and writes it on its eTag; on a conflict reads again and
   * retries. `change` returns null to leave it alone (the result is then null too).
   */
  async update<T>(change: (index: LaunchIndex) => T | null): Promise<T | null> {
    for (let attempt = 0; attempt < 50; attempt++) {
      const current = (await this.state.read([INDEX]))[INDEX] as LaunchIndex | undefined;
      if (!current) {
        // The store has no create-only write: an empty index is written unconditionally, never
        // with a change in it, and the change is made on the index read back, on its eTag.
        // A creation racing ours can only erase an empty index or a claim made in that
        // instant, whose holder then fails to commit (its eTag is gone): nothing counts twice.
        await this.state.write({ [INDEX]: { periods: [], failed: [], claims: {}, eTag: '*' } });
        continue;
      }
      const index: LaunchIndex = structuredClone(current);
      const result = change(index);
      if (result === null) return null;
      try {
        await this.state.write({ [INDEX]: { periods: index.periods, failed: index.failed, claims: index.claims, eTag: current.eTag } });
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
  async renew(period: AuditPeriod, instance: string, now: Date, written: string[] = []): Promise<boolean> {
    const ok = await this.update((index) => {
      const held = index.claims[period.start];
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
  async release(period: AuditPeriod, instance: string, written: string[]): Promise<void> {
    await this.update((index) => {
      if (index.claims[period.start]?.instance !== instance) return null;
      delete index.claims[period.start];
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
    await this.state.delete(gone);
    return gone;
  }

  async months(): Promise<string[]> {
    const index = await this.index();
    const months = new Set<string>();
    for (const p of index.periods) for (const c of p.chunks) months.add(c.month);
    for (const p of index.periods) months.add(monthOf(p.start));
    for (const f of index.failed) months.add(monthOf(f.start));
    return [...months].sort();
  }

  async coverage(month: string): Promise<MonthCoverage | null> {
    const index = await this.index();
    const bounds = monthBounds(month);
    const periods = index.periods.filter((p) => overlaps(p, bounds) || p.chunks.some((c) => c.month === month));
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
    for await (const cursors of this.shardCursors(month)) {
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
   * takes only keys and app names: no launch object and no string per field is made.
   */
  async launchLines(month: string, visit: (line: LaunchLine) => void): Promise<number> {
    let n = 0;
    for await (const cursors of this.shardCursors(month)) n += mergeLines(cursors, visit);
    return n;
  }

  /** Per month shard j, the cursors of every item that holds part of it. */
  private async *shardCursors(month: string): AsyncIterable<ShardCursor[]> {
    const index = await this.index();
    const refs: { generation: string; ref: ChunkRef }[] = [];
    for (const p of index.periods) for (const ref of p.chunks) if (ref.month === month) refs.push({ generation: p.generation, ref });
    if (!refs.length) return;
    const shards = Math.max(...refs.map((r) => r.ref.shards));
    // The items of shard j read together (a blob store answers them in parallel; files are read ahead).
    const read = (j: number) =>
      Promise.all(
        refs
          .filter(({ ref }) => ref.present.includes(j % ref.shards))
          .map(async ({ generation, ref }) => {
            const key = chunkKey(generation, ref, j % ref.shards);
            const item = (await this.state.read([key]))[key] as { rows?: string } | undefined;
            return { rows: item?.rows ?? '', of: ref.shards === shards ? undefined : ([j, shards] as [number, number]) };
          }),
      );
    let next = read(0);
    for (let j = 0; j < shards; j++) {
      const items = await next;
      // Shard j + 1 is read while shard j is merged: waiting for a month's 2,000 items one shard at a time was a third of the read.
      if (j + 1 < shards) {
        next = read(j + 1);
        // Handled where it is awaited; this only keeps a read abandoned with the loop from being an unhandled rejection.
        next.catch(() => undefined);
      }
      yield items.map((i) => new ShardCursor(i.rows, i.of));
    }
  }
}

export function keysOf(entry: { generation: string; chunks: ChunkRef[] }): string[] {
  return entry.chunks.flatMap((ref) => ref.present.map((s) => chunkKey(entry.generation, ref, s)));
}
