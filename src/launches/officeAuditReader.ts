import { AuditHttp, AuditReadError, type AuditHttpOptions } from './auditHttp';
import { OFFICE_AUDIT_FIX, type AuditReader, type ReadOptions } from './auditReader';
import type { AuditPeriod } from './launch';
import { LAUNCH_OPERATION } from './auditRecord';

/**
 * Launch records from the Office 365 Management Activity API, the one audit log API of
 * GCC, GCC High and DoD (MicrosoftDocs/office-365-management-api, office-365-management-
 * activity-api-reference.md; every call and code below is from that page unless named):
 * - `GET {root}/subscriptions/list` ("List current subscriptions": a JSON array of
 *   {contentType, status, webhook}) first: when Audit.General is listed `enabled`, nothing
 *   is written. Only otherwise
 *   `POST {root}/subscriptions/start?contentType=Audit.General` ("Start a subscription";
 *   Power Platform records are in Audit.General, "all other workloads"): the one write
 *   PassLens makes, once per tenant while the subscription stays on.
 *   A subscription that exists answers 400 AF20024 "already enabled" (not in the reference;
 *   as public clients read it, e.g. wazuh's office365 module tests and the Elastic
 *   o365audit input): that is the state wanted.
 * - `GET {root}/subscriptions/content?contentType=Audit.General&startTime&endTime`
 *   ("List available content"): both times, at most 24 hours apart, the start no more
 *   than 7 days back; the window is on `contentCreated`, not on when the launch happened
 *   (troubleshooting-the-office-365-management-activity-api.md). More pages: the
 *   `NextPageUri` response header ("Pagination").
 * - `GET {contentUri}` ("Retrieve content"): an array of records of every Audit.General
 *   workload; only LaunchPowerApp is kept.
 * - Every call carries PublisherIdentifier = the tenant id, for the tenant's own quota
 *   (troubleshooting page, "Requesting content blobs and throttling").
 * - Codes: AF10001 permission; AF20022 no subscription; AF20030 bad window, and AF20055
 *   (not in the reference; the Elastic o365audit input, listblobs.go, treats it as
 *   AF20030); AF20051 content expired; throttling is HTTP 403 AF429 (auditHttp.ts).
 * Token audience: the API's host (get-started-with-office-365-management-apis.md; the
 *   troubleshooting page asks for resource https://manage.office.com).
 */
export interface OfficeAuditOptions extends Omit<AuditHttpOptions, 'api' | 'baseUrl'> {
  officeManagementUrl: string;
  tenantId: string;
}

const DAY_MS = 86_400_000;
/** "no more than 7 days in the past"; a little inside it, so a window never starts just past the edge. */
const FEED_DAYS_MS = 7 * DAY_MS - 5 * 60_000;

interface ContentItem {
  contentUri?: string;
  contentId?: string;
}

export class OfficeAuditReader implements AuditReader {
  readonly kind = 'officeManagement' as const;
  private readonly http: AuditHttp;
  private subscribed: Promise<void> | null = null;

  constructor(private readonly options: OfficeAuditOptions) {
    this.http = new AuditHttp({ ...options, api: 'officeManagement', baseUrl: options.officeManagementUrl });
  }

  earliest(now: Date): Date {
    return new Date(now.getTime() - FEED_DAYS_MS);
  }

  private root(): string {
    return `/api/v1.0/${encodeURIComponent(this.options.tenantId)}/activity/feed`;
  }

  private publisher(url: string): string {
    const u = new URL(this.http.resolve(url));
    if (!u.searchParams.has('PublisherIdentifier')) u.searchParams.set('PublisherIdentifier', this.options.tenantId);
    return u.toString();
  }

  /** Starts the Audit.General subscription once per reader, and only when the list does not show it enabled; "already enabled" is success. */
  ensureSubscription(signal?: AbortSignal): Promise<void> {
    this.subscribed ??= this.call('GET', `${this.root()}/subscriptions/list`, signal)
      .then(async ({ data }) => {
        const listed = Array.isArray(data) ? (data as { contentType?: unknown; status?: unknown }[]) : [];
        const on = listed.some((s) => String(s?.contentType).toLowerCase() === 'audit.general' && String(s?.status).toLowerCase() === 'enabled');
        if (!on) await this.call('POST', `${this.root()}/subscriptions/start?contentType=Audit.General`, signal);
      })
      .catch((e: unknown) => {
        if (e instanceof AuditReadError && e.status === 400 && (e.code === 'AF20024' || /already enabled/i.test(e.message))) return;
        this.subscribed = null;
        throw e;
      });
    return this.subscribed;
  }

