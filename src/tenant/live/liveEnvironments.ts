import type { Environment, EnvironmentType } from '../../licensing/snapshot';
import { AdminApi } from './adminApi';
import { LiveApiError } from './errors';
import type { LiveSettings } from '../../config';
import { allocationsUrl } from './endpoints';

export interface BapEnvironment {
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

export function environmentOf(b: BapEnvironment): Environment {
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
export function settleManaged(env: Environment, b: BapEnvironment, entitlements: readonly EnvironmentEntitlement[]): string | null {
  const documented = entitlements.find((e) => typeof e.isManagedEnvironment === 'boolean')?.isManagedEnvironment;
  if (documented === undefined) return null;
  const fromBap = managedFromGovernance(b);
  env.managed = documented;
  if (fromBap !== null && fromBap !== documented) {
    return `${env.name}: the environment entitlements say isManagedEnvironment = ${documented}, BAP's protectionLevel says ${b.properties?.governanceConfiguration?.protectionLevel}; the documented entitlements field is used.`;
  }
  return null;
}

export async function allocationOf(api: AdminApi, settings: LiveSettings, envId: string): Promise<number> {
  try {
    const body = await api.get<{ currencyAllocations?: { currencyType?: string; allocated?: number }[] } | null>('powerplatform', allocationsUrl(settings, envId));
    return Number((body?.currencyAllocations ?? []).find((c) => c.currencyType === 'AppPass')?.allocated ?? 0);
  } catch (e) {
    if (e instanceof LiveApiError && e.status === 404) return 0;
    throw e;
  }
}
