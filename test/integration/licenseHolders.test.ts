import assert from 'node:assert/strict';
import { buildDemoTenant } from '../../src/tenant/demo/demoTenant';
import { botHarness, cardText, lastCard } from '../support/botHarness';

/**
 * "which users have a premium license?" (real bot, real reader, the demo tenant) answered
 * how to upload the Active users CSV; "who has Power Apps Premium?" the misclassified
 * apps. Now the people of the tenant's user list who hold a per-user license, with those
 * still booked a pass this month.
 */
describe('who holds a per-user license (real bot)', () => {
  it('names the Premium holders from the user list, in words admins use', async () => {
    const h = botHarness();
    for (const question of ['which users have a premium license?', 'who has Power Apps Premium?', 'how many premium users do we have?', 'wer hat Power Apps Premium?', 'qui a une licence premium ?', 'list users with a per-user license']) {
      const said = cardText(lastCard(await h.say(question)));
      assert.match(said, /^Who holds a per-user license\n/, question);
      assert.match(said, /2 people of the 44 in the tenant's user list hold Power Apps Premium, and 1 Dynamics 365 Enterprise, which covers apps only in its own apps' context \(R6\)\./, question);
      assert.match(said, /- Jane Doe \(jane@contoso\.com\) · 1 launch booked as AppPass this month\n- Kai Nakamura \(kai@contoso\.com\)\n/, question);
    }
    // Double licensing is this card's second list: who holds Premium and was still booked a pass. "are any users over-licensed?" answered who needs the most passes.
    for (const question of ['are any users over-licensed?', 'who is double licensed?', 'wer ist doppelt lizenziert?']) {
      assert.match(cardText(lastCard(await h.say(question))), /^Who holds a per-user license\n[\s\S]*Jane Doe \(jane@contoso\.com\) · 1 launch booked as AppPass this month/, question);
    }
    // Who should get Premium is the ranking by passes needed, not who holds it.
    assert.match(cardText(lastCard(await h.say('which users need premium?'))), /^Who needs the most passes\n/);
  });

  it('says it cannot tell without the user list, never "0 people"', async () => {
    const h = botHarness({ loader: async () => ({ ...buildDemoTenant(), users: null }) });
    const said = cardText(lastCard(await h.say('who has Power Apps Premium?')));
    assert.match(said, /Not known from this data: it has no list of the tenant's users and their licenses\./);
    assert.doesNotMatch(said, /0 people/);
  });
});
