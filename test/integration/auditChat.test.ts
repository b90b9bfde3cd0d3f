import assert from 'node:assert/strict';
import type { RunningPassLens } from '../../src/index';
import { COLLECTING_NOTE } from '../../src/launches/liveLaunches';
import type { FakeConnector } from '../support/fakeConnector';
import { startLiveChat, type LiveChat } from '../support/liveChat';
import { cardText, visibleCardText } from '../support/botHarness';
import { AUDIT_LOG_IN_SHORT, LICENSE_NOT_IN_LOG, NOT_IN_LOG } from '../../src/launches/auditCaveats';
import { NO_FAULTS, TenantSimulator } from '../support/tenantSimulator';
import { AuditSimulator, joinedLaunches, seedLaunches } from '../support/auditSimulator';
import { analyzeSnapshot } from '../../src/licensing/analyze';
import { AUDIT_LOG_BOOKINGS_UNKNOWN } from '../../src/launches/launchUsage';
import { simulatorOnItsDay } from '../support/simulatorDay';

/**
 * Chat and digest on a live tenant, from the launch store: the real bot over HTTP (local
 * mode, unsigned activities trusted), MSAL and axios against the simulator's admin and
 * audit log APIs, the collector and the file launch store, and a connector that records
 * what the bot posts and the cards it replaces.
 */
