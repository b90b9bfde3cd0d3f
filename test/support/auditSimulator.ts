import type { TenantSnapshot } from '../../src/licensing/snapshot';

/**
 * The two audit log APIs, as documented, for the tenant simulator (tenantSimulator.ts
 * mounts this; it has already checked the token's audience):
 * - Graph audit log queries: POST /v1.0/security/auditLog/queries -> 201 {id, status:
 *   notStarted}; GET …/queries/{id} goes notStarted -> running -> succeeded (or failed,
 *   cancelled), with isRecordCountLimitExceeded; GET …/queries/{id}/records pages
 *   auditLogRecords by @odata.nextLink. Source: microsoftgraph/microsoft-graph-docs-contrib
 *   api-reference/v1.0/api/security-auditcoreroot-post-auditlogqueries.md,
 *   security-auditlogquery-list-records.md, resources/security-auditlogquery.md.
 *   Throttling: 429 with Retry-After (Graph throttling guidance).
 * - Office 365 Management Activity API: /api/v1.0/{tenant}/activity/feed/subscriptions/
 *   start, …/subscriptions/list, …/subscriptions/content (startTime/endTime ≤ 24 h apart, ≤ 7 days back; next
 *   page in the NextPageUri header), GET {contentUri} -> array of records of every
 *   Audit.General workload. Source: MicrosoftDocs/office-365-management-api
 *   office-365-management-activity-api-reference.md ("Errors": AF20022, AF20030, AF20051,
 *   AF10001); troubleshooting-the-office-365-management-activity-api.md (403 AF429).
 *   AF20024 ("already enabled", 400) and AF20055 (a refused window) are not in the
 *   reference: as public clients see them (wazuh office365 tests; Elastic o365audit).
 * Records: RecordType 256 with PropertyCollection (MicrosoftDocs/power-platform
 * admin/activity-logging-auditing/activity-logs-power-apps.md, "Schema"), or legacy 45
 * with AppName (shared/design/payloads/audit/legacy-record-45.json).
 */

/** One launch the log should hold. */
export interface SimLaunch {
  /** Epoch ms. */
  at: number;
  environmentId: string;
  environmentName?: string;
  appId: string;
  appName?: string;
  userPrincipalName: string;
  userObjectId: string;
}

/** Launches by time, indexable without holding them all: a million can be served lazily. */
export interface LaunchSource {
  /** How many launches happened in [fromMs, toMs), and the index of the first. */
  range(fromMs: number, toMs: number): { first: number; count: number };
  at(index: number): SimLaunch;
}

export interface AuditFaults {
  /** Status polls a Graph query answers notStarted, then running, before it ends. */
  pollsBeforeDone: number;
  queryOutcome: 'succeeded' | 'failed' | 'cancelled';
  /** A query over more records than this succeeds with isRecordCountLimitExceeded. */
  recordCountLimit: number | null;
  /** Audit calls answered as throttled (Graph 429 + Retry-After; Office 365 403 AF429) before answering. */
  throttleCalls: number;
  retryAfterSeconds: number;
  /** The audit permission refused: Graph 403, or Office 365 AF10001. */
  refused: ('graph' | 'officeManagement')[];
  /** Unified auditing off: every query and feed answers, with no records. */
  auditingOff: boolean;
  /** Every nth launch record is served twice (duplicates are expected). */
  duplicateEvery: number;
  /** Every nth launch is followed by a record of another operation. */
  otherOperationEvery: number;
  /** Every nth launch is in the legacy RecordType 45 shape (no environment in it). */
  legacyEvery: number;
  /** Every nth launch is followed by a malformed record. */
  malformedEvery: number;
  /** A Graph query also returns launches from the hour before its period. */
  outsidePeriod: boolean;
  /** Content blobs created before this time answer AF20051 (expired). */
  expiredBefore: number | null;
  /** The Office 365 subscription exists already (start answers AF20024). */
  subscribed: boolean;
  pageSize: number;
  /** Graph's next-page link points at another origin (a client must not follow it with its token). */
  foreignNextLink: boolean;
  /** The simulator's clock (epoch ms) for the 7-day rule; null: the real clock. */
  now: number | null;
}

