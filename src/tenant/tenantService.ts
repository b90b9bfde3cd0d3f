import type { Prices } from '../licensing/report';
import type { TenantSnapshot } from '../licensing/snapshot';
import { fromSnapshot, toSnapshot, type TenantData } from './tenantData';
import { RecentUploads } from './recentUploads';
import { readReportSet, type ReportFile, type ReportSetData, type ReportSetOptions } from './reportSet';
import { analyzeTenant, type AnalyzedTenant } from './analyzedTenant';
import { KEPT_UPLOAD_ROWS, MAX_UPLOAD_BYTES, MAX_UPLOAD_ROWS, RECLAIM_AFTER_ROWS, rowsAtMost } from './uploadLimits';
import { reclaimMemory } from './memoryReclaim';

/** An upload's analysis, and which files it read, replaced (ReportSetOptions.replaces) and how many rows it holds. */
export interface ReportSetAnalysis extends Pick<ReportSetData, 'files' | 'replaced' | 'rowsRead'> {
  upload: AnalyzedTenant & { uploadId: string };
}

/** Uploads kept for their cards' buttons: the last three, for an hour, as memory allows (KEPT_UPLOAD_ROWS). */
const UPLOADS_KEPT = 3;
const UPLOAD_TTL_MS = 60 * 60 * 1000;

/** What a source loads: a snapshot, or data with its usage in a ledger already (the live tenant with the audit log's launches) and the month to answer for. */
export type SnapshotLoader = () => Promise<TenantSnapshot | (TenantData & { month?: string })>;

/**
 * The longest a chat turn waits on a reading of the tenant, a question's or an upload's
 * (which is read against the tenant's inventory): past it the answer says the reading goes
 * on, and it finishes for the next asker. Below Teams' patience for a card action's answer,
 * and far below a throttled service's hour (issue 23: "Checking your tenant..." and then
 * nothing for minutes).
 */
export const TENANT_WAIT_MS = 20_000;

/** A reading of the tenant outlasted the wait for it; it goes on. */
export class TenantStillReadingError extends Error {
  constructor(waitMs: number) {
    super(`Microsoft's admin APIs have not answered within ${Math.round(waitMs / 1000)} s (a slow or throttling service), so your tenant's inventory, which an upload is read against, is not here yet. The reading goes on.`);
    this.name = 'TenantStillReadingError';
  }
}

/**
 * The tenant as the bot sees it: a snapshot loaded from a source, analysed, and kept
 * for a while. Questions within the TTL share one analysis; two questions during one
 * refresh share that refresh instead of starting two.
 */
export class TenantService {
  private current: AnalyzedTenant | null = null;
  private inflight: Promise<AnalyzedTenant> | null = null;
  private readonly uploads: RecentUploads<AnalyzedTenant>;

  constructor(
    private readonly load: SnapshotLoader,
    private readonly options: { ttlMs: number; prices: Prices; now?: () => Date; keptRows?: number; uploadWaitMs?: number; againstLog?: (data: ReportSetData) => Promise<ReportSetData> },
  ) {
    this.uploads = new RecentUploads({ keep: UPLOADS_KEPT, ttlMs: UPLOAD_TTL_MS, now: () => this.now().getTime(), budget: options.keptRows ?? KEPT_UPLOAD_ROWS });
  }

  /** How old the figures may be before an answer reads the tenant again. */
  get maxAgeMs(): number {
    return this.options.ttlMs;
  }

  /** True when an answer would need a fetch (for the "checking your tenant..." message). */
  isStale(): boolean {
    return !this.current || this.now().getTime() - this.current.fetchedAt.getTime() > this.options.ttlMs;
  }

  /** The analysis within its TTL, at once; null when an answer would read the tenant first. */
  cached(): AnalyzedTenant | null {
    return this.isStale() ? null : this.current;
  }

  async get(): Promise<AnalyzedTenant> {
    if (!this.isStale()) return this.current!;
    return this.refresh();
  }

  refresh(): Promise<AnalyzedTenant> {
    if (!this.inflight) {
      this.inflight = (async () => {
        try {
          const loaded = await this.load();
          const data = 'ledger' in loaded ? loaded : fromSnapshot(loaded);
          this.current = analyzeTenant(data, { prices: this.options.prices, fetchedAt: this.now(), month: 'month' in loaded && typeof loaded.month === 'string' ? loaded.month : undefined });
          return this.current;
        } finally {
          this.inflight = null;
        }
      })();
    }
    return this.inflight;
  }

  /**
   * Admin center reports dropped together (several months of Active users, All licensed
   * users, Users requiring licenses in Managed Environments) analysed as one, against
   * the current inventory; kept like an upload. Each file's source line names it; with
   * `replaces`, a file a later one replaces is left out (UploadWindows: a report dropped again).
   */
  async analyzeReports(files: readonly ReportFile[], options: { limits?: { bytes: number; rows: number }; replaces?: ReportSetOptions['replaces'] } = {}): Promise<ReportSetAnalysis> {
    const limits = options.limits ?? { bytes: MAX_UPLOAD_BYTES, rows: MAX_UPLOAD_ROWS };
    const base = await this.tenantForUpload();
    // Kept uploads make room first, for as many rows as these files can hold, so the kept ones and the one being read fit in memory together.
    const room = files.every((f) => f.bytes !== undefined) ? rowsAtMost(files.map((f) => f.bytes!), limits.rows) : limits.rows;
    // V8 would size its next collection from the heap that still held them, letting the read's garbage pile up on top.
    if (this.uploads.makeRoom(room) >= RECLAIM_AFTER_ROWS) reclaimMemory();
    const read = await readReportSet(files, toSnapshot(base), { describe: (name) => `Uploaded ${name}`, limits, replaces: options.replaces });
    // On a live tenant: the report's bookings win, compared with what the audit log collected of its month.
    const data = this.options.againstLog ? await this.options.againstLog(read) : read;
    const analysis = analyzeTenant(data, { prices: this.options.prices, fetchedAt: this.now(), betweenMonths: data.rowsRead >= RECLAIM_AFTER_ROWS ? reclaimMemory : undefined });
    const upload = Object.assign(analysis, { uploadId: this.uploads.add(analysis, data.rowsRead) });
    return { upload, files: data.files, replaced: data.replaced, rowsRead: data.rowsRead };
  }

  /** The tenant an upload is read against, waited on at most uploadWaitMs: a drop holds its chat's turn, "new upload" included. */
  private async tenantForUpload(): Promise<AnalyzedTenant> {
    const pending = this.get();
    const waitMs = this.options.uploadWaitMs ?? TENANT_WAIT_MS;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_resolve, reject) => (timer = setTimeout(() => reject(new TenantStillReadingError(waitMs)), waitMs)));
    pending.catch(() => undefined);
    try {
      return await Promise.race([pending, late]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Drops an upload's analysis before its time ("new upload"): its buttons then say to drop the file again. */
  forgetUpload(id: string): void {
    this.uploads.delete(id);
  }

  /** An upload analysed earlier, while it is kept; null once it is not. */
  upload(id: string): AnalyzedTenant | null {
    return this.uploads.get(id);
  }

  private now(): Date {
    return this.options.now ? this.options.now() : new Date();
  }
}
