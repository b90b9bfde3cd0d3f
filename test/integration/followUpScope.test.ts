import assert from 'node:assert/strict';
import { botHarness, cardText, lastCard } from '../support/botHarness';

/**
 * Through the real bot (botbuilder's TestAdapter, the demo tenant): the last answer,
 * typed or a button's, scopes a follow-up that leans on it, never a new question
 * (issue 21; the verifier's "who's burning the most passes" after Contoso Sales and
 * "Welche Umgebung hat ungenutzte Pässe?" after Contoso HR).
 */
describe('follow-up scope in a conversation', () => {
  const SALES = '8f3c2a10-0000-4000-9000-00000000aa01';
  const ask = async (chat: ReturnType<typeof botHarness>, said: string | { value: object }) => cardText(lastCard(await chat.say(said)));

  it('answers a complete question after a typed answer for the whole tenant, and a fragment in the last environment', async () => {
    const chat = botHarness({ conversationId: 'scope-typed' });
    assert.match(await ask(chat, 'how many passes does Contoso HR use?'), /^Contoso HR \(Managed\)/);
    const idle = await ask(chat, 'Welche Umgebung hat ungenutzte Pässe?');
    assert.match(idle, /^Where passes sit idle\n/);
    assert.match(idle, /Operations: 28 passes idle of 40 allocated/);
    assert.doesNotMatch(idle, /Contoso HR/);
    assert.match(await ask(chat, 'how many passes does Contoso Sales use?'), /^Contoso Sales \(Prod\)/);
    const burning = await ask(chat, "who's burning the most passes");
    assert.match(burning, /^Who needs the most passes\n/);
    assert.match(burning, /Omar Haddad: 5 passes needed across 5 apps/);
    assert.match(await ask(chat, 'how many passes does Contoso Sales use?'), /^Contoso Sales \(Prod\)/);
    assert.match(await ask(chat, 'why?'), /Contoso Sales \(Prod\)/);
    // Its users alone, with the passes they need there: Deal Desk, the one premium app, is Wanda Okafor's.
    const users = await ask(chat, 'show me the users');
    assert.match(users, /^Who needs the most passes in Contoso Sales \(Prod\)\n/);
    assert.match(users, /Wanda Okafor: 1 pass needed across 1 app\.\nUsers counted\n28\nTotal\n1\n/);
    assert.doesNotMatch(users, /across 0 apps|Omar Haddad/);
  });

  it('lets a button set the context for a fragment but not for a complete question', async () => {
    const chat = botHarness({ conversationId: 'scope-button' });
    const button = { value: { verb: 'environment', environmentId: SALES } };
    assert.match(await ask(chat, button), /^Contoso Sales \(Prod\)/);
    assert.match(await ask(chat, "who's burning the most passes"), /^Who needs the most passes\n/);
    await ask(chat, button);
    assert.match(await ask(chat, 'who needs the most passes there?'), /^Who needs the most passes in Contoso Sales \(Prod\)/);
    await ask(chat, button);
    assert.match(await ask(chat, 'où sont les pass inutilisés ?'), /Operations: 28 passes idle of 40 allocated/);
    await ask(chat, button);
    const apps = await ask(chat, 'quelles applis ?');
    assert.match(apps, /Contoso Sales \(Prod\)/);
    assert.doesNotMatch(apps, /Contoso HR|Operations:/);
  });

  it('a follow-up that names nothing it knows continues the last answer, never a guess the classifier barely had in mind', async () => {
    const chat = botHarness({ conversationId: 'scope-nameless' });
    assert.match(await ask(chat, 'are we over?'), /^Are we over\?/);
    // "dev" names no environment by itself (a word of the domain); the next kind after followUp scored 0.003 (user), which answered the top user's card.
    const dev = await ask(chat, 'what about dev?');
    assert.match(dev, /^Are we over\?/);
    assert.doesNotMatch(dev, /Omar Haddad/);
  });

  it('a whole question about a name after the trend is that name\'s question, and a fragment still continues the trend', async () => {
    const chat = botHarness({ conversationId: 'scope-own-question' });
    assert.match(await ask(chat, 'what changed since last month?'), /^Trend\n/);
    // Read as a follow-up with a name, it continued the last kind: the trend for Operations, "nothing to compare" with one month of data.
    const need = await ask(chat, 'do we need more passes for Operations?');
    assert.match(need, /^Operations\n/);
    assert.match(need, /Within allocation: 12 of 40 passes used, 28 idle/);
    assert.match(await ask(chat, 'what changed since last month?'), /^Trend\n/);
    assert.match(await ask(chat, 'and HR?'), /^Trend: Contoso HR \(Managed\)\n/);
  });

  it('answers who in an environment needs a pass with its people, not the environment\'s card', async () => {
    const chat = botHarness({ conversationId: 'scope-who-in' });
    // "who in HR needs a pass?" answered Contoso HR's card, which names no one.
    for (const [question, title] of [
      ['who in HR needs a pass?', 'Who needs the most passes in Contoso HR (Managed)'],
      ['wer in Operations braucht einen Pass?', 'Who needs the most passes in Operations'],
      ['who in Operations uses the most apps?', 'Who uses the most apps in Operations'],
    ]) {
      assert.ok((await ask(chat, question)).startsWith(`${title}\n`), question);
    }
    assert.match(await ask(chat, 'how many passes does HR need?'), /^Contoso HR \(Managed\)\n/);
  });

  it('a fragment after an environment\'s answer asks what to do and who is affected there', async () => {
    const chat = botHarness({ conversationId: 'scope-there' });
    assert.match(await ask(chat, 'which apps are misclassified in Operations'), /^Apps booked against their classification\nOperations · /);
    // "what should we do there?" answered the advice for every environment, "who is affected?" the help card.
    const there = await ask(chat, 'what should we do there?');
    assert.match(there, /^What to do before buying anything\n[\s\S]*taking the best option in each of 2 places\.\nMove Operations off passes to pay-as-you-go/);
    assert.match(await ask(chat, 'is Sales Prod over?'), /^Contoso Sales \(Prod\)\n/);
    assert.match(await ask(chat, 'who is affected?'), /^Who needs the most passes in Contoso Sales \(Prod\)\n/);
    assert.match(await ask(chat, 'wer ist betroffen?'), /^Who needs the most passes in Contoso Sales \(Prod\)\n/);
    // A complete question still starts afresh.
    assert.match(await ask(chat, 'what should we buy?'), /^What to do before buying anything\n[\s\S]*taking the best option in each of 5 places/);
  });
});