export const NO_AUDIT_FAULTS: AuditFaults = {
  pollsBeforeDone: 2,
  queryOutcome: 'succeeded',
  recordCountLimit: null,
  throttleCalls: 0,
  retryAfterSeconds: 1,
  refused: [],
  auditingOff: false,
  duplicateEvery: 0,
  otherOperationEvery: 0,
  legacyEvery: 0,
  malformedEvery: 0,
  outsidePeriod: false,
  expiredBefore: null,
  subscribed: false,
  pageSize: 100,
  foreignNextLink: false,
  now: null,
};

export interface AuditAnswer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Content blobs are made this long after the hour of the records they hold (records arrive late). */
const CONTENT_DELAY = 40 * 60_000;

const guid = (n: number, tag: number): string => `${tag.toString(16).padStart(8, '0')}-0000-4000-9000-${n.toString(16).padStart(12, '0')}`;

/** A seed's launches of `month` as the log holds them: model-driven apps are not in it; each user launches an app 1 to 3 times. */
export function seedLaunches(seed: TenantSnapshot, month = '2026-11'): LaunchSource {
  const [y, m] = month.split('-').map(Number);
  const start = Date.UTC(y, m - 1, 1);
  const span = Date.UTC(y, m, 1) - start;
  const modelDriven = new Set((seed.apps ?? []).filter((a) => a.type === 'model-driven').map((a) => a.id));
  const users = seed.users ?? [];
  const objectIdOf = (upn: string): string => {
    const i = users.findIndex((u) => u.userPrincipalName.toLowerCase() === upn.toLowerCase());
    return users[i]?.id ?? `00000000-0000-4000-9000-${String(i < 0 ? 999999 : i).padStart(12, '0')}`;
  };
  const list: SimLaunch[] = [];
  seed.launches
    .filter((l) => (l.month ?? month) === month && !modelDriven.has(l.appId))
    .forEach((l, i) => {
      for (let k = 0; k <= i % 3; k++) {
        list.push({ at: start + Math.floor(((i * 7919 + k * 104729) % 1000) / 1000 * span), environmentId: l.environmentId, environmentName: l.environmentName, appId: l.appId, appName: l.appName, userPrincipalName: l.userPrincipalName, userObjectId: objectIdOf(l.userPrincipalName) });
      }
    });
  return launchList(list);
}

/** Several sources' launches as one (the months of a tenant that launched apps in each). */
export function joinedLaunches(...sources: LaunchSource[]): LaunchSource {
  return launchList(sources.flatMap((s) => {
    const { first, count } = s.range(-Infinity, Infinity);
    return Array.from({ length: count }, (_, i) => s.at(first + i));
  }));
}

function launchList(list: SimLaunch[]): LaunchSource {
  list.sort((a, b) => a.at - b.at);
  return {
    range(from, to) {
      const first = list.findIndex((l) => l.at >= from);
      if (first < 0) return { first: list.length, count: 0 };
      let last = first;
      while (last < list.length && list[last].at < to) last++;
      return { first, count: last - first };
    },
    at: (i) => list[i],
  };
}

/**
 * What the log holds of [from, to) by a source: each distinct (environment, app, user) as
 * `environment|app|user` with the records behind it (what a collection must read back).
 */
export function expectedLaunches(source: LaunchSource, from: string, to: string): Map<string, number> {
  const { first, count } = source.range(Date.parse(from), Date.parse(to));
  const out = new Map<string, number>();
  for (let i = first; i < first + count; i++) {
    const l = source.at(i);
    const key = `${l.environmentId}|${l.appId}|${l.userPrincipalName.toLowerCase()}`;
    out.set(key, (out.get(key) ?? 0) + 1);
  }
  return out;
}

export class AuditSimulator {
  faults: AuditFaults = { ...NO_AUDIT_FAULTS };
  private readonly queries = new Map<string, { start: number; end: number; polls: number }>();
  private nextQuery = 1;
  private subscribed = false;
  /** Queries created and content blobs fetched, for tests. */
  readonly stats = { queries: 0, contentFetched: 0, lists: 0 };

  constructor(
    public source: LaunchSource,
    private readonly tenantId: string,
  ) {}

  reset(faults: Partial<AuditFaults> = {}): void {
    this.faults = { ...NO_AUDIT_FAULTS, ...faults };
    this.subscribed = this.faults.subscribed;
    this.queries.clear();
    this.stats.queries = this.stats.contentFetched = this.stats.lists = 0;
  }

