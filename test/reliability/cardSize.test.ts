import assert from 'node:assert/strict';
import type { Activity } from 'botbuilder';
import { botHarness } from '../support/botHarness';
import { TenantBuilder } from '../support/tenantBuilder';
import { CARD_SIZE_LIMIT, renderCard } from '../../src/cards/render';
import { digestCard } from '../../src/digest/digestCard';
import { findingsCsv } from '../../src/export/findingsCsv';
import { analyzeTenant } from '../../src/tenant/analyzedTenant';
import { fromSnapshot } from '../../src/tenant/tenantData';

/**
 * Issue 23, item 8: a 20,000-character name made a 76 KB card, past Teams' 28 KB limit, and
 * the answer was lost (413 MessageSizeTooBig). Through the real bot: every card of every
 * answer, and of every button on those cards, stays under CARD_SIZE_LIMIT with names that
 * long; the names are shortened with an ellipsis on the cards and whole in the export; bidi
 * overrides and escapes in them reach no card.
 */

const LONG = 20_000;
// eslint-disable-next-line no-control-regex -- control characters are what this matches
const FORBIDDEN = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]|\\u00(?:0|1|7f|8|9)|\\u202[a-e]|\\u206[6-9]/i;
const long = (start: string, fill: string) => `${start}\u202e${fill.repeat(LONG)}\u001b[31m end`;
const SALES_1 = long('Sales ', 'e');
const SALES_2 = long('Sales ', 'f');
const APP_1 = long('Timesheet ', 'a');
const APP_2 = long('Ledger ', 'b');
const APP_3 = long('Survey ', 'c');
const UPN = `${'u'.repeat(LONG)}@contoso.com`;

const snapshot = new TenantBuilder()
  .env(SALES_1, { allocatedPasses: 1 })
  .env(SALES_2, { allocatedPasses: 5, managed: true })
  .app(APP_1, SALES_1, { canConsumeAppPass: true })
  .app(APP_2, SALES_1, { premium: true })
  .app(APP_3, SALES_2, { premium: true })
  .launch(UPN, APP_1, 'AppPass')
  .launch('b@contoso.com', APP_1, 'AppPass')
  .launch(UPN, APP_2, 'AppPass')
  .launch('c@contoso.com', APP_3, 'M365')
  .build();

type Card = Record<string, unknown>;

/** Every Action.Submit and Action.Execute's data in a card, fallbacks and shown cards included. */
function buttonsOf(node: unknown, found: object[] = []): object[] {
  if (Array.isArray(node)) for (const item of node) buttonsOf(item, found);
  else if (node && typeof node === 'object') {
    const o = node as Card;
    if ((o.type === 'Action.Submit' || o.type === 'Action.Execute') && o.data) found.push(o.data as object);
    for (const value of Object.values(o)) buttonsOf(value, found);
  }
  return found;
}

describe('reliability: every card fits Teams\' size limit whatever the names (issue 23, item 8)', function () {
  this.timeout(120_000);

  it('answers and every button on them: each attachment under 28 KB, names shortened with an ellipsis, no bidi override or escape', async () => {
    const h = botHarness({ loader: async () => snapshot });
    const asked = new Set<string>();
    const queue: (string | object)[] = ['overview', 'are we over?', 'which apps are misclassified', 'what should we buy', 'how many passes does Sales use', `what does ${UPN} consume`, 'trend', 'help', 'status'];
    const cards: { asked: string; bytes: number; json: string }[] = [];
    while (queue.length && asked.size < 80) {
      const next = queue.shift()!;
      const key = JSON.stringify(next);
      if (asked.has(key)) continue;
      asked.add(key);
      const replies: Partial<Activity>[] = await h.say(typeof next === 'string' ? next : { value: next });
      for (const reply of replies) {
        for (const a of reply.attachments ?? []) {
          const json = JSON.stringify(a);
          cards.push({ asked: key.slice(0, 80), bytes: Buffer.byteLength(json, 'utf8'), json });
          queue.push(...buttonsOf(a.content));
        }
        if (reply.text) assert.ok(Buffer.byteLength(reply.text) < CARD_SIZE_LIMIT, `${key.slice(0, 80)}: a text reply of ${reply.text.length} characters`);
      }
    }
    const adaptive = cards.filter((c) => c.json.includes('"AdaptiveCard"'));
    assert.ok(adaptive.length >= 15, `only ${adaptive.length} cards reached`);
    for (const c of cards) {
      assert.ok(c.bytes <= CARD_SIZE_LIMIT, `${c.asked}: ${c.bytes} bytes, over ${CARD_SIZE_LIMIT}`);
      const bad = c.json.match(FORBIDDEN);
      assert.equal(bad, null, `${c.asked}: ${JSON.stringify(bad?.[0])} on the card`);
    }
    const shown = adaptive.map((c) => c.json).join('\n');
    for (const name of ['Sales ', 'Timesheet ', 'Ledger ', 'Survey ']) assert.match(shown, new RegExp(`${name}[a-f]*\u2026[a-f]* end`), `${name.trim()}: no name shortened with an ellipsis`);
  });

  it('the digest card too; the findings export keeps the names whole', () => {
    const tenant = analyzeTenant(fromSnapshot(snapshot), { fetchedAt: new Date('2026-11-29T08:00:00Z') });
    const digest = JSON.stringify(renderCard(digestCard(tenant.report, null, new Date('2026-11-30T09:00:00Z')).view));
    assert.ok(Buffer.byteLength(digest) <= CARD_SIZE_LIMIT, `digest: ${Buffer.byteLength(digest)} bytes`);
    assert.equal(digest.match(FORBIDDEN), null);
    const csv = findingsCsv(tenant.report, tenant.report.environments);
    assert.ok(csv.includes(`${'e'.repeat(LONG)}`) && csv.includes('a'.repeat(LONG)), 'the export holds the full names');
  });

  it('a card that fits is left as its template and data make it', () => {
    const small = analyzeTenant(fromSnapshot(new TenantBuilder().env('Sales Prod', { allocatedPasses: 2 }).app('Timesheet', 'Sales Prod').launch('a@contoso.com', 'Timesheet', 'AppPass').build()), { fetchedAt: new Date('2026-11-29T08:00:00Z') });
    const json = JSON.stringify(renderCard(digestCard(small.report, null, new Date('2026-11-30T09:00:00Z')).view));
    assert.ok(json.includes('Sales Prod') && !json.includes('\u2026'));
  });
});
