import { randomUUID } from 'node:crypto';
import pLimit from 'p-limit';
import type { App, ConnectorUse, Environment, EnvironmentType, Launch, TenantSnapshot, User } from '../../licensing/snapshot';
import { licenseOfSku } from '../../licensing/licenseSkus';
import { monthOf } from '../../usage/spellings';
import { AdminApi, baseUrlsOf } from './adminApi';
import { USAGE_NOTES } from '../tenantData';
import { GRAPH_SKUS_FIX, GRAPH_USERS_FIX, LiveApiError } from './errors';
import type { TokenSource } from './tokens';
import type { LiveSettings } from '../../config';
import type https from 'node:https';

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

/** api-versions as the public references use them (see each call). */
export const API_VERSIONS = {
  bap: 'api-version=2020-10-01',
  powerapps: 'api-version=2016-11-01',
  licensing: 'api-version=2022-03-01-preview',
  insight: 'api-version=2024-10-01',
};
const V = API_VERSIONS;

/** Where the usage figures come from when the API gives none: the admin center's download, read by PassLens. */
export const ACTIVE_USERS_REPORT_FIX =
  'Download the Active users report (Power Platform admin center > Licensing > Power Apps > Download reports) and analyse it: drop it into the chat with PassLens, or give it to the CLI with --csv FILE.';

/** Environment list: learn.microsoft.com/power-platform/admin/list-environments; `billingPolicy` only when expanded (Terraform provider, services/environment). */
export function environmentsUrl(settings: LiveSettings): string {
  return `${settings.bapUrl}/providers/Microsoft.BusinessAppPlatform/scopes/admin/environments?${V.bap}&$expand=properties.capacity,properties.addons,properties.billingPolicy`;
}
/** REST reference, licensing/currency-allocation: 404 when nothing is allocated. */
export function allocationsUrl(settings: LiveSettings, envId: string): string {
  return `${settings.powerPlatformUrl}/licensing/environments/${encodeURIComponent(envId)}/allocations?${V.licensing}`;
}
/** Admin apps of an environment: Microsoft.PowerApps.Administration.PowerShell Get-AdminPowerApp; pnp/cli-microsoft365 `pa app list --asAdmin`. */
export function appsUrl(settings: LiveSettings, envId: string): string {
  return `${settings.powerAppsUrl}/providers/Microsoft.PowerApps/scopes/admin/environments/${encodeURIComponent(envId)}/apps?${V.powerapps}`;
}
/** REST reference, licensing/billing-policy/list-billing-policies. */
export function billingPoliciesUrl(settings: LiveSettings): string {
  return `${settings.powerPlatformUrl}/licensing/billingPolicies?${V.licensing}`;
}
/** REST reference, licensing/entitlement/get-many-environment-entitlements: a bare array. */
export function entitlementsUrl(settings: LiveSettings, envId: string): string {
  return `${settings.powerPlatformUrl}/licensing/environments/${encodeURIComponent(envId)}/entitlements?${V.insight}`;
}
/** REST reference, licensing/entitlement-insight/get-tenant-users: tenant-wide, one call (and its pages) per entitlement. */
export function insightUrl(settings: LiveSettings, entitlementId: string, month: string, pageSize = 1000): string {
  const [y, m] = month.split('-').map(Number);
  const to = new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
  return `${settings.powerPlatformUrl}/licensing/entitlements/${encodeURIComponent(entitlementId)}/users?${V.insight}&fromDate=${month}-01&toDate=${to}&pageSize=${pageSize}`;
}
/** Graph: subscribedsku-list (LicenseAssignment.Read.All) and user-list (User.Read.All). */
export function subscribedSkusUrl(settings: LiveSettings): string {
  return `${settings.graphUrl}/v1.0/subscribedSkus`;
}
export function graphUsersUrl(settings: LiveSettings, top = 999): string {
  return `${settings.graphUrl}/v1.0/users?$select=id,userPrincipalName,displayName,assignedLicenses&$top=${top}`;
}

