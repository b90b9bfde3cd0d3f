import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { loadConfig } from '../../src/config';
import { LiveTenantSource } from '../../src/tenant/live/liveSource';
import type { SetupCheck } from '../../src/tenant/live/doctor';
import { renderCard } from '../../src/cards/render';
import { setupCard } from '../../src/conversation/setupCard';
import { SIM_SECRET, TenantSimulator } from '../support/tenantSimulator';
import { probeAuditReader } from '../../src/launches/auditProbe';
import { botHarness, cardText, lastCard } from '../support/botHarness';
import { clockEnv, simulatorOnItsDay } from '../support/simulatorDay';


describe('passlens doctor and "check setup" against the simulator (real MSAL and axios)', function () {
  this.timeout(60_000);
  let sim: TenantSimulator;

  let undoClock: (() => void) | undefined;
  // The audit log's last 30 days hold the simulator's November on 4 December, whatever day the test runs.
  before(async () => ({ sim, undoClock } = await simulatorOnItsDay()));
  after(() => {
    undoClock?.();
    return sim.stop();
  });
  beforeEach(() => sim.reset());

  const check = (extra: Record<string, string> = {}): Promise<SetupCheck> => new LiveTenantSource(loadConfig({ ...sim.env(), ...extra }).live!).checkSetup({ backoffMs: 1 });
  const of = (c: SetupCheck, source: string) => c.checks.find((x) => x.source === source)!;

  it('insight refused (as a field report saw): usage insight refused with the report as the fix; the audit log gives launches, so exit 0; the audit permission refused: exit 1 naming it', async () => {
    const c = await check();
    assert.equal(c.exitCode, 0, c.summary);
    // Counted as it is: one refused, not needed because the audit log answers; never "all answer" under a refused line.
    assert.equal(c.summary, '11 of 12 answer; usage insight refused, not needed: launches come from the audit log.');
    assert.match(of(c, 'usage insight').fix!, /^Nothing to do: the audit log gives the launches/);
    assert.equal(of(c, 'usage insight').notNeeded, 'launches come from the audit log');
    const row = setupCard(c).data.checks.find((x) => x.title.startsWith('usage insight'))!;
    assert.deepEqual([row.status, row.color], ['refused', 'Default'], 'not in red: nothing to do');
    assert.equal(of(c, 'audit log').status, 'ok');
    assert.equal(of(c, 'audit log').detail, 'launch records in 30 days');
    sim.audit.reset({ refused: ['graph'] });
    const refused = await check();
    assert.equal(refused.exitCode, 1);
    assert.deepEqual([of(refused, 'audit log').status, of(refused, 'audit log').httpStatus], ['refused', 403]);
    assert.match(of(refused, 'audit log').fix!, /AuditLogsQuery\.Read\.All and grant admin consent/);
    assert.equal(refused.summary, '10 of 12 answer; refused: usage insight, audit log.');
    assert.match(of(refused, 'usage insight').fix!, /launches need the audit log \(see its line\) or the Active users report\. Download the Active users report \(Power Platform admin center > Licensing > Power Apps > Download reports\)/);
    sim.audit.reset({ auditingOff: true });
    assert.match(of(await check(), 'audit log').detail, /no launch records in 30 days\. Is unified auditing on\?/);
    sim.audit.reset({ refused: ['officeManagement'] });
    const feed = await check({ PASSLENS_AUDIT_READER: 'officeManagement' });
    assert.equal(feed.exitCode, 1);
    assert.match(of(feed, 'audit log').fix!, /ActivityFeed\.Read/);
    assert.equal(of(feed, 'audit log').errorCode, 'AF10001');
    const usage = of(c, 'usage insight');
    assert.deepEqual([usage.status, usage.httpStatus, usage.errorCode], ['refused', 403, 'Forbidden']);
    for (const x of c.checks.filter((x) => x.source !== 'usage insight')) assert.equal(x.status, 'ok', `${x.title}: ${x.detail}`);
    assert.deepEqual(c.checks.filter((x) => x.source === 'sign-in').map((x) => x.title), [
      'sign-in for https://service.powerapps.com (BAP, Power Apps)',
      'sign-in for https://api.powerplatform.com (Power Platform API)',
      'sign-in for https://graph.microsoft.com (Microsoft Graph)',
    ]);
    assert.deepEqual(
      c.checks.map((x) => x.source),
      ['sign-in', 'sign-in', 'sign-in', 'environments', 'apps', 'allocations', 'billing policies', 'environment entitlements', 'usage insight', 'Graph SKUs', 'Graph users', 'audit log'],
    );
  });

  it('the Office 365 feed: looked back a day at a time, at most 7 days (the furthest it lists), stopping at the first launch record; the line says the window', async () => {
    // The simulator's launches are November's: two and a half days after the last, its content blob (made within two hours of it) is in the third window back.
    const { first, count } = sim.audit.source.range(Date.parse('2026-11-01T00:00:00Z'), Date.parse('2026-12-01T00:00:00Z'));
    const now = new Date(sim.audit.source.at(first + count - 1).at + 2.5 * 86_400_000);
    const reader = () => new LiveTenantSource(loadConfig({ ...sim.env(), PASSLENS_AUDIT_READER: 'officeManagement' }).live!).auditReader({ backoffMs: 1 })!;
    const lists = () => sim.calls.filter((c) => c.path.endsWith('/subscriptions/content'));
    sim.audit.reset({ now: now.getTime() });
    const found = await probeAuditReader(reader(), now);
    assert.equal(found.status, 'ok');
    // The simulator refuses a window over 24 hours or past 7 days (AF20055).
    assert.equal(found.detail, 'launch records in the last 3 days of the feed');
    assert.equal(lists().length, 3, 'stopped at the first launch record');
    assert.ok(lists().every((c) => c.status === 200));

    sim.reset();
    sim.audit.reset({ now: now.getTime(), auditingOff: true });
    const none = await probeAuditReader(reader(), now);
    assert.match(none.detail, /^answered with no launch records in the last 7 days \(the Office 365 feed lists no older content\)\. Is unified auditing on\? /);
    assert.equal(lists().length, 7, 'seven windows of at most 24 hours');
    assert.ok(lists().every((c) => c.status === 200), 'none refused (AF20055: over 24 hours or past 7 days)');

    // Bounded: a check that runs out of time says how far it looked.
    sim.reset();
    sim.audit.reset({ now: now.getTime(), auditingOff: true });
    const late = await probeAuditReader(reader(), now, { deadlineMs: 1 });
    assert.match(late.detail, /^no launch records found within the check's time limit \(0\.001 s\), which covered 0 of the feed's 7 days: run the check again\./);

    // As the doctor and "check setup" say it.
    sim.reset();
    sim.audit.reset({ auditingOff: true });
    const feed = await check({ PASSLENS_AUDIT_READER: 'officeManagement' });
    assert.match(of(feed, 'audit log').detail, /no launch records in the last 7 days/);
  });

  it('insight answering in the documented shape: every source ok, exit 0; unlisted: not available, still exit 0 with the audit log', async () => {
    sim.faults.insight = 'answers';
    const ok = await check();
    assert.equal(ok.exitCode, 0, ok.summary);
    assert.match(ok.summary, /All 12 sources answer/);
    sim.faults.insight = 'unlisted';
    const unlisted = await check();
    assert.equal(unlisted.exitCode, 0);
    assert.equal(unlisted.summary, '11 of 12 answer; usage insight not available, not needed: launches come from the audit log.');
    const neither = await check({ PASSLENS_AUDIT_READER: 'off' });
    assert.equal(neither.exitCode, 1, 'no audit log and no insight: launches cannot be read live');
    assert.equal(neither.summary, '10 of 12 answer; not available: usage insight, audit log.');
    // The reader turned off while usage insight answers: the launches come from it, exit 0.
    sim.faults.insight = 'answers';
    const insightOnly = await check({ PASSLENS_AUDIT_READER: 'off' });
    assert.equal(insightOnly.exitCode, 0, insightOnly.summary);
    assert.equal(insightOnly.summary, '11 of 12 answer; audit log not available, not needed: launches come from usage insight.');
    assert.equal(of(unlisted, 'usage insight').status, 'not available');
    assert.match(of(unlisted, 'usage insight').detail, /no AppPass usage entitlement is listed/);
  });

  it('names the Graph permission each refused Graph call needs, and the registration for the admin APIs', async () => {
    sim.faults.refusedPaths = /^\/v1\.0\/users$|\/apps$/;
    const c = await check();
    assert.equal(of(c, 'Graph users').status, 'refused');
    assert.match(of(c, 'Graph users').fix!, /User\.Read\.All \(or Directory\.Read\.All\).*admin consent/);
    assert.equal(of(c, 'Graph SKUs').status, 'ok');
    assert.equal(of(c, 'apps').status, 'refused');
    assert.match(of(c, 'apps').fix!, /pac admin application register --application-id <PASSLENS_CLIENT_ID>/);
  });

  it('a wrong secret: sign-in refused with Microsoft\'s error code, nothing else checked, exit 2, no secret anywhere', async () => {
    const c = await check({ PASSLENS_CLIENT_SECRET: 'wrong-secret-4711' });
    assert.equal(c.exitCode, 2);
    const signIn = c.checks.filter((x) => x.source === 'sign-in');
    assert.ok(signIn.every((x) => x.status === 'refused' && x.errorCode === 'AADSTS7000215'));
    assert.ok(c.checks.filter((x) => x.source !== 'sign-in').every((x) => x.status === 'not available'));
    assert.ok(!JSON.stringify(c).includes('wrong-secret-4711'));
    assert.ok(!JSON.stringify(c).includes(SIM_SECRET));
  });

  it('passlens doctor --live prints one line per source with the fix, and exits 0, 1 or 2', async () => {
    const run = (args: string[], env: Record<string, string>) =>
      new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
        execFile(process.execPath, [join(__dirname, '../../bin/passlens.js'), ...args], { env: { PATH: process.env.PATH, ...env, ...clockEnv() } }, (error, stdout, stderr) =>
          resolve({ code: error ? Number(error.code) || 1 : 0, stdout, stderr }),
        );
      });
    const fine = await run(['doctor', '--live'], sim.env());
    assert.equal(fine.code, 0, fine.stdout);
    assert.match(fine.stdout, /^ok +audit log launches \(Graph audit log queries\): launch records in 30 days/m);
    assert.match(fine.stdout, /^refused +usage insight .*: 403 Forbidden: /m);
    assert.match(fine.stdout, /^ +fix: Nothing to do: the audit log gives the launches/m);
    assert.match(fine.stdout, /^11 of 12 answer; usage insight refused, not needed: launches come from the audit log\.$/m);
    assert.doesNotMatch(fine.stdout, /All 12 sources answer/);
    assert.equal(fine.stdout.split('\n').filter((l) => /^(ok|refused|not available) /.test(l)).length, 12);
    sim.audit.reset({ refused: ['graph'] });
    const refused = await run(['doctor', '--live'], sim.env());
    assert.equal(refused.code, 1, refused.stderr);
    assert.match(refused.stdout, /^refused +audit log launches .*403/m);
    assert.match(refused.stdout, /^ +fix: .*AuditLogsQuery\.Read\.All/m);
    const wrong = await run(['doctor', '--live'], { ...sim.env(), PASSLENS_CLIENT_SECRET: 'wrong-secret-4711' });
    assert.equal(wrong.code, 2);
    assert.match(wrong.stdout, /AADSTS7000215/);
    assert.ok(!`${wrong.stdout}${wrong.stderr}`.includes('wrong-secret-4711'));
    const json = await run(['doctor', '--live', '--format', 'json'], sim.env());
    assert.equal(JSON.parse(json.stdout).exitCode, 1);
    const noLive = await run(['doctor'], sim.env());
    assert.equal(noLive.code, 2);
    assert.match(noLive.stderr, /add --live/);
  });

  it('"check setup" in chat: the same checks as a card, for admins only; on the demo tenant it says there is nothing to check', async () => {
    const live = new LiveTenantSource(loadConfig(sim.env()).live!);
    const h = botHarness({ checkSetup: () => live.checkSetup({ backoffMs: 1 }) });
    const text = cardText(lastCard(await h.say('check setup')));
    assert.match(text, /Setup check/);
    assert.match(text, /refused/);
    assert.match(text, /usage insight/);
    assert.match(text, /403 Forbidden/);
    assert.match(text, /11 of 12 answer; usage insight refused, not needed: launches come from the audit log\./);
    assert.doesNotMatch(text, /All 12 sources answer/);
    const outsider = cardText(lastCard(await h.say({ text: 'check setup', from: { id: '29:other', name: 'Someone', aadObjectId: 'bbbbbbbb-0000-0000-0000-000000000009' } })));
    assert.match(outsider, /Licensing data is for admins only/);
    assert.doesNotMatch(outsider, /Setup check/);
    const demo = cardText(lastCard(await botHarness().say('check setup')));
    assert.match(demo, /demo tenant: there is no live setup to check/);
    // The card stays within Teams' size limit even with every source failing.
    const card = renderCard(setupCard(await check({ PASSLENS_CLIENT_SECRET: 'x' })));
    assert.ok(JSON.stringify(card).length < 28 * 1024);
  });
});
