import { randomUUID } from 'node:crypto';
import pLimit from 'p-limit';
import type { App, Environment, TenantSnapshot } from '../../licensing/snapshot';
import { AdminApi, baseUrlsOf } from './adminApi';
import { USAGE_NOTES } from '../tenantData';
import { LiveApiError } from './errors';
import type { TokenSource } from './tokens';
import type { LiveSettings } from '../../config';
import type https from 'node:https';
import { entitlementsUrl, environmentsUrl } from './endpoints';
import { type BapEnvironment, type EnvironmentEntitlement, allocationOf, environmentOf, isAppPassEntitlement, settleManaged } from './liveEnvironments';
import { payAsYouGoOf, readBillingPolicies } from './billingPolicies';
import { readApps } from './liveApps';
import { readUsers } from './graphUsers';
import { ACTIVE_USERS_REPORT_FIX, readUsage } from './entitlementUsage';
import { FailedCalls, describe } from './failedCalls';

/**
 * The live tenant, read from Microsoft's admin APIs as documented (shared/design/
 * microsoft-apis.md and the sources cited beside each call): BAP for environments,
 * add-ons, managed and billing flags; the Power Platform API for allocations, billing
 * policies, environment entitlements and usage; Power Apps for the app inventory; Graph
 * for licenses. Every call stands alone: one that fails or is refused is named with the
 * reason and the fix, and never removes what the other calls read.
 */
export interface LiveReadOptions {
  settings: LiveSettings;
  tokens: TokenSource;
  httpsAgent?: https.Agent;
  /** YYYY-MM of the usage to read; default the current month. */
  month?: string;
  log?: (message: string, fields: Record<string, unknown>) => void;
  retries?: number;
  backoffMs?: number;
  /** Environments read at once (default 4x the call concurrency); 1 is a strictly sequential crawl. */
  environmentConcurrency?: number;
}

export interface LiveReadResult {
  snapshot: TenantSnapshot;
  calls: number;
  maxInFlight: number;
  correlationId: string;
}

export async function readLiveTenant(options: LiveReadOptions): Promise<LiveReadResult> {
  const { settings } = options;
  const correlationId = randomUUID();
  const api = new AdminApi({
    tokens: options.tokens,
    concurrency: settings.concurrency,
    timeoutMs: settings.timeoutMs,
    correlationId,
    httpsAgent: options.httpsAgent,
    retries: options.retries,
    baseUrls: baseUrlsOf(settings),
    retryAfterCapMs: settings.retryAfterCapMs,
    backoffMs: options.backoffMs,
    log: options.log,
  });
  const log = (m: string, f: Record<string, unknown> = {}) => options.log?.(m, { correlationId, ...f });
  const month = options.month ?? new Date().toISOString().slice(0, 7);
  const warnings: string[] = [];
  log('refresh started', { month });

  // Without the environment list there is nothing to show: this one call may fail the refresh.
  const bapEnvs = await api.all<BapEnvironment>('bap', environmentsUrl(settings));
  // Licenses and billing policies are tenant-wide: read while the environments are.
  const usersRead = readUsers(api, settings, warnings);
  const policiesRead = readBillingPolicies(api, settings, warnings);

  // More environments under way than call slots, so that one waiting out a Retry-After
  // leaves its slot to another; the client's own cap still bounds the calls in flight.
  const limit = pLimit(options.environmentConcurrency ?? settings.concurrency * 4);
  const failed = new FailedCalls();
  const apps: App[] = [];
  const appPassEntitlements = new Set<string>();
  let entitlementsAnswered = 0;
  const environments: Environment[] = await Promise.all(
    bapEnvs.map((b) =>
      limit(async () => {
        const env = environmentOf(b);
        const problems: string[] = [];
        const attempt = async <T>(what: string, read: () => Promise<T>): Promise<T | undefined> => {
          try {
            return await read();
          } catch (e) {
            if (!(e instanceof LiveApiError) && !(e instanceof Error)) throw e;
            failed.add(what, env.name, e);
            problems.push(`${what}: ${describe(e)}`);
            log('call failed', { environmentId: env.id, what, status: e instanceof LiveApiError ? e.status : null });
            return undefined;
          }
        };
        if (env.allocatedPasses === null) env.allocatedPasses = (await attempt('Allocations', () => allocationOf(api, settings, env.id))) ?? null;
        const envApps = await attempt('Apps', () => readApps(api, settings, env.id));
        if (envApps) apps.push(...envApps);
        const entitlements = await attempt('Environment entitlements', () => api.all<EnvironmentEntitlement>('powerplatform', entitlementsUrl(settings, env.id)));
        if (entitlements) {
          entitlementsAnswered++;
          for (const e of entitlements) if (isAppPassEntitlement(e) && e.entitlementId) appPassEntitlements.add(e.entitlementId);
          const note = settleManaged(env, b, entitlements);
          if (note) warnings.push(note);
        }
        if (problems.length) env.dataError = `${problems.join(' ')}`;
        return env;
      }),
    ),
  );
  warnings.push(...failed.warnings());

  const policies = await policiesRead;
  for (const env of environments) env.payAsYouGo = payAsYouGoOf(env.id, bapEnvs.find((b) => b.name === env.id)?.properties?.billingPolicy?.id ?? null, policies);

  const users = await usersRead;
  const byEnvId = new Map(environments.map((e) => [e.id.toLowerCase(), e]));
  const usage = await readUsage(api, settings, { ids: [...appPassEntitlements], entitlementsAnswered, month, users, byEnvId });
  if (usage.unknown) warnings.push(USAGE_NOTES.unknown(usage.unknown, ACTIVE_USERS_REPORT_FIX));
  else if (usage.launches.length) warnings.push(USAGE_NOTES.unnamedApps(ACTIVE_USERS_REPORT_FIX));
  // Paging that stopped short (a link to another origin, a loop) is named; what it read is used.
  warnings.push(...api.warnings);
  log('refresh finished', { environments: environments.length, withProblems: environments.filter((e) => e.dataError).length, calls: api.calls });
  // Stable order, whatever order the concurrent reads finished in.
  apps.sort((a, b) => (a.environmentId + a.id < b.environmentId + b.id ? -1 : 1));
  return {
    snapshot: {
      generatedAt: new Date().toISOString(),
      sources: [{ kind: 'live', description: `Live tenant ${settings.tenantId}`, warnings, correlationId }],
      environments,
      apps,
      users: users?.list ?? null,
      launches: usage.launches,
      ...(usage.unknown ? { usageUnknown: usage.unknown } : {}),
    },
    calls: api.calls,
    maxInFlight: api.maxInFlight,
    correlationId,
  };
}
