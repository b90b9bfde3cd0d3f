import assert from 'node:assert/strict';
import { RULES, confidenceWords } from '../../src/licensing/rules';
import { botHarness, cardActions, cardText, lastCard } from '../support/botHarness';

/**
 * Every finding and fix names its rule ("R9, D (default on) / F (booking, API field)"):
 * "what's R9?" (real bot, real reader) gets the rule as licensing.md states it, with its
 * confidence and its sources as links an admin can open, instead of "I did not understand
 * that question".
 */
describe('a rule asked by its number (real bot)', () => {
  it('answers "what\'s R9?", "explain R13?", "was bedeutet R8" and "R5?" with the rule, its confidence and its sources as links', async () => {
    const h = botHarness();
    for (const [said, id] of [["what's R9?", 'R9'], ['explain R13?', 'R13'], ['was bedeutet R8', 'R8'], ['R5?', 'R5']] as const) {
      const card = lastCard(await h.say(said));
      const text = cardText(card);
      const rule = RULES[id];
      assert.ok(text.startsWith(`${id}: ${rule.title}\n`), `${said} -> ${text.slice(0, 120)}`);
      assert.ok(text.includes(confidenceWords(rule.confidence)), said);
      // Each source as its page's title linked to its address, Microsoft's first; a report with no page in words.
      const ordered = [...rule.sources.filter((s) => s.kind === 'microsoft'), ...rule.sources.filter((s) => s.kind === 'field')];
      const shown = [...text.matchAll(/\[([^\]]+)\]\((https:[^)\s]+)\)/g)].map((m) => [m[1], m[2]]);
      assert.deepEqual(shown, ordered.filter((s) => s.url).map((s) => [s.title, s.url]), said);
      for (const s of ordered.filter((x) => !x.url)) assert.ok(text.includes(s.title), `${said}: ${s.title}`);
      assert.doesNotMatch(text, /\.md\b|\(\d{4}-\d{2}-\d{2}/, `${said}: no file names or bare dates of our notes`);
      assert.deepEqual(cardActions(card).map((b) => b.title), ['Are we over?'], said);
    }
  });

  it('"what\'s R9?" shows the per-app page, the forum thread and the admin API examples as an admin can open them', async () => {
    const text = cardText(lastCard(await botHarness().say("what's R9?")));
    assert.match(text, /^Microsoft's pages\n\[About Power Apps per app plans\]\(https:\/\/learn\.microsoft\.com\/power-platform\/admin\/about-powerapps-perapp\)$/m);
    assert.match(text, /^Field reports\n\[How to restrict "Power App Per App Plan" pass assginment to specific premium apps in an environment\]\(https:\/\/community\.powerplatform\.com\/forums\/thread\/details\/\?threadid=07d203ef-c958-45cd-b8a8-de3d2e3b14e1\) \(an admin's tests, Power Platform community forum\)$/m);
    assert.match(text, /^app records of the Power Apps admin API, in public examples$/m);
    assert.doesNotMatch(text, /07d203ef\b(?!-)|payloads|about-powerapps-perapp\.md/);
  });

  it('"what\'s R11?", the rule nobody has documented, says there is no source', async () => {
    const text = cardText(lastCard(await botHarness().say("what's R11?")));
    assert.match(text, /^Sources\nnone: nobody has documented this$/m);
    assert.doesNotMatch(text, /\]\(https:/);
  });

  it('a number that is no rule, or a question that cites one, is read as before', async () => {
    const h = botHarness();
    assert.match(cardText(lastCard(await h.say('what is R99'))), /^I did not understand that question/);
    assert.match(cardText(lastCard(await h.say('why are standard apps booked as AppPass in contoso sales (R9)'))), /^Contoso Sales \(Prod\)/);
  });
});
