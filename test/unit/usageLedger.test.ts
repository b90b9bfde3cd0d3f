import assert from 'node:assert/strict';
import fc from 'fast-check';
import { BOOKED_LICENSE_TYPES, type BookedLicenseType, type Launch } from '../../src/licensing/snapshot';
import { EVIDENCE_SAMPLES, PairFlags, UsageLedger, keepLowest } from '../../src/usage/usageLedger';

/** Rows over a few users, apps, environments and months (null: a source without dates), each with a CSV line. */
const rowsArb = fc.array(
  fc.record({
    user: fc.nat({ max: 5 }),
    app: fc.nat({ max: 4 }),
    month: fc.constantFrom('2026-09', '2026-10', null),
    // AppPass most often, so that apps have more AppPass lines than the evidence keeps
    type: fc.constantFrom<BookedLicenseType>('AppPass', 'AppPass', 'AppPass', ...BOOKED_LICENSE_TYPES),
    premium: fc.option(fc.boolean(), { nil: null }),
    line: fc.nat({ max: 40 }),
  }),
  { minLength: 20, maxLength: 150, size: 'max' },
);

function launchesOf(rows: { user: number; app: number; month: string | null; type: BookedLicenseType; premium: boolean | null; line: number }[]): Launch[] {
  return rows.map((r) => ({
    userPrincipalName: `u${r.user}@contoso.com`,
    appId: `a${r.app}`,
    environmentId: `e${r.app % 2}`,
    month: r.month,
    licenseType: r.type,
    reportedPremium: r.premium,
    line: r.line || undefined,
  }));
}

function flagWords(flags: number): string {
  return `${PairFlags.bookedTypes(flags).join('+')} premium:${PairFlags.reportedPremium(flags)} standard:${PairFlags.reportedStandard(flags)}`;
}

/** The sealed ledger as plain values: per month asked, each period's pairs and AppPass evidence. */
function sealedView(ledger: UsageLedger) {
  return ['2026-09', '2026-10'].map((month) =>
    ledger
      .periodsOf(month)
      .map((p) => {
        const list = ledger.pairsOf([p]);
        const pairs: string[] = [];
        for (let i = list.start; i < list.end; i++) pairs.push(`${ledger.app(list.app[i]).id}/${ledger.user(list.user[i])}/${flagWords(list.flags[i])}`);
        const lines = [...p.appPassLines].map(([app, l]) => `${ledger.app(app).id}:${l.join(',')}`).sort();
        return { env: p.environmentKey, month: p.month, pairs: pairs.sort(), lines };
      })
      .sort((a, b) => `${a.env}${a.month}`.localeCompare(`${b.env}${b.month}`)),
  );
}

describe('usage ledger', () => {
  it('seals rows into distinct (app, user) pairs with their flags merged, and the lowest AppPass lines per app, whatever the row order (property-based)', () => {
    fc.assert(
      fc.property(rowsArb, fc.nat(), (rows, seed) => {
        const launches = launchesOf(rows);
        const ledger = new UsageLedger().addAll(launches);
        const view = sealedView(ledger);
        // The same rows in another order seal to the same pairs and evidence.
        const shuffled = launches.map((l, i) => ({ l, k: (i * 7919 + seed) % 104729 })).sort((a, b) => a.k - b.k).map((x) => x.l);
        assert.deepEqual(sealedView(new UsageLedger().addAll(shuffled)), view);
        // Against a plain computation: the pairs of a period, and the lowest lines of each app's AppPass rows.
        view.forEach((periods, m) => {
          const month = ['2026-09', '2026-10'][m];
          for (const p of periods) {
            const own = launches.filter((l) => l.month === p.month && `e${Number(l.appId.slice(1)) % 2}` === p.env);
            const merged = new Map<string, { types: Set<BookedLicenseType>; premium: boolean; standard: boolean }>();
            for (const l of own) {
              const key = `${l.appId}/${l.userPrincipalName}`;
              const f = merged.get(key) ?? { types: new Set(), premium: false, standard: false };
              if (l.licenseType) f.types.add(l.licenseType);
              f.premium ||= l.reportedPremium === true;
              f.standard ||= l.reportedPremium === false;
              merged.set(key, f);
            }
            const expected = [...merged].map(([k, f]) => `${k}/${BOOKED_LICENSE_TYPES.filter((t) => f.types.has(t)).join('+')} premium:${f.premium} standard:${f.standard}`);
            assert.deepEqual(p.pairs, expected.sort(), `pairs of ${p.env} ${p.month} asked for ${month}`);
            const lines = new Map<string, Set<number>>();
            for (const l of own) if (l.licenseType === 'AppPass' && l.line) lines.set(l.appId, (lines.get(l.appId) ?? new Set()).add(l.line));
            const lowest = [...lines].map(([app, s]) => `${app}:${[...s].sort((a, b) => a - b).slice(0, EVIDENCE_SAMPLES).join(',')}`);
            assert.deepEqual(p.lines, lowest.sort(), `AppPass lines of ${p.env} ${p.month}`);
          }
        });
      }),
      { numRuns: 300 },
    );
  });

  it('keepLowest keeps the few smallest distinct numbers, sorted, in any order of arrival (property-based)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -50, max: 50 })), fc.integer({ min: 1, max: 6 }), (values, max) => {
        const list: number[] = [];
        for (const v of values) keepLowest(list, v, max);
        assert.deepEqual(list, [...new Set(values)].sort((a, b) => a - b).slice(0, max));
      }),
    );
  });

  it('keeps each row\'s month past 256 and 65,536 distinct months (a file of garbage dates), where the month numbers outgrow a byte and two', () => {
    const months = Array.from({ length: 70_000 }, (_, i) => `${String(1000 + Math.floor(i / 12)).padStart(4, '0')}-${String((i % 12) + 1).padStart(2, '0')}`);
    const launches: Launch[] = months.map((month, i) => ({ userPrincipalName: `u${i % 3}@contoso.com`, appId: 'a1', environmentId: 'e1', month, licenseType: 'AppPass', reportedPremium: null, line: i + 2 }));
    const ledger = new UsageLedger().addAll(launches);
    assert.deepEqual(ledger.launchesOf('u1@contoso.com').map((l) => l.month), months.filter((_, i) => i % 3 === 1));
    for (const i of [0, 255, 256, 65_535, 65_536, 69_999]) {
      const [period] = ledger.periodsOf(months[i]);
      assert.equal(period.month, months[i]);
      assert.deepEqual(period.appPassLines.get(0), [i + 2], `month ${i}`);
    }
  });
});