  static handles(path: string): boolean {
    return path.startsWith('/v1.0/security/auditLog/') || /^\/api\/v1\.0\/[^/]+\/activity\/feed\//.test(path);
  }

  private now(): number {
    return this.faults.now ?? Date.now();
  }

  answer(method: string, url: URL, body: string, origin: string): AuditAnswer {
    const graph = url.pathname.startsWith('/v1.0/');
    if (this.faults.throttleCalls > 0) {
      this.faults.throttleCalls--;
      return graph
        ? { status: 429, body: { error: { code: 'TooManyRequests', message: 'Too many requests.' } }, headers: { 'Retry-After': String(this.faults.retryAfterSeconds) } }
        : { status: 403, body: { error: { code: 'AF429', message: `Too many requests. Method=${method === 'GET' ? 'GetBlob' : method}, PublisherId=${this.tenantId}` } } };
    }
    if (graph) {
      if (this.faults.refused.includes('graph')) return { status: 403, body: { error: { code: 'Authorization_RequestDenied', message: 'Insufficient privileges to complete the operation.' } } };
      return this.graph(method, url, body, origin);
    }
    if (this.faults.refused.includes('officeManagement')) {
      return { status: 401, body: { error: { code: 'AF10001', message: 'The permission set (Directory.Read.All) sent in the request did not include the expected permission ActivityFeed.Read.' } } };
    }
    return this.office(method, url, origin);
  }

  private graph(method: string, url: URL, body: string, origin: string): AuditAnswer {
    const path = url.pathname;
    if (method === 'POST' && path === '/v1.0/security/auditLog/queries') {
      let q: { filterStartDateTime?: string; filterEndDateTime?: string; operationFilters?: string[]; displayName?: string };
      try {
        q = JSON.parse(body);
      } catch {
        return { status: 400, body: { error: { code: 'BadRequest', message: 'The request body is not JSON.' } } };
      }
      const id = `168ec429-084b-a489-90d8-${String(this.nextQuery++).padStart(12, '0')}`;
      this.queries.set(id, { start: Date.parse(q.filterStartDateTime ?? ''), end: Date.parse(q.filterEndDateTime ?? ''), polls: 0 });
      this.stats.queries++;
      return { status: 201, body: { '@odata.context': `${origin}/v1.0/$metadata#security/auditLog/queries/$entity`, id, displayName: q.displayName ?? null, filterStartDateTime: q.filterStartDateTime, filterEndDateTime: q.filterEndDateTime, operationFilters: q.operationFilters ?? [], recordTypeFilters: [], status: 'notStarted' } };
    }
    const m = /^\/v1\.0\/security\/auditLog\/queries\/([^/]+)(\/records)?$/.exec(path);
    const query = m ? this.queries.get(decodeURIComponent(m[1])) : undefined;
    if (!m || !query) return { status: 404, body: { error: { code: 'NotFound', message: 'The audit log query was not found.' } } };
    const range = this.faults.auditingOff ? { first: 0, count: 0 } : this.source.range(this.faults.outsidePeriod ? query.start - HOUR : query.start, query.end);
    if (!m[2]) {
      query.polls++;
      const status = query.polls <= this.faults.pollsBeforeDone ? (query.polls === 1 ? 'notStarted' : 'running') : this.faults.queryOutcome;
      const exceeded = this.faults.recordCountLimit !== null && range.count > this.faults.recordCountLimit;
      return { status: 200, body: { id: m[1], filterStartDateTime: new Date(query.start).toISOString(), filterEndDateTime: new Date(query.end).toISOString(), operationFilters: ['LaunchPowerApp'], status, isRecordCountLimitExceeded: exceeded, approximateReturnedRecordCount: range.count, recordCountLimit: this.faults.recordCountLimit } };
    }
    const skip = Number(url.searchParams.get('$skiptoken') ?? 0);
    const records: unknown[] = [];
    const take = Math.min(this.faults.pageSize, range.count - skip);
    for (let i = 0; i < take; i++) records.push(...this.recordsOf(range.first + skip + i).map(graphRecord));
    const out: Record<string, unknown> = { '@odata.context': `${origin}/v1.0/$metadata#security/auditLog/queries('${m[1]}')/records`, value: records };
    if (skip + take < range.count) out['@odata.nextLink'] = `${this.faults.foreignNextLink ? 'https://attacker.example' : origin}${path}?$skiptoken=${skip + take}`;
    return { status: 200, body: out };
  }

