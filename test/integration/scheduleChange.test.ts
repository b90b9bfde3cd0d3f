import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileStorage } from '../../src/storage/fileStorage';
import { SubscriptionStore } from '../../src/digest/subscriptions';
import { botHarness, cardText, lastCard } from '../support/botHarness';

/**
 * Changing a digest's schedule in words (real bot, real reader, a file store): what the
 * sentence does not say stays as it was. "move it to fridays" after "every monday at 9"
 * posted on Fridays at 08:00, the default hour, rather than at 09:00.
 */
describe('changing the digest schedule in part (real bot, file store)', () => {
  it('keeps the time, the day and the zone a sentence does not say', async () => {
    const store = new SubscriptionStore(new FileStorage(mkdtempSync(join(tmpdir(), 'passlens-schedule-'))));
    const h = botHarness({ subscriptions: store, conversationType: 'channel', conversationId: '19:admins@thread' });
    const scheduleNow = async () => (await store.get('19:admins@thread'))?.schedule.description;
    const say = async (text: string) => cardText(lastCard(await h.say(text)));

    assert.match(await say('post the digest here every monday at 9'), /every Monday at 09:00 UTC/);
    assert.match(await say('move it to fridays'), /every Friday at 09:00 UTC/);
    assert.equal(await scheduleNow(), 'every Friday at 09:00 UTC');
    assert.match(await say('subscribe at 7am instead'), /every Friday at 07:00 UTC/);
    assert.match(await say('subscribe every wednesday 10:00 Europe/Berlin'), /every Wednesday at 10:00 Europe\/Berlin/);
    assert.match(await say('make it thursdays'), /every Thursday at 10:00 Europe\/Berlin/);
    // A zone named before stays, whatever zone the asker's Teams client is in.
    const fromNewYork = await h.say({ text: 'make it tuesdays', entities: [{ type: 'clientInfo', locale: 'en-US', timezone: 'America/New_York' }] });
    assert.match(cardText(lastCard(fromNewYork)), /every Tuesday at 10:00 Europe\/Berlin/);
    assert.match(await say('make it thursdays'), /every Thursday at 10:00 Europe\/Berlin/);
    assert.equal(await scheduleNow(), 'every Thursday at 10:00 Europe/Berlin');
    // Stopped, then asked again without a slot: it resumes as it was.
    assert.match(await say('stop the digest'), /^Unsubscribed/);
    assert.match(await say('subscribe'), /every Thursday at 10:00 Europe\/Berlin/);
  });

  it('a first subscription takes the defaults for what is not said', async () => {
    const store = new SubscriptionStore(new FileStorage(mkdtempSync(join(tmpdir(), 'passlens-schedule-'))));
    const h = botHarness({ subscriptions: store, conversationType: 'channel', conversationId: '19:new@thread' });
    assert.match(cardText(lastCard(await h.say('post the digest here every friday'))), /every Friday at 08:00 UTC/);
  });
});
