import assert from 'node:assert/strict';
import { RULES, confidenceWords } from '../../src/licensing/rules';
import { botHarness, cardActions, cardText, lastCard } from '../support/botHarness';

/**
 * Every finding and fix names its rule ("R9, D (default on) / F (booking, API field)"):
 * "what's R9?" (real bot, real reader) gets the rule as licensing.md states it, with its
 * confidence and source, instead of "I did not understand that question".
 */
describe('a rule asked by its number (real bot)', () => {
  it('answers "what\'s R9?", "explain R13?", "was bedeutet R8" and "R5?" with the rule, its confidence and its source', async () => {
    const h = botHarness();
    for (const [said, id] of [["what's R9?", 'R9'], ['explain R13?', 'R13'], ['was bedeutet R8', 'R8'], ['R5?', 'R5']] as const) {
      const card = lastCard(await h.say(said));
      const text = cardText(card);
      const rule = RULES[id];
      assert.ok(text.startsWith(`${id}: ${rule.title}\n`), `${said} -> ${text.slice(0, 120)}`);
      assert.ok(text.includes(confidenceWords(rule.confidence)), said);
      assert.ok(text.includes('Source'), said);
      assert.deepEqual(cardActions(card).map((b) => b.title), ['Are we over?'], said);
    }
  });

  it('a number that is no rule, or a question that cites one, is read as before', async () => {
    const h = botHarness();
    assert.match(cardText(lastCard(await h.say('what is R99'))), /^I did not understand that question/);
    assert.match(cardText(lastCard(await h.say('why are standard apps booked as AppPass in contoso sales (R9)'))), /^Contoso Sales \(Prod\)/);
  });
});
