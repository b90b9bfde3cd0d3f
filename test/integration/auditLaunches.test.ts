import assert from 'node:assert/strict';
import { FileStorage } from '../../src/storage/fileStorage';
import { LaunchStore } from '../../src/launches/launchStore';
import { allLaunches, AUDIT_MONTH as MONTH, auditTenant } from '../support/auditTenant';
import { expectedLaunches, seedLaunches } from '../support/auditSimulator';

describe('launches from the audit log: readers, store and collector against the simulator (real MSAL and axios)', function () {
  this.timeout(120_000);
  const tenant = auditTenant();

  it('Graph: a query per day, polled to succeeded, paged, both record shapes, duplicates and other operations dropped', async () => {
    tenant.sim.audit.reset({ pageSize: 7, duplicateEvery: 3, otherOperationEvery: 4, legacyEvery: 5, outsidePeriod: true });
    const state = new FileStorage(tenant.folder());
    const store = new LaunchStore(state);
    const result = await tenant.collector(state, 'graph').collect(MONTH);
    assert.equal(result.failed.length, 0, JSON.stringify(result.failed));
    assert.equal(result.read.length, 30, 'one query per day of November');
    assert.equal(tenant.sim.audit.stats.queries, 30);
    const launches = await allLaunches(store.launches(MONTH));
    const want = expectedLaunches(seedLaunches(tenant.sim.seed, MONTH), '2026-11-01T00:00:00Z', '2026-12-01T00:00:00Z');
    assert.equal(launches.length, want.size, 'every distinct (environment, app, user)');
    for (const l of launches) assert.equal(l.count, want.get(`${l.environmentId}|${l.appId}|${l.userPrincipalName}`), `count of ${l.appId} by ${l.userPrincipalName}`);
    const coverage = result.coverage!;
    assert.deepEqual(coverage.collected, [{ start: '2026-11-01T00:00:00.000Z', end: '2026-12-01T00:00:00.000Z' }]);
    assert.equal(coverage.reader, 'graph');
    assert.ok(coverage.duplicateRecords > 0, 'duplicates counted');
    assert.equal(coverage.recordsRead, [...want.values()].reduce((a, b) => a + b, 0));
    const legacy = launches.find((l) => !l.appName);
    assert.ok(legacy, 'a launch known only from legacy records (no display name)');
    assert.ok(tenant.sim.calls.some((c) => c.path === '/v1.0/security/auditLog/queries' && c.method === 'POST'));
  });
});
