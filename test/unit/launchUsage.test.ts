import assert from 'node:assert/strict';
import { analyze } from '../../src/licensing/analyze';
import { findingWords } from '../../src/licensing/findings';
import { environmentStatus } from '../../src/licensing/figures';
import { alternativeLine } from '../../src/licensing/advice';
import type { EnvironmentReport, LicensingReport } from '../../src/licensing/report';
import type { AuditLaunch, LaunchMonthSource, MonthCoverage } from '../../src/launches/launch';
import { AUDIT_LOG_BOOKINGS_UNKNOWN, withLaunchUsage } from '../../src/launches/launchUsage';
import { TenantBuilder } from '../support/tenantBuilder';
import { renderMarkdown, renderText } from '../../src/cli/reportText';
import { compareReportWithLog, reportAndLogSource, withLogComparison } from '../../src/launches/reportAndLog';
import { fromSnapshot } from '../../src/tenant/tenantData';
import { analyzeTenant } from '../../src/tenant/analyzedTenant';
import { renderCard } from '../../src/cards/render';
import { environmentCard } from '../../src/conversation/environmentCard';
import { findingsCard } from '../../src/conversation/findingsCard';
import { overviewCard } from '../../src/conversation/overviewCard';
import { digestCard } from '../../src/digest/digestCard';
import { rankingCard } from '../../src/conversation/ranking';

/** The launch store's contract over plain arrays: the analysis tests need no collector. */
class LaunchesInMemory implements LaunchMonthSource {
  constructor(
    private readonly byMonth: Map<string, { coverage: MonthCoverage; launches: AuditLaunch[] }>,
  ) {}

  async months(): Promise<string[]> {
    return [...this.byMonth.keys()].sort();
  }

  async coverage(month: string): Promise<MonthCoverage | null> {
    return this.byMonth.get(month)?.coverage ?? null;
  }

  async *launches(month: string): AsyncIterable<AuditLaunch> {
    yield* this.byMonth.get(month)?.launches ?? [];
  }
}

const MONTH = '2026-11';

function coverage(extra: Partial<MonthCoverage> = {}): MonthCoverage {
  return {
    month: MONTH,
    reader: 'graph',
    collected: [{ start: '2026-11-01T00:00:00.000Z', end: '2026-12-01T00:00:00.000Z' }],
    failed: [],
    recordsRead: 40,
    malformedRecords: 0,
    duplicateRecords: 2,
    lastCollectedAt: '2026-12-04T06:00:00.000Z',
    ...extra,
  };
}

/**
 * Sales (2 passes, not managed): premium P; standard S with Per-app licensing on; standard T
 * with it off. Idle (5 passes): standard S2 with it on. Zero (0 passes): premium Z. Payg
 * (pay-as-you-go, 3 passes): premium Q.
 */
function tenant(sales: { managed?: boolean | null } = {}) {
  const b = new TenantBuilder()
    .env('Sales', { allocatedPasses: 2, ...sales })
    .env('Idle', { allocatedPasses: 5 })
    .env('Zero', { allocatedPasses: 0 })
    .env('Payg', { allocatedPasses: 3, payAsYouGo: true })
    .app('P', 'Sales', { premium: true })
    .app('S', 'Sales', { canConsumeAppPass: true })
    .app('T', 'Sales', { canConsumeAppPass: false })
    .app('S2', 'Idle', { canConsumeAppPass: true })
    .app('Z', 'Zero', { premium: true })
    .app('Q', 'Payg', { premium: true })
    .user('a@contoso.com', 'M365E5')
    .user('b@contoso.com', 'M365E5')
    .user('c@contoso.com', 'PowerAppsPremium')
    .user('d@contoso.com', 'D365Enterprise');
  const { launches: _none, ...inventory } = b.build();
  const app = (name: string) => inventory.apps!.find((a) => a.name === name)!;
  const launch = (upn: string, name: string, day = 3): AuditLaunch => ({
    month: MONTH,
    environmentId: app(name).environmentId,
    appId: app(name).id,
    appName: name,
    userPrincipalName: upn,
    firstLaunch: `2026-11-0${day}T09:00:00.000Z`,
    lastLaunch: `2026-11-0${day}T10:00:00.000Z`,
    count: 2,
  });
  const launches = [
    launch('a@contoso.com', 'P'),
    launch('a@contoso.com', 'S'),
    launch('b@contoso.com', 'P'),
    launch('b@contoso.com', 'T'),
    launch('c@contoso.com', 'P'),
    launch('c@contoso.com', 'S'),
    launch('d@contoso.com', 'P'),
    launch('a@contoso.com', 'S2'),
    launch('b@contoso.com', 'Z'),
    launch('a@contoso.com', 'Q'),
  ];
  return { inventory, launches };
}

