import type https from 'node:https';
import { randomUUID } from 'node:crypto';
import type { LiveSettings } from '../../config';
import { AdminApi, baseUrlsOf } from './adminApi';
import type { ApiHost } from './cloud';
import { GRAPH_SKUS_FIX, GRAPH_USERS_FIX, LiveApiError, REGISTER_FIX } from './errors';
import { ACTIVE_USERS_REPORT_FIX } from './entitlementUsage';
import { allocationsUrl, appsUrl, billingPoliciesUrl, entitlementsUrl, environmentsUrl, graphUsersUrl, insightUrl, subscribedSkusUrl } from './endpoints';
import { isAppPassEntitlement, type EnvironmentEntitlement } from './liveEnvironments';
import type { TokenSource } from './tokens';
import type { AuditReader } from '../../launches/auditReader';
import { probeAuditReader } from '../../launches/auditProbe';

/**
 * `passlens doctor --live` and "check setup" in chat: one probe per source PassLens
 * reads, each `ok`, `refused` (Microsoft's status and error code) or `not available`,
 * with the exact fix. The CLI prints the checks as lines, the bot as a card; both call
 * this. Probes read one page at most and change nothing.
 */
export type CheckStatus = 'ok' | 'refused' | 'not available';

export type SourceId =
  | 'sign-in'
  | 'environments'
  | 'apps'
  | 'allocations'
  | 'billing policies'
  | 'environment entitlements'
  | 'usage insight'
  | 'Graph SKUs'
  | 'Graph users'
  | 'audit log';

export interface SourceCheck {
  source: SourceId;
  /** What was asked, in words (for sign-in: the audience and the APIs that use it). */
  title: string;
  status: CheckStatus;
  /** The HTTP status Microsoft answered, when it answered with an error. */
  httpStatus: number | null;
  /** Microsoft's error code (AADSTS number, `error.code`), when it sent one. */
  errorCode: string | null;
  detail: string;
  /** What to do; null when nothing is to be done. */
  fix: string | null;
  /** Set when this source did not answer but is not needed: why (another source gives the same). */
  notNeeded?: string;
}

export interface SetupCheck {
  checkedAt: string;
  tenantId: string;
  cloud: string;
  checks: SourceCheck[];
  /** 0 every source answers, 1 some are missing, 2 sign-in failed. */
  exitCode: 0 | 1 | 2;
  summary: string;
}

export interface SetupCheckOptions {
  settings: LiveSettings;
  tokens: TokenSource;
  httpsAgent?: https.Agent;
  /** YYYY-MM the usage probe asks for; default the current month. */
  month?: string;
  retries?: number;
  backoffMs?: number;
  /** The audit log reader of PASSLENS_AUDIT_READER, null when off; undefined: not checked. */
  auditReader?: AuditReader | null;
}

const AUDIENCE_USERS: Record<ApiHost, string> = { bap: 'BAP', powerapps: 'Power Apps', powerplatform: 'Power Platform API', graph: 'Microsoft Graph' };

