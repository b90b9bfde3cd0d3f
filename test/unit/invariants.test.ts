import assert from 'node:assert/strict';
import fc from 'fast-check';
import { analyzeSnapshot } from '../../src/licensing/analyze';
import type { App, BookedLicenseType, Environment, Launch, TenantSnapshot, User } from '../../src/licensing/snapshot';
import { BOOKED_LICENSE_TYPES } from '../../src/licensing/snapshot';
import { UsageLedger } from '../../src/usage/usageLedger';
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { buildDemoTenant } from '../../src/tenant/demo/demoTenant';
import { analyzeTenant, type AnalyzedTenant } from '../../src/tenant/analyzedTenant';
import { applyAllocations, fromSnapshot } from '../../src/tenant/tenantData';
import { readReportSet } from '../../src/tenant/reportSet';
import { overviewCard } from '../../src/conversation/overviewCard';
import { adviceCard } from '../../src/conversation/adviceCard';
import { environmentCard } from '../../src/conversation/environmentCard';
import { groupFindings, TOP_FINDINGS } from '../../src/conversation/findingItems';
import { combinedSaving } from '../../src/licensing/advice';
import { appCard } from '../../src/conversation/appCard';
import { findingsCard } from '../../src/conversation/findingsCard';
import { renderCard } from '../../src/cards/render';
import { buyBeforeCard } from '../../src/conversation/buyBefore';
import { renderText } from '../../src/cli/reportText';

/** Random tenants: a few environments, apps and users, and launches drawn among them. */
const tenantArb: fc.Arbitrary<TenantSnapshot> = fc
  .record({
    envs: fc.array(
      fc.record({
        managed: fc.option(fc.boolean(), { nil: null }),
        payAsYouGo: fc.option(fc.boolean(), { nil: null }),
        allocatedPasses: fc.option(fc.nat({ max: 30 }), { nil: null }),
      }),
      { minLength: 1, maxLength: 4 },
    ),
    apps: fc.array(fc.record({ env: fc.nat(), premium: fc.boolean(), auto: fc.option(fc.boolean(), { nil: null }), modelDriven: fc.boolean() }), { minLength: 1, maxLength: 8 }),
    users: fc.array(fc.constantFrom<User['licenses']>(['M365E5'], ['PowerAppsPremium'], ['D365Enterprise'], ['M365E3', 'D365Professional'], []), { minLength: 1, maxLength: 8 }),
    launches: fc.array(
      fc.record({ user: fc.nat(), app: fc.nat(), type: fc.constantFrom<BookedLicenseType>(...BOOKED_LICENSE_TYPES), flag: fc.option(fc.boolean(), { nil: null }) }),
      { maxLength: 60 },
    ),
    withInventory: fc.boolean(),
  })
  .map(({ envs, apps, users, launches, withInventory }) => {
    const environments: Environment[] = envs.map((e, i) => ({ id: `e${i}`, name: `Env ${i}`, ...e }));
    const appList: App[] = apps.map((a, i) => ({
      id: `a${i}`,
      name: `App ${i}`,
      environmentId: environments[a.env % environments.length].id,
      type: a.modelDriven ? 'model-driven' : 'canvas',
      planClassification: a.premium ? 'Premium' : 'Standard',
      usesPremiumApi: a.premium,
      usesCustomApi: false,
      usesOnPremiseGateway: false,
      connectors: [],
      canConsumeAppPass: a.auto,
    }));
    const userList: User[] = users.map((licenses, i) => ({ userPrincipalName: `u${i}@contoso.com`, licenses }));
    const launchList: Launch[] = launches.map((l) => {
      const app = appList[l.app % appList.length];
      return {
        userPrincipalName: userList[l.user % userList.length].userPrincipalName,
        appId: app.id,
        environmentId: app.environmentId,
        month: '2026-11',
        licenseType: l.type,
        reportedPremium: l.flag,
      };
    });
    return {
      generatedAt: '2026-11-29T00:00:00Z',
      sources: [],
      environments,
      apps: withInventory ? appList : null,
      users: userList,
      launches: launchList,
    };
  });

