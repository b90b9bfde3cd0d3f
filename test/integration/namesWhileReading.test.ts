import assert from 'node:assert/strict';
import { botHarness, cardText, lastCard } from '../support/botHarness';
import { startLiveChat, type LiveChat } from '../support/liveChat';
import { NO_FAULTS, TenantSimulator } from '../support/tenantSimulator';

/**
 * Issue 21: a typed sentence that names nothing of the tenant ("help", "digest status",
 * "new upload") is answered while a slow live tenant is still being read, and one that
 * needs its names still gets them. The real bot over HTTP (local mode, unsigned activities
 * trusted), MSAL and axios against the simulator, every admin API call answered late.
 */
describe('typed questions while the tenant\'s names are read (issue 21)', function () {
  this.timeout(120_000);
  /** Each admin API call of the live read waits this long: the whole read takes seconds, as on a slow tenant. */
  const LATENCY_MS = 600;
  /** How soon a question that needs no name is answered, the reading still going on. */
  const BOUND_MS = 1500;
  let sim: TenantSimulator;
  let chat: LiveChat;

  before(async () => {
    sim = await new TenantSimulator().start();
    sim.reset({ ...NO_FAULTS, latencyMs: LATENCY_MS });
    chat = await startLiveChat(sim, { PASSLENS_AUDIT_READER: 'off' });
  });
  after(async () => {
    await chat?.close();
    await sim?.stop();
  });

  /** Sends a message as Teams would; resolves with how long the bot took and the card it answered with. */
  async function say(conversation: string, text: string): Promise<{ ms: number; card: string; at: number }> {
    const { id, ms, posted } = await chat.say(conversation, text);
    const cards = posted.filter((p) => p.conversationId === conversation && p.activity.replyToId === id && p.activity.attachments);
    assert.ok(cards.length, `a card answers "${text}"`);
    return { ms, card: cardText((cards.at(-1)!.activity.attachments as { content: unknown }[])[0].content), at: Date.now() };
  }

  it('"help", "digest status" and "new upload" answer within the bound while the names load; "how many passes does Sales Prod use" waits for them and names the environment', async () => {
    const callsBefore = sim.apiCalls().length;
    // The first question of the process: it needs the tenant's names, so the live read starts.
    const named = say('chat-named', 'how many passes does Sales Prod use');
    while (sim.apiCalls().length === callsBefore) await new Promise((r) => setTimeout(r, 10));
    const help = await say('chat-help', 'help');
    const status = await say('chat-status', 'digest status');
    const fresh = await say('chat-upload', 'new upload');
    const answer = await named;
    for (const [what, turn] of Object.entries({ help, status, fresh })) assert.ok(turn.ms < BOUND_MS, `${what} took ${turn.ms} ms`);
    assert.ok(answer.at > fresh.at, 'the names were still being read when the three were answered');
    assert.match(help.card, /What I can answer/);
    assert.match(status.card, /No digest here/);
    assert.match(fresh.card, /No uploads to clear/);
    // Read with the names: the environment's own card, not "I don't know" nor the overview.
    const sales = sim.seed.environments.find((e) => e.name.startsWith('Contoso Sales'))!;
    assert.match(answer.card, new RegExp(sales.name.replace(/[()]/g, '\\$&')));
    assert.doesNotMatch(answer.card, /still being read|I don't know/);
    assert.ok(answer.ms >= LATENCY_MS, `the named question waited for the read (${answer.ms} ms)`);
  });
});

describe('the first question of a process, before the tenant is read (real bot, demo tenant)', () => {
  it('a sentence with a word that may be a name waits for the names: "what does Omar use" is Omar\'s card, not help', async () => {
    // Read without the names, the classifier took "what does Omar use" for "help" (0.78), and it was answered at once.
    assert.match(cardText(lastCard(await botHarness().say('what does Omar use'))), /^Omar Haddad/);
    assert.match(cardText(lastCard(await botHarness().say('help'))), /What I can answer/);
  });
});
