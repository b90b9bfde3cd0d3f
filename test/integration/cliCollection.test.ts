import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { NO_FAULTS } from '../support/tenantSimulator';
import { auditTenant } from '../support/auditTenant';
import { AuditSimulator } from '../support/auditSimulator';
import { CollectionProgressLine, progressText } from '../../src/cli/collectionProgress';
import { jittered, POLL_CAP_MS } from '../../src/launches/graphAuditReader';
import { LaunchStore } from '../../src/launches/launchStore';
import { FileStorage } from '../../src/storage/fileStorage';

const MONTH = '2026-11';

function passlens(args: string[], env: Record<string, string>, cwd?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(__dirname, '../../bin/passlens.js'), ...args], { env: { PATH: process.env.PATH, ...env }, cwd, maxBuffer: 64 << 20 }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code) || 1 : 0, stdout, stderr }),
    );
  });
}

/**
 * What a CLI user sees while `passlens analyze --live` collects a month from the audit log,
 * and where the launches are kept: the real binary, MSAL and axios against the simulator.
 */
describe('passlens analyze --live: progress while collecting, and where the launches are kept', function () {
  this.timeout(180_000);
  const tenant = auditTenant(() => ({ ...NO_FAULTS, insight: 'refused' }));
  const auditCalls = () => tenant.sim.calls.filter((c) => AuditSimulator.handles(c.path)).length;

  it('says on stderr where it keeps the launches and how the collection stands, one line per change; stdout stays the JSON answer', async () => {
    const dir = tenant.folder('passlens-progress-');
    const run = await passlens(['analyze', '--live', '--month', MONTH, '--format', 'json'], { ...tenant.sim.env(), PASSLENS_DATA_DIR: dir, PASSLENS_AUDIT_POLL_SECONDS: '0.01' });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(JSON.parse(run.stdout).month, MONTH, 'stdout is the JSON alone');
    const lines = run.stderr.trimEnd().split('\n');
    assert.equal(lines[0], `PassLens keeps the launches it reads from the audit log in ${dir} (PASSLENS_DATA_DIR to change it); a month is read once, then answered from there.`);
    const progress = lines.slice(1);
    assert.ok(progress.length >= 3, run.stderr);
    for (const line of progress) assert.match(line, /^reading 2026-11's launches from the audit log: (reading|query waiting to start|query running|reading records), under a minute so far \(\d+ of 30 days done\)$/);
    assert.equal(progress[0], "reading 2026-11's launches from the audit log: reading, under a minute so far (0 of 30 days done)");
    assert.match(progress.at(-1)!, /\(30 of 30 days done\)$/);
    assert.ok(progress.some((l) => l.includes('query running')), 'the query status is shown');
    assert.ok(progress.every((l, i) => i === 0 || l !== progress[i - 1]), 'a line only when something changed');
    assert.ok(progress.length <= 30 + 4, `${progress.length} lines for 30 days: one a day done, the query's status before the first`);
    assert.ok(!run.stderr.includes('\r'), 'no in-place rewriting when stderr is not a terminal');

    // Collected: the next run answers from the store, silently, without the audit API.
    const before = auditCalls();
    const again = await passlens(['analyze', '--live', '--month', MONTH, '--format', 'json'], { ...tenant.sim.env(), PASSLENS_DATA_DIR: dir });
    assert.equal(again.code, 0, again.stderr);
    assert.equal(again.stderr, '');
    assert.equal(auditCalls(), before);
  });

  it('without PASSLENS_DATA_DIR: the per-user data folder, the same from any working folder (a month is not collected twice)', async () => {
    const home = tenant.folder('passlens-home-');
    const env = { ...tenant.sim.env(), HOME: home, PASSLENS_AUDIT_POLL_SECONDS: '0.01' };
    const first = await passlens(['analyze', '--live', '--month', MONTH, '--format', 'json'], env, tenant.folder('passlens-cwd-a-'));
    assert.equal(first.code, 0, first.stderr);
    const where = join(home, '.local', 'share', 'passlens');
    assert.match(first.stderr, new RegExp(`^PassLens keeps the launches it reads from the audit log in ${where.replace(/[.]/g, '\\.')} `));
    assert.ok(existsSync(where));
    const before = auditCalls();
    const elsewhere = tenant.folder('passlens-cwd-b-');
    const second = await passlens(['analyze', '--live', '--month', MONTH, '--format', 'json'], env, elsewhere);
    assert.equal(second.code, 0, second.stderr);
    assert.equal(auditCalls(), before, 'answered from the store collected in the other folder');
    assert.deepEqual(JSON.parse(second.stdout).environments, JSON.parse(first.stdout).environments);
    assert.ok(!existsSync(join(elsewhere, '.data')), 'nothing written into the working folder');
  });

  for (const [signal, exitCode, who] of [['SIGINT', 130, 'Ctrl-C'], ['SIGTERM', 143, 'a service manager or kill']] as const) it(`${signal} (${who}) while collecting: exit ${exitCode}, the days under way give back their claims, the days read stay; the next run reads the rest`, async () => {
    const dir = tenant.folder('passlens-interrupt-');
    const env = { ...tenant.sim.env(), PASSLENS_DATA_DIR: dir, PASSLENS_AUDIT_POLL_SECONDS: '0.3' };
    const child = spawn(process.execPath, [join(__dirname, '../../bin/passlens.js'), 'analyze', '--live', '--month', MONTH, '--format', 'json'], { env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await new Promise<void>((resolve) =>
      child.stderr.on('data', (d) => {
        stderr += d;
        if (/\(([1-9]|1\d) of 30 days done\)/.test(stderr)) resolve();
      }),
    );
    child.kill(signal);
    assert.equal(await exited, exitCode, stderr);
    assert.equal(stdout, '');
    assert.match(stderr, /passlens: stopped\. The days read so far are kept; run the same command again to read the rest\.\n$/);
    const index = await new LaunchStore(new FileStorage(dir)).index();
    assert.deepEqual(index.claims, {}, 'no claim left to wait out');
    const kept = index.periods.length;
    assert.ok(kept >= 1 && kept < 30, `${kept} days kept`);

    const rest = await passlens(['analyze', '--live', '--month', MONTH, '--format', 'json'], { ...env, PASSLENS_AUDIT_POLL_SECONDS: '0.01' });
    assert.equal(rest.code, 0, rest.stderr);
    assert.match(rest.stderr.trimEnd().split('\n').at(-1)!, new RegExp(`\\(${30 - kept} of ${30 - kept} days done\\)$`), `only the days not read (${kept} kept): ${rest.stderr.slice(-400)}`);
    const coverage = await new LaunchStore(new FileStorage(dir)).coverage(MONTH);
    assert.deepEqual(coverage!.collected, [{ start: '2026-11-01T00:00:00.000Z', end: '2026-12-01T00:00:00.000Z' }]);
  });

  it('on a terminal: one line rewritten in place, the minutes ticking, ended by a newline', () => {
    const written: string[] = [];
    let now = 0;
    const line = new CollectionProgressLine({ write: (t: string) => written.push(t), isTTY: true }, () => now, 60_000);
    const p = { month: MONTH, days: 30, done: 0, status: 'running', startedAt: 0 };
    line.update(p);
    now = 2.5 * 60_000;
    line.update({ ...p, done: 4 });
    line.update({ ...p, done: 4 });
    line.finish();
    assert.deepEqual(written, [
      "\rreading 2026-11's launches from the audit log: query running, under a minute so far (0 of 30 days done)\x1b[K",
      "\rreading 2026-11's launches from the audit log: query running, 2 min so far (4 of 30 days done)\x1b[K",
      '\n',
    ]);
    assert.equal(progressText({ ...p, status: 'notStarted', days: 1 }, 61_000), "reading 2026-11's launches from the audit log: query waiting to start, 1 min so far (0 of 1 day done)");
  });

  it('Graph status polls: the wait is jittered by a fifth either way and never over a minute', () => {
    assert.equal(jittered(10_000, 0), 8_000);
    assert.equal(jittered(10_000, 0.5), 10_000);
    assert.equal(jittered(10_000, 0.999_999), 12_000);
    assert.equal(jittered(POLL_CAP_MS, 0.99), POLL_CAP_MS);
    assert.equal(POLL_CAP_MS, 60_000);
  });
});
