import assert from 'node:assert/strict';
import { botHarness, cardText, lastCard } from '../support/botHarness';

/**
 * "assign 5 more passes to HR", "buy 10 passes" (real bot, real reader, the demo tenant):
 * PassLens only reads, yet it answered HR's card as if the passes were assigned, and "buy
 * 10 passes" with "The digest is not set up here". Now the answer says above it that
 * nothing was changed and where the admin makes the change; a question ("should we move
 * passes to Sales?") is answered as before.
 */
describe('a change asked of PassLens, which only reads (real bot)', () => {
  it('answers, with a line above that nothing was changed and where to do it', async () => {
    const h = botHarness();
    for (const [question, line, card] of [
      ['assign 5 more passes to HR', 'I only read your tenant, so nothing was changed. Allocate or move passes in the Power Platform admin center: Licensing > Power Apps > Summary, "Manage capacity" under Per app licenses.', 'Contoso HR (Managed)'],
      ['please remove 3 passes from Operations', 'I only read your tenant, so nothing was changed. Allocate or move passes', 'Operations'],
      ['kannst du 5 Pässe nach HR verschieben', 'I only read your tenant, so nothing was changed. Allocate or move passes', 'What to do before buying anything'],
      ['turn off per-app licensing for Timesheet', 'I only read your tenant, so nothing was changed. Switch an app\'s "Per-app licensing" in Power Apps: open the app > Settings.', 'Timesheet'],
      ['buy 10 passes', 'I only read your tenant, so nothing was bought. Per-app passes are bought from your Microsoft sales channel or the Microsoft 365 admin center, where your channel still sells them (R13).', 'What to do before buying anything'],
    ]) {
      const said = cardText(lastCard(await h.say(question)));
      assert.ok(said.startsWith(line), `${question}: ${said.slice(0, 200)}`);
      assert.match(said.split('\n')[1], new RegExp(`^${card.replace(/[()]/g, '\\$&')}`), question);
    }
  });

  it('says nothing of the kind to a question', async () => {
    const h = botHarness();
    for (const question of ['should we move passes to Sales?', 'how many passes should Contoso HR have?', 'sollen wir Pässe verschieben?', 'which environment wastes the most passes']) {
      assert.doesNotMatch(cardText(lastCard(await h.say(question))), /I only read your tenant/, question);
    }
    // A question about a change, with no file in it, is about HR (whose card says not to switch it off there), never the findings file.
    assert.match(cardText(lastCard(await h.say('is it safe to turn off per app licensing in HR?'))), /^Contoso HR \(Managed\)\n[\s\S]*Do not switch "Per-app licensing" off here/);
    // Supposed, the change is the setting's question: the apps it is on for, not "did you mean Unsubscribe", and no line that nothing was changed.
    for (const question of ['what if we turn off per-app licensing everywhere?', 'what happens if we switch off per-app licensing?', 'what if we disable auto-assign?']) {
      const said = cardText(lastCard(await h.say(question)));
      assert.match(said, /^Apps booked against their classification\n/, question);
      assert.doesNotMatch(said, /I only read your tenant/, question);
    }
  });
});
