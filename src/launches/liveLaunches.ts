import type { SourceInfo, TenantSnapshot } from '../licensing/snapshot';
import { fromSnapshot, type TenantData } from '../tenant/tenantData';
import { daysOf, type CollectResult, type LaunchCollector } from './collector';
import type { LaunchMonthSource } from './launch';
import { withLaunchUsage } from './launchUsage';
import { withStatedBookings } from './statedBookings';

/**
 * The live tenant's launches from the launch store: which months the analysis reads,
 * when a collection runs, and what an answer says while one runs. The CLI waits for a
 * month it has never collected; the bot collects in the background (a first collection
 * takes minutes) and answers meanwhile from what the store has, saying so.
 */

export const COLLECTING_NOTE = "Reading this month's launches from the audit log: a few minutes. This answer is updated when they are in.";

/** Why launches are unknown when the audit log is not read: the reader is off, and how to turn it on (docs/configuration.md). */
export const READER_OFF_NOTE =
  'The audit log is not read (PASSLENS_AUDIT_READER=off): set PASSLENS_AUDIT_READER=graph (public cloud) or officeManagement (GCC, GCC High, DoD) to read launches live.';

/** The starts of the notes this module puts first on the live source when launches are unknown: why, and the fix. */
const WHY_NOTES = [COLLECTING_NOTE, READER_OFF_NOTE, 'The launches of ', 'The audit log could not be read for '];

/** The note saying why the audit log gave no launches for the month asked (a collection under way, not collected, refused, reader off); null when none. */
export function whyNoLaunchesNote(sources: readonly SourceInfo[]): string | null {
  return sources.flatMap((s) => s.warnings ?? []).find((w) => WHY_NOTES.some((start) => w.startsWith(start))) ?? null;
}

/** Months before the asked one read for the trend (the store keeps 13 by default). */
const EARLIER_MONTHS = 5;

export interface LiveLaunchesOptions {
  store: LaunchMonthSource;
  /** null: the audit log is not read (PASSLENS_AUDIT_READER=off); the store is still answered from. */
  collector: LaunchCollector | null;
  clock?: () => Date;
  /** After a collection that read something: the bot reads the tenant again. */
  onCollected?: () => Promise<unknown>;
  log?: (message: string, fields: Record<string, unknown>) => void;
}

/** The live data to analyse: the inventory with the store's launches, and the month to answer for. */
export interface LiveLaunchData extends TenantData {
  month?: string;
}

export class LiveLaunches {
  private running: Promise<void> | null = null;
  /** The last collection started, under way or ended ("refresh" updates its answer when it has ended). */
  private last: Promise<void> | null = null;
  /** An answer was given without launches while this collection ran: read the tenant again when it ends, whatever it read. */
  private awaited = false;
  /** True while the audit log is being read (not while the tenant is read again after it). */
  private collecting = false;

  constructor(private readonly options: LiveLaunchesOptions) {}

  /** The collection under way (a first one, "refresh", the timer), which answers given meanwhile are updated from; null when none. */
  inFlight(): Promise<void> | null {
    return this.running;
  }

  /** The collection under way, else the last one, ended. */
  latest(): Promise<void> | null {
    return this.running ?? this.last;
  }

  /** This month, and the last one while it has not been collected or may still change; collected in the background, joining one under way. */
  collectInBackground(): Promise<void> | null {
    const collector = this.options.collector;
    if (!collector) return null;
    if (this.running) return this.running;
    this.collecting = true;
    const run = (async () => {
      let results: CollectResult[];
      try {
        results = [...(await this.collectPrevious(collector)), ...(await collector.collectDue())];
      } finally {
        // The tenant read again below must not say a collection still runs (it would stay on every answer until the next read).
        this.collecting = false;
      }
      if (results.some((r) => r.read.length > 0) || this.awaited) await this.options.onCollected?.();
    })();
    this.running = run
      .catch((e: Error) => this.options.log?.('launch collection failed', { error: e.message }))
      .finally(() => {
        this.running = null;
        this.awaited = false;
      });
    this.last = this.running;
    return this.running;
  }

