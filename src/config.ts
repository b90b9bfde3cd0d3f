import { isIP } from 'node:net';
import { z } from 'zod';
import type { Prices } from './licensing/report';
import { LIST_PRICES } from './licensing/prices';
import { CLOUD_NAMES, CLOUDS, type ApiHost, type CloudName } from './tenant/live/cloud';
import { RETRY_AFTER_CAP_MS } from './tenant/live/throttle';

/**
 * Every setting PassLens reads, by the exact names docs/configuration.md documents. A missing or
 * contradictory one fails at start with one line that names it.
 */

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

const httpsUrl = (name: string) =>
  z
    .string()
    .optional()
    .refine((v) => v === undefined || v === '' || /^https:\/\/[^\s/]+/.test(v), { message: `${name} must be an https:// URL` })
    .transform((v) => (v ? v.replace(/\/+$/, '') : undefined));

const number = (name: string, fallback: number) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === '') return fallback;
      const n = Number(v);
      if (!Number.isFinite(n) || n < 0) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: `${name} must be a non-negative number, got "${v}"` });
        return z.NEVER;
      }
      return n;
    });

/** A TCP port: a whole number from 0 (any free port) to 65535. */
const port = (name: string, fallback: number) =>
  number(name, fallback).refine((n) => Number.isInteger(n) && n <= 65535, { message: `${name} must be a whole number from 0 to 65535` });

/** An interface to listen on: an IP address or a host name (RFC 1123 labels). */
const HOST_NAME = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i;

export interface BotIdentity {
  appId: string;
  appPassword?: string;
  tenantId?: string;
  appType: 'SingleTenant' | 'UserAssignedMSI';
}

export type TenantCredential =
  | { kind: 'secret'; secret: string }
  | { kind: 'certificate'; path: string }
  | { kind: 'managedIdentity'; clientId: string | null };

/** Where the live tenant data comes from: a cloud's hosts and audiences; a base URL may be moved (a proxy, the simulator), its audience stays the cloud's. */
export interface LiveSettings {
  tenantId: string;
  clientId: string;
  credential: TenantCredential;
  cloud: CloudName;
  /** The resource each API's token is asked for. */
  audiences: Record<ApiHost, string>;
  authorityHost: string;
  bapUrl: string;
  powerAppsUrl: string;
  powerPlatformUrl: string;
  graphUrl: string;
  /** The Office 365 Management Activity API (moved by PASSLENS_OFFICE_MANAGEMENT_URL); null: none in this cloud. */
  officeManagementUrl: string | null;
  /** The resource its token is asked for: the cloud's API host, wherever the base URL points. */
  officeManagementAudience: string | null;
  /** Which audit log API gives launches (PASSLENS_AUDIT_READER; default by PASSLENS_CLOUD). */
  auditReader: AuditReaderSetting;
  /** The first wait before asking a Graph audit log query's status again (PASSLENS_AUDIT_POLL_SECONDS; it doubles up to a minute). */
  auditPollMs: number;
  concurrency: number;
  timeoutMs: number;
  /** Extra trusted CA (PEM), for TLS-inspecting proxies and the local simulator. */
  caFile: string | null;
  /** The longest Retry-After one call honours (over its retries) before it counts as throttled (tenant/live/throttle.ts). */
  retryAfterCapMs: number;
}


/** Graph's audit log queries (public cloud), the Office 365 Management Activity API (GCC, GCC High, DoD; any cloud that has it), or none. */
export type AuditReaderSetting = 'graph' | 'officeManagement' | 'off';

