import assert from 'node:assert/strict';
import { buildDemoTenant } from '../../src/tenant/demo/demoTenant';
import type { TenantSnapshot } from '../../src/licensing/snapshot';
import { botHarness, cardActions, cardText, lastCard } from '../support/botHarness';

/**
 * "is the data up to date?" (real bot, real reader, the demo tenant): it answered "The
 * digest is not set up here"; "how fresh is this data" the overview, which says when only
 * in its subtitle. Now it says when the tenant was read, for which month, what could not
 * be read, and when it is read again, with a button that reads it now.
 */
describe('how fresh the figures are (real bot)', () => {
  // The chat's clock five minutes after the tenant was read (the harness reads it with the real clock, and keeps it 60 s).
  const clock = () => new Date(Date.now() + 5 * 60_000);

  it('says when the tenant was read, the month, and when it is read again; its button reads it now', async () => {
    const h = botHarness({ clock });
    const card = lastCard(await h.say('is the data up to date?'));
    const said = cardText(card);
    assert.match(said, /^How fresh the figures are\n/);
    assert.match(said, /Read (5|6) minutes ago; the figures are for November 2026, the latest month in the data\.\nRead at\n\d{4}-\d\d-\d\d \d\d:\d\d UTC \((5|6) minutes ago\)\n/);
    assert.match(said, /Launches\nread for all of November 2026/);
    assert.match(said, /Read again\nwhen a question comes once the figures are over 1 minute old/);
    const readNow = cardActions(card).find((b) => b.title === 'Read again now');
    assert.ok(readNow);
    // The button reads the tenant again and answers with the overview.
    const replies = await h.say({ type: 'invoke', name: 'adaptiveCard/action', value: { action: { type: 'Action.Execute', verb: readNow.verb, data: readNow.data }, trigger: 'manual' } });
    const fresh = cardText(lastCard(replies));
    assert.match(fresh, /^Per-app passes, environment by environment\n/);
    assert.match(fresh, /data from \S+ \S+ UTC/);
    assert.ok(cardActions(card).some((b) => b.title === 'Overview'));
  });

  it('is asked in the ways admins ask it, in English, German and French; a request to read again is the refresh', async () => {
    const h = botHarness({ clock });
    for (const question of ['how fresh is this data', 'when did you last read the tenant?', 'is this real time', 'how often do you refresh?', 'how often do you check?', 'sind die Zahlen aktuell?', 'von wann sind die Daten?', 'les données sont-elles à jour ?', 'de quand datent ces chiffres ?', 'wie oft aktualisierst du die Daten?', 'à quelle fréquence rafraîchis-tu les chiffres ?']) {
      assert.match(cardText(lastCard(await h.say(question))), /^How fresh the figures are\n/, question);
    }
    for (const question of ['refresh', 'reload the data, it is not up to date', 'Mets à jour les chiffres stp', 'are we over?']) {
      assert.doesNotMatch(cardText(lastCard(await h.say(question))), /^How fresh the figures are\n/, question);
    }
    // A fresh read asked in words the classifier takes for the findings file: the refresh, which answers with the overview; a file named is still the file.
    assert.match(cardText(lastCard(await h.say('I think these are outdated, please update them'))), /^Per-app passes, environment by environment\n/);
    assert.doesNotMatch(cardText(lastCard(await h.say('send me the findings as a csv file'))), /^Per-app passes, environment by environment\n/);
  });

  it('says what could not be read, never that it was read', async () => {
    const unread: TenantSnapshot = { ...buildDemoTenant(), launches: [], usageUnknown: 'the Power Platform API answered 403 (Forbidden)' };
    const h = botHarness({ clock, loader: async () => unread });
    const said = cardText(lastCard(await h.say('is the data up to date?')));
    assert.match(said, /Launches\nnot known: the Power Platform API answered 403 \(Forbidden\)/);
    assert.doesNotMatch(said, /read for all of/);
  });
});
