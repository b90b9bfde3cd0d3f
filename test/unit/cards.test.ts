import assert from 'node:assert/strict';
import { buildDemoTenant } from '../../src/tenant/demo/demoTenant';
import { CARD_SIZE_LIMIT, cardBytes, renderCard, TEMPLATES, type CardName, type CardView } from '../../src/cards/render';
import { adviceCard } from '../../src/conversation/adviceCard';
import { appCard } from '../../src/conversation/appCard';
import { choiceCard, errorCard } from '../../src/conversation/choiceCard';
import { environmentCard } from '../../src/conversation/environmentCard';
import { groupFindings } from '../../src/conversation/findingItems';
import { findingsCard } from '../../src/conversation/findingsCard';
import { helpCard, uploadHelpCard } from '../../src/conversation/helpCard';
import { overviewCard } from '../../src/conversation/overviewCard';
import { userCard } from '../../src/conversation/userCard';
import { analyzeTenant, type AnalyzedTenant } from '../../src/tenant/analyzedTenant';
import { renderAdaptiveCard } from '../support/adaptiveCardsRenderer';
import { digestCard, summarize } from '../../src/digest/digestCard';
import { statusCard, subscribedCard, unsubscribedCard } from '../../src/digest/subscriptionCards';
import { parseSchedule } from '../../src/digest/schedule';
import { TenantBuilder } from '../support/tenantBuilder';
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { trendCard } from '../../src/conversation/trend';
import { analyzeMonths } from '../../src/licensing/months';
import { readReportSet } from '../../src/tenant/reportSet';
import { applyAllocations, fromSnapshot } from '../../src/tenant/tenantData';
import type { Environment, TenantSnapshot } from '../../src/licensing/snapshot';
import { z } from 'zod';
import { setupCard } from '../../src/conversation/setupCard';
import type { SetupCheck } from '../../src/tenant/live/doctor';
import { withUploadNotes } from '../../src/conversation/uploadNotes';
import { rankingCard } from '../../src/conversation/ranking';
import { buyBeforeCard } from '../../src/conversation/buyBefore';
import { isNormalCard } from '../../src/conversation/isNormal';
import { spendCard } from '../../src/conversation/spendCard';
import { CsvFormatError } from '../../src/tenant/csv/activeUsersCsv';
import type { DropOutcome } from '../../src/tenant/uploadWindow';

/** A setup check with every status, as checkSetup returns them (the checks themselves run against the simulator in doctor.test.ts). */
const SETUP_CHECK: SetupCheck = {
  checkedAt: '2026-11-30T12:00:00.000Z',
  tenantId: '72f988bf-0000-4000-9000-00000000c0de',
  cloud: 'public',
  exitCode: 1,
  summary: '9 of 11 answer; refused: usage insight; not available: Graph users.',
  checks: [
    { source: 'sign-in', title: 'sign-in for https://service.powerapps.com (BAP, Power Apps)', status: 'ok', httpStatus: null, errorCode: null, detail: 'token issued', fix: null },
    { source: 'usage insight', title: 'usage insight (Power Platform API, entitlement insight)', status: 'refused', httpStatus: 403, errorCode: 'Forbidden', detail: 'the Power Platform API answered 403 (Forbidden).', fix: 'Download the Active users report and drop it into the chat.' },
    { source: 'Graph users', title: 'Graph /users', status: 'not available', httpStatus: 503, errorCode: null, detail: 'answered 503 after retries.', fix: 'Ask again in a few minutes.' },
  ],
};

function viewOf(snapshot: TenantSnapshot): AnalyzedTenant {
  return analyzeTenant(fromSnapshot(snapshot), { fetchedAt: new Date('2026-11-29T08:00:00Z') });
}

