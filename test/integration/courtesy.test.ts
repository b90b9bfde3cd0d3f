import assert from 'node:assert/strict';
import { botHarness, cardActions, cardText, lastCard } from '../support/botHarness';

/**
 * "thanks!" after an answer (real bot, real reader): a short reply, not "I did not
 * understand that question" with three guesses, and the answer before it stays the one
 * a follow-up continues.
 */
describe('thanks and acknowledgements (real bot)', () => {
  it('answers "thanks!" with a short reply and keeps the last answer for "and HR?"', async () => {
    const h = botHarness();
    assert.match(cardText(lastCard(await h.say('how many passes does Sales Prod use'))), /^Contoso Sales \(Prod\)/);
    for (const said of ['thanks!', 'Ok, got it.', 'merci beaucoup', 'Danke schön', '\u{1F44D}', '\u{1F64F}\u{1F3FD}']) {
      const card = lastCard(await h.say(said));
      assert.match(cardText(card), /^You're welcome/, said);
      assert.deepEqual(cardActions(card).map((b) => b.title), ['Are we over?', 'Overview', 'What should we buy?'], said);
    }
    assert.match(cardText(lastCard(await h.say('and HR?'))), /^Contoso HR \(Managed\)/);
  });

  it('reads a thanks that asks something as the question', async () => {
    const h = botHarness();
    assert.match(cardText(lastCard(await h.say('thanks, and is Operations over?'))), /^Operations/);
    assert.match(cardText(lastCard(await h.say('ok so what should we buy'))), /^What to do before buying anything/);
    // Punctuation or another emoji alone is no thanks: "did you mean".
    for (const said of ['?', '\u{1F914}']) assert.match(cardText(lastCard(await h.say(said))), /^I did not understand that question/, said);
  });
});
