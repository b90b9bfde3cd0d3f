import assert from 'node:assert/strict';
import { cheaperPerUser, passNeed, premiumRule, type PassNeed, type PassNeedFacts } from '../../src/licensing/passNeed';
import { LIST_PRICES } from '../../src/licensing/prices';

type Tri = boolean | null;
const ANY = Symbol('any');
type Cell<T> = T | typeof ANY;

/**
 * Every combination of the facts, against a table written from shared/design/licensing.md:
 * each row is one rule, ANY where the rule does not look. Each combination must match
 * exactly one row, so the table itself is checked for gaps and overlaps.
 */
const TABLE: [Cell<boolean>, Cell<Tri>, Cell<Tri>, Cell<Tri>, Cell<'R7' | 'R12' | 'R20'>, PassNeed, string][] = [
  // covered, payAsYouGo, managed, premium, premiumRule -> answer
  [ANY, true, ANY, ANY, ANY, { need: 'no', rule: 'R10' }, 'pay-as-you-go ignores passes'],
  [true, false, ANY, ANY, ANY, { need: 'no', rule: 'R6' }, 'a per-user license covers every app'],
  [true, null, ANY, ANY, ANY, { need: 'no', rule: 'R6' }, 'a per-user license covers every app (PAYG unknown)'],
  [false, false, ANY, true, 'R7', { need: 'yes', rule: 'R7' }, 'a premium canvas app'],
  [false, null, ANY, true, 'R7', { need: 'yes', rule: 'R7' }, 'a premium canvas app (PAYG unknown: treated as not)'],
  [false, false, ANY, true, 'R12', { need: 'yes', rule: 'R12' }, 'a model-driven app'],
  [false, null, ANY, true, 'R12', { need: 'yes', rule: 'R12' }, 'a model-driven app (PAYG unknown)'],
  [false, false, ANY, true, 'R20', { need: 'yes', rule: 'R20' }, 'a code app'],
  [false, null, ANY, true, 'R20', { need: 'yes', rule: 'R20' }, 'a code app (PAYG unknown)'],
  [false, false, true, false, ANY, { need: 'yes', rule: 'R8' }, 'a standard app in a Managed Environment'],
  [false, null, true, false, ANY, { need: 'yes', rule: 'R8' }, 'a standard app in a Managed Environment (PAYG unknown)'],
  [false, false, true, null, ANY, { need: 'yes', rule: 'R8' }, 'an unclassified app in a Managed Environment'],
  [false, null, true, null, ANY, { need: 'yes', rule: 'R8' }, 'an unclassified app in a Managed Environment (PAYG unknown)'],
  [false, false, false, false, ANY, { need: 'no', rule: 'R7' }, 'a standard app outside a Managed Environment'],
  [false, null, false, false, ANY, { need: 'no', rule: 'R7' }, 'a standard app outside a Managed Environment (PAYG unknown)'],
  [false, false, null, false, ANY, { need: 'unknown', missing: 'managed', rule: 'R8' }, 'a standard app where Managed is unknown'],
  [false, null, null, false, ANY, { need: 'unknown', missing: 'managed', rule: 'R8' }, 'a standard app where Managed and PAYG are unknown'],
  [false, false, false, null, 'R7', { need: 'unknown', missing: 'premium', rule: 'R7' }, 'an unclassified canvas app outside a Managed Environment'],
  [false, null, false, null, 'R7', { need: 'unknown', missing: 'premium', rule: 'R7' }, 'an unclassified canvas app (PAYG unknown)'],
  [false, false, null, null, 'R7', { need: 'unknown', missing: 'premium', rule: 'R7' }, 'an unclassified canvas app where Managed is unknown'],
  [false, null, null, null, 'R7', { need: 'unknown', missing: 'premium', rule: 'R7' }, 'an unclassified canvas app, Managed and PAYG unknown'],
  [false, false, false, null, 'R12', { need: 'unknown', missing: 'premium', rule: 'R12' }, 'an unclassified model-driven app outside a Managed Environment'],
  [false, null, false, null, 'R12', { need: 'unknown', missing: 'premium', rule: 'R12' }, 'an unclassified model-driven app (PAYG unknown)'],
  [false, false, null, null, 'R12', { need: 'unknown', missing: 'premium', rule: 'R12' }, 'an unclassified model-driven app where Managed is unknown'],
  [false, null, null, null, 'R12', { need: 'unknown', missing: 'premium', rule: 'R12' }, 'an unclassified model-driven app, Managed and PAYG unknown'],
  [false, false, false, null, 'R20', { need: 'unknown', missing: 'premium', rule: 'R20' }, 'an unclassified code app outside a Managed Environment'],
  [false, null, false, null, 'R20', { need: 'unknown', missing: 'premium', rule: 'R20' }, 'an unclassified code app (PAYG unknown)'],
  [false, false, null, null, 'R20', { need: 'unknown', missing: 'premium', rule: 'R20' }, 'an unclassified code app where Managed is unknown'],
  [false, null, null, null, 'R20', { need: 'unknown', missing: 'premium', rule: 'R20' }, 'an unclassified code app, Managed and PAYG unknown'],
];

