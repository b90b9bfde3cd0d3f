import { randomUUID } from 'node:crypto';
import pLimit from 'p-limit';
import type { App, ConnectorUse, Environment, EnvironmentType, Launch, TenantSnapshot, User } from '../../licensing/snapshot';
import { licenseOfSku } from '../../licensing/licenseSkus';
import { licenseTypeOf, monthOf } from '../../usage/spellings';
import { AdminApi } from './adminApi';
import { LiveApiError } from './errors';
import type { TokenSource } from './tokens';
import type { LiveSettings } from '../../config';
import type https from 'node:https';

/**
 * The live tenant, read from Microsoft's admin APIs (shared/design/microsoft-apis.md):
 * BAP for environments, add-ons, managed and billing flags; the Power Platform API for
 * allocations, billing policies and usage; Power Apps for the app inventory; Graph for
 * licenses. Environments are read concurrently; one that fails is named with the reason
 * and the rest still answer.
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

const V = {
  bap: 'api-version=2020-10-01',
  powerapps: 'api-version=2016-11-01',
  licensing: 'api-version=2022-03-01-preview',
  insight: 'api-version=2024-10-01',
};

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
    backoffMs: options.backoffMs,
    log: options.log,
  });
  const log = (m: string, f: Record<string, unknown> = {}) => options.log?.(m, { correlationId, ...f });
  const month = options.month ?? new Date().toISOString().slice(0, 7);
  const warnings: string[] = [];
  log('refresh started', { month });

  const bapEnvs = await api.all<BapEnvironment>('bap', `${settings.bapUrl}/providers/Microsoft.BusinessAppPlatform/scopes/admin/environments?${V.bap}&$expand=properties.capacity,properties.addons`);
  // Licenses are read while the environments are: only the billing policies must come first.
  const usersRead = readUsers(api, settings, warnings);
  const payg = await billingPolicyEnvironments(api, settings, warnings);

  // More environments under way than call slots, so that one waiting out a Retry-After
  // leaves its slot to another; the client's own cap still bounds the calls in flight.
  const limit = pLimit(options.environmentConcurrency ?? settings.concurrency * 4);
  const apps: App[] = [];
  const launches: Launch[] = [];
  const environments: Environment[] = await Promise.all(
    bapEnvs.map((b) =>
      limit(async () => {
        const env = environmentOf(b, payg);
        try {
          if (env.allocatedPasses === null) env.allocatedPasses = await allocationOf(api, settings, env.id);
          const envApps = await readApps(api, settings, env.id);
          const envLaunches = await readUsage(api, settings, env, month, envApps);
          apps.push(...envApps);
          launches.push(...envLaunches);
        } catch (e) {
          env.dataError = e instanceof LiveApiError ? `${e.message} ${e.action}` : `unexpected failure (${(e as Error).name}).`;
          log('environment failed', { environmentId: env.id, reason: e instanceof LiveApiError ? e.message : (e as Error).name });
        }
        return env;
      }),
    ),
  );
  const users = await usersRead;
  const failed = environments.filter((e) => e.dataError);
  if (failed.length) warnings.push(`${failed.length} environment(s) could not be read: ${failed.map((e) => e.name).join(', ')}.`);
  log('refresh finished', { environments: environments.length, failed: failed.length, calls: api.calls });
  // Stable order, whatever order the concurrent reads finished in.
  apps.sort((a, b) => (a.environmentId + a.id < b.environmentId + b.id ? -1 : 1));
  return {
    snapshot: {
      generatedAt: new Date().toISOString(),
      sources: [{ kind: 'live', description: `Live tenant ${settings.tenantId}`, warnings, correlationId }],
      environments,
      apps,
      users,
      launches,
    },
    calls: api.calls,
    maxInFlight: api.maxInFlight,
    correlationId,
  };
}

function environmentOf(b: BapEnvironment, payg: Set<string> | null): Environment {
  const p = b.properties ?? {};
  const pass = (p.addons ?? []).find((a) => a.addonType === 'AppPass');
  const policyHere = Boolean(p.billingPolicy?.id);
  return {
    id: b.name,
    name: p.displayName ?? b.name,
    environmentType: environmentTypeOf(p),
    managed: p.governanceConfiguration?.protectionLevel === 'Standard',
    // BAP's billingPolicy is not documented: the Power Platform API's list decides when it answered.
    payAsYouGo: policyHere || (payg ? payg.has(b.name.toLowerCase()) : null),
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

/** Environments linked to a pay-as-you-go billing policy; null when the API could not say. */
async function billingPolicyEnvironments(api: AdminApi, settings: LiveSettings, warnings: string[]): Promise<Set<string> | null> {
  try {
    const policies = await api.all<{ id: string }>('powerplatform', `${settings.powerPlatformUrl}/licensing/billingPolicies?${V.licensing}`);
    const linked = new Set<string>();
    const lists = await Promise.all(
      policies.map((policy) => api.all<{ environmentId?: string; id?: string }>('powerplatform', `${settings.powerPlatformUrl}/licensing/billingPolicies/${encodeURIComponent(policy.id)}/environments?${V.licensing}`)),
    );
    for (const e of lists.flat()) linked.add((e.environmentId ?? e.id ?? '').toLowerCase());
    return linked;
  } catch (e) {
    warnings.push(`Billing policies could not be read (${e instanceof LiveApiError ? e.message : (e as Error).name}); environments without a billing policy in BAP are taken as not pay-as-you-go.`);
    return null;
  }
}

