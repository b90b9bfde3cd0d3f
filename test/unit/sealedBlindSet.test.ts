import assert from 'node:assert/strict';
import { demoReading } from './corpus/demoReading';
import SEALED from './corpus/blind-sealed.json';
import { scoreBlindSet, type BlindEntry } from './corpus/blindScoring';

/**
 * The sealed blind set (corpus/blind-sealed.json): 200 phrasings written by a second
 * separate session, given only the list of questions PassLens answers and the demo
 * tenant's names, after the understanding was built, and never shown to anyone who
 * works on it. The first blind set (blindSet.test.ts) was looked at entry by entry while
 * the understanding was tuned; this one measures what a new admin meets. Nobody reads its
 * misses to tune the understanding: a change is judged by its figure, printed here, and
 * the figure goes in the commit message. It fails below 90%, a floor against regressions
 * (it read 93.5% when it was sealed, on 7cb09ee), not the 95% target, which it does not
 * yet reach.
 */
describe('sealed blind set (never tuned on)', function () {
  this.timeout(120_000);

  it('reads at least 90% of it right, intent and names both, and prints the figure', async () => {
    const entries = SEALED as BlindEntry[];
    assert.ok(entries.length >= 200, `${entries.length} sealed phrasings`);
    const right = await scoreBlindSet('sealed blind set', entries, await demoReading(), { showMisses: false });
    assert.ok(right >= 0.9, `sealed blind set ${(right * 100).toFixed(1)}%, below the 90% floor`);
  });
});