export interface Config {
  port: number;
  playgroundPort: number;
  /** null: no bot identity, local development without channel auth. */
  bot: BotIdentity | null;
  /** AAD object ids and UPNs, lower-cased. Empty: nobody sees tenant data (except locally, see `openLocally`). */
  admins: string[];
  /** With no bot identity and no admins listed, the local Playground user may see the demo tenant. */
  openLocally: boolean;
  /** The tenant whose activities are answered; others are refused. */
  tenantId: string | null;
  /** 'live' when PASSLENS_TENANT_ID and PASSLENS_CLIENT_ID are set; otherwise the embedded demo tenant. */
  dataSource: 'demo' | 'live';
  live: LiveSettings | null;
  cacheTtlMs: number;
  prices: Prices;
  dataDir: string;
  /** Where a private directory holds the reports dropped into chat during their upload window; null: the system's temp directory. */
  uploadDir: string | null;
  /** Months of audit log launches the launch store keeps (PASSLENS_LAUNCH_RETENTION_MONTHS). */
  launchRetentionMonths: number;
  /** Azure Blob Storage for state; null: files under dataDir. */
  storage: { connectionString: string; container: string } | null;
  /** in-process: a timer in this process; external: only POST /api/digest; off: no digest. */
  digestTimer: 'in-process' | 'external' | 'off';
  /** Bearer secret for POST /api/digest; null: the endpoint refuses every call. */
  digestSecret: string | null;
  /** How long a digest claim holds, unrenewed, before another instance may take the channel over. */
  digestLeaseMs: number;
  /** Entra ID tokens for this audience are accepted by POST /api/digest too. */
  digestAudience: string | null;
  /** Extra trusted CA (PEM) for every outgoing HTTPS call. */
  caFile: string | null;
  /** The interface to listen on; undefined: every interface (with a bot identity). */
  host: string | undefined;
  /** PASSLENS_LOCAL_TRUST_ACTIVITY_IDENTITY: believe unsigned activities' identities (local testing). */
  trustActivityIdentity: boolean;
  /** The Teams connector: member lookups go only to activities from this origin. */
  teamsServiceUrl: string;
  /** PASSLENS_CLOUD (public by default, for the demo tenant too): its file hosts are where dropped files come from. */
  cloud: CloudName;
}

const priceSchema = z.object({
  PASSLENS_PRICE_PER_APP: number('PASSLENS_PRICE_PER_APP', LIST_PRICES.perAppPass),
  PASSLENS_PRICE_PER_USER: number('PASSLENS_PRICE_PER_USER', LIST_PRICES.perUserPremium),
  PASSLENS_PRICE_PER_USER_VOLUME: number('PASSLENS_PRICE_PER_USER_VOLUME', LIST_PRICES.perUserPremiumVolume),
  PASSLENS_PRICE_PAYG: number('PASSLENS_PRICE_PAYG', LIST_PRICES.payAsYouGoPerAppUser),
});