/** A very large environment: 600 apps with findings, long names, hundreds of users. */
function hugeTenant(): TenantSnapshot {
  const b = new TenantBuilder().env('Huge Environment With A Very Long Display Name For Layout (Production)', { allocatedPasses: 5, managed: false });
  for (let i = 0; i < 600; i++) b.app(`Standard app number ${i} with a rather long descriptive name`, 'Huge Environment With A Very Long Display Name For Layout (Production)', { canConsumeAppPass: i % 3 !== 0 });
  for (let i = 0; i < 60; i++) b.app(`Premium ${i}`, 'Huge Environment With A Very Long Display Name For Layout (Production)', { premium: true, canConsumeAppPass: false });
  for (let i = 0; i < 600; i++) b.launch(`user${i}@contoso.com`, `Standard app number ${i} with a rather long descriptive name`, 'AppPass');
  for (let i = 0; i < 60; i++) b.launch(`user${i}@contoso.com`, `Premium ${i}`, 'M365');
  return b.build();
}

/** A set of three drops: a re-download replaced October, a file was refused. */
const UPLOAD_SET: DropOutcome = {
  analysis: null,
  used: ['active-sep.csv', 'licensed.csv', 'active-oct (1).csv'].map((name, i) => ({ name, path: `${i}.report`, bytes: 1, kind: 'activeUsers' as const, months: [], droppedAt: new Date('2026-11-30T15:02:00Z') })),
  replaced: [{ name: 'active-oct.csv', by: 'active-oct (1).csv', kind: 'activeUsers', months: ['2026-10'], droppedAt: new Date('2026-11-30T15:03:00Z') }],
  refused: [{ name: 'people.csv', error: new CsvFormatError('"people.csv" is none of the admin center\'s Power Apps reports.') }],
  startedAt: new Date('2026-11-30T15:02:00Z'),
  expiredEarlier: false,
  endsAt: new Date('2026-11-30T15:20:00Z'),
};

