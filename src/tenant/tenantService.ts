import { analyzeMonths, type MonthlyFigures } from '../licensing/months';
import type { LicensingReport, Prices } from '../licensing/report';
import type { TenantSnapshot } from '../licensing/snapshot';
import { fromSnapshot, type TenantData } from './tenantData';
import { RecentUploads } from './recentUploads';
import { readReportSet, withManagedEvidence, type ReportFile } from './reportSet';
import type { ManagedRequirement } from './csv/adminReports';
import type { UsageIndex } from '../usage/usageIndex';
import { KEPT_UPLOAD_ROWS, MAX_UPLOAD_BYTES, MAX_UPLOAD_ROWS } from './uploadLimits';

/**
 * The tenant as the bot sees it: a snapshot loaded from a source, analysed, and kept
 * for a while. Questions within the TTL share one snapshot; two questions during one
 * refresh share that refresh instead of starting two.
 */
export interface TenantAnswerSource {
  report: LicensingReport;
  snapshot: TenantSnapshot;
  /** The usage behind the report, for per-user detail (an upload keeps no launch objects). */
  ledger: UsageIndex;
  fetchedAt: Date;
  /** Each month's figures per environment, up to the report's month (figures only, no rows). */
  monthly: MonthlyFigures;
  /** Set for an uploaded CSV: the id its cards' buttons carry (TenantService.upload). */
  uploadId?: string;
}

/** Uploads kept for their cards' buttons: the last three, for an hour. */
const UPLOADS_KEPT = 3;
const UPLOAD_TTL_MS = 60 * 60 * 1000;

export type SnapshotLoader = () => Promise<TenantSnapshot>;

export class TenantService {
  private current: TenantAnswerSource | null = null;
  private inflight: Promise<TenantAnswerSource> | null = null;
  private readonly uploads: RecentUploads<TenantAnswerSource>;

  constructor(
    private readonly load: SnapshotLoader,
    private readonly options: { ttlMs: number; prices: Prices; now?: () => Date },
  ) {
    this.uploads = new RecentUploads({ keep: UPLOADS_KEPT, ttlMs: UPLOAD_TTL_MS, now: () => this.now().getTime(), budget: KEPT_UPLOAD_ROWS });
  }

  /** True when an answer would need a fetch (for the "checking your tenant..." message). */
  isStale(): boolean {
    return !this.current || this.now().getTime() - this.current.fetchedAt.getTime() > this.options.ttlMs;
  }

  async get(): Promise<TenantAnswerSource> {
    if (!this.isStale()) return this.current!;
    return this.refresh();
  }

  refresh(): Promise<TenantAnswerSource> {
    if (!this.inflight) {
      this.inflight = (async () => {
        try {
          const snapshot = await this.load();
          this.current = this.answerSource(snapshot, fromSnapshot(snapshot));
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
   * the current inventory; kept like an upload. Each file's source line names it.
   */
  async analyzeReports(files: readonly ReportFile[], options: { limits?: { bytes: number; rows: number } } = {}): Promise<TenantAnswerSource> {
    const limits = options.limits ?? { bytes: MAX_UPLOAD_BYTES, rows: MAX_UPLOAD_ROWS };
    const base = await this.get();
    // Kept uploads make room first, for as many rows as these files may hold, so a kept one and the one being read fit in memory together.
    this.uploads.makeRoom(limits.rows);
    const data = await readReportSet(files, base.snapshot, { describe: (name) => `Uploaded ${name}`, limits });
    const source = this.answerSource({ ...data.inventory, launches: [] }, data, data.managedRequired);
    source.uploadId = this.uploads.add(source, data.rowsRead);
    return source;
  }

  /** An upload analysed earlier, while it is kept; null once it is not. */
  upload(id: string): TenantAnswerSource | null {
    return this.uploads.get(id);
  }

  private answerSource(snapshot: TenantSnapshot, data: TenantData, managed: readonly ManagedRequirement[] = []): TenantAnswerSource {
    const fetchedAt = this.now();
    const { report, monthly } = analyzeMonths(data.inventory, data.ledger, { prices: this.options.prices, generatedAt: fetchedAt.toISOString() });
    return { snapshot, ledger: data.ledger, fetchedAt, report: withManagedEvidence(report, managed), monthly };
  }

  private now(): Date {
    return this.options.now ? this.options.now() : new Date();
  }
}
