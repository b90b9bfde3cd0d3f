import { randomUUID } from 'node:crypto';
import { AuditReadError } from './auditHttp';
import { readAuditRecord, type EnvironmentOfApp, type LaunchRecord } from './auditRecord';
import type { AuditReader } from './auditReader';
import type { AuditPeriod, MonthCoverage } from './launch';
import { LaunchStore, mergePeriods, monthOf, type LaunchIndex, type PeriodEntry } from './launchStore';
import { compactMonth, deleteRetired } from './monthCompaction';
import { PeriodWriter } from './periodWriter';
import { pruneLaunches } from './retention';

/**
 * Fills the launch store from the audit log, a UTC day at a time.
 *
 * Usage (the digest timer, "refresh", the first-collection card and the CLI):
 *   const collector = new LaunchCollector({ store: new LaunchStore(stateStore), reader });
 *   const result = await collector.collect('2026-11', { signal });   // one month
 *   await collector.collectDue();          // this month and, while it may still change, the last
 *   result.coverage                        // what the store now holds of the month
 *   collector.store                        // a LaunchMonthSource for the analysis
 *
 * A day already collected is not read again, except that a day is read again until it
 * was collected 48 hours after it ended (records arrive late: the Management Activity API
 * troubleshooting page gives no SLA; microsoft/coe-starter-kit's "Sync Audit Logs (V2)"
 * flow says "data can take up to 48 hours to fill in the product logs"). A day another instance is collecting is
 * left to it (the store's claims). A day that fails or is refused is recorded with its
 * dates, Microsoft's code and the fix; what other days read stays. A refusal stops the
 * run: the days left are recorded with the same refusal rather than asked again.
 */

export interface CollectorOptions {
  store: LaunchStore;
  /** null: the audit log is not read (PASSLENS_AUDIT_READER=off). */
  reader: AuditReader | null;
  /** The app inventory, asked for only when a legacy record (RecordType 45) does not name its environment. */
  inventory?: () => Promise<EnvironmentOfApp>;
  instanceId?: string;
  /** How long a claim on a day holds unrenewed before another instance may take it over. */
  leaseMs?: number;
  /** Months kept (PASSLENS_LAUNCH_RETENTION_MONTHS); older ones are deleted. */
  retentionMonths?: number;
  clock?: () => Date;
  /**
   * A day read less than this long ago is not read again yet (default 3 hours: the last
   * three days re-read 8 times a day stay far inside a tenant's query submissions).
   */
  rereadMs?: number;
  /** Graph queries in flight at once (default 2: with 4, a million-record month peaked over 500 MB, docs/performance.md). */
  concurrency?: number;
  log?: (message: string, fields: Record<string, unknown>) => void;
  /** Told when a run starts reading, when a query's status changes and when a day is done (the CLI's progress line). */
  progress?: (progress: CollectionProgress) => void;
}

/** Where a run of one month stands. */
export interface CollectionProgress {
  month: string;
  /** Days this run reads, and how many of them are done (read or failed). */
  days: number;
  done: number;
  /** The last status Graph gave a query of this run (notStarted, running, succeeded); null for the Office 365 feed or before the first. */
  status: string | null;
  startedAt: number;
}

export interface CollectResult {
  month: string;
  /** What the store holds of the month after this run; null: nothing at all. */
  coverage: MonthCoverage | null;
  /** Days read in this run. */
  read: AuditPeriod[];
  /** Days another instance was collecting. */
  busy: AuditPeriod[];
  /** Days that failed or were refused in this run. */
  failed: (AuditPeriod & { reason: string; fix: string })[];
  /** Set when nothing could be read: the reader is off. */
  off?: string;
}

const DAY_MS = 86_400_000;
/** Records may arrive this long after the launch. */
export const LATE_MS = 48 * 3_600_000;
const MIN_SPLIT_MS = 3_600_000;

export class LaunchCollector {
  readonly instanceId: string;
  readonly store: LaunchStore;
  private running = new Map<string, Promise<CollectResult>>();

  constructor(private readonly options: CollectorOptions) {
    this.instanceId = options.instanceId ?? randomUUID();
    this.store = options.store;
  }

  private now(): Date {
    return this.options.clock ? this.options.clock() : new Date();
  }