function allViews(): [string, CardView][] {
  const demo = viewOf(buildDemoTenant());
  const empty = viewOf(new TenantBuilder().env('Empty', { allocatedPasses: 0 }).build());
  const huge = viewOf(hugeTenant());
  const views: [string, CardView][] = [
    ['overview (demo)', overviewCard(demo)],
    ['overview (empty tenant)', overviewCard(empty)],
    ['overview (huge)', overviewCard(huge)],
    ['advice (demo)', adviceCard(demo)],
    ['advice (empty)', adviceCard(empty)],
    ['help', helpCard('asked')],
    ['welcome', helpCard('welcome')],
    ['upload help', uploadHelpCard()],
    ['did you mean', choiceCard('I did not understand that question', 'Did you mean one of these?', [{ title: 'Are we over?', verb: 'ask', text: 'Are we over?' }])],
    ['error', errorCard('Microsoft refused access', 'The service answered 403.', 'Register the app.', ['detail one'])],
    ['choice', choiceCard('"contoso" matches several environments', 'Which one?', [{ title: 'A', verb: 'environment', environmentId: 'a' }, { title: 'B', verb: 'environment', environmentId: 'b' }])],
    ['findings misclassified (demo)', findingsCard(demo, 'misclassified', null)],
    ['findings over (empty)', findingsCard(empty, 'over', null)],
    ['user (jane)', userCard(demo, 'jane@contoso.com')!],
    ['user (omar)', userCard(demo, 'omar@contoso.com')!],
    ['environment (empty)', environmentCard(empty, empty.report.environments[0])],
    ['digest (first)', digestCard(demo.report, null, new Date('2026-11-30T08:00:00Z')).view],
    ['digest (quiet week)', digestCard(demo.report, summarize(demo.report, new Date('2026-11-23T08:00:00Z')), new Date('2026-11-30T08:00:00Z')).view],
    ['digest (changes)', digestCard(demo.report, summarize(empty.report, new Date('2026-11-23T08:00:00Z')), new Date('2026-11-30T08:00:00Z')).view],
    ['digest (huge)', digestCard(huge.report, null, new Date('2026-11-30T08:00:00Z')).view],
    ['subscribed', subscribedCard(parseSchedule('every monday 8:00 Europe/Berlin'), new Date('2026-11-29T12:00:00Z'), 'new')],
    ['unsubscribed', unsubscribedCard('stopped')],
    ['status (none)', statusCard(undefined, new Date())],
    ['setup (live)', setupCard(SETUP_CHECK)],
    ['setup (demo tenant)', setupCard(null)],
    ['overview (reports dropped one after another)', withUploadNotes(overviewCard(demo), UPLOAD_SET, 15, 'Europe/Berlin')],
    ['ranking (users by apps)', rankingCard(demo, 'users', 'apps', null)],
    ['ranking (idle environments)', rankingCard(demo, 'environments', 'idle', null)],
    ['ranking (apps, empty)', rankingCard(empty, 'apps', 'users', null)],
    ['buy before February (demo)', buyBeforeCard(demo, 2, null)],
    ['buy (empty)', buyBeforeCard(empty, undefined, null)],
    ['is this normal (Contoso Sales)', isNormalCard(demo, demo.report.environments.find((e) => e.name === 'Contoso Sales (Prod)')!, 'environment')],
    ['is this normal (empty)', isNormalCard(empty, null)],
    ['what the passes cost (demo)', spendCard(demo, null)],
    ['what the passes cost (Contoso Sales)', spendCard(demo, demo.report.environments.find((e) => e.name === 'Contoso Sales (Prod)')!)],
    ['what the passes cost (empty)', spendCard(empty, null)],
    ['what the passes cost (huge)', spendCard(huge, null)],
  ];
  // No usage source answered: every launch figure is unknown, the rest still shows.
  const noUsage = viewOf({ ...buildDemoTenant(), launches: [], usageUnknown: 'the usage API answered 403 (Forbidden)' });
  views.push(['overview (usage unknown)', overviewCard(noUsage)], ['what the passes cost (usage unknown)', spendCard(noUsage, null)]);
  for (const e of noUsage.report.environments) {
    views.push([`environment ${e.name} (usage unknown)`, environmentCard(noUsage, e)]);
    for (const app of e.apps.slice(0, 1)) views.push([`app ${app.appName} (usage unknown)`, appCard(noUsage, e, app)]);
  }
  for (const e of demo.report.environments) {
    views.push([`environment ${e.name}`, environmentCard(demo, e)]);
    for (const app of e.apps) views.push([`app ${app.appName}`, appCard(demo, e, app)]);
  }
  const hugeEnv = huge.report.environments[0];
  for (let page = 0; page < 40; page++) views.push([`environment (huge) page ${page}`, environmentCard(huge, hugeEnv, page)]);
  for (let page = 0; page < 40; page++) views.push([`findings (huge) page ${page}`, findingsCard(huge, 'misclassified', null, page)]);
  return views;
}

/** The one event a chart may raise in the 1.5 renderer, which draws no charts: its fallback is used. */
const CHART_FALLBACK = /^UnknownElementType: Unknown element type "Chart\.(Gauge|Line|HorizontalBar\.Stacked)"\. Fallback will be used if present\.$/;