/** The advice's prices (R14) from the environment: the bot and the CLI read the same variables. */
export function pricesFromEnv(env: NodeJS.ProcessEnv = process.env): Prices {
  const parsed = priceSchema.safeParse(env);
  if (!parsed.success) throw new ConfigError(parsed.error.issues[0].message);
  const v = parsed.data;
  return { perAppPass: v.PASSLENS_PRICE_PER_APP, perUserPremium: v.PASSLENS_PRICE_PER_USER, perUserPremiumVolume: v.PASSLENS_PRICE_PER_USER_VOLUME, payAsYouGoPerAppUser: v.PASSLENS_PRICE_PAYG, currency: 'USD' };
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const schema = z.object({
    PORT: port('PORT', 3978),
    PASSLENS_PLAYGROUND_PORT: port('PASSLENS_PLAYGROUND_PORT', 56150),
    MicrosoftAppId: z.string().optional(),
    MicrosoftAppPassword: z.string().optional(),
    MicrosoftAppTenantId: z.string().optional(),
    MicrosoftAppType: z.string().optional(),
    PASSLENS_ADMINS: z.string().optional(),
    PASSLENS_TENANT_ID: z.string().optional(),
    PASSLENS_CACHE_TTL_MINUTES: number('PASSLENS_CACHE_TTL_MINUTES', 15),
    PASSLENS_DATA_DIR: z.string().optional(),
    PASSLENS_UPLOAD_DIR: z.string().optional(),
    PASSLENS_CLIENT_ID: z.string().optional(),
    PASSLENS_CLIENT_SECRET: z.string().optional(),
    PASSLENS_CLIENT_CERTIFICATE_PATH: z.string().optional(),
    PASSLENS_USE_MANAGED_IDENTITY: z.string().optional(),
    PASSLENS_CLOUD: z.enum(CLOUD_NAMES as [CloudName, ...CloudName[]], { errorMap: () => ({ message: `PASSLENS_CLOUD must be one of ${CLOUD_NAMES.join(', ')}` }) }).optional(),
    PASSLENS_AUTHORITY_HOST: httpsUrl('PASSLENS_AUTHORITY_HOST'),
    PASSLENS_BAP_URL: httpsUrl('PASSLENS_BAP_URL'),
    PASSLENS_POWERAPPS_URL: httpsUrl('PASSLENS_POWERAPPS_URL'),
    PASSLENS_POWERPLATFORM_URL: httpsUrl('PASSLENS_POWERPLATFORM_URL'),
    PASSLENS_GRAPH_URL: httpsUrl('PASSLENS_GRAPH_URL'),
    PASSLENS_OFFICE_MANAGEMENT_URL: httpsUrl('PASSLENS_OFFICE_MANAGEMENT_URL'),
    PASSLENS_AUDIT_READER: z.enum(['graph', 'officeManagement', 'off'], { errorMap: () => ({ message: 'PASSLENS_AUDIT_READER must be graph, officeManagement or off' }) }).optional(),
    PASSLENS_LAUNCH_RETENTION_MONTHS: number('PASSLENS_LAUNCH_RETENTION_MONTHS', 13),
    PASSLENS_CONCURRENCY: number('PASSLENS_CONCURRENCY', 8),
    PASSLENS_HTTP_TIMEOUT_SECONDS: number('PASSLENS_HTTP_TIMEOUT_SECONDS', 30),
    PASSLENS_AUDIT_POLL_SECONDS: number('PASSLENS_AUDIT_POLL_SECONDS', 15),
    PASSLENS_RETRY_AFTER_CAP_SECONDS: number('PASSLENS_RETRY_AFTER_CAP_SECONDS', RETRY_AFTER_CAP_MS / 1000),
    PASSLENS_CA_FILE: z.string().optional(),
    PASSLENS_STORAGE_CONNECTION_STRING: z.string().optional(),
    PASSLENS_STORAGE_CONTAINER: z.string().regex(/^[a-z0-9](?:[a-z0-9-]{1,61}[a-z0-9])$/, 'PASSLENS_STORAGE_CONTAINER must be a blob container name (3-63 lowercase letters, digits and dashes)').optional(),
    PASSLENS_DIGEST_TIMER: z.enum(['in-process', 'external', 'off'], { errorMap: () => ({ message: 'PASSLENS_DIGEST_TIMER must be in-process, external or off' }) }).optional(),
    PASSLENS_DIGEST_SECRET: z.string().min(16, 'PASSLENS_DIGEST_SECRET must be at least 16 characters').optional(),
    PASSLENS_DIGEST_AUDIENCE: z.string().optional(),
    PASSLENS_LOCAL_TRUST_ACTIVITY_IDENTITY: z.string().optional(),
    PASSLENS_DIGEST_LEASE_MINUTES: number('PASSLENS_DIGEST_LEASE_MINUTES', 10),
    PASSLENS_TEAMS_SERVICE_URL: z.string().url('PASSLENS_TEAMS_SERVICE_URL must be a URL such as https://smba.trafficmanager.net/').optional(),
    HOST: z.string().refine((v) => v === '' || isIP(v) !== 0 || HOST_NAME.test(v), { message: 'HOST must be an IP address (127.0.0.1, 0.0.0.0, ::) or a host name of this machine' }).optional(),
  });
  const parsed = schema.safeParse(env);
  if (!parsed.success) throw new ConfigError(parsed.error.issues[0].message);
  const v = parsed.data;
  let bot: BotIdentity | null = null;
  if (v.MicrosoftAppId) {
    const appType = v.MicrosoftAppType || 'SingleTenant';
    if (appType !== 'SingleTenant' && appType !== 'UserAssignedMSI') {
      throw new ConfigError(`MicrosoftAppType must be SingleTenant or UserAssignedMSI (new multi-tenant bots are no longer allowed), got "${appType}".`);
    }
    if (!v.MicrosoftAppTenantId) throw new ConfigError('MicrosoftAppTenantId is required when MicrosoftAppId is set.');
    if (appType === 'SingleTenant' && !v.MicrosoftAppPassword) throw new ConfigError('MicrosoftAppPassword is required for a SingleTenant bot (or set MicrosoftAppType=UserAssignedMSI).');
    if (appType === 'UserAssignedMSI' && v.MicrosoftAppPassword) throw new ConfigError('MicrosoftAppPassword must not be set with MicrosoftAppType=UserAssignedMSI: the managed identity signs in.');
    bot = { appId: v.MicrosoftAppId, appPassword: v.MicrosoftAppPassword, tenantId: v.MicrosoftAppTenantId, appType };
  } else if (v.MicrosoftAppPassword) {
    throw new ConfigError('MicrosoftAppPassword is set but MicrosoftAppId is not.');
  }
  const admins = (v.PASSLENS_ADMINS ?? '')
    .split(/[,;\s]+/)
    .map((a) => a.trim().toLowerCase())
    .filter(Boolean);
  if (v.PASSLENS_DIGEST_AUDIENCE && !(v.PASSLENS_TENANT_ID ?? v.MicrosoftAppTenantId)) throw new ConfigError('PASSLENS_DIGEST_AUDIENCE needs PASSLENS_TENANT_ID: tokens are accepted from that tenant only.');
  if (bot && admins.length === 0) throw new ConfigError('PASSLENS_ADMINS is required when the bot has an identity: list the admins (AAD object ids or UPNs) who may see licensing data.');
  if (!Number.isInteger(v.PASSLENS_LAUNCH_RETENTION_MONTHS) || v.PASSLENS_LAUNCH_RETENTION_MONTHS < 1) throw new ConfigError('PASSLENS_LAUNCH_RETENTION_MONTHS must be a whole number of months, at least 1.');
  if (v.PASSLENS_DIGEST_LEASE_MINUTES < 1) throw new ConfigError('PASSLENS_DIGEST_LEASE_MINUTES must be at least 1: a shorter lease would let a second instance take over a channel whose post is still on its way.');
  const live = liveSettings(v);
  return {
    port: v.PORT,
    playgroundPort: v.PASSLENS_PLAYGROUND_PORT,
    bot,
    admins,
    openLocally: !bot && admins.length === 0,
    tenantId: v.PASSLENS_TENANT_ID ?? bot?.tenantId ?? null,
    dataSource: live ? 'live' : 'demo',
    live,
    cacheTtlMs: v.PASSLENS_CACHE_TTL_MINUTES * 60_000,
    prices: pricesFromEnv(env),
    dataDir: v.PASSLENS_DATA_DIR ?? '.data',
    launchRetentionMonths: v.PASSLENS_LAUNCH_RETENTION_MONTHS,
    uploadDir: v.PASSLENS_UPLOAD_DIR || null,
    storage: v.PASSLENS_STORAGE_CONNECTION_STRING ? { connectionString: v.PASSLENS_STORAGE_CONNECTION_STRING, container: v.PASSLENS_STORAGE_CONTAINER ?? 'passlens-state' } : null,
    digestTimer: v.PASSLENS_DIGEST_TIMER ?? 'in-process',
    digestSecret: v.PASSLENS_DIGEST_SECRET ?? null,
    digestAudience: v.PASSLENS_DIGEST_AUDIENCE ?? null,
    digestLeaseMs: v.PASSLENS_DIGEST_LEASE_MINUTES * 60_000,
    caFile: v.PASSLENS_CA_FILE ?? null,
    host: v.HOST || (bot ? undefined : '127.0.0.1'),
    trustActivityIdentity: /^(1|true|yes)$/i.test(v.PASSLENS_LOCAL_TRUST_ACTIVITY_IDENTITY ?? ''),
    // The public Teams connector (Microsoft 365 Agents SDK, TeamsServiceEndpoints.publicGlobal:
    // https://smba.trafficmanager.net/teams/; regional paths share the origin).
    teamsServiceUrl: v.PASSLENS_TEAMS_SERVICE_URL ?? 'https://smba.trafficmanager.net/',
    cloud: v.PASSLENS_CLOUD ?? 'public',
  };
}