describe('licensing invariants (property-based)', () => {
  it('no figure is negative, and overage and unused are never both positive', () => {
    fc.assert(
      fc.property(tenantArb, (t) => {
        for (const e of analyzeSnapshot(t).environments) {
          for (const v of [e.allocatedPasses, e.bookedAsAppPass, e.requiredPasses, e.overage, e.unusedPasses]) assert.ok(v === null || v >= 0);
          assert.ok(!((e.overage ?? 0) > 0 && (e.unusedPasses ?? 0) > 0));
          for (const f of e.findings) assert.ok(f.count === undefined || f.count > 0);
        }
      }),
    );
  });

  it('totals add up: booked = sum over apps; overage - unused = booked - allocated where known; tenant totals = sum of environments', () => {
    fc.assert(
      fc.property(tenantArb, (t) => {
        const r = analyzeSnapshot(t);
        for (const e of r.environments) {
          // Usage was read, so every launch figure is known.
          assert.ok(e.bookedAsAppPass !== null && e.launches !== null);
          assert.equal(e.bookedAsAppPass, e.apps.reduce((s, a) => s + (a.bookedAsAppPass ?? NaN), 0));
          // R5: with 0 allocated, bookings are launches that should have been blocked, never overage.
          if (e.allocatedPasses === 0 && !e.payAsYouGo) assert.ok(e.overage === 0 && e.launchesAtZeroAllocation !== null && e.launchesAtZeroAllocation >= e.bookedAsAppPass);
          else if (e.allocatedPasses !== null && !e.payAsYouGo) assert.equal((e.overage ?? 0) - (e.unusedPasses ?? 0), e.bookedAsAppPass - e.allocatedPasses);
          if (e.requiredPasses !== null) assert.ok(e.requiredPasses <= e.launches);
        }
        assert.equal(r.totals.bookedAsAppPass, r.environments.reduce((s, e) => s + (e.bookedAsAppPass ?? NaN), 0));
        assert.equal(r.totals.overage, r.environments.reduce((s, e) => s + (e.overage ?? 0), 0));
        const distinct = new Set(t.launches.filter((l) => l.licenseType === 'AppPass').map((l) => `${l.environmentId}|${l.appId}|${l.userPrincipalName}`));
        assert.equal(r.totals.bookedAsAppPass, distinct.size);
      }),
    );
  });

  it('the order of rows changes nothing', () => {
    fc.assert(
      fc.property(
        tenantArb.chain((t) => fc.tuple(fc.constant(t), fc.shuffledSubarray(t.launches, { minLength: t.launches.length, maxLength: t.launches.length }))),
        ([t, shuffled]) => {
          assert.deepEqual(analyzeSnapshot({ ...t, launches: shuffled }), analyzeSnapshot(t));
        },
      ),
    );
  });

  it('a duplicated row changes nothing (the unit is user x app x environment per month, R3)', () => {
    fc.assert(
      fc.property(tenantArb, (t) => {
        assert.deepEqual(analyzeSnapshot({ ...t, launches: [...t.launches, ...t.launches] }), analyzeSnapshot(t));
      }),
    );
  });

  it("a user's launches read back from the ledger are that user's rows, as given and in order", () => {
    fc.assert(
      fc.property(tenantArb, (t) => {
        const ledger = new UsageLedger().addAll(t.launches);
        for (const u of t.users ?? []) {
          const given = t.launches.filter((l) => l.userPrincipalName === u.userPrincipalName);
          const read = ledger.launchesOf(u.userPrincipalName.toUpperCase());
          assert.deepEqual(
            read.map((l) => [l.userPrincipalName, l.appId, l.environmentId, l.month, l.licenseType, l.reportedPremium]),
            given.map((l) => [l.userPrincipalName, l.appId, l.environmentId, l.month, l.licenseType, l.reportedPremium]),
          );
        }
        assert.deepEqual(ledger.launchesOf('nobody@contoso.com'), []);
      }),
    );
  });
});

/**
 * What the cards say adds up, on the demo tenant, on the sample reports in docs/samples and
 * on generated tenants: totals are the sum of the rows shown or say what they leave out;
 * no action saves more than the cost it removes; a total saving counts one action of each
 * set of alternatives; the chart's segments add up to the bar they split, in one colour
 * per meaning; "Show all N" counts what there is.
 */