/** The chart elements of "Charts in Adaptive Cards" (Teams platform docs) that PassLens uses, as documented there. */
const COLOR = z.string().regex(/^(good|warning|attention|neutral|categorical[A-Z][a-zA-Z]+)$/);
const FACTSET_FALLBACK = z.object({ type: z.literal('FactSet'), facts: z.array(z.object({ title: z.string(), value: z.string() }).strict()).min(1) }).strict();
const CHARTS = {
  'Chart.Gauge': z.object({
    type: z.literal('Chart.Gauge'), title: z.string(), value: z.number(), min: z.number(), max: z.number(), valueFormat: z.enum(['Percentage', 'Fraction']), subLabel: z.string(),
    segments: z.array(z.object({ legend: z.string(), size: z.number().nonnegative(), color: COLOR }).strict()).min(1), fallback: FACTSET_FALLBACK,
  }).strict(),
  // Per-line colour and yMin/yMax: the Adaptive Cards charts object model the Agents Playground renders with
  // (@microsoft/m365agentsplayground 0.2.28: LineChartData color, LineChart yMin/yMax); Learn's page lists neither.
  'Chart.Line': z.object({
    type: z.literal('Chart.Line'), title: z.string(), xAxisTitle: z.string(), yAxisTitle: z.string(), yMin: z.literal(0), yMax: z.number().int().positive().refine((n) => n % 4 === 0, 'a multiple of 4: whole-count ticks'),
    data: z.array(z.object({ legend: z.string(), color: COLOR, values: z.array(z.object({ x: z.string(), y: z.number() }).strict()) }).strict()).min(1), fallback: FACTSET_FALLBACK,
  }).strict()
    // A nameless series only continues a named line after a month without a figure (charts.ts lineChart).
    .refine((c) => c.data.every((d, i) => d.legend !== '' || c.data.slice(0, i).some((n) => n.legend !== '' && n.color === d.color)), 'every line named once'),
  'Chart.HorizontalBar.Stacked': z.object({
    type: z.literal('Chart.HorizontalBar.Stacked'), title: z.string(),
    data: z.array(z.object({ title: z.string(), data: z.array(z.object({ legend: z.string(), value: z.number().nonnegative(), color: COLOR }).strict()) }).strict()).min(1), fallback: FACTSET_FALLBACK,
  }).strict(),
} as const;

/** Every chart has the documented shape and a FactSet fallback whose numbers the renderer shows. */
function checkCharts(card: object, renderedText: string): void {
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const o = node as Record<string, unknown>;
    if (typeof o.type === 'string' && o.type.startsWith('Chart.')) {
      const schema = CHARTS[o.type as keyof typeof CHARTS];
      assert.ok(schema, `${o.type} is not a chart PassLens is meant to use`);
      const parsed = schema.safeParse(o);
      assert.ok(parsed.success, `${o.type}: ${parsed.success ? '' : parsed.error.message}`);
      for (const fact of (o.fallback as { facts: { value: string }[] }).facts) assert.ok(renderedText.includes(fact.value), `fallback fact "${fact.value}" rendered`);
      return;
    }
    Object.values(o).forEach(walk);
  };
  walk(card);
}

describe('Adaptive Card templates', () => {
  const views = allViews();

  it('covers every template', () => {
    const used = new Set([...views.map(([, v]) => v.card), 'trend']);
    assert.deepEqual(Object.keys(TEMPLATES).filter((t) => !used.has(t as CardName)), []);
  });

  for (const [name, view] of views) {
    it(`${name}: expands fully, stays under 28 KB, is valid Adaptive Card 1.5 and renders without warnings`, () => {
      const card = renderCard(view);
      const json = JSON.stringify(card);
      assert.ok(!json.includes('${'), `unexpanded template expression in ${json.slice(json.indexOf('${') - 80, json.indexOf('${') + 80)}`);
      assert.equal(card.type, 'AdaptiveCard');
      assert.equal(card.version, '1.5');
      assert.ok(cardBytes(card) <= CARD_SIZE_LIMIT, `${cardBytes(card)} bytes`);
      const actions = (card.actions as unknown[] | undefined) ?? [];
      assert.ok(actions.length <= 6, `${actions.length} actions: Teams shows at most 6`);
      const rendered = renderAdaptiveCard(card);
      assert.deepEqual(rendered.events.filter((e) => !CHART_FALLBACK.test(e)), []);
      assert.ok(rendered.text.length > 10);
      checkCharts(card, rendered.text);
    });
  }

  it('the validator is live: an element unknown to 1.5 and an invalid value are reported', () => {
    const events = renderAdaptiveCard({ type: 'AdaptiveCard', version: '1.5', body: [{ type: 'Bogus' }, { type: 'TextBlock', text: 'x', size: 'Huge' }] }).events;
    assert.ok(events.some((e) => /Bogus/.test(e)), events.join('\n'));
    assert.ok(events.some((e) => /Huge/.test(e)), events.join('\n'));
  });

  it('pages a huge environment so that every finding is reachable, each page within the limit', () => {
    const huge = viewOf(hugeTenant());
    const env = huge.report.environments[0];
    const expected = groupFindings(env.findings).length;
    const first = environmentCard(huge, env, 0);
    const pages = Number(/of (\d+)$/.exec(String(first.data.more))?.[1] ?? 1);
    assert.ok(pages > 1, `${expected} items on ${pages} page(s)`);
    let seen = 0;
    for (let p = 0; p < pages; p++) {
      const view = environmentCard(huge, env, p);
      seen += (view.data.findings as unknown[]).length;
      assert.ok(cardBytes(renderCard(view)) <= CARD_SIZE_LIMIT);
    }
    assert.equal(seen, expected);
  });
});