/**
 * The bot's own check, not the CLI's: without a bot identity no channel signs the
 * activities, so their from.aadObjectId and serviceUrl are whatever the sender wrote;
 * only the open demo may be served that way unless trust is asked for explicitly.
 */
export function assertServable(config: Config): void {
  if (config.bot || config.trustActivityIdentity || (!config.live && config.admins.length === 0)) return;
  throw new ConfigError(
    `${config.live ? 'Live tenant data' : 'PASSLENS_ADMINS'} needs a bot identity: set MicrosoftAppId (with MicrosoftAppTenantId) so Teams' signed tokens say who is asking, or PASSLENS_LOCAL_TRUST_ACTIVITY_IDENTITY=true to trust unsigned activities for local testing only.`,
  );
}

interface LiveInput {
  PASSLENS_TENANT_ID?: string;
  PASSLENS_CLIENT_ID?: string;
  PASSLENS_CLIENT_SECRET?: string;
  PASSLENS_CLIENT_CERTIFICATE_PATH?: string;
  PASSLENS_USE_MANAGED_IDENTITY?: string;
  PASSLENS_CLOUD?: CloudName;
  PASSLENS_AUTHORITY_HOST?: string;
  PASSLENS_BAP_URL?: string;
  PASSLENS_POWERAPPS_URL?: string;
  PASSLENS_POWERPLATFORM_URL?: string;
  PASSLENS_GRAPH_URL?: string;
  PASSLENS_OFFICE_MANAGEMENT_URL?: string;
  PASSLENS_AUDIT_READER?: AuditReaderSetting;
  PASSLENS_CONCURRENCY: number;
  PASSLENS_HTTP_TIMEOUT_SECONDS: number;
  PASSLENS_AUDIT_POLL_SECONDS: number;
  PASSLENS_CA_FILE?: string;
  PASSLENS_RETRY_AFTER_CAP_SECONDS: number;
}