export async function checkSetup(options: SetupCheckOptions): Promise<SetupCheck> {
  const { settings } = options;
  const checks: SourceCheck[] = [];
  const month = options.month ?? new Date().toISOString().slice(0, 7);

  // Sign-in: one token per audience (BAP and Power Apps share one).
  const byAudience = new Map<string, ApiHost[]>();
  for (const api of Object.keys(settings.audiences) as ApiHost[]) byAudience.set(settings.audiences[api], [...(byAudience.get(settings.audiences[api]) ?? []), api]);
  const signedIn = new Set<ApiHost>();
  for (const [audience, apis] of byAudience) {
    const title = `sign-in for ${audience} (${apis.map((a) => AUDIENCE_USERS[a]).join(', ')})`;
    try {
      await options.tokens.token(apis[0]);
      for (const a of apis) signedIn.add(a);
      checks.push({ source: 'sign-in', title, status: 'ok', httpStatus: null, errorCode: null, detail: 'token issued', fix: null });
    } catch (e) {
      if (!(e instanceof LiveApiError)) throw e;
      checks.push({ source: 'sign-in', title, status: 'refused', httpStatus: e.status, errorCode: e.code, detail: e.message, fix: e.action });
    }
  }
  if (signedIn.size < Object.keys(settings.audiences).length) {
    const notChecked = (source: SourceId, title: string): SourceCheck => ({ source, title, status: 'not available', httpStatus: null, errorCode: null, detail: 'not checked: sign-in failed', fix: 'Fix the sign-in first.' });
    for (const [source, title] of PROBES) checks.push(notChecked(source, title));
    return finish(settings, checks);
  }

  const api = new AdminApi({
    tokens: options.tokens,
    concurrency: settings.concurrency,
    timeoutMs: settings.timeoutMs,
    correlationId: randomUUID(),
    httpsAgent: options.httpsAgent,
    retries: options.retries ?? 2,
    baseUrls: baseUrlsOf(settings),
    retryAfterCapMs: settings.retryAfterCapMs,
    backoffMs: options.backoffMs,
  });
  const probe = async <T>(source: SourceId, title: string, read: () => Promise<T>, describe: (body: T) => string, refusedFix: string, notFound?: string): Promise<T | undefined> => {
    try {
      const body = await read();
      checks.push({ source, title, status: 'ok', httpStatus: null, errorCode: null, detail: describe(body), fix: null });
      return body;
    } catch (e) {
      if (!(e instanceof LiveApiError)) throw e;
      if (e.status === 404 && notFound !== undefined) {
        checks.push({ source, title, status: 'ok', httpStatus: 404, errorCode: e.code, detail: notFound, fix: null });
        return undefined;
      }
      const refused = e.status === 401 || e.status === 403;
      checks.push({ source, title, status: refused ? 'refused' : 'not available', httpStatus: e.status, errorCode: e.code, detail: e.message, fix: refused ? refusedFix : e.action });
      return undefined;
    }
  };
  type Page<T> = { value?: T[] } | T[] | null;
  const items = <T>(body: Page<T>): T[] => (Array.isArray(body) ? body : (body?.value ?? []));

  const envs = await probe<Page<{ name: string; properties?: { displayName?: string } }>>('environments', 'environments (BAP)', () => api.get('bap', environmentsUrl(settings)), (b) => `${items(b).length} environment(s) listed`, REGISTER_FIX);
  const first = envs ? items(envs)[0] : undefined;
  const firstName = first ? (first.properties?.displayName ?? first.name) : '';
  const perEnvironment = async <T>(source: SourceId, title: string, read: (id: string) => Promise<T>, describe: (body: T) => string, notFound?: string): Promise<T | undefined> => {
    if (!first) {
      checks.push({ source, title, status: 'not available', httpStatus: null, errorCode: null, detail: envs ? 'not checked: the tenant lists no environment' : 'not checked: the environments could not be listed', fix: envs ? null : 'Fix the environments first.' });
      return undefined;
    }
    return probe(source, `${title} (tried on ${firstName})`, () => read(first.name), describe, REGISTER_FIX, notFound);
  };
  await perEnvironment<Page<unknown>>('apps', 'apps (Power Apps admin API)', (id) => api.get('powerapps', appsUrl(settings, id)), (b) => `${items(b).length} app(s) on the first page`);
  await perEnvironment<{ currencyAllocations?: { currencyType?: string; allocated?: number }[] } | null>(
    'allocations',
    'allocations (Power Platform API)',
    (id) => api.get('powerplatform', allocationsUrl(settings, id)),
    (b) => `${b?.currencyAllocations?.find((c) => c.currencyType === 'AppPass')?.allocated ?? 0} AppPass allocated`,
    'none allocated (404)',
  );
  await probe<Page<{ status?: string }>>(
    'billing policies',
    'billing policies (Power Platform API)',
    () => api.get('powerplatform', billingPoliciesUrl(settings)),
    (b) => `${items(b).length} billing polic${items(b).length === 1 ? 'y' : 'ies'}, ${items(b).filter((p) => (p.status ?? '').toLowerCase() === 'enabled').length} Enabled`,
    REGISTER_FIX,
  );
  const entitlements = await perEnvironment<Page<EnvironmentEntitlement>>(
    'environment entitlements',
    'environment entitlements (Power Platform API)',
    (id) => api.get('powerplatform', entitlementsUrl(settings, id)),
    (b) => `${items(b).length} entitlement(s); AppPass ${items(b).some(isAppPassEntitlement) ? 'listed' : 'not listed'}; isManagedEnvironment ${items(b).some((e) => typeof e.isManagedEnvironment === 'boolean') ? 'given' : 'not given'}`,
  );
  const appPass = entitlements ? items(entitlements).find(isAppPassEntitlement) : undefined;
  const usageTitle = 'usage insight (Power Platform API, entitlement insight)';
  if (!entitlements) {
    checks.push({ source: 'usage insight', title: usageTitle, status: 'not available', httpStatus: null, errorCode: null, detail: 'not checked: the environment entitlements, which list the usage entitlements, could not be read', fix: ACTIVE_USERS_REPORT_FIX });
  } else if (!appPass?.entitlementId) {
    checks.push({ source: 'usage insight', title: usageTitle, status: 'not available', httpStatus: null, errorCode: null, detail: 'no AppPass usage entitlement is listed (Microsoft documents none)', fix: ACTIVE_USERS_REPORT_FIX });
  } else {
    await probe(
      'usage insight',
      usageTitle,
      () => api.get<unknown>('powerplatform', insightUrl(settings, appPass.entitlementId!, month, 1)),
      () => 'answers app-only calls',
      `Microsoft grants no permission that opens it to an app: launches need the audit log (see its line) or the Active users report. ${ACTIVE_USERS_REPORT_FIX}`,
    );
  }
  await probe<Page<unknown>>('Graph SKUs', 'Graph /subscribedSkus', () => api.get('graph', subscribedSkusUrl(settings)), (b) => `${items(b).length} SKU(s)`, GRAPH_SKUS_FIX);
  await probe<Page<unknown>>('Graph users', 'Graph /users', () => api.get('graph', graphUsersUrl(settings, 1)), () => 'users readable', GRAPH_USERS_FIX);
  if (options.auditReader !== undefined) {
    const title = `audit log launches (${settings.auditReader === 'graph' ? 'Graph audit log queries' : settings.auditReader === 'officeManagement' ? 'Office 365 Management Activity API' : 'PASSLENS_AUDIT_READER=off'})`;
    if (!options.auditReader) checks.push({ source: 'audit log', title, status: 'not available', httpStatus: null, errorCode: null, detail: 'not read (PASSLENS_AUDIT_READER=off)', fix: `Set PASSLENS_AUDIT_READER=${settings.cloud === 'public' ? 'graph' : 'officeManagement'} to read launches live, or ${ACTIVE_USERS_REPORT_FIX}` });
    else checks.push({ source: 'audit log', title, ...(await probeAuditReader(options.auditReader, new Date())) });
  }
  return finish(settings, checks);
}

