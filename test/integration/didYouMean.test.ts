import assert from 'node:assert/strict';
import { QuestionRouter } from '../../src/conversation/router';
import type { Question } from '../../src/conversation/question';
import { TenantService } from '../../src/tenant/tenantService';
import { buildDemoTenant } from '../../src/tenant/demo/demoTenant';
import { LIST_PRICES } from '../../src/licensing/prices';
import { renderCard } from '../../src/cards/render';
import { botHarness, cardActions, cardText, lastCard, ADMIN_OID } from '../support/botHarness';

/**
 * "Did you mean" buttons say and ask the names a person knows: the reader gives the
 * tenant's names as ids, and a button that showed "Are we over?" for "Are we over in
 * Contoso Sales?" asked about the whole tenant instead.
 */
describe('"did you mean" buttons carry display names (real router, real bot)', () => {
  it('titles name the environment and the app, and pressing one answers about that environment', async () => {
    const tenant = new TenantService(async () => buildDemoTenant(), { ttlMs: 60_000, prices: LIST_PRICES });
    const view = await tenant.get();
    const sales = view.report.environments.find((e) => e.name === 'Contoso Sales (Prod)')!;
    const dealDesk = sales.apps.find((a) => a.appName === 'Deal Desk')!;
    const router = new QuestionRouter({ tenant, logger: { info: () => {}, error: () => {} } });
    // What the reader gives for a sentence it cannot place but whose names it found: ids.
    const unclear: Question = {
      kind: 'unclear',
      said: 'purple elephants dancing',
      closest: [
        { kind: 'over', environment: { id: sales.id } },
        { kind: 'app', app: { environmentId: sales.id, appId: dealDesk.appId } },
      ],
    };
    const card = renderCard(await router.answer(unclear, { place: 'chat', reference: () => ({}) as never, askedBy: ADMIN_OID }));
    const titles = cardActions(card).map((b) => b.title);
    assert.deepEqual(titles, ['Are we over in Contoso Sales (Prod)?', 'Explain app Deal Desk', 'Are we over?']);

    const h = botHarness();
    for (const [title, answer] of [
      ['Are we over in Contoso Sales (Prod)?', /^Contoso Sales \(Prod\)[\s\S]*Yes, over by 3: 28 launches booked as AppPass against 25 passes/],
      ['Explain app Deal Desk', /^Deal Desk[\s\S]*Contoso Sales \(Prod\)/],
    ] as const) {
      const button = cardActions(card).find((b) => b.title === title)!;
      assert.equal(button.data.text, title, 'the button asks what it shows');
      const replies = await h.say({ type: 'invoke', name: 'adaptiveCard/action', value: { action: { type: 'Action.Execute', verb: button.verb, data: button.data }, trigger: 'manual' } });
      assert.match(cardText(lastCard(replies)), answer, title);
    }
  });

  it('a sentence is never answered about an environment one of its words starts the name of', async () => {
    const h = botHarness();
    // "a" starts "as" of "Finance (Pay-as-you-go)": matched again as a name, it answered that environment's card. It was not understood then; it is now what the passes cost, of every environment.
    const card = lastCard(await h.say('how much are we spending on passes a month?'));
    const said = cardText(card);
    assert.match(said, /^What your passes cost\n/);
    assert.doesNotMatch(said, /^What the passes of Finance/);
    assert.ok(cardActions(card).length > 0, 'it offers the next questions as buttons');
    // A name alone is still that environment's answer: names are read first (in a new chat: after the cost, it is Operations' cost, as "and HR?" is).
    assert.match(cardText(lastCard(await botHarness().say('operations'))), /^Operations\n/);
    assert.match(cardText(lastCard(await h.say('operations'))), /^What the passes of Operations cost\n/);
  });
});