  private office(method: string, url: URL, origin: string): AuditAnswer {
    const path = url.pathname;
    const root = `/api/v1.0/${this.tenantId}/activity/feed`;
    if (!path.startsWith(root)) return { status: 400, body: { error: { code: 'AF20010', message: 'The tenant ID passed in the URL does not match the tenant ID passed in the access token.' } } };
    if (method === 'POST' && path === `${root}/subscriptions/start`) {
      if (url.searchParams.get('contentType') !== 'Audit.General') return { status: 400, body: { error: { code: 'AF20020', message: 'The specified content type is not valid.' } } };
      if (this.subscribed) return { status: 400, body: { error: { code: 'AF20024', message: 'The subscription is already enabled. No property change.' } } };
      this.subscribed = true;
      return { status: 200, body: { contentType: 'Audit.General', status: 'enabled', webhook: null } };
    }
    // "List current subscriptions": each subscription's contentType and status (a content type never started is not listed).
    if (method === 'GET' && path === `${root}/subscriptions/list`) {
      return { status: 200, body: this.subscribed ? [{ contentType: 'Audit.General', status: 'enabled', webhook: null }] : [] };
    }
    if (method === 'GET' && path === `${root}/subscriptions/content`) {
      this.stats.lists++;
      if (!this.subscribed) return { status: 400, body: { error: { code: 'AF20022', message: 'No subscription found for the specified content type' } } };
      const start = Date.parse(`${url.searchParams.get('startTime')}Z`);
      const end = Date.parse(`${url.searchParams.get('endTime')}Z`);
      if (!Number.isFinite(start) || !Number.isFinite(end) || end - start > DAY || end <= start || start < this.now() - 7 * DAY) {
        return { status: 400, body: { error: { code: 'AF20055', message: 'Start time and end time must both be specified (or both omitted) and must be less than or equal to 24 hours apart, with the start time no more than 7 days in the past.' } } };
      }
      // One content blob per hour of launches, made CONTENT_DELAY after the hour ends; listed by when it was made.
      const blobs: number[] = [];
      for (let hour = Math.floor((start - CONTENT_DELAY - HOUR) / HOUR) * HOUR; hour + HOUR + CONTENT_DELAY < end; hour += HOUR) {
        const created = hour + HOUR + CONTENT_DELAY;
        if (created >= start && created < end && created <= this.now()) blobs.push(hour);
      }
      const page = Number(url.searchParams.get('nextPage') ?? 0);
      const slice = blobs.slice(page, page + this.faults.pageSize);
      const headers: Record<string, string> = {};
      if (page + this.faults.pageSize < blobs.length) {
        const next = new URL(`${origin}${path}`);
        next.search = url.search;
        next.searchParams.set('nextPage', String(page + this.faults.pageSize));
        headers.NextPageUri = next.toString();
      }
      const body = slice.map((hour) => {
        const id = `${hour}$${hour + HOUR}$audit_general$Audit_General$na0034`;
        return { contentType: 'Audit.General', contentId: id, contentUri: `${origin}${root}/audit/${encodeURIComponent(id)}`, contentCreated: new Date(hour + HOUR + CONTENT_DELAY).toISOString(), contentExpiration: new Date(hour + HOUR + CONTENT_DELAY + 7 * DAY).toISOString() };
      });
      return { status: 200, body, headers };
    }
    const blob = new RegExp(`^${root.replace(/[.$]/g, '\\$&')}/audit/(.+)$`).exec(path);
    if (method === 'GET' && blob) {
      this.stats.contentFetched++;
      const hour = Number(decodeURIComponent(blob[1]).split('$')[0]);
      if (!Number.isFinite(hour)) return { status: 400, body: { error: { code: 'AF20052', message: `Content ID ${blob[1]} in the URL is invalid.` } } };
      if (this.faults.expiredBefore !== null && hour + HOUR + CONTENT_DELAY < this.faults.expiredBefore) {
        return { status: 400, body: { error: { code: 'AF20051', message: `Content requested with the key ${blob[1]} has already expired. Content older than 7 days cannot be retrieved.` } } };
      }
      if (this.faults.auditingOff) return { status: 200, body: [] };
      const range = this.source.range(hour, hour + HOUR);
      const records: unknown[] = [];
      for (let i = 0; i < range.count; i++) records.push(...this.recordsOf(range.first + i));
      return { status: 200, body: records };
    }
    return { status: 404, body: { error: { code: 'AF20050', message: `The specified content (${path}) does not exist.` } } };
  }

