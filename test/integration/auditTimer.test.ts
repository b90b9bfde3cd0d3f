import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPassLens, type RunningPassLens } from '../../src/index';
import { NO_FAULTS, TenantSimulator } from '../support/tenantSimulator';
import { freePort } from '../support/chromium';
import { simulatorOnItsDay } from '../support/simulatorDay';

/**
 * The collector on the digest timer: POST /api/digest (the external timer) starts a
 * collection in the background, whose launches land in the launch store; the call does not
 * wait for it.
 */
describe('launch collection on the digest timer (issue 20)', function () {
  this.timeout(180_000);
  let sim: TenantSimulator;
  let running: RunningPassLens;
  let dataDir: string;
  let undoClock: (() => void) | undefined;

  before(async () => {
    // The last month is the simulator's November on 4 December, whatever day the test runs.
    ({ sim, undoClock } = await simulatorOnItsDay());
    sim.reset({ ...NO_FAULTS });
    dataDir = mkdtempSync(join(tmpdir(), 'passlens-audit-timer-'));
    running = await startPassLens({
      env: { ...sim.env(), PORT: String(await freePort()), PASSLENS_DIGEST_TIMER: 'external', PASSLENS_DIGEST_SECRET: 'a-digest-secret-of-some-length', PASSLENS_DATA_DIR: dataDir, PASSLENS_AUDIT_POLL_SECONDS: '0.01', PASSLENS_LOCAL_TRUST_ACTIVITY_IDENTITY: 'true' },
      logger: { info: () => {}, error: () => {} },
    });
  });
  after(async () => {
    await running?.close();
    undoClock?.();
    await sim?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('POST /api/digest starts the collection of the last month and this one; the launches land in the store', async () => {
    const started = Date.now();
    const res = await fetch(`http://127.0.0.1:${running.port}/api/digest`, { method: 'POST', headers: { authorization: 'Bearer a-digest-secret-of-some-length' } });
    assert.equal(res.status, 200);
    const answeredMs = Date.now() - started;
    const store = running.launches.store;
    const previous = '2026-11';
    // Done when the whole last month is collected or failed: between two days no day is claimed, so "no claim" alone ends too soon.
    const monthEnd = Date.parse('2026-12-01T00:00:00Z');
    const done = async () => {
      const coverage = await store.coverage(previous);
      const periods = [...(coverage?.collected ?? []), ...(coverage?.failed ?? [])];
      return periods.some((p) => Date.parse(p.end) >= monthEnd) && Object.keys((await store.index()).claims).length === 0;
    };
    for (let i = 0; i < 1200 && !(await done()); i++) await new Promise((r) => setTimeout(r, 100));
    const coverage = await store.coverage(previous);
    assert.ok(coverage, 'the last month was collected');
    assert.ok(sim.audit.stats.queries >= 28, `a query per day of the last month (${sim.audit.stats.queries})`);
    assert.ok(answeredMs < 10_000, `the digest call did not wait for the collection (${answeredMs} ms)`);
    let n = 0;
    for await (const l of store.launches(previous)) n += l.count > 0 ? 1 : 0;
    assert.ok(n > 0, "the simulator's November launches are in the store");
  });
});
