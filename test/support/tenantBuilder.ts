import type { App, BookedLicenseType, Environment, Launch, TenantSnapshot, User, UserLicense } from '../../src/licensing/snapshot';

/** Small hand-built tenants: each test states exactly the facts its rule depends on. */
export class TenantBuilder {
  private envs: Environment[] = [];
  private apps: App[] = [];
  private users: User[] = [];
  private launches: Launch[] = [];
  private withInventory = true;
  private withUsers = true;

  env(name: string, facts: Partial<Environment> = {}): this {
    this.envs.push({ id: `env-${this.envs.length + 1}`, name, managed: false, payAsYouGo: false, allocatedPasses: 0, ...facts });
    return this;
  }

  app(name: string, envName: string, facts: Partial<App> & { premium?: boolean } = {}): this {
    const { premium, ...rest } = facts;
    this.apps.push({
      id: `app-${this.apps.length + 1}`,
      name,
      environmentId: this.envId(envName),
      type: 'canvas',
      planClassification: premium ? 'Premium' : 'Standard',
      usesPremiumApi: Boolean(premium),
      usesCustomApi: false,
      usesOnPremiseGateway: false,
      connectors: premium ? [{ name: 'SQL Server', tier: 'Premium', custom: false, onPremises: false }] : [{ name: 'SharePoint', tier: 'Standard', custom: false, onPremises: false }],
      canConsumeAppPass: true,
      ...rest,
    });
    return this;
  }

  user(upn: string, ...licenses: UserLicense[]): this {
    this.users.push({ userPrincipalName: upn, licenses: licenses.length ? licenses : ['M365E5'] });
    return this;
  }

  launch(upn: string, appName: string, licenseType: BookedLicenseType, extra: Partial<Launch> = {}): this {
    const app = this.apps.find((a) => a.name === appName);
    if (!app) throw new Error(`no app ${appName}`);
    if (!this.users.some((u) => u.userPrincipalName === upn)) this.user(upn);
    this.launches.push({
      userPrincipalName: upn,
      appId: app.id,
      appName: app.name,
      environmentId: app.environmentId,
      month: '2026-11',
      licenseType,
      reportedPremium: app.planClassification === 'Premium',
      ...extra,
    });
    return this;
  }

  /** n launches of an app by n distinct users. */
  launches_(appName: string, n: number, licenseType: BookedLicenseType, prefix = appName.toLowerCase().replace(/\W/g, '')): this {
    for (let i = 0; i < n; i++) this.launch(`${prefix}${i}@contoso.com`, appName, licenseType);
    return this;
  }

  noInventory(): this {
    this.withInventory = false;
    return this;
  }

  noUsers(): this {
    this.withUsers = false;
    return this;
  }

  build(): TenantSnapshot {
    return {
      generatedAt: '2026-11-29T00:00:00.000Z',
      sources: [{ kind: 'manual', description: 'test tenant' }],
      environments: this.envs,
      apps: this.withInventory ? this.apps : null,
      users: this.withUsers ? this.users : null,
      launches: this.launches,
    };
  }

  private envId(name: string): string {
    const env = this.envs.find((e) => e.name === name);
    if (!env) throw new Error(`no env ${name}`);
    return env.id;
  }
}

/** The forum case: 25 passes, 28 AppPass rows over 28 apps, one premium, E5 users. */
export function forumCase(managed: boolean): TenantSnapshot {
  const b = new TenantBuilder().env('Sales', { allocatedPasses: 25, managed });
  for (let i = 0; i < 27; i++) b.app(`Standard ${i}`, 'Sales');
  b.app('Premium one', 'Sales', { premium: true });
  for (let i = 0; i < 27; i++) b.launch(`u${i}@contoso.com`, `Standard ${i}`, 'AppPass');
  b.launch('u27@contoso.com', 'Premium one', 'AppPass');
  return b.build();
}