describe('cards over several months (the sample reports of September and October)', () => {
  let twoMonths: AnalyzedTenant;
  let oneMonth: AnalyzedTenant;
  let sepData: Awaited<ReturnType<typeof readReportSet>>;
  before(async () => {
    const samples = join(__dirname, '../../docs/samples');
    const data = applyAllocations(
      await readReportSet(['active-sep.csv', 'active-oct.csv', 'licensed.csv', 'managed-required.csv'].map((name) => ({ name, chunks: createReadStream(join(samples, name)) })), null),
      [{ environment: 'Contoso Sales (Prod)', passes: 25 }],
    );
    sepData = data as typeof sepData;
    twoMonths = analyzeTenant(data, { fetchedAt: new Date('2026-11-29T08:00:00Z') });
    oneMonth = { ...viewOf(buildDemoTenant()), monthly: { months: ['2026-11'], environments: [] } };
  });

  const cards = (): [string, CardView][] => {
    const sales = twoMonths.report.environments.find((e) => e.name === 'Contoso Sales (Prod)')!;
    return [
      ['overview', overviewCard(twoMonths)],
      ['environment Sales', environmentCard(twoMonths, sales)],
      ['trend (tenant)', trendCard(twoMonths, null)],
      ['trend (Sales since September)', trendCard(twoMonths, sales, { since: 9 })],
      ['trend (auto-assign)', trendCard(twoMonths, null, { focus: 'autoAssign' })],
      ['trend (one month)', trendCard(oneMonth, null)],
    ];
  };

  it('every card has its charts in the documented shape, a fallback that renders the same numbers, and stays under 28 KB', () => {
    for (const [name, view] of cards()) {
      const card = renderCard(view);
      assert.ok(cardBytes(card) <= CARD_SIZE_LIMIT, `${name}: ${cardBytes(card)} bytes`);
      assert.ok(!JSON.stringify(card).includes('${'), name);
      const rendered = renderAdaptiveCard(card);
      assert.deepEqual(rendered.events.filter((e) => !CHART_FALLBACK.test(e)), [], name);
      checkCharts(card, rendered.text);
    }
  });

  it('the environment card has a gauge of booked against allocated and a line per month', () => {
    const sales = twoMonths.report.environments.find((e) => e.name === 'Contoso Sales (Prod)')!;
    const card = JSON.stringify(renderCard(environmentCard(twoMonths, sales)));
    assert.match(card, /"type":"Chart\.Gauge","title":"Booked against allocated","value":12,"min":0,"max":25/);
    assert.match(card, /"type":"Chart\.Line".*"legend":"Booked as AppPass","values":\[\{"x":"2026-09","y":31\},\{"x":"2026-10","y":12\}\]/);
  });

  it('the digest keeps the figures of each month (numbers only) and shows the last months with a trend chart', () => {
    const september = analyzeMonths(sepData.inventory, sepData.ledger, { month: '2026-09' }).report;
    const first = digestCard(september, null, new Date('2026-09-28T08:00:00Z'));
    const second = digestCard(twoMonths.report, first.summary, new Date('2026-10-26T08:00:00Z'));
    const salesId = twoMonths.report.environments.find((e) => e.name === 'Contoso Sales (Prod)')!.id;
    assert.deepEqual(second.summary.months![salesId].map((m) => [m.month, m.bookedAsAppPass]), [['2026-09', 31], ['2026-10', 12]]);
    assert.doesNotMatch(JSON.stringify(second.summary.months), /@|Timesheet|Deal Desk/, 'figures only: no user or app');
    const card = renderCard(second.view);
    assert.match(JSON.stringify(card), /Last months, booked: 2026-09 31 · 2026-10 12/);
    assert.match(JSON.stringify(card), /"type":"Chart\.Line","title":"Booked as AppPass, last months"/);
    checkCharts(card, renderAdaptiveCard(card).text);
  });

  it('answers the trend, since a month, and whether the auto-assign fix worked', () => {
    const sales = twoMonths.report.environments.find((e) => e.name === 'Contoso Sales (Prod)')!;
    assert.match(trendCard(twoMonths, sales, { since: 9 }).data.answer, /Contoso Sales \(Prod\) since September 2026: booked as AppPass 31 → 12 \(-19\)/);
    assert.match(trendCard(twoMonths, null, { focus: 'autoAssign' }).data.answer, /^Yes: standard apps booked as AppPass went from 24 launches in September 2026 to 4 in October 2026 \(-20\)/);
    assert.match(trendCard(oneMonth, null).data.answer, /one month in the data/);
  });
});