function liveSettings(v: LiveInput): LiveSettings | null {
  const managedIdentity = /^(1|true|yes)$/i.test(v.PASSLENS_USE_MANAGED_IDENTITY ?? '');
  const anyCredential = v.PASSLENS_CLIENT_SECRET || v.PASSLENS_CLIENT_CERTIFICATE_PATH || managedIdentity;
  if (!v.PASSLENS_CLIENT_ID) {
    if (anyCredential) throw new ConfigError('PASSLENS_CLIENT_ID is required with a tenant reader credential: give the app registration\'s client id.');
    return null;
  }
  if (!v.PASSLENS_TENANT_ID) throw new ConfigError('PASSLENS_TENANT_ID is required with PASSLENS_CLIENT_ID: give the tenant id (a GUID) of the Power Platform tenant.');
  const given = [v.PASSLENS_CLIENT_SECRET && 'PASSLENS_CLIENT_SECRET', v.PASSLENS_CLIENT_CERTIFICATE_PATH && 'PASSLENS_CLIENT_CERTIFICATE_PATH', managedIdentity && 'PASSLENS_USE_MANAGED_IDENTITY'].filter(Boolean);
  if (given.length === 0) throw new ConfigError('Set one of PASSLENS_CLIENT_SECRET, PASSLENS_CLIENT_CERTIFICATE_PATH or PASSLENS_USE_MANAGED_IDENTITY=true for the tenant reader.');
  if (given.length > 1) throw new ConfigError(`Set only one tenant reader credential; ${given.join(' and ')} are both set.`);
  if (!Number.isInteger(v.PASSLENS_CONCURRENCY) || v.PASSLENS_CONCURRENCY < 1) throw new ConfigError('PASSLENS_CONCURRENCY must be a whole number of at least 1.');
  const credential: TenantCredential = v.PASSLENS_CLIENT_SECRET
    ? { kind: 'secret', secret: v.PASSLENS_CLIENT_SECRET }
    : v.PASSLENS_CLIENT_CERTIFICATE_PATH
      ? { kind: 'certificate', path: v.PASSLENS_CLIENT_CERTIFICATE_PATH }
      : { kind: 'managedIdentity', clientId: v.PASSLENS_CLIENT_ID };
  const cloud = v.PASSLENS_CLOUD ?? 'public';
  const hosts = CLOUDS[cloud];
  // Graph's audit log queries are global-only; elsewhere the Office 365 Management Activity API, where the cloud has one (cloud.ts).
  const auditReader: AuditReaderSetting = v.PASSLENS_AUDIT_READER ?? (hosts.graphAuditLog ? 'graph' : hosts.officeManagementUrl ? 'officeManagement' : 'off');
  if (auditReader === 'graph' && !hosts.graphAuditLog) throw new ConfigError(`PASSLENS_AUDIT_READER=graph: Microsoft offers Graph's audit log queries in the public cloud only, not in ${cloud}; use officeManagement${hosts.officeManagementUrl ? '' : ' (none in this cloud either: use off)'}.`);
  if (auditReader === 'officeManagement' && !hosts.officeManagementUrl) throw new ConfigError(`PASSLENS_AUDIT_READER=officeManagement: Microsoft documents no Office 365 Management Activity API host for ${cloud}; use off.`);
  return {
    tenantId: v.PASSLENS_TENANT_ID,
    clientId: v.PASSLENS_CLIENT_ID,
    credential,
    cloud,
    audiences: { ...hosts.audiences },
    authorityHost: v.PASSLENS_AUTHORITY_HOST ?? hosts.authorityHost,
    bapUrl: v.PASSLENS_BAP_URL ?? hosts.bapUrl,
    powerAppsUrl: v.PASSLENS_POWERAPPS_URL ?? hosts.powerAppsUrl,
    powerPlatformUrl: v.PASSLENS_POWERPLATFORM_URL ?? hosts.powerPlatformUrl,
    graphUrl: v.PASSLENS_GRAPH_URL ?? hosts.graphUrl,
    officeManagementUrl: v.PASSLENS_OFFICE_MANAGEMENT_URL ?? hosts.officeManagementUrl,
    officeManagementAudience: hosts.officeManagementUrl,
    auditReader,
    auditPollMs: v.PASSLENS_AUDIT_POLL_SECONDS * 1000,
    concurrency: v.PASSLENS_CONCURRENCY,
    timeoutMs: v.PASSLENS_HTTP_TIMEOUT_SECONDS * 1000,
    caFile: v.PASSLENS_CA_FILE ?? null,
    retryAfterCapMs: v.PASSLENS_RETRY_AFTER_CAP_SECONDS * 1000,
  };
}