function env(report: LicensingReport, name: string): EnvironmentReport {
  const e = report.environments.find((x) => x.name === name);
  assert.ok(e, name);
  return e;
}

describe('the analysis from audit log launches (issue 20)', () => {
  it('counts required passes by the same rules, shows what Microsoft is expected to book as expected, and never as booked', async () => {
    const { inventory, launches } = tenant();
    const source = new LaunchesInMemory(new Map([[MONTH, { coverage: coverage(), launches }]]));
    const data = await withLaunchUsage(inventory, source, [MONTH], { now: new Date('2026-12-04T08:00:00Z') });
    assert.equal(data.launchCount, launches.length);
    const report = analyze(data.inventory, data.ledger, { month: MONTH });
    assert.equal(report.bookingsUnknown, AUDIT_LOG_BOOKINGS_UNKNOWN);

    const sales = env(report, 'Sales');
    assert.equal(sales.bookedAsAppPass, null, "Microsoft's figure: not in the audit log");
    assert.equal(sales.requiredPasses, 3, 'a, b and the Dynamics 365 user need one for P; the Premium user does not (R6)');
    assert.deepEqual(sales.expected, { label: 'expected', passes: 4, byNeed: 3, byPerAppLicensing: 1, overage: 2, apps: [{ appId: 'app-2', appName: 'S', launches: 1 }] });
    assert.equal(sales.overage, 1, 'overage by need is definite');
    assert.equal(sales.unusedPasses, 0);
    assert.deepEqual(environmentStatus(sales), { state: 'over', label: 'over by 1', color: 'Attention' });
    assert.ok(sales.apps.every((a) => a.bookedAsAppPass === null));
    const expectedFinding = sales.findings.find((f) => f.code === 'STANDARD_APP_EXPECTED_AS_PASS')!;
    assert.deepEqual([expectedFinding.appName, expectedFinding.count, expectedFinding.rule], ['S', 1, 'R9']);
    const words = findingWords(expectedFinding);
    assert.match(words.title, /expected/);
    assert.match(words.explanation, /Expected, not booked/);
    assert.match(words.fix, /Switch "Per-app licensing".* off for "S"/);
    assert.deepEqual(findingWords(JSON.parse(JSON.stringify(expectedFinding)) as typeof expectedFinding), words, 'plain data, as every finding');
    const over = findingWords(sales.findings.find((f) => f.code === 'OVERAGE')!);
    assert.match(over.evidence[0], /the audit log shows 3 launches this month that need a pass/);
    assert.ok(!sales.findings.some((f) => f.code === 'UNCOVERED_PREMIUM_USE' || f.code === 'STANDARD_APP_BOOKED_AS_PASS'), 'the log does not say what was charged: nothing is called uncovered or booked');

    const idle = env(report, 'Idle');
    assert.deepEqual([idle.bookedAsAppPass, idle.requiredPasses, idle.overage, idle.unusedPasses, idle.expected?.passes, idle.expected?.overage], [null, 0, 0, 4, 1, 0]);
    assert.match(findingWords(idle.findings.find((f) => f.code === 'UNUSED_PASSES')!).title, /4 idle passes \(expected\)/);

    const zero = env(report, 'Zero');
    assert.equal(zero.launchesAtZeroAllocation, 1);
    assert.match(findingWords(zero.findings.find((f) => f.code === 'LAUNCHES_AT_ZERO_ALLOCATION')!).evidence.join(' '), /from the audit log, which does not say which license/);

    const payg = env(report, 'Payg');
    assert.deepEqual([payg.requiredPasses, payg.expected?.passes, payg.expected?.byPerAppLicensing], [0, 0, 0]);

    const text = [...renderText(report)].join('');
    assert.match(text, /== Sales .*over by 1\n {3}allocated 2 \| booked as AppPass unknown \| required 3 \| overage 1 \| unused 0\n {3}Expected bookings \(from the audit log, not Microsoft's booking\): 4 passes = 3 needed \+ 1 of standard apps with Per-app licensing on \("S" 1; R9, field reports\); expected over by 2\./);
    assert.match(text, /note: Model-driven apps and Power Pages sites are not in the audit log/);
    const markdown = [...renderMarkdown(report)].join('');
    assert.match(markdown, /Expected bookings \(from the audit log, not Microsoft's booking\): 4 passes/);
    assert.match(markdown, /> The audit log does not say which license Microsoft charged/);
    assert.deepEqual([report.totals.bookedAsAppPass, report.totals.requiredPasses, report.totals.overage, report.totals.expectedBookings, report.totals.expectedOverage], [null, 4, 1, 6, 2]);
  });

  it('"which environment books the most passes": Microsoft\'s bookings are not in the log, so unknown with where they are, never "no environment booked a pass"', async () => {
    const { inventory, launches } = tenant();
    const now = new Date('2026-12-04T08:00:00Z');
    const data = await withLaunchUsage(inventory, new LaunchesInMemory(new Map([[MONTH, { coverage: coverage(), launches }]])), [MONTH], { now });
    const answer = rankingCard(analyzeTenant(data, { fetchedAt: now, month: MONTH }), 'environments', 'passes', null).data.answer;
    assert.equal(answer, 'Unknown for Idle, Sales, Zero: how many passes Microsoft booked is not in the audit log (it says who launched which app, not which license was charged). Drop the Active users report (Power Platform admin center > Licensing > Power Apps > Download reports) into this chat for the full figures.');
  });

  it('names the audit log as a source with what it cannot see, a failed period with its dates and fix, and what was not collected', async () => {
    const { inventory, launches } = tenant();
    const failed = { start: '2026-11-10T00:00:00.000Z', end: '2026-11-11T00:00:00.000Z', reason: 'The Graph audit log query failed (status failed).', fix: 'Run "refresh" to query this day again.' };
    const cov = coverage({ collected: [{ start: '2026-11-01T00:00:00.000Z', end: '2026-11-10T00:00:00.000Z' }, { start: '2026-11-11T00:00:00.000Z', end: '2026-11-20T00:00:00.000Z' }], failed: [failed], lastCollectedAt: '2026-11-20T00:00:00.000Z', malformedRecords: 3 });
    const source = new LaunchesInMemory(new Map([[MONTH, { coverage: cov, launches }]]));
    const data = await withLaunchUsage({ ...inventory, usageUnknown: 'the usage API refused' }, source, [MONTH], { now: new Date('2026-11-20T06:00:00Z') });
    const report = analyze(data.inventory, data.ledger, { month: MONTH });
    assert.equal(report.usageUnknown, null, 'the audit log answered for the usage');
    const log = report.sources.find((s) => s.kind === 'auditLog')!;
    assert.match(log.description, /Unified audit log \(Graph audit log query API\) for 2026-11: 40 LaunchPowerApp records, 10 distinct launches/);
    const notes = log.warnings!.join('\n');
    assert.match(notes, /Model-driven apps and Power Pages sites are not in the audit log/);
    assert.match(notes, /does not say which license Microsoft charged/);
    assert.match(notes, /Launches after 2026-11-18 00:00 UTC may still arrive/);
    assert.match(notes, /Launches from 2026-11-10 00:00 UTC to 2026-11-11 00:00 UTC could not be read: The Graph audit log query failed \(status failed\)\. Run "refresh" to query this day again\. What the other periods read is counted\./);
    assert.match(notes, /Launches from 2026-11-20 00:00 UTC to 2026-11-20 06:00 UTC have not been collected/);
    assert.match(notes, /3 malformed audit record\(s\) were skipped/);
    assert.match(notes, /logging for production environments: launches in other environment types may be missing/);
  });

  it('no records at all: says auditing may be off and how to check; a month not collected is said, not shown as no launches', async () => {
    const { inventory } = tenant();
    const source = new LaunchesInMemory(new Map([[MONTH, { coverage: coverage({ recordsRead: 0 }), launches: [] }]]));
    const data = await withLaunchUsage(inventory, source, [MONTH, '2026-10'], { now: new Date('2026-12-04T08:00:00Z') });
    const [nov, oct] = data.inventory.sources.filter((s) => s.kind === 'auditLog');
    assert.match(nov.warnings!.join(' '), /no launch records for 2026-11\. That may mean unified auditing is off rather than no launches: .*Get-AdminAuditLogConfig \| Format-List UnifiedAuditLogIngestionEnabled/);
    assert.match(oct.description, /not collected/);
    assert.match(oct.warnings!.join(' '), /have not been collected from the audit log yet: say "refresh"/);
  });

  it('a report and the log over one month: the report\'s launches the log lacks (model-driven apps named apart) and the log\'s the report lacks, counted and named', async () => {
    const b = new TenantBuilder().env('Sales', { allocatedPasses: 2 }).app('P', 'Sales', { premium: true }).app('MD', 'Sales', { type: 'model-driven' });
    b.launch('a@contoso.com', 'P', 'AppPass').launch('b@contoso.com', 'P', 'AppPass').launch('m@contoso.com', 'MD', 'AppPass');
    const snapshot = b.build();
    const p = snapshot.apps!.find((a) => a.name === 'P')!;
    const logged = (upn: string): AuditLaunch => ({ month: MONTH, environmentId: p.environmentId.toUpperCase(), appId: p.id, appName: 'P', userPrincipalName: upn, firstLaunch: '2026-11-03T09:00:00.000Z', lastLaunch: '2026-11-03T09:00:00.000Z', count: 1 });
    const log = new LaunchesInMemory(new Map([[MONTH, { coverage: coverage(), launches: [logged('a@contoso.com'), logged('c@contoso.com')] }]]));
    const data = fromSnapshot(snapshot);
    const c = (await compareReportWithLog(data.ledger, MONTH, log, snapshot.apps))!;
    assert.deepEqual(c, { month: MONTH, both: 1, reportOnly: 2, reportOnlyModelDriven: 1, logOnly: 1, reportOnlySamples: ['P by b@contoso.com'], logOnlySamples: ['P by c@contoso.com'] });
    const source = reportAndLogSource(c, 'graph');
    assert.match(source.warnings!.join(' '), /The report lists 2 launches the audit log does not \(1 of model-driven apps, which the log never has\): model-driven apps or auditing gaps, e\.g\. P by b@contoso\.com\./);
    assert.match(source.warnings!.join(' '), /The audit log has 1 launch the report does not: launches after the report was downloaded/);
    const compared = await withLogComparison(data, log, MONTH);
    assert.equal(compared.inventory.sources.at(-1)!.kind, 'auditLog');
    assert.equal(await compareReportWithLog(data.ledger, '2026-10', log, snapshot.apps), null, 'a month the log has not collected: nothing to compare');
  });
});

/** Every text a rendered card shows (TextBlock text, FactSet title and value), as Teams would. */
function cardTexts(x: unknown, out: string[] = []): string[] {
  if (Array.isArray(x)) x.forEach((y) => cardTexts(y, out));
  else if (x && typeof x === 'object') {
    for (const [k, v] of Object.entries(x)) {
      if (typeof v === 'string' && ['text', 'title', 'value'].includes(k)) out.push(v);
      else cardTexts(v, out);
    }
  }
  return out;
}

/** As the Office 365 feed leaves November on 4 December: every day older than 7 days refused, each with the same reason. */
function partReadCoverage(): MonthCoverage {
  const day = (n: number) => `2026-11-${String(n).padStart(2, '0')}`;
  const failed = Array.from({ length: 26 }, (_, i) => ({ start: `${day(i + 1)}T00:00:00.000Z`, end: `${i + 2 === 31 ? '2026-12-01' : day(i + 2)}T00:00:00.000Z`, reason: `${day(i + 1)} is older than the 7 days the Office 365 Management Activity API keeps.`, fix: 'Upload the Active users report for this month.' }));
  return coverage({ reader: 'officeManagement', collected: [{ start: '2026-11-27T00:00:00.000Z', end: '2026-12-01T00:00:00.000Z' }], failed });
}

describe('a month read in part from the audit log (verifier point 2)', () => {
  it('26 of 30 days not read: need is "at least", idle "at most", overage definite only where the need read exceeds the allocation; the days in one note', async () => {
    const { inventory, launches } = tenant();
    const cov = partReadCoverage();
    const data = await withLaunchUsage(inventory, new LaunchesInMemory(new Map([[MONTH, { coverage: cov, launches }]])), [MONTH], { now: new Date('2026-12-04T08:00:00Z') });
    // Through JSON, as the CLI's --format json hands it over.
    const report: LicensingReport = JSON.parse(JSON.stringify(analyze(data.inventory, data.ledger, { month: MONTH })));
    assert.match(report.launchesIncomplete!, /^26 of 30 days of 2026-11 not read: passes needed are at least the figures shown .*, idle passes at most, and an overage is definite only where the need read already exceeds the allocation\. Upload the Active users report for this month\.$/);

    const sales = env(report, 'Sales');
    assert.equal(sales.launchesComplete, false);
    assert.deepEqual([sales.requiredPasses, sales.overage], [3, 1], 'the need read already exceeds the 2 allocated: over by at least 1');
    assert.equal(environmentStatus(sales).label, 'over by at least 1');
    const idle = env(report, 'Idle');
    assert.equal(idle.launchesComplete, false);
    assert.equal(idle.overage, null, 'within the allocation so far: not known, not 0');
    assert.equal(idle.unusedPasses, 4, 'at most 4 idle');
    assert.equal(environmentStatus(idle).label, 'at least 0 needed, at most 4 idle');
    assert.ok(!idle.findings.some((f) => f.code === 'UNUSED_PASSES'), 'no advice to lower an allocation on days not read');
    assert.equal(env(report, 'Payg').launchesComplete, undefined, 'pay-as-you-go needs no pass whatever the days missing');
    assert.equal(report.totals.overage, null);
    // A saving priced on a need read in part would be overstated: no move to pay-as-you-go, and its cost a floor.
    assert.ok(!report.advice.actions.some((a) => a.rule === 'R13'), report.advice.actions.map((a) => a.title).join('; '));
    const idleAlternative = report.advice.alternatives.find((a) => a.environmentName === 'Idle')!;
    assert.equal(idleAlternative.payAsYouGoLowerBound, true);
    assert.match(alternativeLine(idleAlternative, report.advice.prices), /pay-as-you-go (at least \$0|unknown until the month is read in full)/);

    const notes = report.sources.find((s) => s.kind === 'auditLog')!.warnings!;
    assert.equal(notes.filter((n) => n.includes('could not be read')).length, 1, notes.join('\n'));
    assert.ok(notes.includes('Launches from 2026-11-01 00:00 UTC to 2026-11-27 00:00 UTC could not be read: each day is older than the 7 days the Office 365 Management Activity API keeps. Upload the Active users report for this month. What the other periods read is counted.'), notes.join('\n'));

    const text = [...renderText(report)].join('');
    assert.match(text, /== Idle .*at least 0 needed, at most 4 idle\n {3}allocated 5 \| booked as AppPass unknown \| required at least 0 \| overage unknown \| unused at most 4\n/);
    assert.match(text, /== Sales .*over by at least 1\n {3}allocated 2 \| booked as AppPass unknown \| required at least 3 \| overage at least 1 \| unused 0\n/);
  });

  it('the need not known too (whether Sales is managed, R8): every card, the digest and the CLI say "not known yet" with the fix, never "at least unknown" or "at least 0"', async () => {
    const { inventory, launches } = tenant({ managed: null });
    const now = new Date('2026-12-04T08:00:00Z');
    const data = await withLaunchUsage(inventory, new LaunchesInMemory(new Map([[MONTH, { coverage: partReadCoverage(), launches }]])), [MONTH], { now });
    const analyzed = analyzeTenant(data, { fetchedAt: now, month: MONTH });
    const sales = env(analyzed.report, 'Sales');
    assert.deepEqual([sales.launchesComplete, sales.requiredPasses, sales.overage, sales.unusedPasses, sales.expected?.passes], [false, null, null, null, null], 'E5 users on standard apps need a pass only if Sales is managed: the need is not known');
    assert.equal(environmentStatus(sales).label, 'needed not known yet');

    // Cards escape ">" for Teams' markdown; the sentences are otherwise what the admin reads.
    const card = cardTexts(renderCard(environmentCard(analyzed, sales)));
    assert.ok(card.includes('Not known yet: how many passes are needed (whether Sales is a Managed Environment: admin center > Environments), and part of the month is not read; 2 passes are allocated. Launches from the audit log.'), card.join('\n'));
    assert.ok(card.includes("Part of the month's launches of Sales could not be read, and passes needed and idle are not known yet: settle the line above first; the need then counts the days read, so it reads \"at least\" until the month is read in full (the days and their fix: the audit log's note)."), card.join('\n'));
    assert.ok(card.includes("Expected bookings (from the audit log, not Microsoft's booking): not known yet, as the passes needed are not known yet (whether Sales is a Managed Environment: admin center > Environments)."), card.join('\n'));
    assert.ok(card.some((t) => t.endsWith(' · launches needing a pass by the rules: not known yet')), card.join('\n'));
    assert.ok(card.includes('Nothing to fix found so far: the passes needed are not known yet (above).'), 'no finding where the need is not known is not "nothing to fix"');

    const over = cardTexts(renderCard(findingsCard(analyzed, 'over', null)));
    assert.ok(over.some((t) => t.includes("Not known yet for Sales: the passes needed (whether Sales is a Managed Environment: admin center > Environments), and part of the month's launches is not read.")), over.join('\n'));
    const overview = cardTexts(renderCard(overviewCard(analyzed)));
    assert.ok(overview.includes('needed not known yet'), overview.join('\n'));
    // Its row says which figures are not known, in words: not "unknown expected · unknown needed".
    assert.ok(overview.includes('2 allocated · expected not known yet · needed not known yet · 0 findings'), overview.join('\n'));
    assert.ok(!overview.some((t) => /unknown (expected|needed)/.test(t)), overview.join('\n'));
    assert.ok(overview.some((t) => t.includes("Not known yet for Sales: the passes needed (whether Sales is a Managed Environment: admin center > Environments), and part of the month's launches is not read.")), overview.join('\n'));
    const digest = cardTexts(renderCard(digestCard(analyzed.report, null, now).view));
    assert.ok(digest.some((t) => t.startsWith('needed not known yet · 7 launches, expected unknown · needed unknown · overage unknown · idle unknown')), digest.join('\n'));

    const text = [...renderText(analyzed.report)].join('');
    assert.match(text, /== Sales .*needed not known yet\n {3}allocated 2 \| booked as AppPass unknown \| required unknown \| overage unknown \| unused unknown\n/);
    for (const shown of [card, over, digest, [text]]) {
      const all = shown.join('\n');
      assert.doesNotMatch(all, /at (least|most) (unknown|0 launch)|Unknown: launches are unknown|\. \./, all);
    }
  });
});