describe('chat and digest from the audit log on a live tenant (issue 20)', function () {
  this.timeout(180_000);
  let sim: TenantSimulator;
  let chat: LiveChat;
  let connector: FakeConnector;
  let running: RunningPassLens;
  let undoClock: (() => void) | undefined;

  before(async () => {
    // This month and the last are December and the simulator's November on 4 December, whatever day the test runs.
    ({ sim, undoClock } = await simulatorOnItsDay());
    sim.reset({ ...NO_FAULTS, insight: 'refused' });
    // Each Graph query answers notStarted, running, then succeeded: a collection of November and December takes seconds here, minutes in a tenant.
    chat = await startLiveChat(sim, { PASSLENS_AUDIT_POLL_SECONDS: '0.05' });
    ({ connector, running } = chat);
  });
  after(async () => {
    await chat?.close();
    undoClock?.();
    await sim?.stop();
  });

  const say = (conversation: string, text: string) => chat.say(conversation, text);
  const cardOf = (p: { activity: Record<string, unknown> }) => (p.activity.attachments as { content: unknown }[] | undefined)?.[0]?.content;

  async function updateOf(conversation: string, id: string, timeoutMs = 120_000): Promise<string> {
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
      const put = connector.posts.find((p) => p.method === 'PUT' && p.conversationId === conversation && p.activityId === id);
      if (put) return cardText(cardOf(put));
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.fail(`no update of ${id} within ${timeoutMs} ms`);
  }

  it('a first collection is said at once and the card updated when done; another chat is answered meanwhile; then "are we over?", cards and "digest now" answer from the store', async () => {
    const first = await say('a:first', 'are we over?');
    const texts = first.posted.map((p) => p.activity.text).filter(Boolean);
    // ("Checking your tenant..." may come first when the live read is slow.)
    assert.ok(texts.includes(COLLECTING_NOTE), `said at once: ${texts.join(' | ')}`);
    const card = first.posted.find((p) => cardOf(p))!;
    assert.match(cardText(cardOf(card)), /Are we over\?/);
    const sentId = `activity-${connector.posts.indexOf(card) + 1}`;

    // Another chat while the collection runs: answered straight away, from what is known.
    const other = await say('a:other', 'overview');
    assert.ok(other.ms < 10_000, `answered in ${other.ms} ms`);
    assert.match(cardText(cardOf(other.posted.find((p) => cardOf(p))!)), /Reading this month's launches from the audit log/);

    const updated = await updateOf('a:first', sentId);
    // The subtitle in plain words (issue 22); the source in full stays in the JSON's sources[].
    assert.match(updated, /2026-11 · live tenant; launches from the audit log/);
    assert.match(updated, /Expected over \(from the audit log, not booked\) in Contoso Sales \(Prod\) by 3/);
    assert.ok(sim.calls.some((c) => AuditSimulator.handles(c.path)));

    // Answered from the store now, without the audit API.
    const auditCalls = sim.calls.filter((c) => AuditSimulator.handles(c.path)).length;
    const envCard = cardOf((await say('a:first', 'what about contoso sales prod?')).posted.find((p) => cardOf(p))!);
    const env = cardText(envCard);
    assert.match(env, /Expected over by 3, not by need/);
    assert.match(env, /Expected bookings \(from the audit log, not Microsoft's booking\): 28 passes = 1 needed \+ 27 of standard apps with Per-app licensing on/);
    assert.match(env, /does not say which license Microsoft charged/);
    // At a glance (issue 22): one line on what the log cannot see; the caveats in full only behind "Why we think so".
    for (const [name, card] of [['environment', envCard], ['overview', cardOf((await say('a:first', 'overview')).posted.find((p) => cardOf(p))!)]] as const) {
      const seen = visibleCardText(card);
      assert.ok(seen.includes(AUDIT_LOG_IN_SHORT), `${name}: the one line`);
      for (const caveat of [NOT_IN_LOG, LICENSE_NOT_IN_LOG, 'activity logging for production environments']) {
        assert.ok(!seen.includes(caveat), `${name}: "${caveat.slice(0, 40)}" is not on the card at a glance`);
        assert.ok(cardText(card).includes(caveat), `${name}: "${caveat.slice(0, 40)}" is behind "Why we think so"`);
      }
      assert.ok(cardText(card).includes('Source: Unified audit log (Graph audit log query API) for 2026-11'), `${name}: the source in full`);
      assert.ok(cardText(card).includes('Why we think so'), `${name}: the button`);
    }
    const digest = cardText(cardOf((await say('a:first', 'digest now')).posted.find((p) => cardOf(p))!));
    assert.match(digest, /From the audit log: canvas app launches only \(no model-driven apps or Power Pages\)/);
    // Verifier point 7: Field Service (Dev) needs passes with 0 allocated, so "none needs more passes than allocated" was untrue.
    assert.match(digest, /No environment is over by need; Field Service \(Dev\) has 0 allocated, yet \d+ launch(es)? there needs? a pass \(R5: Microsoft blocks those\); Contoso Sales \(Prod\) is expected over by 3(, [^;]* by \d+)* — expected, not booked/);
    assert.match(digest, /Contoso Sales \(Prod\)[\s\S]*expected over by 3 · 34 launches, expected 28 · needed 1/);
    assert.equal(sim.calls.filter((c) => AuditSimulator.handles(c.path)).length, auditCalls, 'answered from the launch store');
  });

  it('verifier point 7: the overview shows the environments expected over before "Show all"; "who needs the most passes in X" counts what X needs', async () => {
    const overview = visibleCardText(cardOf((await say('a:p7', 'overview')).posted.find((p) => cardOf(p))!));
    // Personal Productivity is expected over by 1: it was left below "Show all 7 environments".
    assert.match(overview.slice(0, overview.indexOf('Show all')), /Personal Productivity \(default\)\nexpected over by 1/);
    const ranking = cardText(cardOf((await say('a:p7', 'who needs the most passes in contoso sales prod?')).posted.find((p) => cardOf(p))!));
    const rows = [...ranking.matchAll(/: (\d+) pass(?:es)? needed across (\d+) apps?/g)].map((m) => ({ passes: Number(m[1]), apps: Number(m[2]) }));
    assert.ok(rows.length > 0, ranking);
    // Passes needed in Contoso Sales (Prod) only: a user needs at most one pass per app launched there, and launched at least one.
    for (const r of rows) assert.ok(r.apps >= 1 && r.passes <= r.apps, ranking);
    assert.ok(!/needed across 0 apps/.test(ranking), ranking);
    // "why?" after "are we over?": the Per-app licensing reason for the expected bookings, and no report named where there is none.
    await say('a:p7why', 'are we over?');
    const why = cardText(cardOf((await say('a:p7why', 'why?')).posted.find((p) => cardOf(p))!));
    assert.match(why, /Contoso Sales \(Prod\): 27 standard apps expected as AppPass/, why);
    assert.match(why, /"Per-app licensing" off for these apps/, why);
    assert.doesNotMatch(why, /the report and the inventory disagree/, why);
  });

  it('"refresh" collects the days still due in the background and updates its card when done', async () => {
    // After the first collection (the test before): its months are in the store.
    const { store } = running.launches;
    for (let i = 0; i < 600 && !(await store.coverage('2026-11'))?.collected.length; i++) await new Promise((r) => setTimeout(r, 100));
    // Hours later, as the store sees it (a day is read again at most every 3 hours): the days of the last 48 hours are due again, records arrive late.
    const hoursAgo = new Date(Date.now() - 4 * 3600_000).toISOString();
    await store.update((index) => {
      for (const p of index.periods) if (p.start >= '2026-12-02') p.collectedAt = hoursAgo;
      return true;
    });
    const queries = () => sim.calls.filter((c) => c.path === '/v1.0/security/auditLog/queries' && c.method === 'POST').length;
    const before = queries();
    const refreshed = await say('a:refresh', 'refresh');
    const card = refreshed.posted.find((p) => cardOf(p))!;
    assert.match(cardText(cardOf(card)), /launches from the audit log/);
    const updated = await updateOf('a:refresh', `activity-${connector.posts.indexOf(card) + 1}`);
    assert.match(updated, /Per-app passes, environment by environment[\s\S]*2026-11 · live tenant; launches from the audit log/);
    assert.ok(queries() > before, 'the days due were queried again');
  });

  it('"trend" from the launch store: each collected month\'s passes needed, from the audit log; a month not collected is unknown, not 0', async () => {
    // September's log held half of November's launches; October was never collected.
    const seed = sim.seed;
    const modelDriven = new Set((seed.apps ?? []).filter((a) => a.type === 'model-driven').map((a) => a.id));
    const logged = seed.launches.filter((l) => l.month === '2026-11' && !modelDriven.has(l.appId));
    const september = logged.filter((_, i) => i % 2 === 0).map((l) => ({ ...l, month: '2026-09' }));
    sim.audit.source = joinedLaunches(seedLaunches({ ...seed, launches: september }, '2026-09'), seedLaunches(seed, '2026-11'));
    const { store, collector } = running.launches;
    const read = await collector!.collect('2026-09');
    assert.equal(read.failed.length, 0, JSON.stringify(read.failed));
    assert.equal(await store.coverage('2026-10'), null, 'October not collected');
    // "refresh" reads the tenant again with the months the store now has.
    const refreshed = await say('a:trend', 'refresh');
    const card = refreshed.posted.find((p) => cardOf(p))!;
    await updateOf('a:trend', `activity-${connector.posts.indexOf(card) + 1}`);

    const trend = cardOf((await say('a:trend', 'trend')).posted.find((p) => cardOf(p))!) as Record<string, unknown>;
    const text = cardText(trend);
    assert.match(text, /Since September 2026, from the audit log: passes needed by the rules \d+ → \d+ \([+-]?\d+\)\. What Microsoft booked is not in the log\./);
    assert.match(text, /Passes needed \(from the audit log\), per month and environment/);
    assert.match(text, /Unknown in October 2026: not collected from the audit log/);
    // Each month's need, by the same rules over the launches the log held then (no license type).
    const need = (month: string, launches: typeof logged) =>
      new Map(analyzeSnapshot({ ...seed, launches: launches.map((l) => ({ ...l, month, environmentName: undefined, licenseType: null, reportedPremium: null, line: undefined })), bookingsUnknown: AUDIT_LOG_BOOKINGS_UNKNOWN }, { month }).environments.map((e) => [e.name, e.requiredPasses]));
    const sep = need('2026-09', september);
    const nov = need('2026-11', logged);
    const rows = text.split('\n').filter((l) => /: 2026-09 needed /.test(l));
    assert.ok(rows.length > 0, text);
    for (const row of rows) {
      const name = row.slice(0, row.indexOf(': 2026-09'));
      assert.equal(row, `${name}: 2026-09 needed ${sep.get(name) ?? 'unknown'}; 2026-10 needed unknown; 2026-11 needed ${nov.get(name) ?? 'unknown'}`);
    }
    assert.ok(rows.some((r) => !r.includes('2026-09 needed unknown') && !r.includes('2026-09 needed 0')), 'a month collected shows its figure');
    // The chart's facts (its fallback): October unknown, never 0.
    assert.match(text, /2026-10\nneeded unknown \(from the audit log\)/);
    // The chart: no point for October, and no line across it (Chart.Line joins a series' points in
    // order), so each line is cut into runs of known months, one colour, named once.
    const chart = (trend.body as Record<string, unknown>[]).find((b) => b.type === 'Chart.Line') as { xAxisTitle: string; data: { legend: string; color: string; values: { x: string; y: number }[] }[] };
    assert.ok(chart, 'the trend card draws a line chart');
    const points = chart.data.flatMap((d) => d.values);
    assert.ok(points.length > 0 && points.every((p) => p.x === '2026-09' || p.x === '2026-11'), JSON.stringify(points));
    for (const run of chart.data) assert.ok(!(run.values.some((p) => p.x === '2026-09') && run.values.some((p) => p.x === '2026-11')), `${run.legend || run.color}: no line from September to November`);
    assert.equal(chart.xAxisTitle, 'Month (unknown, no point: October 2026)');
    const named = chart.data.filter((d) => d.legend);
    assert.equal(new Set(named.map((d) => d.legend)).size, named.length, 'each line named once in the legend');
    for (const d of chart.data.filter((x) => !x.legend)) assert.ok(named.some((n) => n.color === d.color), 'a nameless run continues a named line in its colour');
    const firstSeen = [...new Set(points.map((p) => p.x))];
    assert.deepEqual(firstSeen, ['2026-09', '2026-11'], 'the series name the months in order, as the renderer lays them out');
  });
});
