import assert from 'node:assert/strict';
import { botHarness, cardText, lastCard } from '../support/botHarness';
import { buildDemoTenant } from '../../src/tenant/demo/demoTenant';

/**
 * "what's our utilization?", "how many passes do we need in total?" (real bot, real reader,
 * the demo tenant) answered "I did not understand that question", and "wie ist die
 * Auslastung?" the digest's status. Naming nothing, they ask for the tenant's totals: the
 * overview. Naming an environment, they are that environment's question.
 */
describe('the tenant\'s totals and what to do first, in words the classifier misses (real bot)', () => {
  it('answers the overview', async () => {
    const h = botHarness();
    for (const question of ["what's our utilization?", 'how many passes do we need in total?', 'how full are our passes', 'wie ist die Auslastung?']) {
      assert.match(cardText(lastCard(await h.say(question))), /^Per-app passes, environment by environment\n/, question);
    }
    assert.match(cardText(lastCard(await h.say("what's the utilization in Operations?"))), /^Operations\n/);
  });

  it('answers what to do first with the advice, a ranking of things with the ranking', async () => {
    const h = botHarness();
    // "what's our biggest problem?" answered the environments by passes booked, "what is the main issue?" the digest's status.
    for (const question of ['top 3 actions', 'what are the quick wins?', 'give me the 3 most important things', 'what are my next steps', "what's our biggest problem?", 'what is the main issue?', 'was ist unser größtes Problem?', 'quel est notre plus gros problème ?']) {
      assert.match(cardText(lastCard(await h.say(question))), /^What to do before buying anything\n/, question);
    }
    assert.match(cardText(lastCard(await h.say('top 3 environments'))), /^Environments by passes booked\n/);
  });

  it('answers idle passes, asked in a few words, with where they sit', async () => {
    const h = botHarness();
    // "show me idle passes" answered "did you mean", "show idle passes" the overview, "what are idle passes?" the trend ("nothing to compare").
    for (const question of ['show me idle passes', 'show idle passes', 'what are idle passes?', 'what is idle capacity?', 'ungenutzte Pässe']) {
      const said = cardText(lastCard(await h.say(question)));
      assert.match(said, /^Where passes sit idle\n/, question);
      assert.match(said, /Operations: 28 passes idle of 40 allocated/, question);
    }
    // With a word of money, it is the cost; with a name, that environment's question.
    assert.match(cardText(lastCard(await h.say('what do idle passes cost us?'))), /^What your passes cost\n/);
    assert.match(cardText(lastCard(await h.say('idle passes in Operations'))), /^Operations\n/);
  });

  it('answers who uses more than a few apps with people by the apps they use', async () => {
    const h = botHarness();
    // "is anyone using more than 4 apps?" answered "did you mean".
    for (const question of ['is anyone using more than 4 apps?', 'does anybody use more than 3 apps?', 'wer nutzt mehr als 3 Apps?']) {
      assert.match(cardText(lastCard(await h.say(question))), /^Who uses the most apps\n[\s\S]*Omar Haddad: 5 apps/, question);
    }
  });

  it('answers which apps are premium, or need a pass, with the apps by classification, the premium ones named', async () => {
    const h = botHarness();
    // "How many premium apps do we have?" answered the overview, "which apps need a pass?" the apps with the most users.
    for (const question of ['which apps are premium?', 'How many premium apps do we have?', 'which apps need a pass?', 'Welche Apps brauchen einen Pass?']) {
      assert.match(cardText(lastCard(await h.say(question))), /^Apps booked against their classification\n[^\n]*\n[^\n]*Premium across the tenant: Benefits Admin, Budget Planner, Deal Desk and 10 more; 33 standard apps\./, question);
    }
    assert.match(cardText(lastCard(await h.say('which app has the most users?'))), /^Apps with the most users\n/);
  });

  it('answers who should get Premium with the people by the passes they need, and a move to pay-as-you-go with the advice', async () => {
    const h = botHarness();
    // They got the help card and "did you mean".
    for (const question of ['who should get premium?', 'Wer sollte Premium bekommen?', 'Qui devrait passer en premium ?']) {
      assert.match(cardText(lastCard(await h.say(question))), /^Who needs the most passes\n[\s\S]*Omar Haddad: 5 passes needed across 5 apps/, question);
    }
    for (const question of ['should we switch to pay as you go?', 'Sollen wir auf Pay-as-you-go umsteigen?', "Faut-il passer au paiement à l'utilisation ?"]) {
      assert.match(cardText(lastCard(await h.say(question))), /^What to do before buying anything\n[\s\S]*off passes to pay-as-you-go/, question);
    }
  });

  it('without the app inventory, names the premium apps only among those launched, never "no premium app"', async () => {
    const h = botHarness({ loader: async () => ({ ...buildDemoTenant(), apps: null }) });
    const said = cardText(lastCard(await h.say('which apps are premium?')));
    assert.match(said, /Premium across the tenant, among the apps launched: Benefits Admin, Budget Planner, Deal Desk and 8 more; 35 standard apps\. The others are not known: the app inventory was not read\./);
    assert.doesNotMatch(said, /No premium app/);
    assert.match(cardText(lastCard(await h.say('which apps are premium in sales prod'))), /Premium in Contoso Sales \(Prod\), among the apps launched: Deal Desk; 28 standard apps\. The others are not known/);
  });
});
