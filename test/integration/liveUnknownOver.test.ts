import assert from 'node:assert/strict';
import { startLiveChat, type LiveChat } from '../support/liveChat';
import { visibleCardText } from '../support/botHarness';
import { NO_FAULTS, TenantSimulator } from '../support/tenantSimulator';
import { COLLECTING_NOTE, READER_OFF_NOTE } from '../../src/launches/liveLaunches';
import { SIMULATOR_DAY, setClock } from '../support/simulatorDay';

/**
 * "Are we over?" on a live tenant whose launches are unknown (the usage API refused, as in a
 * real tenant, and the audit log not read or refused): the answer says unknown, why and how
 * to find out, never "no environment is over"; and it says a collection runs only when one
 * does. The real bot over HTTP, MSAL and axios against the simulator.
 */
describe('unknown launches are not "not over" on a live tenant (issue 20, verifier point 1)', function () {
  this.timeout(120_000);
  let sim: TenantSimulator;
  let chat: LiveChat | undefined;

  before(async () => {
    sim = await new TenantSimulator().start();
  });
  afterEach(async () => {
    await chat?.close();
    chat = undefined;
  });
  after(async () => {
    await sim?.stop();
  });

  const ask = async (text: string) => {
    const { posted } = await chat!.say('c:unknown', text);
    const card = posted.map((p) => (p.activity.attachments as { content: unknown }[] | undefined)?.[0]?.content).find(Boolean);
    return { notes: posted.map((p) => p.activity.text).filter(Boolean) as string[], card: visibleCardText(card) };
  };

  it('audit log reader off: "are we over?", "which environment is over?", "is this normal?", "which apps are misclassified?" and the digest say unknown with the fix; none says a collection runs', async () => {
    sim.reset({ ...NO_FAULTS, insight: 'refused' });
    chat = await startLiveChat(sim, { PASSLENS_AUDIT_READER: 'off' });
    for (const question of ['are we over?', 'which environment is over?', 'where do we have unused passes', 'is this normal?', 'digest now', 'which apps are misclassified?']) {
      const { notes, card } = await ask(question);
      assert.ok(!notes.includes(COLLECTING_NOTE) && !card.includes(COLLECTING_NOTE), `${question}: no collection runs with the reader off`);
      assert.match(card, /Unknown: launches are unknown, so whether any environment (is over its allocation|has idle passes|is as it should be|has apps booked against their classification) cannot be told/, `${question}: ${card}`);
      assert.ok(card.includes(READER_OFF_NOTE), `${question}: why, and how to turn the reader on`);
      assert.match(card, /drop the Active users report/, `${question}: the other fix`);
      assert.doesNotMatch(card, /No environment is over|No environment has idle passes|No app is booked|Yes: |Every environment is within its allocation|\bTotal\s+0\b/, `${question}: unknown is not "no"`);
    }
  });

  it('audit log refused: after the collection, "are we over?" says unknown, names the refusal and its fix', async () => {
    sim.reset({ ...NO_FAULTS, insight: 'refused' });
    sim.audit.faults.refused = ['graph', 'officeManagement'];
    chat = await startLiveChat(sim, { PASSLENS_AUDIT_POLL_SECONDS: '0.05' });
    // The first answer says the collection runs; once it has ended (refused), the answers say why and the fix, no longer that it runs.
    assert.ok((await ask('are we over?')).notes.includes(COLLECTING_NOTE));
    for (let i = 0; i < 100 && (await ask('are we over?')).card.includes(COLLECTING_NOTE); i++) await new Promise((r) => setTimeout(r, 200));
    const { notes, card } = await ask('are we over?');
    assert.ok(!notes.includes(COLLECTING_NOTE), 'no collection runs now');
    assert.match(card, /Unknown: launches are unknown, so whether any environment is over its allocation cannot be told\. The audit log could not be read for \d{4}-\d{2}: .*AuditLogsQuery\.Read\.All/, card);
    assert.doesNotMatch(card, /No environment is over/);
  });

  it('Office 365 reader, a month read in part (verifier point 2): "are we over?" and the environment card say "at least" and "at most", never firm idle passes, and the days in one line', async () => {
    // The feed keeps 7 days: on 4 December 2026 the simulator's November is within reach from the 27th, the rest of it not. The clock is set there (Date alone: timers run as they do), so the month is read in part whatever day the test runs.
    const undoClock = setClock(SIMULATOR_DAY);
    try {
      await monthReadInPart();
    } finally {
      undoClock();
    }
  });

  async function monthReadInPart(): Promise<void> {
    sim.reset({ ...NO_FAULTS, insight: 'refused' });
    chat = await startLiveChat(sim, { PASSLENS_AUDIT_POLL_SECONDS: '0.05', PASSLENS_AUDIT_READER: 'officeManagement' });
    await ask('are we over?');
    const month = '2026-11';
    const { store } = chat.running.launches;
    for (let i = 0; i < 300 && !(await store.coverage(month))?.collected.length; i++) await new Promise((r) => setTimeout(r, 100));
    for (let i = 0; i < 100 && (await ask('are we over?')).card.includes(COLLECTING_NOTE); i++) await new Promise((r) => setTimeout(r, 200));
    const coverage = await store.coverage(month);
    assert.ok(coverage?.failed.length && coverage.collected.length, `November read in part: ${JSON.stringify(coverage)}`);
    const over = (await ask('are we over?')).card;
    assert.match(over, /\d+ of 30 days of 2026-11 not read: passes needed are at least the figures shown, idle passes at most/, over);
    assert.match(over, /Not known yet for [^:]*Contoso Sales \(Prod\)[^:]*: part of the month's launches is not read \(\d+ of 30 days of 2026-11 not read\)/, over);
    assert.doesNotMatch(over, /No environment is over|Launches from 2026-11-0\d/, 'no firm "not over"; no per-day notes at a glance');
    const sales = (await ask('contoso sales prod')).card;
    assert.match(sales, /Not known yet: part of the month's launches is not read, and so far the audit log shows at least \d+ launch(es)? that needs? a pass against 25 passes/);
    assert.match(sales, /Idle, at most\n\d+/);
    assert.doesNotMatch(sales, /\b\d+ idle\b(?! )/);
  }
});