describe("the app card's verdict is passNeed's answer (R8 decided once, unknown never a silent no)", () => {
  const verdictOf = (env: Partial<Environment>, app: { premium?: boolean; inventory?: boolean } = {}): string => {
    const b = new TenantBuilder().env('Sales', { allocatedPasses: 5, ...env }).app('Tracker', 'Sales', { premium: app.premium });
    if (app.inventory === false) b.noInventory();
    const tenant = viewOf(b.launch('a@contoso.com', 'Tracker', 'AppPass', app.inventory === false ? { reportedPremium: null } : {}).build());
    const e = tenant.report.environments[0];
    return appCard(tenant, e, e.apps[0]).data.verdict;
  };

  it('standard, not managed: no pass (R7)', () => assert.equal(verdictOf({ managed: false }), 'Standard: Microsoft 365 users need no pass for it (R7).'));
  it('standard, managed: a standalone license (R8)', () => assert.match(verdictOf({ managed: true }), /^Standard, but in a Managed Environment every user needs a standalone license \(R8\)/));
  it('standard, managed unknown: says R8 is the open question, not "no pass"', () =>
    assert.match(verdictOf({ managed: null }), /unless Sales is a Managed Environment.*\(R8\)\. Whether it is managed is unknown/));
  it('premium: a pass or a per-user license (R7)', () => assert.match(verdictOf({ managed: null }, { premium: true }), /^Premium: every user needs a pass or a per-user license \(R7\)/));
  it('classification unknown in a Managed Environment: R8 answers anyway', () =>
    assert.match(verdictOf({ managed: true }, { inventory: false }), /^In a Managed Environment every user needs a standalone license \(R8\)\. Premium status unknown/));
  it('classification unknown elsewhere: unknown, with what is missing', () => assert.match(verdictOf({ managed: false }, { inventory: false }), /^Premium status unknown: no app inventory and no IsPremium flag/));
  it('pay-as-you-go: passes ignored (R10)', () => assert.match(verdictOf({ payAsYouGo: true }, { premium: true }), /^Pay-as-you-go: Sales ignores per-app passes \(R10\); each user without a per-user license is billed/));
});
