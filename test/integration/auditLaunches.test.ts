import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config';
import { LiveTenantSource } from '../../src/tenant/live/liveSource';
import { FileStorage } from '../../src/storage/fileStorage';
import { LaunchStore } from '../../src/launches/launchStore';
import { LaunchCollector } from '../../src/launches/collector';
import type { AuditLaunch } from '../../src/launches/launch';
import { NO_FAULTS, TenantSimulator } from '../support/tenantSimulator';
import { expectedLaunches, seedLaunches } from '../support/auditSimulator';

const MONTH = '2026-11';
/** The demo tenant's "now": a week after November, so Graph reads all of it and the feed only its last days. */
const NOW = new Date('2026-12-04T12:00:00Z');
const FAST = { pollMs: 5, backoffMs: 5, retryAfterCapMs: 5_000 };

async function all(source: AsyncIterable<AuditLaunch>): Promise<AuditLaunch[]> {
  const out: AuditLaunch[] = [];
  for await (const l of source) out.push(l);
  return out.sort((a, b) => `${a.environmentId}${a.appId}${a.userPrincipalName}`.localeCompare(`${b.environmentId}${b.appId}${b.userPrincipalName}`));
}

describe('launches from the audit log: readers, store and collector against the simulator (real MSAL and axios)', function () {
  this.timeout(120_000);
  let sim: TenantSimulator;
  const dirs: string[] = [];

  before(async () => (sim = await new TenantSimulator().start()));
  after(async () => {
    await sim.stop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
  beforeEach(() => sim.reset({ ...NO_FAULTS }));

  function fileStore(): LaunchStore {
    const dir = mkdtempSync(join(tmpdir(), 'passlens-launches-'));
    dirs.push(dir);
    return new LaunchStore(new FileStorage(dir));
  }

  function collector(store: LaunchStore, reader: 'graph' | 'officeManagement', extra: Partial<ConstructorParameters<typeof LaunchCollector>[0]> = {}) {
    const live = new LiveTenantSource(loadConfig({ ...sim.env(), PASSLENS_AUDIT_READER: reader }).live!);
    const apps = new Map((sim.seed.apps ?? []).map((a) => [a.id.toLowerCase(), a.environmentId]));
    return new LaunchCollector({ store, reader: live.auditReader(FAST), clock: () => NOW, inventory: async () => (id) => apps.get(id), ...extra });
  }

  it('Graph: a query per day, polled to succeeded, paged, both record shapes, duplicates and other operations dropped', async () => {
    sim.audit.reset({ pageSize: 7, duplicateEvery: 3, otherOperationEvery: 4, legacyEvery: 5, outsidePeriod: true });
    const store = fileStore();
    const result = await collector(store, 'graph').collect(MONTH);
    assert.equal(result.failed.length, 0, JSON.stringify(result.failed));
    assert.equal(result.read.length, 30, 'one query per day of November');
    assert.equal(sim.audit.stats.queries, 30);
    const launches = await all(store.launches(MONTH));
    const want = expectedLaunches(seedLaunches(sim.seed, MONTH), '2026-11-01T00:00:00Z', '2026-12-01T00:00:00Z');
    assert.equal(launches.length, want.size, 'every distinct (environment, app, user)');
    for (const l of launches) assert.equal(l.count, want.get(`${l.environmentId}|${l.appId}|${l.userPrincipalName}`), `count of ${l.appId} by ${l.userPrincipalName}`);
    const coverage = result.coverage!;
    assert.deepEqual(coverage.collected, [{ start: '2026-11-01T00:00:00.000Z', end: '2026-12-01T00:00:00.000Z' }]);
    assert.equal(coverage.reader, 'graph');
    assert.ok(coverage.duplicateRecords > 0, 'duplicates counted');
    assert.equal(coverage.recordsRead, [...want.values()].reduce((a, b) => a + b, 0));
    const legacy = launches.find((l) => !l.appName);
    assert.ok(legacy, 'a launch known only from legacy records (no display name)');
    assert.ok(sim.calls.some((c) => c.path === '/v1.0/security/auditLog/queries' && c.method === 'POST'));
  });
});
