import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config';
import { LiveTenantSource } from '../../src/tenant/live/liveSource';
import { LaunchStore } from '../../src/launches/launchStore';
import { LaunchCollector, type CollectorOptions } from '../../src/launches/collector';
import type { AuditLaunch } from '../../src/launches/launch';
import type { StateStore } from '../../src/storage/stateStore';
import { NO_FAULTS, TenantSimulator, type Faults } from './tenantSimulator';

/**
 * What the audit log tests share: the simulated tenant started once for a describe block
 * and reset before each test, temporary folders removed after it, and a collector over
 * the real MSAL and axios paths with short waits. Call it inside `describe`: it registers
 * the block's hooks.
 */

/** The month the simulator's launches are in, and a "now" a few days after it: Graph reads all of it, the feed only its last days. */
export const AUDIT_MONTH = '2026-11';
export const AUDIT_NOW = new Date('2026-12-04T12:00:00Z');
/** Waits short enough for a test; the same code paths as in production. */
export const FAST_AUDIT = { pollMs: 5, backoffMs: 5, retryAfterCapMs: 5_000 };

export type AuditReaderName = 'graph' | 'officeManagement';

export interface AuditTenant {
  /** The simulator (set once the block's `before` has run). */
  readonly sim: TenantSimulator;
  /** A new empty folder, removed after the block. */
  folder(prefix?: string): string;
  /** The live connection with `reader` as its audit log reader. */
  live(reader: AuditReaderName): LiveTenantSource;
  /** A collector into `state`'s launch store, at AUDIT_NOW, with the seed's app inventory (legacy records name no environment). */
  collector(state: StateStore, reader: AuditReaderName, extra?: Partial<CollectorOptions>): LaunchCollector;
}

export function auditTenant(faults: () => Faults = () => ({ ...NO_FAULTS })): AuditTenant {
  const dirs: string[] = [];
  let started: TenantSimulator | undefined;
  const tenant: AuditTenant = {
    get sim(): TenantSimulator {
      if (!started) throw new Error('the simulator starts in the describe block\'s before hook');
      return started;
    },
    folder(prefix = 'passlens-launches-') {
      const dir = mkdtempSync(join(tmpdir(), prefix));
      dirs.push(dir);
      return dir;
    },
    live(reader) {
      return new LiveTenantSource(loadConfig({ ...tenant.sim.env(), PASSLENS_AUDIT_READER: reader }).live!);
    },
    collector(state, reader, extra = {}) {
      const apps = new Map((tenant.sim.seed.apps ?? []).map((a) => [a.id.toLowerCase(), a.environmentId]));
      return new LaunchCollector({ store: new LaunchStore(state), reader: tenant.live(reader).auditReader(FAST_AUDIT), clock: () => AUDIT_NOW, inventory: async () => (id) => apps.get(id), ...extra });
    },
  };
  before(async () => {
    started = await new TenantSimulator().start();
  });
  after(async () => {
    await started?.stop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
  beforeEach(() => tenant.sim.reset(faults()));
  return tenant;
}

/** Every launch of a source, in a stable order (environment, app, user). */
export async function allLaunches(source: AsyncIterable<AuditLaunch>): Promise<AuditLaunch[]> {
  const out: AuditLaunch[] = [];
  for await (const l of source) out.push(l);
  return out.sort((a, b) => `${a.environmentId}${a.appId}${a.userPrincipalName}`.localeCompare(`${b.environmentId}${b.appId}${b.userPrincipalName}`));
}
