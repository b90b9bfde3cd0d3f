import assert from 'node:assert/strict';
import { botHarness, cardActions, cardText, lastCard } from '../support/botHarness';

/**
 * A name typed where an environment's goes that the demo tenant lacks ("is Marketing
 * over?") was answered for the whole tenant without a word, and the admin took it for
 * Marketing's answer. The answer for all environments stays; a line above it now says
 * there is no such environment, with the closest real ones as buttons. A word that is no
 * name is never said to be one (issue 21): the negatives below get no such line.
 */
describe('a name the tenant has no environment for (real bot, demo tenant)', () => {
  const clock = () => new Date('2026-12-04T10:00:00Z');
  const press = (button: { verb?: string; data: Record<string, unknown> }) => ({ type: 'invoke', name: 'adaptiveCard/action', value: { action: { type: 'Action.Execute', verb: button.verb, data: button.data }, trigger: 'manual' } });

  it('says above the answer for all environments that there is no such environment', async () => {
    for (const [question, answer] of [
      ['is Marketing over?', /\nAre we over\?\n/],
      ['how many passes does Marketing use', /\nPer-app passes, environment by environment\n/],
      ['is the Marketing environment over?', /\nAre we over\?\n/],
      ['which apps are misclassified in Marketing?', /\nApps booked against their classification\n/],
    ] as const) {
      const card = lastCard(await botHarness({ clock }).say(question));
      const said = cardText(card);
      assert.match(said, /^There is no environment called "Marketing" in this tenant: this is the answer for all environments\.\n/, question);
      assert.match(said, answer, question);
      assert.doesNotMatch(said, /Did you mean/, `${question}: no environment is close to "Marketing"`);
      // The list of environments, unless the answer is that list.
      assert.equal(cardActions(card).some((b) => b.title === 'All environments'), !answer.source.includes('Per-app passes'), question);
    }
  });

  it('a name of the tenant with more typed to it is not that name: "Finance EU" offers Finance, whose button answers for it', async () => {
    const h = botHarness({ clock });
    const card = lastCard(await h.say('what about Finance EU?'));
    assert.match(cardText(card), /^There is no environment called "Finance EU" in this tenant: this is the answer for all environments\. Did you mean this one\?\n/);
    assert.doesNotMatch(cardText(card), /\nFinance \(Pay-as-you-go\)\nContoso \(demo\)/, 'not Finance\'s own card');
    const finance = cardActions(card).find((b) => b.title === 'Finance (Pay-as-you-go)');
    assert.ok(finance, 'the closest environment as a button');
    assert.match(cardText(lastCard(await h.say(press(finance)))), /^Finance \(Pay-as-you-go\)\n/);
  });

  it('a follow-up naming an unknown environment asks the last question of all environments, not of the last one', async () => {
    const h = botHarness({ clock });
    assert.match(cardText(lastCard(await h.say('is Sales Prod over?'))), /^Contoso Sales \(Prod\)\n/);
    const said = cardText(lastCard(await h.say('what about Marketing?')));
    assert.match(said, /^There is no environment called "Marketing" in this tenant[\s\S]*\nAre we over\?\n/);
  });

  it('no such line where the sentence names no environment: words, German nouns, products, sentence starts, the tenant\'s own names', async () => {
    for (const question of [
      // The README's quote and the "Why" phrasings.
      '25 per-app passes are allocated, yet the Active users report shows 28 apps under AppPass, and only one of them is premium. Are we over?',
      'We have 25 per app passes on Contoso Sales but the licensing report shows 28 apps under AppPass and only one of them is premium. How is that possible?',
      'is contoso sales prod over on its app passes?',
      'which of our environments is wasting passes',
      'where do we have unused passes',
      'what does the guy with most apps consume',
      'send me this as an excel file',
      // German nouns have capitals; French.
      'Sind wir über unserem Limit?',
      'Welche Apps in Contoso Sales sind falsch gebucht?',
      'Wie viele Pässe nutzt die Umgebung Operations?',
      'Brauchen wir vor Februar mehr Pässe?',
      "Est-ce qu'on dépasse dans Contoso HR ?",
      'Combien de passes utilise Operations ?',
      // Products, months, days, the domain's words, a capital that starts a sentence.
      'do we need a pass for SharePoint?',
      'are we over in Power Apps?',
      'are we over in November?',
      'Are we over? Thanks',
      'Is HR over?',
      'How many passes does Operations use',
      'is the default environment over?',
      'what does Omar use',
    ]) {
      const said = cardText(lastCard(await botHarness({ clock }).say(question)));
      assert.doesNotMatch(said, /no environment called|know an environment called/, question);
    }
  });
});
