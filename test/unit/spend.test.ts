import assert from 'node:assert/strict';
import { analyzeTenant, type AnalyzedTenant } from '../../src/tenant/analyzedTenant';
import { fromSnapshot } from '../../src/tenant/tenantData';
import { buildDemoTenant } from '../../src/tenant/demo/demoTenant';
import { passSpend, MONTHS_A_YEAR } from '../../src/licensing/spend';
import { spendCard } from '../../src/conversation/spendCard';
import { LIST_PRICES } from '../../src/licensing/prices';
import type { Prices } from '../../src/licensing/report';
import type { TenantSnapshot } from '../../src/licensing/snapshot';
import { TenantBuilder } from '../support/tenantBuilder';

/**
 * What the passes cost (licensing/spend.ts) over the demo tenant, the same with no usage
 * read, with an allocation not known, and at a configured price: the rows add up to the
 * totals, a total is unknown when a row is, what is not needed is never more than the cost
 * and never counted otherwise than the analysis's need (requiredPasses).
 */
function viewOf(snapshot: TenantSnapshot, prices: Prices = LIST_PRICES): AnalyzedTenant {
  return analyzeTenant(fromSnapshot(snapshot), { fetchedAt: new Date('2026-11-29T08:00:00Z'), prices });
}

const demo = buildDemoTenant();
const TENANTS: [string, AnalyzedTenant][] = [
  ['demo', viewOf(demo)],
  ['demo, usage unknown', viewOf({ ...demo, launches: [], usageUnknown: 'the usage API answered 403 (Forbidden)' })],
  ['demo, an allocation unknown', viewOf({ ...demo, environments: demo.environments.map((e, i) => (i === 0 ? { ...e, allocatedPasses: null } : e)) })],
  ['demo at $4.50 a pass', viewOf(demo, { ...LIST_PRICES, perAppPass: 4.5 })],
  ['one environment over by need', viewOf(new TenantBuilder().env('Sales', { allocatedPasses: 1 }).app('Deal Desk', 'Sales', { premium: true, canConsumeAppPass: true }).launch('a@contoso.com', 'Deal Desk', 'AppPass').launch('b@contoso.com', 'Deal Desk', 'AppPass').build())],
];

describe('what the passes cost (licensing/spend.ts)', () => {
  for (const [name, tenant] of TENANTS) {
    it(`${name}: rows add up to the totals, unknown stays unknown, not needed never exceeds the cost`, () => {
      const { environments, advice } = tenant.report;
      const spend = passSpend(environments, advice.prices);
      const sum = (pick: (r: (typeof spend.environments)[number]) => number | null) => (spend.environments.some((r) => pick(r) === null) ? null : spend.environments.reduce((n, r) => n + pick(r)!, 0));
      assert.equal(spend.perMonth, sum((r) => r.perMonth));
      assert.equal(spend.notNeededPerMonth, sum((r) => r.notNeededPerMonth));
      assert.equal(spend.needed, sum((r) => r.needed));
      for (const r of spend.environments) {
        const e = environments.find((x) => x.id === r.environmentId)!;
        assert.equal(r.allocated, e.allocatedPasses, r.environmentName);
        assert.equal(r.perMonth, e.allocatedPasses === null ? null : e.allocatedPasses * advice.prices.perAppPass, r.environmentName);
        if (r.notNeededPerMonth !== null) assert.ok(r.notNeededPerMonth <= r.perMonth!, r.environmentName);
        // The need is the analysis's: none of a pay-as-you-go environment's passes (R10), else requiredPasses within the allocation.
        if (e.allocatedPasses && !e.payAsYouGo) assert.equal(r.needed, e.requiredPasses === null ? null : Math.min(e.requiredPasses, e.allocatedPasses), r.environmentName);
        if (e.payAsYouGo && e.allocatedPasses !== null) assert.equal(r.notNeeded, e.allocatedPasses, r.environmentName);
      }
      const card = spendCard(tenant, null).data;
      const year = card.totals.perYear;
      assert.equal(year, spend.perMonth === null ? 'not known yet' : `$${(spend.perMonth * MONTHS_A_YEAR).toLocaleString('en-US', { maximumFractionDigits: 2, minimumFractionDigits: Number.isInteger(spend.perMonth * MONTHS_A_YEAR) ? 0 : 2 })}`);
      if (spend.notNeededPerMonth === null) assert.equal(card.totals.saving, 'not known yet');
      assert.doesNotMatch(JSON.stringify(card), /unknown needed|at (least|most) unknown|\$NaN|null/);
    });
  }

  it('says "at list price" at Microsoft\'s list price, and names a configured price as configured', () => {
    assert.match(spendCard(TENANTS[0][1], null).data.answer, /82 passes cost \$410 a month, \$4,920 a year, at list price\./);
    const configured = spendCard(TENANTS[3][1], null).data;
    assert.match(configured.answer, /82 passes cost \$369 a month, \$4,428 a year, at the price PassLens was given\./);
    assert.ok(configured.notes.some((n) => n.startsWith('$4.50 per pass (one user, one app) per month: the price PassLens was given (PASSLENS_PRICE_PER_APP)')));
  });

  it('an allocation not known: the total is not known yet, with where to read it; the other rows still show', () => {
    const card = spendCard(TENANTS[2][1], null).data;
    assert.equal(card.totals.perMonth, 'not known yet');
    assert.match(card.answer, /What your passes cost is not known yet: the allocation of Contoso Sales \(Prod\) is not known\. The other 57 passes cost \$285 a month\./);
    assert.ok(card.unknowns.some((u) => u.includes('admin center > Licensing > Power Apps > Manage capacity')));
    assert.equal(card.environments.length, 5);
  });

  it('a month read in part: what is needed is "at least", what is not needed "at most", with the days not read', () => {
    // The demo's analysis as a month read in part says it (EnvironmentReport.launchesComplete, LicensingReport.launchesIncomplete): figures.ts makes the need a lower bound.
    const whole = TENANTS[0][1];
    const report = { ...whole.report, launchesIncomplete: '26 of 30 days of 2026-11 not read: the Office 365 feed keeps 7 days', environments: whole.report.environments.map((e) => ({ ...e, launchesComplete: false as const })) };
    const card = spendCard({ ...whole, report }, null).data;
    assert.match(card.answer, /\. At most \$295 a month of it \(59 passes\) pays for passes this month's launches do not need by the rules\./);
    assert.equal(card.totals.savingLabel, 'Not needed by the rules, per month, at most');
    assert.equal(card.facts[1].value, 'at least 23 passes ($115/month)');
    assert.ok(card.environments.find((r) => r.name === 'Operations')!.figures.startsWith('40 passes · at least 12 needed · at most 28 not needed, $140/month'));
    assert.ok(card.unknowns.includes('26 of 30 days of 2026-11 not read: the passes needed are at least those shown, so what is not needed is at most.'));
  });

  it('launches needing more passes than allocated: what buying them costs, where the channel still sells them (R13)', () => {
    const card = spendCard(TENANTS[4][1], null).data;
    assert.ok(card.notes.some((n) => /^Sales needs 1 pass more than allocated: \$5\/month at list price, where your channel still sells them .*R13/.test(n)), card.notes.join('\n'));
  });
});