/** The probes after sign-in, in order: listed as not checked when sign-in fails. */
const PROBES: [SourceId, string][] = [
  ['environments', 'environments (BAP)'],
  ['apps', 'apps (Power Apps admin API)'],
  ['allocations', 'allocations (Power Platform API)'],
  ['billing policies', 'billing policies (Power Platform API)'],
  ['environment entitlements', 'environment entitlements (Power Platform API)'],
  ['usage insight', 'usage insight (Power Platform API, entitlement insight)'],
  ['Graph SKUs', 'Graph /subscribedSkus'],
  ['Graph users', 'Graph /users'],
];

function finish(settings: LiveSettings, checks: SourceCheck[]): SetupCheck {
  const signInFailed = checks.some((c) => c.source === 'sign-in' && c.status !== 'ok');
  const optional = launchesElsewhere(checks);
  const missing = checks.filter((c) => c.status !== 'ok' && !optional.has(c));
  const exitCode = signInFailed ? 2 : missing.length ? 1 : 0;
  const answered = checks.filter((c) => c.status === 'ok').length;
  const byStatus = (status: CheckStatus) => missing.filter((c) => c.status === status).map((c) => c.source);
  const parts = [
    ...(['refused', 'not available'] as const).filter((s) => byStatus(s).length).map((s) => `${s}: ${[...new Set(byStatus(s))].join(', ')}`),
    ...[...optional].map(([c, why]) => `${c.source} ${c.status}, not needed: ${why}`),
  ];
  const summary = signInFailed
    ? 'Sign-in failed: nothing else could be checked.'
    : answered === checks.length
      ? `All ${checks.length} sources answer.`
      : `${answered} of ${checks.length} answer; ${parts.join('; ')}.`;
  return { checkedAt: new Date().toISOString(), tenantId: settings.tenantId, cloud: settings.cloud, checks, exitCode, summary };
}

/**
 * Launches need one live source: usage insight is optional when the audit log answers,
 * and an audit log reader turned off (PASSLENS_AUDIT_READER=off) when usage insight
 * answers. A refused audit log stays missing: answers would carry its refusal. The
 * optional check's fix is reworded by what answers instead (the map's value).
 */
function launchesElsewhere(checks: SourceCheck[]): Map<SourceCheck, string> {
  const audit = checks.find((c) => c.source === 'audit log');
  const insight = checks.find((c) => c.source === 'usage insight');
  const optional = new Map<SourceCheck, string>();
  if (audit?.status === 'ok' && insight && insight.status !== 'ok') {
    optional.set(insight, (insight.notNeeded = 'launches come from the audit log'));
    insight.fix = 'Nothing to do: the audit log gives the launches (Microsoft grants no permission that opens usage insight to an app).';
  } else if (insight?.status === 'ok' && audit?.status === 'not available' && audit.detail.includes('PASSLENS_AUDIT_READER=off')) {
    optional.set(audit, (audit.notNeeded = 'launches come from usage insight'));
    audit.fix = `Nothing to do: usage insight gives the launches. For launches per app and user, set PASSLENS_AUDIT_READER=${audit.fix?.includes('officeManagement') ? 'officeManagement' : 'graph'}.`;
  }
  return optional;
}

/** The check as terminal lines: one per source, its fix indented below. */
export function setupCheckLines(check: SetupCheck): string[] {
  const lines = [`PassLens setup check: tenant ${check.tenantId}, cloud ${check.cloud}`];
  for (const c of check.checks) {
    const code = [c.httpStatus, c.errorCode].filter((part) => part !== null && part !== undefined && part !== '').join(' ');
    const why = c.status === 'ok' ? c.detail : `${code ? `${code}: ` : ''}${c.detail}`;
    lines.push(`${c.status.padEnd(13)} ${c.title}: ${why}`);
    if (c.fix && c.status !== 'ok') lines.push(`${' '.repeat(14)}fix: ${c.fix}`);
  }
  lines.push(check.summary);
  return lines;
}
