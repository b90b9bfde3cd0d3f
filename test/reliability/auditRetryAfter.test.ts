import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config';
import { LiveTenantSource } from '../../src/tenant/live/liveSource';
import { FileStorage } from '../../src/storage/fileStorage';
import { LaunchStore } from '../../src/launches/launchStore';
import { LaunchCollector } from '../../src/launches/collector';
import { NO_FAULTS, TenantSimulator } from '../support/tenantSimulator';

/**
 * Issue 23, item 4, for the audit log readers: they keep to the admin APIs' Retry-After cap
 * (PASSLENS_RETRY_AFTER_CAP_SECONDS, default 60 s, counted over all retries of one call), so a
 * throttled period fails at once, named with its dates and the fix, and the other periods are read.
 * Through the real readers, MSAL and axios against the simulator; no cap is passed to the reader.
 */
describe('reliability: the audit log readers keep to the Retry-After cap', function () {
  this.timeout(60_000);
  let sim: TenantSimulator;
  const dirs: string[] = [];

  before(async () => {
    sim = await new TenantSimulator().start();
  });
  after(async () => {
    await sim.stop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
  beforeEach(() => sim.reset({ ...NO_FAULTS }));

  function collector(reader: 'graph' | 'officeManagement', env: Record<string, string>, now: Date): LaunchCollector {
    const dir = mkdtempSync(join(tmpdir(), 'passlens-audit-cap-'));
    dirs.push(dir);
    const live = new LiveTenantSource(loadConfig({ ...sim.env(), PASSLENS_AUDIT_READER: reader, ...env }).live!);
    return new LaunchCollector({ store: new LaunchStore(new FileStorage(dir)), reader: live.auditReader({ pollMs: 5, backoffMs: 400 }), clock: () => now });
  }

  // 90 s: within the readers' own 120 s cap before, so it was waited; now past the setting's 60 s.
  for (const asked of [3600, 90]) it(`Graph 429 with Retry-After: ${asked} fails that day at once under the default 60 s cap; the other days are read`, async () => {
    sim.audit.reset({ throttleCalls: 1, retryAfterSeconds: asked });
    const started = Date.now();
    const result = await collector('graph', {}, new Date('2026-11-04T00:00:00Z')).collect('2026-11');
    const seconds = (Date.now() - started) / 1000;
    assert.ok(seconds < 10, `${seconds} s`);
    assert.equal(sim.calls.filter((c) => c.status === 429).length, 1, 'no retry inside the hour');
    assert.equal(result.failed.length, 1, JSON.stringify(result.failed));
    const [day] = result.failed;
    assert.match(`${day.start} ${day.end}`, /^2026-11-0\dT00:00:00\.000Z 2026-11-0\dT00:00:00\.000Z$/);
    assert.match(day.reason, new RegExp(`asked it to wait ${asked} s, longer than`));
    assert.match(day.reason, /longer than the 60 s PassLens waits \(PASSLENS_RETRY_AFTER_CAP_SECONDS\)/);
    assert.match(day.fix, /reads this period again at the next collection/);
    assert.ok(result.coverage!.failed.some((f) => f.start === day.start && f.end === day.end && f.reason === day.reason), 'named on the coverage');
    assert.equal(result.read.length, 2, 'the other days are read');
  });

  it('Office 365 403 AF429 (no Retry-After documented): the backoff counts against PASSLENS_RETRY_AFTER_CAP_SECONDS over all retries; that day fails, the others are read', async () => {
    // Two AF429 answers: one 0.8 s backoff fits the 1 s cap, the next 1.6 s would pass it (waited + asked, not per retry).
    sim.audit.reset({ now: Date.parse('2026-12-04T12:00:00Z'), throttleCalls: 2 });
    const started = Date.now();
    const result = await collector('officeManagement', { PASSLENS_RETRY_AFTER_CAP_SECONDS: '1' }, new Date('2026-12-04T12:00:00Z')).collect('2026-11');
    const seconds = (Date.now() - started) / 1000;
    assert.ok(seconds < 10, `${seconds} s`);
    assert.equal(sim.calls.filter((c) => c.status === 403).length, 2, 'two AF429 answers, then no retry past the cap');
    const throttled = result.failed.filter((f) => /AF429/.test(f.reason));
    assert.equal(throttled.length, 1, JSON.stringify(result.failed));
    assert.match(throttled[0].reason, /still throttling PassLens \(403 AF429\) after it waited 1 s of the 1 s it waits \(PASSLENS_RETRY_AFTER_CAP_SECONDS\)/);
    assert.match(throttled[0].start, /^2026-11-2\dT00:00:00\.000Z$/);
    assert.match(throttled[0].fix, /next collection/);
    assert.equal(result.read.length, 2, 'the other readable days are read');
  });
});
