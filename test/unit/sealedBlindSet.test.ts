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
 * the figure goes in the commit message. It read 93.5% when it was sealed (on 7cb09ee);
 * after the work judged on the development set (blindDevSet.test.ts) it reads 95.5%, so it
 * fails below 95%, the target of issue 21. A change to the understanding moves it by a
 * phrasing or two either way (the classifier is retrained on the whole corpus): state it
 * in the commit message, and judge a change on all three blind figures, not on this one.
 */
describe('sealed blind set (never tuned on)', function () {
  this.timeout(120_000);

  it('reads at least 95% of it right, intent and names both, and prints the figure', async () => {
    const entries = SEALED as BlindEntry[];
    assert.ok(entries.length >= 200, `${entries.length} sealed phrasings`);
    const right = await scoreBlindSet('sealed blind set', entries, await demoReading(), { showMisses: false });
    assert.ok(right >= 0.95, `sealed blind set ${(right * 100).toFixed(1)}%, below 95%`);
  });
});
