import assert from 'node:assert/strict';
import { buildDemoTenant } from '../../src/tenant/demo/demoTenant';
import type { TenantSnapshot } from '../../src/licensing/snapshot';
import { botHarness, cardActions, cardText, lastCard } from '../support/botHarness';

/**
 * "show me apps nobody used", "welche Apps nutzt niemand?" (real bot, real reader): the
 * first answered "Apps with the most users", the second the misclassified apps, and
 * "which app has the most users" answered who uses the most apps. Now the apps of the
 * inventory nobody launched in the month are listed, and the most used apps are apps.
 */
describe('apps nobody launched (real bot)', () => {
  // The demo tenant with two apps nobody launched: one in Contoso Sales with "Per-app licensing" on, one in Operations.
  const withQuietApps = (): TenantSnapshot => {
    const demo = buildDemoTenant();
    const sales = demo.environments.find((e) => e.name === 'Contoso Sales (Prod)')!;
    const operations = demo.environments.find((e) => e.name === 'Operations')!;
    const like = demo.apps!.find((a) => a.environmentId === sales.id)!;
    return {
      ...demo,
      apps: [...demo.apps!, { ...like, id: 'quiet-1', name: 'Old Survey', environmentId: sales.id, canConsumeAppPass: true }, { ...like, id: 'quiet-2', name: 'Archived Timesheet', environmentId: operations.id, canConsumeAppPass: false }],
    };
  };

  it('lists the apps of the inventory that nobody launched, in words admins use', async () => {
    const h = botHarness({ loader: async () => withQuietApps() });
    for (const question of ['show me apps nobody used', 'which apps have no users', 'unused apps', 'welche Apps nutzt niemand?', "quelles applis personne n'utilise ?"]) {
      const said = cardText(lastCard(await h.say(question)));
      assert.match(said, /^Apps nobody launched\n/, question);
      assert.match(said, /2 apps of the \d+ in the inventory had no launch in November 2026\./, question);
      assert.match(said, /- Archived Timesheet \(Operations\)\n- Old Survey \(Contoso Sales \(Prod\)\) · "Per-app licensing" on\n/, question);
    }
    const sales = cardText(lastCard(await h.say('which apps in Sales Prod has nobody opened?')));
    assert.match(sales, /^Apps nobody launched in Contoso Sales \(Prod\)\n[\s\S]*1 app of the \d+ in the inventory in Contoso Sales \(Prod\) had no launch/);
    assert.match(sales, /- Old Survey · "Per-app licensing" on/);
  });

  it('says every app was launched when so, and its button ranks the apps by users', async () => {
    const h = botHarness();
    const card = lastCard(await h.say('show me apps nobody used'));
    assert.match(cardText(card), /Every app in the inventory \(\d+\) was launched in November 2026\./);
    const most = cardActions(card).find((b) => b.title === 'Apps with the most users')!;
    const replies = await h.say({ type: 'invoke', name: 'adaptiveCard/action', value: { action: { type: 'Action.Execute', verb: most.verb, data: most.data }, trigger: 'manual' } });
    assert.match(cardText(lastCard(replies)), /^Apps with the most users\n/);
    assert.match(cardText(lastCard(await h.say('which app has the most users'))), /^Apps with the most users\n/);
  });

  it('says it cannot tell without the app inventory, never "every app was launched"', async () => {
    const h = botHarness({ loader: async () => ({ ...buildDemoTenant(), apps: null }) });
    const said = cardText(lastCard(await h.say('show me apps nobody used')));
    assert.match(said, /Not known from this data: it names the apps someone launched in November 2026, not the others\./);
    assert.doesNotMatch(said, /Every app/);
  });
});
