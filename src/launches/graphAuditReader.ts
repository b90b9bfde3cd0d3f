import { AuditHttp, AuditReadError, type AuditHttpOptions } from './auditHttp';
import { GRAPH_AUDIT_FIX, pause, type AuditReader, type ReadOptions } from './auditReader';
import type { AuditPeriod } from './launch';
import { LAUNCH_OPERATION } from './auditRecord';

/**
 * Launch records from the Microsoft Graph audit log query API (v1.0, public cloud only:
 * microsoftgraph/microsoft-graph-docs-contrib api-reference/v1.0/api/security-auditcoreroot-
 * post-auditlogqueries.md includes "global-only"). One query per period:
 * 1. POST /v1.0/security/auditLog/queries {displayName, filterStartDateTime,
 *    filterEndDateTime, operationFilters} -> 201 auditLogQuery {id, status} (same page).
 * 2. GET /v1.0/security/auditLog/queries/{id} until `status` leaves notStarted/running;
 *    succeeded, failed, cancelled (resources/security-auditlogquery.md, auditLogQueryStatus).
 *    Neither page documents how long a query runs nor how often to ask, so the wait doubles
 *    from `pollMs` (PASSLENS_AUDIT_POLL_SECONDS, 15 s) up to a minute, each wait jittered
 *    by up to a fifth either way so queries started together do not poll in step (Graph's
 *    throttling guidance: exponential backoff, concepts/throttling.md; Microsoft's Transient
 *    Fault Handling block: "a random exponential retry interval"); the query is given up at
 *    `deadlineMs` (an hour by default), so one day's wait is bounded.
 *    `isRecordCountLimitExceeded` true means the records are not all there (same page).
 * 3. GET /v1.0/security/auditLog/queries/{id}/records, paged by @odata.nextLink
 *    (security-auditlogquery-list-records.md; Graph paging), each an auditLogRecord whose
 *    `auditData` is the record itself.
 * Permission: application AuditLogsQuery.Read.All ("All Audit Logs"); the per-service
 * variants in the same table do not name Power Platform.
 */
export interface GraphAuditOptions extends Omit<AuditHttpOptions, 'api' | 'baseUrl'> {
  graphUrl: string;
  /** First wait between status polls (ms, default 15 s); doubles up to a minute (POLL_CAP_MS), jittered. */
  pollMs?: number;
  /** How long a query may take before the period is given up (ms). */
  deadlineMs?: number;
}

interface AuditLogQuery {
  id?: string;
  status?: string;
  isRecordCountLimitExceeded?: boolean;
}

/** The longest wait between two status polls. */
export const POLL_CAP_MS = 60_000;

/** `wait` moved by up to a fifth either way (`random` in [0, 1)), never past the cap. */
export function jittered(wait: number, random: number = Math.random()): number {
  return Math.min(POLL_CAP_MS, Math.round(wait * (0.8 + 0.4 * random)));
}

export class GraphAuditReader implements AuditReader {
  readonly kind = 'graph' as const;
  private readonly http: AuditHttp;

  constructor(private readonly options: GraphAuditOptions) {
    this.http = new AuditHttp({ ...options, api: 'graph', baseUrl: options.graphUrl });
  }

  earliest(): Date | null {
    return null;
  }

  async *pages(period: AuditPeriod, options: ReadOptions = {}): AsyncIterable<unknown[]> {
    const { signal } = options;
    const created = await this.call<AuditLogQuery>('POST', '/v1.0/security/auditLog/queries', signal, {
      displayName: `PassLens launches ${period.start}`,
      filterStartDateTime: period.start,
      filterEndDateTime: period.end,
      operationFilters: [LAUNCH_OPERATION],
    });
    const id = created.id;
    if (!id) throw new AuditReadError('Graph created the audit log query without an id.', null, null, 'Ask again later.');
    const query = await this.settle(id, created, signal, options.onStatus);
    if (query.isRecordCountLimitExceeded) {
      throw new AuditReadError(`The audit log query for ${period.start} to ${period.end} exceeded Graph's record-count limit.`, null, 'isRecordCountLimitExceeded', 'PassLens reads this period again in halves.');
    }
    let next: string | null = `/v1.0/security/auditLog/queries/${encodeURIComponent(id)}/records`;
    let guard = 0;
    while (next) {
      const page: { value?: unknown[]; '@odata.nextLink'?: string } = await this.call('GET', next, signal);
      yield Array.isArray(page?.value) ? page.value : [];
      next = page?.['@odata.nextLink'] ?? null;
      if (++guard > 1_000_000) throw new AuditReadError('Paging the audit log records did not end.', null, null, 'Report this to whoever runs PassLens.');
    }
  }

  private async settle(id: string, created: AuditLogQuery, signal?: AbortSignal, onStatus?: (status: string) => void): Promise<AuditLogQuery> {
    const started = Date.now();
    let wait = this.options.pollMs ?? 15_000;
    let query = created;
    const deadline = this.options.deadlineMs ?? 60 * 60_000;
    for (;;) {
      const status = (query.status ?? '').toLowerCase();
      onStatus?.(query.status ?? 'notStarted');
      if (status === 'succeeded') return query;
      if (status === 'failed' || status === 'cancelled') {
        throw new AuditReadError(`Graph's audit log query ended ${status}.`, null, status, 'Nothing to do: PassLens asks again at the next collection.');
      }
      const next = jittered(wait);
      if (Date.now() - started + next > deadline) {
        throw new AuditReadError(`Graph's audit log query was still ${status || 'not started'} after ${Math.round((Date.now() - started) / 60_000)} min.`, null, status || null, 'Nothing to do: PassLens asks again at the next collection.');
      }
      await pause(next, signal).catch(() => {
        throw new AuditReadError('The collection was stopped.', null, null, 'Run the collection again.');
      });
      wait = Math.min(wait * 2, POLL_CAP_MS);
      query = await this.call<AuditLogQuery>('GET', `/v1.0/security/auditLog/queries/${encodeURIComponent(id)}`, signal);
    }
  }

  private async call<T>(method: 'GET' | 'POST', url: string, signal?: AbortSignal, body?: unknown): Promise<T> {
    try {
      return (await this.http.request<T>(method, url, body, signal)).data;
    } catch (e) {
      if (e instanceof AuditReadError && (e.status === 401 || e.status === 403)) {
        throw new AuditReadError(`Microsoft Graph refused the audit log query (${e.status}${e.code ? ` ${e.code}` : ''}): PassLens's app registration may not read the audit log.`, e.status, e.code, GRAPH_AUDIT_FIX, true);
      }
      throw e;
    }
  }
}