  /**
   * The last month and this one: the last may still gain late records, or (a new
   * deployment) never have been read; once its days are settled, asking costs one read of
   * the index.
   */
  async collectDue(options: { signal?: AbortSignal } = {}): Promise<CollectResult[]> {
    const now = this.now();
    const month = monthOf(now.toISOString());
    const previous = monthOf(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1)).toISOString());
    const results: CollectResult[] = [];
    results.push(await this.collect(previous, options));
    results.push(await this.collect(month, options));
    // Months before those that still have day items (a store written before compaction, a month settled while
    // PassLens was stopped, late records of a compacted month); one compacted with none left costs no read.
    const index = await this.store.index();
    const pending = new Set(index.periods.flatMap((p) => p.chunks.map((c) => c.month)).filter((m) => m < previous));
    for (const older of [...pending].sort()) await this.compact(older);
    await pruneLaunches(this.store, now, this.options.retentionMonths ?? 13).catch((e: Error) => this.options.log?.('launch store prune failed', { error: e.message }));
    return results;
  }

  /** Whether the audit log is read at all: false with PASSLENS_AUDIT_READER=off (a collection then reads nothing). */
  get readsLog(): boolean {
    return this.options.reader !== null;
  }

  /** Collects what is due of `month`; a second call for the same month while one runs joins it. */
  collect(month: string, options: { signal?: AbortSignal } = {}): Promise<CollectResult> {
    let run = this.running.get(month);
    if (!run) {
      run = this.run(month, options.signal).finally(() => this.running.delete(month));
      this.running.set(month, run);
    }
    return run;
  }

  private async run(month: string, signal?: AbortSignal): Promise<CollectResult> {
    const result: CollectResult = { month, coverage: null, read: [], busy: [], failed: [] };
    const reader = this.options.reader;
    if (!reader) {
      result.off = 'The audit log reader is off (PASSLENS_AUDIT_READER=off).';
      result.coverage = await this.store.coverage(month);
      return result;
    }
    const now = this.now();
    const index = await this.store.index();
    const earliest = reader.earliest(now);
    const todo: AuditPeriod[] = [];
    for (const day of daysOf(month, now)) {
      const entry = index.periods.find((p) => p.start === day.start);
      if (entry && !due(entry, day, now, this.rereadMs())) continue;
      if (earliest && Date.parse(day.start) < earliest.getTime()) {
        if (entry) continue;
        const reason = `${day.start.slice(0, 10)} is older than the ${reader.kind === 'officeManagement' ? '7 days the Office 365 Management Activity API keeps' : 'audit log keeps'}.`;
        if (!index.failed.some((f) => f.start === day.start && f.reason === reason)) {
          await this.record(day, reason, 'Upload the Active users report for this month: the days before PassLens started collecting cannot be read from the audit log any more.', null, reader.kind, result);
        }
        continue;
      }
      todo.push(day);
    }
    let refusal: AuditReadError | null = null;
    const progress: CollectionProgress = { month, days: todo.length, done: 0, status: null, startedAt: Date.now() };
    const tell = this.options.progress ?? (() => undefined);
    // The status shown is the furthest behind of the queries under way (a few run at once).
    const statuses = new Map<string, string>();
    const shown = () => ['running', 'notStarted', 'succeeded'].find((s) => [...statuses.values()].includes(s)) ?? [...statuses.values()][0] ?? progress.status;
    const status = (day: AuditPeriod, value: string | null) => {
      if (value === null) statuses.delete(day.start);
      else statuses.set(day.start, value);
      const now = shown();
      if (now !== progress.status && value !== null) {
        progress.status = now;
        tell({ ...progress });
      } else progress.status = now;
    };
    if (todo.length) tell({ ...progress });
    const read = async (day: AuditPeriod): Promise<void> => {
      if (signal?.aborted) return;
      if (refusal) {
        const known = index.failed.find((f) => f.start === day.start && f.reason === refusal!.message);
        if (known) result.failed.push({ ...day, reason: known.reason, fix: known.fix });
        else await this.record(day, refusal.message, refusal.fix, refusal.code, reader.kind, result);
        return;
      }
      const outcome = await this.collectPeriod(reader, day, result, signal, (value) => status(day, value));
      if (outcome instanceof AuditReadError && outcome.refused) refusal = outcome;
    };
    const next = async (day: AuditPeriod): Promise<void> => {
      await read(day);
      status(day, null);
      progress.done++;
      tell({ ...progress });
    };
    // The first day alone: a refusal is then asked once, not once per worker. The rest a few at a time
    // (Graph queries take minutes each; Microsoft allots each tenant its queries, resources/
    // security-auditlogquery.md pointing to Graph's "Security audit log query service limits").
    if (todo.length) await next(todo[0]);
    const queue = todo.slice(1);
    const workers = reader.kind === 'graph' ? (this.options.concurrency ?? 2) : 1;
    await Promise.all(Array.from({ length: Math.min(workers, queue.length) }, async () => {
      for (let day = queue.shift(); day; day = queue.shift()) await next(day);
    }));
    result.read.sort((a, b) => a.start.localeCompare(b.start));
    result.failed.sort((a, b) => a.start.localeCompare(b.start));
    if (!signal?.aborted) await this.compact(month);
    result.coverage = await this.store.coverage(month);
    return result;
  }

  /**
   * Writes the month's settled days again as a few items (monthCompaction.ts), when every
   * day of it is settled; a failure leaves the day items as they were, read as before.
   */
  async compact(month: string): Promise<void> {
    const reader = this.options.reader;
    if (!reader) return;
    const now = this.now();
    const select = (index: LaunchIndex) => settledPeriods(index, month, now, reader.earliest(now));
    try {
      await deleteRetired(this.store, now);
      await compactMonth(this.store, month, { instance: this.instanceId, leaseMs: this.options.leaseMs ?? 10 * 60_000, now: () => this.now(), select });
    } catch (e) {
      this.options.log?.('launch store compaction failed', { month, error: (e as Error).message });
    }
  }

  private rereadMs(): number {
    return this.options.rereadMs ?? 3 * 60 * 60_000;
  }

  private async record(period: AuditPeriod, reason: string, fix: string, code: string | null, reader: AuditReader['kind'], result: CollectResult): Promise<void> {
    await this.store.fail({ ...period, reader, reason, fix, code, at: this.now().toISOString() }, this.instanceId, []);
    result.failed.push({ ...period, reason, fix });
  }

  /** Reads one period into a fresh generation and commits it; returns the error it failed with, if any. */
  private async collectPeriod(reader: AuditReader, period: AuditPeriod, result: CollectResult, signal?: AbortSignal, onStatus?: (status: string) => void): Promise<AuditReadError | null> {
    const { store } = this;
    const leaseMs = this.options.leaseMs ?? 10 * 60_000;
    const claim = await store.claim(period, this.instanceId, leaseMs, this.now(), (entry) => !entry || due(entry, period, this.now(), this.rereadMs()));
    if (!claim) {
      result.busy.push(period);
      return null;
    }
    if (claim.orphans.length) await store.state.delete(claim.orphans);
    const renewal = setInterval(() => void store.renew(period, this.instanceId, this.now()).catch(() => false), leaseMs / 3);
    const writer = new PeriodWriter(store.state, claim.generation, async (keys) => {
      if (!(await store.renew(period, this.instanceId, this.now(), keys))) throw new AuditReadError('Another instance took this period over.', null, null, 'Nothing to do.');
    });
    let malformed = 0;
    let gap: PeriodEntry['gap'];
    let environmentOfApp: EnvironmentOfApp | undefined;
    // Synchronous per record (a page is a thousand): the inventory is awaited once, when a legacy record first needs it.
    const read = (raw: unknown): LaunchRecord | null | 'inventory' => {
      const reading = readAuditRecord(raw, environmentOfApp);
      if (reading.kind === 'malformed' && reading.reason.startsWith('no environment') && !environmentOfApp && this.options.inventory) return 'inventory';
      if (reading.kind === 'malformed') malformed++;
      return reading.kind === 'launch' ? reading.launch : null;
    };
    try {
      const onGap = (reason: string, fix: string) => (gap = { reason: gap ? `${gap.reason}; ${reason}` : reason, fix });
      for await (const page of reader.pages(period, { signal, onGap, onStatus })) {
        for (const raw of page) {
          let launch = read(raw);
          if (launch === 'inventory') {
            environmentOfApp = await this.options.inventory!();
            launch = read(raw) as LaunchRecord | null;
          }
          // Graph filters on when the launch happened: one outside the period is not this period's.
          // Office 365 windows are on when content was created: its launches may be older.
          if (!launch || (reader.kind === 'graph' && (launch.at < period.start || launch.at >= period.end))) continue;
          writer.add(launch);
        }
        await writer.flushIfFull();
      }
      const chunks = await writer.finish();
      const entry: PeriodEntry = { ...period, reader: reader.kind, collectedAt: this.now().toISOString(), generation: claim.generation, chunks, records: writer.records, malformed, duplicates: writer.duplicates, ...(gap ? { gap } : {}) };
      if (await store.commit(entry, this.instanceId)) result.read.push(period);
      else {
        await store.state.delete(writer.written);
        result.busy.push(period);
      }
      return null;
    } catch (e) {
      const error = e instanceof AuditReadError ? e : new AuditReadError(`Reading the audit log failed: ${(e as Error).message}`, null, null, 'Ask again later; if it persists, report it with the time.');
      if (error.code === 'isRecordCountLimitExceeded' && Date.parse(period.end) - Date.parse(period.start) > MIN_SPLIT_MS) {
        await store.release(period, this.instanceId, writer.written);
        clearInterval(renewal);
        const middle = new Date((Date.parse(period.start) + Date.parse(period.end)) / 2).toISOString();
        const first = await this.collectPeriod(reader, { start: period.start, end: middle }, result, signal, onStatus);
        return first ?? (await this.collectPeriod(reader, { start: middle, end: period.end }, result, signal, onStatus));
      }
      if (signal?.aborted) await store.release(period, this.instanceId, writer.written);
      else {
        await store.fail({ ...period, reader: reader.kind, reason: error.message, fix: error.fix, code: error.code, at: this.now().toISOString() }, this.instanceId, writer.written);
        result.failed.push({ ...period, reason: error.message, fix: error.fix });
      }
      this.options.log?.('launch collection of a period failed', { start: period.start, end: period.end, reason: error.message, code: error.code });
      return error;
    } finally {
      clearInterval(renewal);
    }
  }
}

