import assert from 'node:assert/strict';
import { CARD_SIZE_LIMIT, cardBytes, renderCard } from '../../src/cards/render';
import { overviewCard } from '../../src/conversation/overviewCard';
import { answerFrom } from '../../src/conversation/router';
import { uploadSourceLine } from '../../src/conversation/uploadNotes';
import { analyzeTenant } from '../../src/tenant/analyzedTenant';
import { buildDemoTenant } from '../../src/tenant/demo/demoTenant';
import { fromSnapshot } from '../../src/tenant/tenantData';
import { cardActions, cardText } from '../support/botHarness';

/** The line over a typed question's answer from the chat's uploads (bot/passLensBot.ts answerTyped). */
describe('the "answered from the files dropped here" line', () => {
  const upload = { ...analyzeTenant(fromSnapshot(buildDemoTenant()), { fetchedAt: new Date('2026-11-29T08:00:00Z') }), uploadId: 'u1' };
  const open = (files: string[]) => ({ uploadId: 'u1', files, startedAt: new Date('2026-12-04T17:00:00Z'), endsAt: new Date('2026-12-04T17:20:00Z') });

  it('comes first, names the files and until when, in the asker\'s zone; its button asks the tenant, the others the upload', () => {
    const view = { ...answerFrom(upload, overviewCard), linesAbove: [uploadSourceLine(open(['active-sep.csv', 'active-oct.csv']), 'are we over?', 'Europe/Berlin')] };
    const card = renderCard(view);
    assert.equal(cardText(card).split('\n')[0], 'From the 2 files dropped here (active-sep.csv, active-oct.csv) until 18:20, not the tenant.');
    const [tenant, ...others] = cardActions(card);
    assert.deepEqual(tenant, { title: 'Ask the tenant instead', verb: 'ask', data: { verb: 'ask', text: 'are we over?' } });
    assert.ok(others.length > 0 && others.every((a) => a.data.upload === 'u1'));
    assert.equal(uploadSourceLine(open(['ten.csv']), 'x').text, 'From ten.csv, dropped here, until 17:20 UTC, not the tenant.');
  });

  it('stays under Teams\' card size limit with a full set of long file names and a very long message', () => {
    const names = Array.from({ length: 26 }, (_, i) => `${'Power Apps Active users report '.repeat(20)}${i}.csv`);
    const card = renderCard({ ...answerFrom(upload, overviewCard), linesAbove: [uploadSourceLine(open(names), 'are we over? '.repeat(2_000))] });
    assert.ok(cardBytes(card) <= CARD_SIZE_LIMIT, `${cardBytes(card)} bytes`);
    assert.equal(String(cardActions(card)[0].data.text).length, 1000);
  });
});
