import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeSnapshot } from '../../src/licensing/analyze';
import { AUDIT_LOG_BOOKINGS_UNKNOWN } from '../../src/launches/launchUsage';
import { BOOKINGS_PER_ENVIRONMENT } from '../../src/launches/statedBookings';
import { NO_FAULTS } from '../support/tenantSimulator';
import { auditTenant } from '../support/auditTenant';
import { AuditSimulator } from '../support/auditSimulator';
import { toActiveUsersCsv } from '../support/csvWriter';

const MONTH = '2026-11';

function passlens(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(__dirname, '../../bin/passlens.js'), ...args], { env: { PATH: process.env.PATH, ...env }, maxBuffer: 64 << 20 }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code) || 1 : 0, stdout, stderr }),
    );
  });
}

/**
 * The analysis from the audit log through the real parts: the `passlens` binary, MSAL and
 * axios against the simulator's audit log APIs, the collector and the file launch store.
 */
describe('passlens analyze --live from the audit log (issue 20)', function () {
  this.timeout(180_000);
  // As a real tenant answers today: the usage API refuses app-only tokens.
  const tenant = auditTenant(() => ({ ...NO_FAULTS, insight: 'refused' }));

  function env(): Record<string, string> {
    return { ...tenant.sim.env(), PASSLENS_DATA_DIR: tenant.folder('passlens-audit-cli-'), PASSLENS_AUDIT_POLL_SECONDS: '0.01' };
  }
  const auditCalls = () => tenant.sim.calls.filter((c) => AuditSimulator.handles(c.path)).length;

  it("with November's records and no CSV: every environment's allocation and required passes, no booking, expected bookings labelled, the audit log named; a second run answers from the store", async () => {
    const e = env();
    const run = await passlens(['analyze', '--live', '--month', MONTH, '--format', 'json'], e);
    assert.equal(run.code, 0, run.stderr);
    const out = JSON.parse(run.stdout);
    assert.equal(out.month, MONTH);
    assert.equal(out.usageUnknown, null);
    assert.equal(out.bookingsUnknown, AUDIT_LOG_BOOKINGS_UNKNOWN);
    const log = out.sources.find((s: { kind: string }) => s.kind === 'auditLog');
    assert.match(log.description, /^Unified audit log \(Graph audit log query API\) for 2026-11: [\d,]+ LaunchPowerApp records, [\d,]+ distinct launches/);
    assert.match(log.warnings.join(' '), /Model-driven apps and Power Pages sites are not in the audit log/);
    assert.doesNotMatch(out.sources.flatMap((s: { warnings?: string[] }) => s.warnings ?? []).join(' '), /Launches are unknown/);

    // The same launches analysed as plain rows with no license type: what the store and the collector must hand over.
    const seed = tenant.sim.seed;
    const modelDriven = new Set((seed.apps ?? []).filter((a) => a.type === 'model-driven').map((a) => a.id));
    const launches = seed.launches.filter((l) => l.month === MONTH && !modelDriven.has(l.appId)).map((l) => ({ ...l, environmentName: undefined, licenseType: null, reportedPremium: null, line: undefined }));
    const want = analyzeSnapshot({ ...seed, launches, bookingsUnknown: AUDIT_LOG_BOOKINGS_UNKNOWN }, { month: MONTH });
    assert.equal(out.environments.length, seed.environments.length);
    for (const got of out.environments) {
      const seeded = seed.environments.find((x) => x.id === got.id)!;
      const expected = want.environments.find((x) => x.id === got.id)!;
      assert.equal(got.allocatedPasses, seeded.allocatedPasses, got.name);
      assert.equal(got.bookedAsAppPass, null, `${got.name}: Microsoft's figure is not in the audit log`);
      assert.equal(got.requiredPasses, expected.requiredPasses, got.name);
      assert.deepEqual(got.expected, expected.expected, got.name);
      assert.equal(got.expected.label, 'expected');
    }
    const perApp = out.environments.flatMap((x: { findings: { code: string; appName: string; explanation: string }[] }) => x.findings).filter((f: { code: string }) => f.code === 'STANDARD_APP_EXPECTED_AS_PASS');
    assert.ok(perApp.length > 0, 'a standard app with Per-app licensing on is named as the reason for expected bookings');
    for (const f of perApp) assert.match(f.explanation, /Expected, not booked/);
    const withReason = out.environments.find((x: { expected: { apps: unknown[] } }) => x.expected.apps.length > 0);
    assert.ok(withReason.expected.byPerAppLicensing > 0);

    const calls = auditCalls();
    assert.ok(calls > 0, 'the first run collected the month');
    const text = await passlens(['analyze', '--live', '--month', MONTH], e);
    assert.equal(text.code, 0, text.stderr);
    assert.equal(auditCalls(), calls, 'a collected month is answered without touching the audit API');
    assert.match(text.stdout, /Expected bookings \(from the audit log, not Microsoft's booking\)/);
    assert.match(text.stdout, /note: The audit log does not say which license Microsoft charged/);
    const markdown = await passlens(['analyze', '--live', '--month', MONTH, '--format', 'markdown'], e);
    assert.match(markdown.stdout, /\| booked as AppPass|Booked as AppPass/);
    assert.match(markdown.stdout, /Expected bookings \(from the audit log, not Microsoft's booking\)/);
  });

  it('with an Active users report too (--csv): the report\'s bookings win, and the launches it lists that the log does not are counted and named', async () => {
    const e = env();
    assert.equal((await passlens(['analyze', '--live', '--month', MONTH, '--format', 'json'], e)).code, 0, 'the month collected first');
    const csv = join(e.PASSLENS_DATA_DIR, 'active-users.csv');
    writeFileSync(csv, toActiveUsersCsv(tenant.sim.seed.launches));
    const run = await passlens(['analyze', '--live', '--csv', csv, '--month', MONTH, '--format', 'json'], e);
    assert.equal(run.code, 0, run.stderr);
    const out = JSON.parse(run.stdout);
    assert.equal(out.bookingsUnknown, undefined, 'the report says what was booked');
    const sales = out.environments.find((x: { name: string }) => x.name === 'Contoso Sales (Prod)');
    assert.deepEqual([sales.bookedAsAppPass, sales.requiredPasses, sales.overage, sales.expected], [28, 1, 3, undefined]);
    const modelDriven = new Set((tenant.sim.seed.apps ?? []).filter((a) => a.type === 'model-driven').map((a) => a.id));
    const mdLaunches = new Set(tenant.sim.seed.launches.filter((l) => l.month === MONTH && modelDriven.has(l.appId)).map((l) => `${l.appId}|${l.userPrincipalName}`)).size;
    assert.ok(mdLaunches > 0, 'the seed has model-driven launches, which the log never has');
    const log = out.sources.find((s: { kind: string }) => s.kind === 'auditLog');
    assert.match(log.description, /Unified audit log \(Graph audit log query API\) for 2026-11, compared with the Active users report, whose bookings are used: \d+ launches in both/);
    assert.match(log.warnings.join(' '), new RegExp(`The report lists ${mdLaunches} launch(es)? the audit log does not \\(${mdLaunches} of model-driven apps, which the log never has\\): model-driven apps or auditing gaps`));
  });

  it("with the usage API answering (entitlement insight, in the documented shape): Microsoft's bookings per environment are shown as booked, beside the log's need; expected bookings stay expected", async () => {
    tenant.sim.reset({ ...NO_FAULTS, insight: 'answers' });
    const run = await passlens(['analyze', '--live', '--month', MONTH, '--format', 'json'], env());
    assert.equal(run.code, 0, run.stderr);
    const out = JSON.parse(run.stdout);
    assert.equal(out.bookingsUnknown, BOOKINGS_PER_ENVIRONMENT);
    assert.ok(out.sources.some((s: { kind: string }) => s.kind === 'auditLog'), 'launches from the audit log');
    assert.match(out.sources[0].warnings.join(' '), /Passes booked per environment in 2026-11: Microsoft's figure from entitlement insight/);
    // What insight states: per user and environment, the units consumed (one per AppPass user x app of the seed).
    const booked = new Map<string, Set<string>>();
    for (const l of tenant.sim.seed.launches) if (l.month === MONTH && l.licenseType === 'AppPass') booked.set(l.environmentId, (booked.get(l.environmentId) ?? new Set()).add(`${l.userPrincipalName}|${l.appId}`));
    for (const e of out.environments) {
      assert.equal(e.bookedAsAppPass, booked.get(e.id)?.size ?? 0, `${e.name}: Microsoft's figure`);
      assert.equal(e.expected.label, 'expected', `${e.name}: expected stays expected`);
    }
    const sales = out.environments.find((x: { name: string }) => x.name === 'Contoso Sales (Prod)');
    // The same 28 the Active users report books (the test above), the log's need and expected bookings beside it.
    assert.deepEqual([sales.bookedAsAppPass, sales.requiredPasses, sales.expected.passes], [28, 1, 28]);
    assert.equal(out.totals.bookedAsAppPass, [...booked.values()].reduce((n, s) => n + s.size, 0));
  });

  it('the audit permission refused: launches stay unknown (never 0) and the answer names the refusal and its fix', async () => {
    tenant.sim.audit.faults.refused = ['graph'];
    const run = await passlens(['analyze', '--live', '--month', MONTH, '--format', 'json'], env());
    assert.equal(run.code, 0, run.stderr);
    const out = JSON.parse(run.stdout);
    assert.ok(out.environments.every((x: { requiredPasses: number | null; bookedAsAppPass: number | null }) => x.requiredPasses === null && x.bookedAsAppPass === null));
    assert.match(out.sources[0].warnings.join(' '), /The audit log could not be read for 2026-11: .*AuditLogsQuery\.Read\.All/);
  });

  it('the text output lists the 27 standard apps expected as AppPass in Contoso Sales as one entry naming them, as the cards do (verifier point 7)', async () => {
    const run = await passlens(['analyze', '--live', '--month', MONTH], env());
    assert.equal(run.code, 0, run.stderr);
    const sales = run.stdout.slice(run.stdout.indexOf('== Contoso Sales (Prod)'), run.stdout.indexOf('\n\n', run.stdout.indexOf('== Contoso Sales (Prod)')));
    assert.equal(sales.match(/STANDARD_APP_EXPECTED_AS_PASS/g)?.length, 1, sales);
    assert.match(sales, /- STANDARD_APP_EXPECTED_AS_PASS — 27 standard apps expected as AppPass \(27 launches, expected\) {2}\[R9[^\]]*\]\n {5}Apps: [^\n]+, and 15 more\n/);
  });
});
