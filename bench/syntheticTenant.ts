import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { App, Environment, TenantSnapshot, User } from '../src/licensing/snapshot';
import { ACTIVE_USERS_HEADER, launchRow } from '../test/support/csvWriter';

/**
 * A large synthetic tenant for benchmarks: deterministic (a seeded generator), with the
 * mix of a real one: some managed and pay-as-you-go environments, a fifth of the apps
 * premium, auto-assign on for many, a few per-user licensed users.
 */
export interface SyntheticSize {
  environments: number;
  apps: number;
  users: number;
  launches: number;
}

export const FULL_SIZE: SyntheticSize = { environments: 1000, apps: 50_000, users: 100_000, launches: 1_000_000 };

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function envId(i: number): string {
  return `8f3c2a10-0000-4000-9000-${i.toString(16).padStart(12, '0')}`;
}

export function appIdOf(i: number): string {
  return `3e9d0c2a-0000-4000-9000-${i.toString(16).padStart(12, '0')}`;
}

export function syntheticInventory(size: SyntheticSize, seed = 42): Omit<TenantSnapshot, 'launches'> {
  const random = rng(seed);
  const environments: Environment[] = Array.from({ length: size.environments }, (_, i) => ({
    id: envId(i),
    name: `Environment ${String(i).padStart(4, '0')}`,
    managed: random() < 0.2,
    payAsYouGo: random() < 0.05,
    allocatedPasses: Math.floor(random() * 60),
  }));
  const apps: App[] = Array.from({ length: size.apps }, (_, i) => {
    const premium = random() < 0.2;
    return {
      id: appIdOf(i),
      name: `App ${i}`,
      environmentId: envId(i % size.environments),
      type: random() < 0.05 ? 'model-driven' : 'canvas',
      planClassification: premium ? 'Premium' : 'Standard',
      usesPremiumApi: premium,
      usesCustomApi: false,
      usesOnPremiseGateway: false,
      connectors: [{ name: premium ? 'SQL Server' : 'SharePoint', tier: premium ? 'Premium' : 'Standard', custom: false, onPremises: false }],
      canConsumeAppPass: random() < 0.5,
    };
  });
  const users: User[] = Array.from({ length: size.users }, (_, i) => ({
    userPrincipalName: `user${i}@contoso.com`,
    licenses: random() < 0.05 ? ['M365E5', 'PowerAppsPremium'] : ['M365E5'],
  }));
  return { generatedAt: '2026-11-29T00:00:00Z', sources: [{ kind: 'manual', description: 'synthetic tenant' }], environments, apps, users };
}

/** Writes the launches as an Active users CSV, streaming, so generating it needs no memory either. */
export async function writeSyntheticCsv(path: string, inventory: Omit<TenantSnapshot, 'launches'>, rows: number, seed = 7, month = '2026-11'): Promise<number> {
  const random = rng(seed);
  const out = createWriteStream(path);
  const apps = inventory.apps!;
  const envName = new Map(inventory.environments.map((e) => [e.id, e.name]));
  const types = ['AppPass', 'AppPass', 'M365', 'PerUser', 'Other'] as const;
  let buffer = `${ACTIVE_USERS_HEADER.join(',')}\n`;
  for (let i = 0; i < rows; i++) {
    const app = apps[Math.floor(random() * apps.length)];
    buffer += `${launchRow({
      userPrincipalName: `user${Math.floor(random() * 100_000)}@contoso.com`,
      appId: app.id,
      appName: i % 1000 === 0 ? `${app.name}, "quoted"` : app.name,
      environmentId: app.environmentId,
      environmentName: envName.get(app.environmentId),
      month,
      licenseType: types[Math.floor(random() * types.length)],
      reportedPremium: app.planClassification === 'Premium',
    })}\n`;
    if (buffer.length > 1 << 20) {
      if (!out.write(buffer)) await once(out, 'drain');
      buffer = '';
    }
  }
  out.end(buffer);
  await once(out, 'finish');
  return out.bytesWritten;
}