const matches = <T>(cell: Cell<T>, value: T) => cell === ANY || cell === value;

describe('passNeed (R6, R7, R8, R10, R12)', () => {
  const combinations: PassNeedFacts[] = [];
  for (const coveredPerUser of [true, false])
    for (const payAsYouGo of [true, false, null])
      for (const managed of [true, false, null])
        for (const premium of [true, false, null])
          for (const premiumRule of ['R7', 'R12', 'R20'] as const) combinations.push({ coveredPerUser, payAsYouGo, managed, premium, premiumRule });

  it(`answers each of the ${combinations.length} combinations as the one table row that covers it says`, () => {
    for (const facts of combinations) {
      const rows = TABLE.filter(([c, p, m, pr, md]) => matches(c, facts.coveredPerUser) && matches(p, facts.payAsYouGo) && matches(m, facts.managed) && matches(pr, facts.premium) && matches(md, facts.premiumRule));
      assert.equal(rows.length, 1, `${JSON.stringify(facts)} matches ${rows.length} rows of the table`);
      assert.deepEqual({ ...passNeed(facts) }, rows[0][5], `${JSON.stringify(facts)}: ${rows[0][6]}`);
    }
  });

  it('never answers "no" when the answer depends on a missing fact', () => {
    for (const facts of combinations) {
      const answer = passNeed(facts);
      const flips = [{ ...facts, managed: true }, { ...facts, managed: false }, { ...facts, premium: true }, { ...facts, premium: false }].filter(
        (f) => (facts.managed === null && f.managed !== null && f.premium === facts.premium) || (facts.premium === null && f.premium !== null && f.managed === facts.managed),
      );
      const outcomes = new Set(flips.map((f) => passNeed(f).need));
      if (outcomes.has('yes') && outcomes.has('no')) assert.equal(answer.need, 'unknown', JSON.stringify(facts));
    }
  });

  it('premium rests on R12 for model-driven apps, R20 for code apps and R7 for canvas apps', () => {
    assert.equal(premiumRule({ type: 'model-driven' }), 'R12');
    assert.equal(premiumRule({ type: 'code' }), 'R20');
    assert.equal(premiumRule({ type: 'canvas' }), 'R7');
    assert.equal(premiumRule(undefined), 'R7');
  });
});

describe('cheaperPerUser (R14)', () => {
  it('is true above four passes at list prices ($5 per pass, $20 per user), not at four', () => {
    assert.deepEqual([0, 1, 4, 5, 9].map((n) => cheaperPerUser(n, LIST_PRICES)), [false, false, false, true, true]);
    assert.equal(cheaperPerUser(3, { perAppPass: 10, perUserPremium: 20 }), true);
    assert.equal(cheaperPerUser(2, { perAppPass: 10, perUserPremium: 20 }), false);
  });
});