  /** The raw records of launch `i`: the launch, and per the faults its duplicate, another operation, a malformed one. */
  private recordsOf(i: number): Record<string, unknown>[] {
    const l = this.source.at(i);
    const f = this.faults;
    const every = (n: number) => n > 0 && i % n === n - 1;
    const launch = every(f.legacyEvery) ? legacyRecord(l, guid(i, 45), this.tenantId) : currentRecord(l, guid(i, 256), this.tenantId, 'LaunchPowerApp');
    const out = [launch];
    if (every(f.duplicateEvery)) out.push(launch);
    if (every(f.otherOperationEvery)) out.push(currentRecord(l, guid(i, 257), this.tenantId, 'PublishPowerApp'));
    if (every(f.malformedEvery)) out.push({ Id: guid(i, 258), Operation: 'LaunchPowerApp', RecordType: 256, CreationTime: 'not a time', PropertyCollection: 'not an array' });
    return out;
  }
}

/** RecordType 256 (activity-logs-power-apps.md "Schema"; the Graph sample in shared/design/payloads/audit). */
function currentRecord(l: SimLaunch, id: string, tenantId: string, operation: string): Record<string, unknown> {
  return {
    CreationTime: new Date(l.at).toISOString().slice(0, 19),
    Id: id,
    Operation: operation,
    OrganizationId: tenantId,
    RecordType: 256,
    ResultStatus: 'Succeeded',
    UserKey: l.userObjectId,
    // An ordinary launch seen as UserType 2 / role Admin: never a filter.
    UserType: 2,
    Version: 1,
    Workload: 'PowerPlatform',
    UserId: l.userPrincipalName,
    ClientIP: '203.0.113.5',
    PropertyCollection: [
      { Name: 'powerplatform.analytics.resource.power_app.display_name', Value: l.appName ?? '' },
      { Name: 'powerplatform.analytics.resource.power_app.id', Value: l.appId },
      { Name: 'powerplatform.analytics.resource.environment.name', Value: l.environmentName ?? '' },
      { Name: 'powerplatform.analytics.resource.environment.id', Value: l.environmentId },
      { Name: 'type', Value: 'PowerPlatformAdministratorActivityRecord' },
      { Name: 'powerplatform.analytics.resource.type', Value: 'PowerApp' },
      { Name: 'powerplatform.analytics.activity.name', Value: operation },
      { Name: 'enduser.id', Value: l.userObjectId },
      { Name: 'enduser.principal_name', Value: l.userPrincipalName },
      { Name: 'enduser.role', Value: 'Admin' },
      { Name: 'powerplatform.analytics.resource.tenant.id', Value: tenantId },
    ],
  };
}

/** RecordType 45 (shared/design/payloads/audit/legacy-record-45.json): the app in AppName, no environment. */
function legacyRecord(l: SimLaunch, id: string, tenantId: string): Record<string, unknown> {
  return { CreationTime: new Date(l.at).toISOString().slice(0, 19), Id: id, Operation: 'LaunchPowerApp', OrganizationId: tenantId, RecordType: 45, ResultStatus: 'Succeeded', UserKey: l.userObjectId, UserType: 0, Version: 1, Workload: 'PowerApps', ObjectId: l.appId, UserId: l.userPrincipalName, AppName: l.appId, AdditionalInfo: '{}' };
}

/** A Graph auditLogRecord around the record (security-auditlogquery-list-records.md). */
function graphRecord(r: Record<string, unknown>): Record<string, unknown> {
  return {
    id: r.Id,
    createdDateTime: typeof r.CreationTime === 'string' ? `${r.CreationTime}Z` : r.CreationTime,
    auditLogRecordType: r.RecordType === 45 ? 'powerAppsApp' : 'unknownFutureValue',
    operation: r.Operation,
    organizationId: r.OrganizationId,
    userType: 'regular',
    userId: r.UserId,
    service: r.Workload,
    objectId: '',
    userPrincipalName: r.UserId,
    clientIp: '203.0.113.5',
    administrativeUnits: [],
    auditData: { '@odata.type': '#microsoft.graph.security.powerPlatformAdministratorActivityRecord', ...r },
  };
}
