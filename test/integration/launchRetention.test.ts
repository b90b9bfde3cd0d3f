import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { NO_FAULTS } from '../support/tenantSimulator';
import { AUDIT_MONTH, AUDIT_NOW, auditTenant } from '../support/auditTenant';
import { startLiveChat } from '../support/liveChat';
import { LaunchStore } from '../../src/launches/launchStore';
import { FileStorage } from '../../src/storage/fileStorage';
import { LiveLaunches } from '../../src/launches/liveLaunches';
import { oldestKeptMonth, withinRetention } from '../../src/launches/retention';

function passlens(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(__dirname, '../../bin/passlens.js'), ...args], { env: { PATH: process.env.PATH, ...env }, maxBuffer: 64 << 20 }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code) || 1 : 0, stdout, stderr }),
    );
  });
}

/** The launch store's files in a data folder (FileStorage encodes the key `launches/…` as `launches%2F…`). */
// The index and the list of compacted months stay (emptied); every item holding launches goes.
const launchFiles = (dir: string) => readdirSync(dir).filter((f) => f.startsWith('launches%2F') && !/^launches%2F(index|compacted)\.json$/.test(f));

/**
 * PASSLENS_LAUNCH_RETENTION_MONTHS as docs/security.md states it, through the real parts:
 * the `passlens` binary and the bot deleting a month older than the retention (compacted
 * items included), and no answer read from such a month in the meantime.
 */
describe('launch retention: older months deleted by the CLI and the bot, and never answered from', function () {
  this.timeout(180_000);
  const tenant = auditTenant(() => ({ ...NO_FAULTS, insight: 'refused' }));

  /** A data folder holding November collected and compacted by the real CLI. */
  async function collectedNovember(): Promise<string> {
    const dir = tenant.folder('passlens-retention-');
    const run = await passlens(['analyze', '--live', '--month', AUDIT_MONTH, '--format', 'json'], { ...tenant.sim.env(), PASSLENS_DATA_DIR: dir, PASSLENS_AUDIT_POLL_SECONDS: '0.01' });
    assert.equal(run.code, 0, run.stderr);
    const index = await new LaunchStore(new FileStorage(dir)).index();
    assert.ok((index.compacted ?? []).some((c) => c.month === AUDIT_MONTH), 'November was compacted: the prune must remove compacted items too');
    assert.ok(launchFiles(dir).length > 0);
    return dir;
  }

  it('the CLI with the reader off and a month of retention: asking for November is refused with the setting named, and November is deleted', async () => {
    const dir = await collectedNovember();
    const env = { ...tenant.sim.env(), PASSLENS_DATA_DIR: dir, PASSLENS_AUDIT_READER: 'off', PASSLENS_LAUNCH_RETENTION_MONTHS: '1' };
    const asked = await passlens(['analyze', '--live', '--month', AUDIT_MONTH, '--format', 'json'], env);
    assert.equal(asked.code, 2);
    assert.equal(asked.stdout, '');
    assert.match(asked.stderr, /^passlens: 2026-11 is older than the launches PassLens keeps \(PASSLENS_LAUNCH_RETENTION_MONTHS=1: the current month only\), so its launches are neither read nor answered from\. Raise PASSLENS_LAUNCH_RETENTION_MONTHS, or give that month's Active users report with --csv FILE\./);
    assert.deepEqual(launchFiles(dir), [], 'every item of November, compacted or not, deleted');
    const store = new LaunchStore(new FileStorage(dir));
    assert.deepEqual(await store.months(), []);
    assert.deepEqual((await store.index()).compacted ?? [], []);

    // The current month without launches: unknown, never November's.
    const now = await passlens(['analyze', '--live', '--format', 'json'], env);
    assert.equal(now.code, 0, now.stderr);
    const out = JSON.parse(now.stdout);
    assert.ok(!out.sources.some((s: { kind: string }) => s.kind === 'auditLog'), 'no audit log source');
    assert.ok(out.environments.every((e: { requiredPasses: number | null }) => e.requiredPasses === null), 'launches unknown');
  });

  it('the CLI prunes on a run that only answers (no --month), with the default reader too', async () => {
    const dir = await collectedNovember();
    const run = await passlens(['analyze', '--live', '--format', 'json'], { ...tenant.sim.env(), PASSLENS_DATA_DIR: dir, PASSLENS_AUDIT_POLL_SECONDS: '0.01', PASSLENS_LAUNCH_RETENTION_MONTHS: '1' });
    assert.equal(run.code, 0, run.stderr);
    assert.ok(!(await new LaunchStore(new FileStorage(dir)).months()).includes(AUDIT_MONTH));
    assert.deepEqual(launchFiles(dir).filter((f) => f.startsWith('launches%2F2026-11%2F')), [], "every item of November's, compacted, replaced or not, deleted");
    assert.ok(!JSON.parse(run.stdout).sources.some((s: { description?: string }) => (s.description ?? '').includes(AUDIT_MONTH)), 'nothing of November in the answer');
  });

  it('the bot deletes November at start; before a prune, answers never read a month past the retention', async () => {
    const dir = await collectedNovember();
    const store = new LaunchStore(new FileStorage(dir));
    // Answers between two prunes: the view hides November with a month of retention, shows it with two.
    const snapshot = tenant.sim.seed;
    const answer = (months: number) => new LiveLaunches({ store: withinRetention(store, months, () => AUDIT_NOW), collector: null, clock: () => AUDIT_NOW }).tenantData({ ...snapshot, launches: [] }, '2026-12');
    assert.equal(oldestKeptMonth(AUDIT_NOW, 1), '2026-12');
    assert.equal((await answer(1)).month, '2026-12', 'not answered from November');
    assert.equal((await answer(1)).ledger.months().length, 0);
    assert.equal((await answer(2)).month, AUDIT_MONTH, 'kept with two months');
    assert.ok(launchFiles(dir).length > 0, 'a view deletes nothing');

    const chat = await startLiveChat(tenant.sim, { PASSLENS_DATA_DIR: dir, PASSLENS_AUDIT_READER: 'off', PASSLENS_LAUNCH_RETENTION_MONTHS: '1' });
    try {
      assert.deepEqual(launchFiles(dir), [], 'deleted when the bot started');
      assert.deepEqual(await store.months(), []);
    } finally {
      await chat.close();
    }
  });
});