  async *pages(period: AuditPeriod, options: ReadOptions = {}): AsyncIterable<unknown[]> {
    const { signal } = options;
    await this.ensureSubscription(signal);
    // Windows of at most 24 hours ("List available content").
    for (let start = Date.parse(period.start); start < Date.parse(period.end); start += DAY_MS) {
      const end = Math.min(start + DAY_MS, Date.parse(period.end));
      let next: string | null = `${this.root()}/subscriptions/content?contentType=Audit.General&startTime=${feedTime(start)}&endTime=${feedTime(end)}`;
      let guard = 0;
      let resubscribed = false;
      while (next) {
        let answer: { data: unknown; next: string | null };
        try {
          answer = await this.list(next, signal);
        } catch (e) {
          // AF20022: the subscription is gone (stopped by an admin): start it again once.
          if (e instanceof AuditReadError && e.code === 'AF20022' && !resubscribed) {
            resubscribed = true;
            this.subscribed = null;
            await this.ensureSubscription(signal);
            continue;
          }
          throw e;
        }
        const items = Array.isArray(answer.data) ? (answer.data as ContentItem[]) : [];
        for (const item of items) {
          if (!item?.contentUri) continue;
          const records = await this.content(item.contentUri, options);
          if (records.length) yield records;
        }
        next = answer.next;
        if (++guard > 100_000) throw new AuditReadError('Paging the Office 365 content list did not end.', null, null, 'Report this to whoever runs PassLens.');
      }
    }
  }

  private async list(url: string, signal?: AbortSignal): Promise<{ data: unknown; next: string | null }> {
    const response = await this.request('GET', url, signal);
    const header = response.headers['nextpageuri'];
    return { data: response.data, next: typeof header === 'string' && header ? header : null };
  }

  /** One content blob's launch records; an expired blob (AF20051) is a gap, named, and the rest read on. */
  private async content(uri: string, options: ReadOptions): Promise<unknown[]> {
    try {
      const { data } = await this.request('GET', uri, options.signal);
      if (!Array.isArray(data)) return [];
      return data.filter((r) => {
        const op = (r as { Operation?: unknown } | null)?.Operation;
        return typeof op !== 'string' || op.toLowerCase() === LAUNCH_OPERATION.toLowerCase();
      });
    } catch (e) {
      if (e instanceof AuditReadError && (e.code === 'AF20051' || e.code === 'AF20050')) {
        options.onGap?.(`a content blob could not be read (${e.code}: ${e.code === 'AF20051' ? 'expired, older than 7 days' : 'does not exist'})`, 'Nothing to do for these records: Microsoft keeps content 7 days. Collect at least daily (the digest timer does) so no content expires unread.');
        return [];
      }
      throw e;
    }
  }

  private request(method: 'GET' | 'POST', url: string, signal?: AbortSignal) {
    return this.call(method, url, signal, true);
  }

  private async call(method: 'GET' | 'POST', url: string, signal?: AbortSignal, raw = false): Promise<{ data: unknown; headers: Record<string, unknown> }> {
    try {
      const response = await this.http.request<unknown>(method, this.publisher(url), undefined, signal);
      return raw ? { data: response.data, headers: response.headers as Record<string, unknown> } : { data: response.data, headers: {} };
    } catch (e) {
      if (!(e instanceof AuditReadError)) throw e;
      if (e.status === 401 || (e.status === 403 && e.code !== 'AF429') || e.code === 'AF10001') {
        throw new AuditReadError(`The Office 365 Management Activity API refused PassLens (${e.status}${e.code ? ` ${e.code}` : ''}): the app registration may not read the activity feed.`, e.status, e.code, OFFICE_AUDIT_FIX, true);
      }
      if (e.code === 'AF20030' || e.code === 'AF20055') {
        throw new AuditReadError(`The Office 365 Management Activity API refused the time window (${e.code}): at most 24 hours, starting no more than 7 days back.`, e.status, e.code, 'Nothing to do: days older than 7 days cannot be read from this API; upload the Active users report for them.');
      }
      throw e;
    }
  }
}

/** `YYYY-MM-DDTHH:MM:SS`, UTC: one of the formats the reference lists for startTime and endTime. */
function feedTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19);
}
