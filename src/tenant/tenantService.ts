import { analyze } from '../licensing/analyze';
import type { LicensingReport, Prices } from '../licensing/report';
import type { TenantSnapshot } from '../licensing/snapshot';
import { fromSnapshot, withCsvUsage, type TenantData } from './tenantData';
import { RecentUploads } from './recentUploads';
import type { UsageIndex } from '../usage/usageIndex';

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
    this.uploads = new RecentUploads({ keep: UPLOADS_KEPT, ttlMs: UPLOAD_TTL_MS, now: () => this.now().getTime() });
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
   * An uploaded Active users CSV analysed against the current inventory. It does not
   * replace the tenant's own data: it answers that one file, with its figures and
   * findings. Its rows are not kept as launch objects, which would cost a large upload
   * hundreds of megabytes (docs/performance.md); per-user detail reads the ledger.
   */
  async analyzeCsv(chunks: AsyncIterable<Buffer | string>, fileName: string): Promise<TenantAnswerSource> {
    const base = await this.get();
    const { launches: _launches, ...inventory } = base.snapshot;
    const data: TenantData = await withCsvUsage(chunks, inventory, { description: `Uploaded ${fileName}` });
    const source = this.answerSource({ ...data.inventory, launches: [] }, data);
    source.uploadId = this.uploads.add(source);
    return source;
  }

  /** An upload analysed earlier, while it is kept; null once it is not. */
  upload(id: string): TenantAnswerSource | null {
    return this.uploads.get(id);
  }

  private answerSource(snapshot: TenantSnapshot, data: TenantData): TenantAnswerSource {
    const fetchedAt = this.now();
    return { snapshot, ledger: data.ledger, fetchedAt, report: analyze(data.inventory, data.ledger, { prices: this.options.prices, generatedAt: fetchedAt.toISOString() }) };
  }

  private now(): Date {
    return this.options.now ? this.options.now() : new Date();
  }
}
