import assert from 'node:assert/strict';
import { buildDemoTenant } from '../../src/tenant/demo/demoTenant';
import { toActiveUsersCsv } from '../support/csvWriter';
import { FileDropServer } from '../support/fileDrop';
import { botHarness, cardActions, cardText, lastCard } from '../support/botHarness';

/**
 * A question about a month the data is not for (real bot, real reader, the demo tenant of
 * November 2026): "are we over in October?" answered November's figures as if they were
 * October's. The answer now says whose figures they are, and offers the months side by side.
 */
describe('a month asked about that is not the data\'s (real bot)', () => {
  const clock = () => new Date('2026-12-04T10:00:00Z');

  it('says above the answer which month its figures are for, and its button opens the trend', async () => {
    const h = botHarness({ clock });
    const card = lastCard(await h.say('are we over in October?'));
    const said = cardText(card);
    assert.match(said, /^You asked about October 2026: these figures are for November 2026, the month the data is for\.\n/);
    assert.match(said, /Are we over\?/);
    const trend = cardActions(card).find((b) => b.title === 'Trend since October');
    assert.ok(trend, 'a button to the months side by side');
    const replies = await h.say({ type: 'invoke', name: 'adaptiveCard/action', value: { action: { type: 'Action.Execute', verb: trend.verb, data: trend.data }, trigger: 'manual' } });
    assert.match(cardText(lastCard(replies)), /^Trend\n[\s\S]*There is one month in the data \(November 2026\)/);
    // A new chat: after the trend, a month said continues the trend (followUp.ts).
    assert.match(cardText(lastCard(await botHarness({ clock }).say('how many passes did Sales Prod use in september'))), /^You asked about September 2026: these figures are for November 2026[\s\S]*Contoso Sales \(Prod\)/);
  });

  it('adds nothing when the month said is the data\'s ("in November", "last month" in December)', async () => {
    const h = botHarness({ clock });
    for (const question of ['are we over in November?', 'which apps were misclassified last month']) {
      const said = cardText(lastCard(await h.say(question)));
      assert.doesNotMatch(said, /You asked about/, question);
    }
  });

  it('a month after the data\'s says it is not in the data yet, with no button to months that are not there', async () => {
    const h = botHarness({ clock });
    for (const [question, month] of [
      ['are we over this month?', 'December 2026'],
      ['are we over in january 2027?', 'January 2027'],
    ]) {
      const card = lastCard(await h.say(question));
      assert.match(cardText(card), new RegExp(`^${month} is not in the data yet: these figures are for November 2026, the latest month it has\\.\n[\\s\\S]*Are we over\\?`), question);
      assert.ok(!cardActions(card).some((b) => /^Trend since/.test(b.title)), question);
    }
  });

  it('a year said goes with its month, and a bare month is its latest at or before today', async () => {
    const h = botHarness({ clock });
    assert.match(cardText(lastCard(await h.say('are we over in December 2025?'))), /^You asked about December 2025: these figures are for November 2026/);
    // Asked in December 2026, "January" is January 2026; "is ... over" stays the question asked, not the months side by side.
    const said = cardText(lastCard(await h.say('is sales prod over in january')));
    assert.match(said, /^You asked about January 2026: these figures are for November 2026, the month the data is for\.\n(Trend since January\n){2}Contoso Sales \(Prod\)\n/);
  });

  it('an answer from a dropped report says its month too, and its button asks the same files', async () => {
    const host = new FileDropServer();
    await host.start();
    try {
      host.files['/passlens-drop/november.csv'] = toActiveUsersCsv(buildDemoTenant().launches);
      const h = botHarness({ clock });
      await h.say(host.drop('ActiveUsers.csv', '/passlens-drop/november.csv'));
      const card = lastCard(await h.say('are we over in October?'));
      assert.match(cardText(card), /You asked about October 2026: these figures are for November 2026/);
      const trend = cardActions(card).find((b) => b.title === 'Trend since October');
      assert.ok(trend?.data.upload, 'the trend is asked of the same upload');
    } finally {
      await host.stop();
    }
  });
});