interface BapEnvironment {
  name: string;
  properties?: {
    displayName?: string;
    /** Sandbox, Production, Trial, Developer, Default (Terraform provider internal/services/environment/dto.go); Teams, SubscriptionBasedTrial (`pac admin list --type`). */
    environmentSku?: string;
    isDefault?: boolean;
    governanceConfiguration?: { protectionLevel?: string };
    billingPolicy?: { id?: string };
    addons?: { addonType?: string; allocated?: number }[];
  };
}

/** One item of the environment entitlements call (documented fields only). */
export interface EnvironmentEntitlement {
  entitlementId?: string;
  isManagedEnvironment?: boolean;
  environmentType?: string;
}

/**
 * No AppPass entitlement is documented (the public examples are Copilot ones, e.g.
 * MCSMessages): an entitlement counts as the per-app pass one only when its id is the
 * currency name the allocation API uses for passes, "AppPass".
 */
export function isAppPassEntitlement(e: EnvironmentEntitlement): boolean {
  return (e.entitlementId ?? '').toLowerCase() === 'apppass';
}

interface AdminApp {
  name: string;
  appType?: string;
  properties?: {
    displayName?: string;
    appType?: string;
    appPlanClassification?: string;
    usesPremiumApi?: boolean;
    usesCustomApi?: boolean;
    usesOnPremiseGateway?: boolean;
    // Both in public admin-apps payloads: the Terraform provider's powerapps data source
    // fixtures and pnp/cli-microsoft365's `pa app list` output.
    usesOnlyGrandfatheredPremiumApis?: boolean;
    usesPcfExternalServiceUsage?: boolean;
    canConsumeAppPass?: boolean;
    connectionReferences?: Record<string, { displayName?: string; apiTier?: string; isCustomApiConnection?: boolean; isOnPremiseConnection?: boolean }>;
  };
}

/** A row of entitlement insight: `value[].users[]` (REST reference, get-tenant-users). */
interface InsightUser {
  userId?: string;
  environmentId?: string;
  consumed?: number;
  unit?: string;
  asOfDate?: string;
}

/** Calls of one kind that failed in some environments: named once in the source's warnings. */
class FailedCalls {
  private readonly byWhat = new Map<string, { envs: string[]; error: LiveApiError | Error }>();

  add(what: string, envName: string, error: LiveApiError | Error): void {
    const entry = this.byWhat.get(what) ?? { envs: [], error };
    entry.envs.push(envName);
    this.byWhat.set(what, entry);
  }