  /** The CLI: collects the days of `month` the store has not tried, and waits; a collected month is answered without the audit API. */
  async ensureCollected(month: string, options: { signal?: AbortSignal } = {}): Promise<CollectResult | null> {
    if (!this.options.collector) return null;
    // A day neither read nor failed (a run stopped with Ctrl-C, or a new day of this month) is read; a month without one is answered as it is.
    const coverage = await this.options.store.coverage(month);
    const tried = [...(coverage?.collected ?? []), ...(coverage?.failed ?? [])];
    const missing = daysOf(month, this.options.clock?.() ?? new Date()).some((day) => !tried.some((p) => p.start <= day.start && day.start < p.end));
    return missing ? this.options.collector.collect(month, options) : null;
  }

  /**
   * The live snapshot with the store's launches as its usage, for the latest month up to
   * `month` whose log had records (early in a month, the last one), and the months before
   * it for the trend. When the store has nothing read of `month` nor of the month before,
   * the snapshot stays as it is (launches unknown, never 0), with a note saying why: a
   * collection under way, or what refused it.
   */
  async tenantData(snapshot: TenantSnapshot, month: string, options: { collectIfMissing?: boolean; exactMonth?: boolean; keepLaunches?: boolean } = {}): Promise<LiveLaunchData> {
    const { store } = this.options;
    const months = (await store.months()).filter((m) => m <= month);
    const read: string[] = [];
    for (const m of months) {
      const coverage = await store.coverage(m);
      if (coverage && coverage.collected.length) read.push(m);
    }
    const withRecords: string[] = [];
    for (const m of read.slice(-2)) if (((await store.coverage(m))?.recordsRead ?? 0) > 0) withRecords.push(m);
    const answerFor = options.exactMonth ? (read.includes(month) ? month : undefined) : (withRecords.at(-1) ?? (read.includes(month) ? month : undefined));
    if (options.collectIfMissing && !read.includes(month)) this.collectInBackground();
    if (!answerFor) return { ...fromSnapshot(withNote(snapshot, await this.whyNoLaunches(month))), month };
    const loaded = read.filter((m) => m <= answerFor).slice(-(EARLIER_MONTHS + 1));
    // The usage API's own launches (AppPass counts under unnamed apps, if it answered) give way to the log's; what they say Microsoft booked stays.
    const { launches: usageApi, ...inventory } = snapshot;
    const data = await withLaunchUsage(inventory, store, loaded, { now: this.options.clock?.(), notesFor: answerFor, keepLaunches: options.keepLaunches });
    return { ...data, inventory: withStatedBookings(data.inventory, usageApi, answerFor), month: answerFor };
  }

  private async collectPrevious(collector: LaunchCollector): Promise<CollectResult[]> {
    const now = this.options.clock?.() ?? new Date();
    const previous = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1)).toISOString().slice(0, 7);
    // The last month, never collected (a first start): Graph reads it back; the feed names the days it no longer has.
    return (await this.options.store.coverage(previous)) ? [] : [await collector.collect(previous)];
  }

  private async whyNoLaunches(month: string): Promise<string | null> {
    // Reader off: a collection reads nothing (it only keeps the store's retention), so no answer says one runs.
    if (!this.options.collector?.readsLog) return READER_OFF_NOTE;
    if (this.collecting) {
      this.awaited = true;
      return COLLECTING_NOTE;
    }
    const coverage = await this.options.store.coverage(month);
    if (!coverage?.failed.length) return `The launches of ${month} have not been collected from the audit log yet: say "refresh" to collect them.`;
    const reasons = [...new Set(coverage.failed.map((f) => `${f.reason} ${f.fix}`))];
    return `The audit log could not be read for ${month}: ${reasons.slice(0, 2).join(' ')}`;
  }
}

function withNote(snapshot: TenantSnapshot, note: string | null): TenantSnapshot {
  if (!note) return snapshot;
  const [first, ...rest] = snapshot.sources;
  return first ? { ...snapshot, sources: [{ ...first, warnings: [note, ...(first.warnings ?? [])] }, ...rest] } : snapshot;
}

/** The app inventory as the collector asks for it: a legacy record (RecordType 45) names its app, not its environment. */
export function environmentOfApp(apps: readonly { id: string; environmentId: string }[] | null): (appId: string) => string | undefined {
  const byId = new Map((apps ?? []).map((a) => [a.id.toLowerCase(), a.environmentId]));
  return (appId) => byId.get(appId.toLowerCase());
}
