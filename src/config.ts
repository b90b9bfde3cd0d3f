import { z } from 'zod';
import type { Prices } from './licensing/report';
import { LIST_PRICES } from './licensing/prices';

/**
 * Every setting PassLens reads, by the exact names the README documents. A missing or
 * contradictory one fails at start with one line that names it.
 */

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

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

export interface BotIdentity {
  appId: string;
  appPassword?: string;
  tenantId?: string;
  appType: 'SingleTenant' | 'UserAssignedMSI';
}

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
  dataSource: 'demo';
  cacheTtlMs: number;
  prices: Prices;
  dataDir: string;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const schema = z.object({
    PORT: number('PORT', 3978),
    PASSLENS_PLAYGROUND_PORT: number('PASSLENS_PLAYGROUND_PORT', 56150),
    MicrosoftAppId: z.string().optional(),
    MicrosoftAppPassword: z.string().optional(),
    MicrosoftAppTenantId: z.string().optional(),
    MicrosoftAppType: z.string().optional(),
    PASSLENS_ADMINS: z.string().optional(),
    PASSLENS_TENANT_ID: z.string().optional(),
    PASSLENS_CACHE_TTL_MINUTES: number('PASSLENS_CACHE_TTL_MINUTES', 15),
    PASSLENS_PRICE_PER_APP: number('PASSLENS_PRICE_PER_APP', LIST_PRICES.perAppPass),
    PASSLENS_PRICE_PER_USER: number('PASSLENS_PRICE_PER_USER', LIST_PRICES.perUserPremium),
    PASSLENS_PRICE_PAYG: number('PASSLENS_PRICE_PAYG', LIST_PRICES.payAsYouGoPerAppUser),
    PASSLENS_DATA_DIR: z.string().optional(),
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
  if (bot && admins.length === 0) throw new ConfigError('PASSLENS_ADMINS is required when the bot has an identity: list the admins (AAD object ids or UPNs) who may see licensing data.');
  return {
    port: v.PORT,
    playgroundPort: v.PASSLENS_PLAYGROUND_PORT,
    bot,
    admins,
    openLocally: !bot && admins.length === 0,
    tenantId: v.PASSLENS_TENANT_ID ?? bot?.tenantId ?? null,
    dataSource: 'demo',
    cacheTtlMs: v.PASSLENS_CACHE_TTL_MINUTES * 60_000,
    prices: { perAppPass: v.PASSLENS_PRICE_PER_APP, perUserPremium: v.PASSLENS_PRICE_PER_USER, payAsYouGoPerAppUser: v.PASSLENS_PRICE_PAYG, currency: 'USD' },
    dataDir: v.PASSLENS_DATA_DIR ?? '.data',
  };
}
