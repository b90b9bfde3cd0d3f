import type { App, Environment } from './snapshot';
import { environmentKey, type LedgerApp, type UsageIndex } from '../usage/usageIndex';
import { normalizeName } from './names';

/**
 * Usage rows name environments and apps by id or by display name; the inventory knows
 * both. This matches the one to the other, before any rule is applied.
 */

export interface MatchedEnvironments {
  /** the inventory's environments, then those known only from the usage */
  environments: Environment[];
  byUsageKey: Map<string, Environment>;
}

export function matchEnvironments(inventoryEnvs: readonly Environment[], usage: UsageIndex): MatchedEnvironments {
  const environments = inventoryEnvs.map((e) => ({ ...e }));
  const byId = new Map(environments.map((e) => [environmentKey(e.id), e]));
  const byName = new Map(environments.map((e) => [normalizeName(e.name), e]));
  const byUsageKey = new Map<string, Environment>();
  for (const le of usage.environments()) {
    let env = byId.get(le.key) ?? (le.name ? byName.get(normalizeName(le.name)) : undefined) ?? byName.get(normalizeName(le.id));
    if (!env) {
      env = { id: le.id, name: le.name ?? le.id, managed: null, payAsYouGo: null, allocatedPasses: null };
      environments.push(env);
      byId.set(le.key, env);
      byName.set(normalizeName(env.name), env);
    }
    byUsageKey.set(le.key, env);
  }
  return { environments, byUsageKey };
}

interface EnvironmentApps {
  apps: App[];
  byId: Map<string, App>;
  /** built on the first miss by id: normalizing every name of a large inventory costs more than all id lookups */
  byName: Map<string, App> | null;
}

/** The inventory's apps by environment, found by id or, failing that, by name. */
export class AppCatalog {
  private readonly byEnvironment = new Map<string, EnvironmentApps>();

  constructor(apps: readonly App[] | null) {
    for (const app of apps ?? []) {
      const key = environmentKey(app.environmentId);
      let i = this.byEnvironment.get(key);
      if (!i) this.byEnvironment.set(key, (i = { apps: [], byId: new Map(), byName: null }));
      i.apps.push(app);
      i.byId.set(app.id.toLowerCase(), app);
    }
  }

  /** The inventory's apps of an environment. */
  appsOf(envId: string): readonly App[] {
    return this.byEnvironment.get(environmentKey(envId))?.apps ?? [];
  }

  /** The inventory's entry for an app of the usage, if any. */
  find(envId: string, app: LedgerApp): App | undefined {
    const i = this.byEnvironment.get(environmentKey(envId));
    if (!i) return undefined;
    const byId = i.byId.get(app.id.toLowerCase());
    if (byId) return byId;
    i.byName ??= new Map(i.apps.map((a) => [normalizeName(a.name), a]));
    return i.byName.get(normalizeName(app.name));
  }
}
