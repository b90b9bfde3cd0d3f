import assert from 'node:assert/strict';
import { botHarness, cardText, lastCard } from '../support/botHarness';

/**
 * "what's our utilization?", "how many passes do we need in total?" (real bot, real reader,
 * the demo tenant) answered "I did not understand that question", and "wie ist die
 * Auslastung?" the digest's status. Naming nothing, they ask for the tenant's totals: the
 * overview. Naming an environment, they are that environment's question.
 */
describe('the tenant\'s totals in words the classifier misses (real bot)', () => {
  it('answers the overview', async () => {
    const h = botHarness();
    for (const question of ["what's our utilization?", 'how many passes do we need in total?', 'how full are our passes', 'wie ist die Auslastung?']) {
      assert.match(cardText(lastCard(await h.say(question))), /^Per-app passes, environment by environment\n/, question);
    }
    assert.match(cardText(lastCard(await h.say("what's the utilization in Operations?"))), /^Operations\n/);
  });
});