async function allocationOf(api: AdminApi, settings: LiveSettings, envId: string): Promise<number> {
  const body = await api.get<{ currencyAllocations?: { currencyType?: string; allocated?: number }[] }>(
    'powerplatform',
    `${settings.powerPlatformUrl}/licensing/environments/${encodeURIComponent(envId)}/allocations?${V.licensing}`,
  );
  return Number((body.currencyAllocations ?? []).find((c) => c.currencyType === 'AppPass')?.allocated ?? 0);
}

async function readApps(api: AdminApi, settings: LiveSettings, envId: string): Promise<App[]> {
  const raw = await api.all<AdminApp>('powerapps', `${settings.powerAppsUrl}/providers/Microsoft.PowerApps/scopes/admin/environments/${encodeURIComponent(envId)}/apps?${V.powerapps}`);
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

async function readUsers(api: AdminApi, settings: LiveSettings, warnings: string[]): Promise<User[] | null> {
  try {
    const skus = await api.all<{ skuId: string; skuPartNumber: string }>('graph', `${settings.graphUrl}/v1.0/subscribedSkus`);
    const partOf = new Map(skus.map((s) => [s.skuId.toLowerCase(), s.skuPartNumber]));
    const users = await api.all<{ id: string; userPrincipalName: string; displayName?: string; assignedLicenses?: { skuId: string }[] }>(
      'graph',
      `${settings.graphUrl}/v1.0/users?$select=id,userPrincipalName,displayName,assignedLicenses&$top=999`,
    );
    return users.map((u) => ({
      id: u.id,
      userPrincipalName: u.userPrincipalName.toLowerCase(),
      displayName: u.displayName,
      licenses: [...new Set((u.assignedLicenses ?? []).map((l) => licenseOfSku(partOf.get(l.skuId.toLowerCase()) ?? '')))].filter((l) => l !== 'Other'),
    }));
  } catch (e) {
    if (!(e instanceof LiveApiError)) throw e;
    warnings.push(`User licenses could not be read from Microsoft Graph: ${e.message} ${e.action} Per-user coverage is inferred from PerUser bookings.`);
    return null;
  }
}

/**
 * Who launched what: the entitlement-insight endpoints. Their shapes are not documented,
 * so rows are read defensively: flat (one row per user and app) or nested (a user with
 * its resources), and unknown fields are ignored.
 */
async function readUsage(api: AdminApi, settings: LiveSettings, env: Environment, month: string, apps: App[]): Promise<Launch[]> {
  const pp = settings.powerPlatformUrl;
  const entitlements = await api.all<{ entitlementId?: string; id?: string }>('powerplatform', `${pp}/licensing/environments/${encodeURIComponent(env.id)}/entitlements?${V.insight}`);
  const [y, m] = month.split('-').map(Number);
  const from = `${month}-01`;
  const to = new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
  const appName = new Map(apps.map((a) => [a.id.toLowerCase(), a.name]));
  const launches: Launch[] = [];
  for (const ent of entitlements) {
    const id = ent.entitlementId ?? ent.id;
    if (!id) continue;
    const url = `${pp}/licensing/entitlements/${encodeURIComponent(id)}/users?${V.insight}&fromDate=${from}&toDate=${to}&pageSize=1000`;
    for await (const page of api.pages<Record<string, unknown>>('powerplatform', url)) {
      for (const row of page) for (const l of launchesOf(row, env, month)) launches.push({ ...l, appName: l.appName ?? appName.get(l.appId.toLowerCase()) });
    }
  }
  return launches;
}

function launchesOf(row: Record<string, unknown>, env: Environment, month: string): Launch[] {
  const upn = String(row.userPrincipalName ?? row.upn ?? row.userEmail ?? row.email ?? '').toLowerCase();
  if (!upn) return [];
  const resources = Array.isArray(row.resources) ? (row.resources as Record<string, unknown>[]) : Array.isArray(row.apps) ? (row.apps as Record<string, unknown>[]) : [row];
  const out: Launch[] = [];
  for (const r of resources) {
    const appId = String(r.resourceId ?? r.appId ?? r.applicationId ?? '');
    if (!appId) continue;
    const envId = String(r.environmentId ?? row.environmentId ?? env.id);
    if (envId.toLowerCase() !== env.id.toLowerCase()) continue;
    const date = String(r.lastAccessedDate ?? r.lastLaunchedDate ?? r.lastLaunched ?? '');
    const premium = r.isPremium ?? row.isPremium;
    out.push({
      userPrincipalName: upn,
      appId,
      appName: typeof (r.resourceName ?? r.displayName) === 'string' ? String(r.resourceName ?? r.displayName) : undefined,
      environmentId: env.id,
      environmentName: env.name,
      month: (date && monthOf(date)) || month,
      licenseType: licenseTypeOf(String(r.licenseType ?? r.entitlementType ?? row.licenseType ?? row.entitlementType ?? 'Other')),
      reportedPremium: typeof premium === 'boolean' ? premium : null,
    });
  }
  return out;
}