function cardFiguresAddUp(v: AnalyzedTenant, label: string): void {
  const { report } = v;
  const overview = overviewCard(v).data;
  const known = report.environments.every((e) => e.allocatedPasses !== null);
  if (known) {
    const rows = report.environments.reduce((s, e) => s + (e.allocatedPasses ?? 0), 0);
    const leftOut = report.environments.filter((e) => e.payAsYouGo).reduce((s, e) => s + (e.allocatedPasses ?? 0), 0);
    assert.equal(Number(overview.totals.allocated), rows - leftOut, `${label}: allocated total = rows - pay-as-you-go`);
    if (leftOut > 0) assert.match(overview.totalsNote, new RegExp(`Allocated: ${rows - leftOut} of the ${rows} below\\. Left out: `), `${label}: the total says what it leaves out`);
    else assert.equal(overview.totalsNote, '', `${label}: no note when the rows add up`);
  }
  if (report.environments.every((e) => e.bookedAsAppPass !== null)) assert.equal(Number(overview.totals.booked), report.environments.reduce((s, e) => s + (e.bookedAsAppPass ?? 0), 0), `${label}: booked total = rows`);
  assert.equal(overview.environments.length, report.environments.length, `${label}: every environment has a row (shown or behind "Show all")`);

  // Savings: bounded by the cost removed; alternatives counted once.
  for (const a of report.advice.actions) {
    assert.ok(a.monthlySaving >= 0 && a.monthlySaving <= a.costRemoved, `${label}: "${a.title}" saves ${a.monthlySaving} of ${a.costRemoved}`);
  }
  const advice = adviceCard(v).data;
  const sets = new Set(report.advice.actions.map((a) => a.alternativesOf));
  assert.equal(advice.choices.length, sets.size, `${label}: one choice per set of alternatives`);
  assert.equal(advice.choices.reduce((n, c) => n + c.options.length, 0), report.advice.actions.length, `${label}: every action is an option of one choice`);
  const best = [...sets].map((k) => Math.max(...report.advice.actions.filter((a) => a.alternativesOf === k).map((a) => a.monthlySaving)));
  assert.equal(combinedSaving(report.advice.actions), best.reduce((s, n) => s + n, 0));
  if (advice.answer) assert.match(advice.answer, new RegExp(`Save up to \\S*${best.reduce((s, n) => s + n, 0)}/month`), `${label}: the total is the best of each set`);
  for (const c of advice.choices) if (c.options.length > 1) assert.ok(/^Either /.test(c.options[0].title) && c.options.slice(1).every((o) => /^or /.test(o.title)), `${label}: alternatives read "either ... or ..."`);

  // The CLI's text: the same choices and total as the card; the listed sets plus what it says it leaves out add up to it.
  const text = [...renderText(report)].join('');
  if (advice.answer) {
    const dollars = (pattern: RegExp) => [...text.matchAll(pattern)].reduce((s, m) => s + Number(m[1]), 0);
    assert.ok(text.includes(`What saves the most:\n  ${advice.answer}\n`), `${label}: the CLI states the card's total`);
    const listed = dollars(/^ {2}\* .*?; ~\$(\d+)\/month\): /gm) + dollars(/^ {2}The total also counts \d+ more places? not listed here \(~\$(\d+)\/month together\)/gm);
    assert.equal(listed, combinedSaving(report.advice.actions), `${label}: the CLI's listed savings add up to its total`);
    const lines = text.split('\n');
    lines.forEach((l, i) => {
      if (/^ {4}or /.test(l)) assert.match(lines[i - 1], /^( {2}\* Either| {4}or) /, `${label}: an "or" follows an "Either" or another "or"`);
    });
    assert.equal(lines.filter((l) => /^ {2}\* Either /.test(l)).length, advice.choices.slice(0, 5).filter((c) => c.options.length > 1).length, `${label}: the CLI's sets with alternatives are the card's`);
  } else assert.ok(!text.includes('What saves the most'), `${label}: no advice, no heading`);

  // The chart: each bar's segments add up to the larger of allocated and booked; one colour per meaning.
  const colours = new Map<string, string>();
  const sameColour = (legend: string, color: string) => {
    assert.equal(colours.get(legend) ?? color, color, `${label}: "${legend}" is one colour on every chart`);
    colours.set(legend, color);
  };
  for (const bar of overview.chart.bars) {
    const e = report.environments.find((x) => x.name === bar.title);
    for (const d of bar.data) sameColour(d.legend, d.color);
    if (!e) continue;
    const sum = bar.data.reduce((s, d) => s + d.value, 0);
    const length = e.payAsYouGo ? (e.allocatedPasses ?? 0) + (e.bookedAsAppPass ?? 0) : e.allocatedPasses === null ? (e.bookedAsAppPass ?? 0) : Math.max(e.allocatedPasses, e.bookedAsAppPass ?? 0);
    assert.equal(sum, length, `${label}: ${e.name}'s bar adds up`);
  }
  for (const e of report.environments) {
    const card = environmentCard(v, e).data;
    for (const s of card.gauge.segments) sameColour(s.legend, s.color);
    if (card.gauge.show) {
      assert.equal(card.gauge.segments.reduce((n, s) => n + s.size, 0), card.gauge.max, `${label}: ${e.name}'s gauge segments fill its scale`);
      assert.ok(card.gauge.subLabel.includes(`allocation ${e.allocatedPasses}`), `${label}: the gauge names the allocation`);
    }
    const items = groupFindings(e.findings, e);
    const all = card.pageActions.find((p) => /^Show all/.test(p.title));
    assert.equal(all?.title ?? null, items.length > TOP_FINDINGS ? `Show all ${items.length}` : null, `${label}: "Show all N" counts the findings`);
    assert.ok(card.findings.length <= TOP_FINDINGS);
    assertPlainWords(renderCard(environmentCard(v, e)), `${label}: ${e.name}`);
    for (const app of e.apps) assertPlainWords(renderCard(appCard(v, e, app)), `${label}: ${app.appName}`);
  }
  for (const view of [overviewCard(v), adviceCard(v), findingsCard(v, 'over', null), findingsCard(v, 'misclassified', null)]) assertPlainWords(renderCard(view), `${label}: ${view.card}`);
}