  warnings(): string[] {
    return [...this.byWhat].map(([what, { envs, error }]) => {
      const names = envs.length > 5 ? `${envs.slice(0, 5).join(', ')} and ${envs.length - 5} more` : envs.join(', ');
      return `${what} could not be read in ${envs.length} environment(s) (${names}): ${describe(error)}`;
    });
  }
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

function describe(e: LiveApiError | Error): string {
  return e instanceof LiveApiError ? `${e.message} ${e.action}` : `unexpected failure (${e.name}).`;
}

function environmentOf(b: BapEnvironment): Environment {
  const p = b.properties ?? {};
  const pass = (p.addons ?? []).find((a) => a.addonType === 'AppPass');
  return {
    id: b.name,
    name: p.displayName ?? b.name,
    environmentType: environmentTypeOf(p),
    managed: managedFromGovernance(b),
    payAsYouGo: null,
    allocatedPasses: pass ? Number(pass.allocated ?? 0) : null,
  };
}

const ENVIRONMENT_TYPES: readonly EnvironmentType[] = ['Default', 'Production', 'Sandbox', 'Trial', 'Developer', 'Teams', 'SubscriptionBasedTrial'];

/** BAP's environmentSku, with isDefault deciding Default; a value we do not know is null, not a guess. */
function environmentTypeOf(p: NonNullable<BapEnvironment['properties']>): EnvironmentType | null {
  if (p.isDefault === true) return 'Default';
  const sku = ENVIRONMENT_TYPES.find((t) => t.toLowerCase() === (p.environmentSku ?? '').toLowerCase());
  return sku ?? null;
}

/** BAP's governanceConfiguration.protectionLevel: "Standard" is managed, "Basic" not (Terraform provider, services/environment); absent is unknown. */
function managedFromGovernance(b: BapEnvironment): boolean | null {
  const level = b.properties?.governanceConfiguration?.protectionLevel;
  return typeof level === 'string' ? level.toLowerCase() === 'standard' : null;
}

/** The documented `isManagedEnvironment` of the environment entitlements wins over BAP; a disagreement is noted. */
function settleManaged(env: Environment, b: BapEnvironment, entitlements: readonly EnvironmentEntitlement[]): string | null {
  const documented = entitlements.find((e) => typeof e.isManagedEnvironment === 'boolean')?.isManagedEnvironment;
  if (documented === undefined) return null;
  const fromBap = managedFromGovernance(b);
  env.managed = documented;
  if (fromBap !== null && fromBap !== documented) {
    return `${env.name}: the environment entitlements say isManagedEnvironment = ${documented}, BAP's protectionLevel says ${b.properties?.governanceConfiguration?.protectionLevel}; the documented entitlements field is used.`;
  }
  return null;
}

interface BillingPolicies {
  /** environment ids (lower case) linked to an Enabled policy */
  linked: Set<string>;
  enabled: Set<string>;
  /** false when an Enabled policy's environment list could not be read (not a 404) */
  complete: boolean;
}

/**
 * Pay-as-you-go: only `Enabled` billing policies bill; a 404 on one policy's environment
 * list means it has none (REST reference, billing-policy and billing-policy-environment;
 * Terraform provider, services/licensing). null when the list itself could not be read.
 */
async function readBillingPolicies(api: AdminApi, settings: LiveSettings, warnings: string[]): Promise<BillingPolicies | null> {
  let policies: { id: string; status?: string }[];
  try {
    policies = await api.all<{ id: string; status?: string }>('powerplatform', billingPoliciesUrl(settings));
  } catch (e) {
    if (!(e instanceof LiveApiError)) throw e;
    warnings.push(`Billing policies could not be read: ${describe(e)} An environment BAP shows linked to a policy is pay-as-you-go unknown; the others are not linked.`);
    return null;
  }
  const enabled = policies.filter((p) => (p.status ?? '').toLowerCase() === 'enabled');
  const result: BillingPolicies = { linked: new Set(), enabled: new Set(enabled.map((p) => p.id.toLowerCase())), complete: true };
  await Promise.all(
    enabled.map(async (policy) => {
      try {
        const envs = await api.all<{ environmentId?: string }>('powerplatform', `${settings.powerPlatformUrl}/licensing/billingPolicies/${encodeURIComponent(policy.id)}/environments?${V.licensing}`);
        for (const e of envs) if (e.environmentId) result.linked.add(e.environmentId.toLowerCase());
      } catch (e) {
        if (!(e instanceof LiveApiError)) throw e;
        if (e.status === 404) return;
        result.complete = false;
        warnings.push(`The environments of billing policy ${policy.id} could not be read: ${describe(e)} Environments not otherwise known to be linked are pay-as-you-go unknown.`);
      }
    }),
  );
  return result;
}

function payAsYouGoOf(envId: string, bapPolicyId: string | null, policies: BillingPolicies | null): boolean | null {
  if (policies) {
    if (policies.linked.has(envId.toLowerCase())) return true;
    if (bapPolicyId && policies.enabled.has(bapPolicyId.toLowerCase())) return true;
    if (policies.complete) return false;
  }
  // The Power Platform API could not say: BAP's expanded billingPolicy shows a link, not whether the policy is Enabled.
  return bapPolicyId ? null : false;
}

async function allocationOf(api: AdminApi, settings: LiveSettings, envId: string): Promise<number> {
  try {
    const body = await api.get<{ currencyAllocations?: { currencyType?: string; allocated?: number }[] } | null>('powerplatform', allocationsUrl(settings, envId));
    return Number((body?.currencyAllocations ?? []).find((c) => c.currencyType === 'AppPass')?.allocated ?? 0);
  } catch (e) {
    if (e instanceof LiveApiError && e.status === 404) return 0;
    throw e;
  }
}

async function readApps(api: AdminApi, settings: LiveSettings, envId: string): Promise<App[]> {
  const raw = await api.all<AdminApp>('powerapps', appsUrl(settings, envId));
  return raw.map((a) => {
    const p = a.properties ?? {};
    // appType: ClassicCanvasApp, CustomCanvasPage (Terraform provider fixtures), CodeApp (what
    // `pac code push` writes for a code app: power.config.json "appType": "CodeApp").
    const appType = (a.appType ?? p.appType ?? '').toLowerCase();
    const type = appType.includes('model') ? 'model-driven' : appType === 'codeapp' ? 'code' : 'canvas';
    const connectors: ConnectorUse[] = Object.values(p.connectionReferences ?? {}).map((c) => ({
      name: c.displayName ?? 'connector',
      tier: c.apiTier === 'Premium' ? 'Premium' : 'Standard',
      custom: Boolean(c.isCustomApiConnection),
      onPremises: Boolean(c.isOnPremiseConnection),
    }));
    return {
      id: a.name,
      name: p.displayName ?? a.name,
      environmentId: envId,
      type,
      planClassification: p.appPlanClassification === 'Premium' ? 'Premium' : p.appPlanClassification === 'Standard' ? 'Standard' : null,
      usesPremiumApi: Boolean(p.usesPremiumApi),
      usesCustomApi: Boolean(p.usesCustomApi),
      usesOnPremiseGateway: Boolean(p.usesOnPremiseGateway),
      usesOnlyGrandfatheredPremiumApis: Boolean(p.usesOnlyGrandfatheredPremiumApis),
      usesPcfExternalServiceUsage: Boolean(p.usesPcfExternalServiceUsage),
      connectors,
      canConsumeAppPass: typeof p.canConsumeAppPass === 'boolean' ? p.canConsumeAppPass : null,
    };
  });
}

interface GraphUsers {
  /** null when the SKUs could not be read: users without license facts would read as unlicensed */
  list: User[] | null;
  /** Entra object id (lower case) to UPN, to join entitlement insight's `userId` */
  upnById: Map<string, string>;
}

async function readUsers(api: AdminApi, settings: LiveSettings, warnings: string[]): Promise<GraphUsers | null> {
  let partOf: Map<string, string>;
  try {
    const skus = await api.all<{ skuId: string; skuPartNumber: string }>('graph', subscribedSkusUrl(settings));
    partOf = new Map(skus.map((s) => [s.skuId.toLowerCase(), s.skuPartNumber]));
  } catch (e) {
    if (!(e instanceof LiveApiError)) throw e;
    warnings.push(`User licenses could not be read (Graph /subscribedSkus answered ${e.status ?? 'no answer'}${e.code ? `, ${e.code}` : ''}). ${GRAPH_SKUS_FIX} Per-user coverage is inferred from PerUser bookings meanwhile.`);
    // Users are still worth reading: they name the users of the usage API.
    try {
      return toUsers(await graphUsers(api, settings), null);
    } catch {
      return null;
    }
  }
  try {
    return toUsers(await graphUsers(api, settings), partOf);
  } catch (e) {
    if (!(e instanceof LiveApiError)) throw e;
    warnings.push(`Users could not be read (Graph /users answered ${e.status ?? 'no answer'}${e.code ? `, ${e.code}` : ''}). ${GRAPH_USERS_FIX} Per-user coverage is inferred from PerUser bookings meanwhile.`);
    return null;
  }
}

type GraphUser = { id: string; userPrincipalName: string; displayName?: string; assignedLicenses?: { skuId: string }[] };

function graphUsers(api: AdminApi, settings: LiveSettings): Promise<GraphUser[]> {
  return api.all<GraphUser>('graph', graphUsersUrl(settings));
}

/** With no SKU names (partOf null) the users' licenses are unknown: the list then only names users, and carries no license facts. */
function toUsers(raw: GraphUser[], partOf: Map<string, string> | null): GraphUsers {
  const upnById = new Map(raw.map((u) => [u.id.toLowerCase(), u.userPrincipalName.toLowerCase()]));
  if (!partOf) return { list: null, upnById };
  const list = raw.map((u) => ({
    id: u.id,
    userPrincipalName: u.userPrincipalName.toLowerCase(),
    displayName: u.displayName,
    licenses: [...new Set((u.assignedLicenses ?? []).map((l) => licenseOfSku(partOf.get(l.skuId.toLowerCase()) ?? '')))].filter((l) => l !== 'Other'),
  }));
  return { list, upnById };
}

/** The name launches read from the usage API carry: the API does not say which app. */
export const UNNAMED_APP = 'an app the usage API does not name';

interface UsageInput {
  ids: string[];
  entitlementsAnswered: number;
  month: string;
  users: GraphUsers | null;
  byEnvId: Map<string, Environment>;
}

/**
 * Entitlement insight, tenant-wide, once per AppPass entitlement. It names a user (Entra
 * object id), an environment and how much was consumed as of a date, no app: each unit
 * consumed becomes one AppPass booking of that user there, under a numbered unnamed app,
 * so booked passes count right and nothing pretends to know the app.
 */
async function readUsage(api: AdminApi, settings: LiveSettings, input: UsageInput): Promise<{ launches: Launch[]; unknown: string | null }> {
  if (!input.ids.length) {
    return {
      launches: [],
      unknown: input.entitlementsAnswered
        ? 'the Power Platform API lists no AppPass usage entitlement for this tenant (Microsoft documents none)'
        : 'the environment entitlements, which list the usage entitlements, could not be read',
    };
  }
  // The latest snapshot per user and environment: rows are entitlement snapshots as of a date.
  const latest = new Map<string, InsightUser>();
  for (const id of input.ids) {
    try {
      for await (const page of api.pages<{ users?: InsightUser[] }>('powerplatform', insightUrl(settings, id, input.month))) {
        for (const group of page) {
          for (const u of group.users ?? []) {
            if (!u.userId || !u.environmentId) continue;
            const key = `${u.userId.toLowerCase()}|${u.environmentId.toLowerCase()}`;
            const seen = latest.get(key);
            if (!seen || (u.asOfDate ?? '') > (seen.asOfDate ?? '')) latest.set(key, u);
          }
        }
      }
    } catch (e) {
      if (!(e instanceof LiveApiError)) throw e;
      return { launches: [], unknown: `Microsoft's usage API (entitlement insight) answered ${e.status ?? 'nothing'}${e.code ? ` (${e.code})` : ''} for app-only sign-in` };
    }
  }
  const launches: Launch[] = [];
  for (const u of latest.values()) {
    const env = input.byEnvId.get(u.environmentId!.toLowerCase());
    const upn = input.users?.upnById.get(u.userId!.toLowerCase()) ?? u.userId!.toLowerCase();
    const month = (u.asOfDate && monthOf(u.asOfDate)) || input.month;
    for (let k = 1; k <= Math.max(0, Math.floor(Number(u.consumed) || 0)); k++) {
      launches.push({
        userPrincipalName: upn,
        appId: `unnamed-app-${k}`,
        appName: `${UNNAMED_APP} (${k})`,
        environmentId: env?.id ?? u.environmentId!,
        environmentName: env?.name,
        month,
        licenseType: 'AppPass',
        reportedPremium: null,
      });
    }
  }
  return { launches, unknown: null };
}