/** The UTC days of `month` up to `now`; today's day ends at `now`. */
export function daysOf(month: string, now: Date): AuditPeriod[] {
  const days: AuditPeriod[] = [];
  const [y, m] = month.split('-').map(Number);
  const end = Math.min(Date.UTC(y, m, 1), now.getTime());
  for (let t = Date.UTC(y, m - 1, 1); t < end; t += DAY_MS) days.push({ start: new Date(t).toISOString(), end: new Date(Math.min(t + DAY_MS, end)).toISOString() });
  return days;
}

/** Read again: the day was not read to its end, or was read before its late records could all have arrived. */
function due(entry: PeriodEntry, day: AuditPeriod, now: Date, rereadMs: number): boolean {
  const dayEnd = Date.parse(day.start) + DAY_MS;
  const collectedAt = Date.parse(entry.collectedAt);
  // Read a moment ago: not again yet, so ticks and refreshes do not query the same day over and over.
  if (now.getTime() - collectedAt < rereadMs) return false;
  if (Date.parse(entry.end) < Math.min(dayEnd, now.getTime())) return true;
  return collectedAt < dayEnd + LATE_MS;
}

/**
 * When every day of `month` is settled (read to its end at least 48 hours after it ended,
 * or older than the reader can still read: never read again), its settled periods, which
 * hold its launches (an Office 365 period may hold an earlier month's); otherwise none.
 */
export function settledPeriods(index: LaunchIndex, month: string, now: Date, earliest: Date | null): PeriodEntry[] {
  const [y, m] = month.split('-').map(Number);
  const before = (iso: string) => earliest !== null && Date.parse(iso) < earliest.getTime();
  const settled = (p: PeriodEntry) => {
    const dayEnd = Math.floor(Date.parse(p.start) / DAY_MS) * DAY_MS + DAY_MS;
    return before(p.start) || Date.parse(p.collectedAt) >= dayEnd + LATE_MS;
  };
  for (const day of daysOf(month, new Date(Math.min(Date.UTC(y, m, 1), now.getTime())))) {
    if (before(day.start)) continue;
    const read = index.periods.filter((p) => p.start >= day.start && p.end <= day.end);
    const whole = mergePeriods(read);
    if (whole.length !== 1 || whole[0].start !== day.start || whole[0].end !== day.end || !read.every(settled)) return [];
    if (Object.keys(index.claims).some((k) => k >= day.start && k < day.end)) return [];
  }
  if (now.getTime() < Date.UTC(y, m, 1)) return [];
  return index.periods.filter((p) => settled(p) && p.chunks.some((c) => c.month === month));
}