/** What a card shows before "Why we think so": every TextBlock and fact outside a hidden container. */
function visibleText(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((n) => visibleText(n, out));
  else if (node && typeof node === 'object') {
    const o = node as Record<string, unknown>;
    if (o.isVisible === false) return out;
    if (o.type === 'TextBlock' && typeof o.text === 'string') out.push(o.text);
    if (o.type === 'FactSet') for (const f of (o.facts ?? []) as { title: string; value: string }[]) out.push(f.title, f.value);
    for (const [k, v] of Object.entries(o)) if (k !== 'data' && k !== 'fallback' && typeof v === 'object') visibleText(v, out);
  }
  return out;
}

/** No finding code, API field name or GUID in what the admin reads first (they are evidence, behind the toggle). */
function assertPlainWords(card: object, label: string): void {
  const text = visibleText(card).join('\n');
  assert.doesNotMatch(text, /\b[A-Z]{3,}_[A-Z_]{3,}\b|canConsumeAppPass|appPlanClassification|usesPremiumApi|usesCustomApi|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i, label);
}

describe('card figures add up (demo, sample reports, generated tenants)', () => {
  it('on the demo tenant', () => cardFiguresAddUp(analyzeTenant(fromSnapshot(buildDemoTenant()), { fetchedAt: new Date('2026-11-29T08:00:00Z') }), 'demo'));

  it('on the sample reports of docs/samples, with an allocation', async () => {
    const samples = join(__dirname, '../../docs/samples');
    const data = applyAllocations(
      await readReportSet(['active-sep.csv', 'active-oct.csv', 'licensed.csv', 'managed-required.csv'].map((name) => ({ name, chunks: createReadStream(join(samples, name)) })), null),
      [{ environment: 'Contoso Sales (Prod)', passes: 25 }],
    );
    cardFiguresAddUp(analyzeTenant(data, { fetchedAt: new Date('2026-11-29T08:00:00Z') }), 'samples');
  });

  it('on generated tenants (property-based)', () => {
    fc.assert(
      fc.property(tenantArb, (t) => cardFiguresAddUp(analyzeTenant(fromSnapshot(t), { fetchedAt: new Date('2026-11-29T08:00:00Z') }), 'generated')),
      { numRuns: 150 },
    );
  });
});

describe("buy-before's shortfall only counts environments that can take passes", () => {
  // Developer environments cannot be given add-ons (R16) and pay-as-you-go ignores passes (R10).
  const typed = fc
    .tuple(tenantArb, fc.array(fc.constantFrom<Environment['environmentType']>('Production', 'Developer', 'Teams', 'Default', undefined), { minLength: 4, maxLength: 4 }))
    .map(([t, types]) => ({ ...t, environments: t.environments.map((e, i) => ({ ...e, environmentType: types[i] })) }));

  it('on generated tenants with developer, Teams and pay-as-you-go environments (property-based)', () => {
    fc.assert(
      fc.property(typed, (t) => {
        const tenant = analyzeTenant(fromSnapshot(t), { fetchedAt: new Date('2026-11-29T08:00:00Z') });
        const card = buyBeforeCard(tenant, 2, null).data;
        const short = tenant.report.environments
          .filter((e) => e.payAsYouGo !== true && e.environmentType !== 'Developer')
          .reduce((n, e) => n + (e.requiredPasses !== null && e.allocatedPasses !== null ? Math.max(0, e.requiredPasses - e.allocatedPasses) : 0), 0);
        assert.equal(card.facts.find((f) => f.title === 'Passes needed beyond the allocation')?.value, String(short));
        for (const e of tenant.report.environments.filter((x) => x.payAsYouGo === true || x.environmentType === 'Developer')) {
          assert.doesNotMatch(card.answer, new RegExp(`${e.name} \\d`), `${e.name} is never short of passes`);
          assert.doesNotMatch(buyBeforeCard(tenant, 2, e).data.answer, /^Yes|buy \d/, `${e.name} is never told to buy passes`);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('on the demo tenant: Field Service (Dev) gets what it needs instead, in one line', () => {
    const demo = analyzeTenant(fromSnapshot(buildDemoTenant()), { fetchedAt: new Date('2026-11-29T08:00:00Z') });
    const card = buyBeforeCard(demo, 2, null).data;
    assert.doesNotMatch(card.answer, /Field Service/);
    assert.equal(card.items.filter((i) => /^Field Service \(Dev\) is a developer environment: passes cannot be allocated there/.test(i)).length, 1);
  });
});
