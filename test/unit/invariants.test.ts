import assert from 'node:assert/strict';
import fc from 'fast-check';
import { analyzeSnapshot } from '../../src/licensing/analyze';
import type { App, BookedLicenseType, Environment, Launch, TenantSnapshot, User } from '../../src/licensing/snapshot';
import { BOOKED_LICENSE_TYPES } from '../../src/licensing/snapshot';
import { UsageLedger } from '../../src/usage/usageLedger';

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
