import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { artifactPath } from '../support/chromium';
import { cardAnswering, openLivePlayground, say, type PlaygroundSession } from '../support/playgroundSession';
import { NO_FAULTS, TenantSimulator } from '../support/tenantSimulator';
import { joinedLaunches, seedLaunches } from '../support/auditSimulator';
import { simulatorOnItsDay } from '../support/simulatorDay';

/**
 * End to end on a live tenant (the simulator's admin and audit log APIs, real MSAL and
 * axios) in the Agents Playground: "are we over?" is answered from the unified audit log,
 * first saying the launches are being read and then replacing its card, and "digest now"
 * shows the month's launches.
 */
describe('end to end: answers from the audit log in the Agents Playground (Chromium)', function () {
  this.timeout(120_000);
  let sim: TenantSimulator;
  let session: PlaygroundSession;
  let page: Page;
  let undoClock: (() => void) | undefined;

  before(async () => {
    // "This month's launches" fall back to the last month, the simulator's November, on 4 December, whatever day the test runs.
    ({ sim, undoClock } = await simulatorOnItsDay());
    // As a real tenant answers today: the usage API refuses app-only tokens; the audit log answers.
    sim.reset({ ...NO_FAULTS, insight: 'refused' });
    session = await openLivePlayground(sim.env().PASSLENS_TENANT_ID, sim.env());
    page = session.page;
  });

  after(async () => {
    await session?.close();
    undoClock?.();
    await sim?.stop();
  });

  const ask = (text: string) => say(page, text);

  it('"are we over?" says the launches are being read, then its card answers from the audit log', async () => {
    await ask('are we over?');
    await page.getByText("Reading this month's launches from the audit log").first().waitFor({ timeout: 60_000 });
    const answer = page.locator('.ac-adaptiveCard', { hasText: 'launches from the audit log' }).filter({ hasText: 'Are we over?', hasNotText: "Reading this month's launches" }).last();
    await answer.waitFor({ timeout: 60_000 });
    const text = (await answer.innerText()).replace(/\s+/g, ' ');
    assert.match(text, /Not over by need\. Expected over \(from the audit log, not booked\) in Contoso Sales \(Prod\) by 3/);
    assert.match(text, /standard apps expected as AppPass/);
    assertPlain(text);
    assert.match(text, /From the audit log: canvas app launches only \(no model-driven apps or Power Pages\), not what Microsoft booked; the last 48 hours may be incomplete\./);
    // Updated in place: the card that said the launches were being read is the one that answers now.
    const cards = (await page.locator('.ac-adaptiveCard').allInnerTexts()).filter((c) => c.trimStart().startsWith('Are we over?'));
    assert.equal(cards.length, 1, 'one "Are we over?" card, updated in place');
    assert.ok(!cards[0].includes("Reading this month's launches"), 'the reading note is gone from the card');
    await answer.screenshot({ path: artifactPath('audit-log-are-we-over.png') });
    // The source in full and every caveat of the log are one click away.
    await answer.getByRole('button', { name: 'Why we think so' }).click();
    const why = (await answer.innerText()).replace(/\s+/g, ' ');
    assert.match(why, /Source: Unified audit log \(Graph audit log query API\) for 2026-11: \d+ LaunchPowerApp records/);
    assert.match(why, /Model-driven apps and Power Pages sites are not in the audit log/);
  });

  it('"overview" and an environment card show one line on what the log cannot see, its caveats in full behind "Why we think so"', async () => {
    for (const [question, title, shot] of [
      ['overview', 'Per-app passes, environment by environment', 'audit-log-overview.png'],
      ['what about contoso sales prod?', 'Contoso Sales (Prod)', 'audit-log-environment.png'],
    ] as const) {
      const card = await cardAnswering(page, question, title);
      const text = (await card.innerText()).replace(/\s+/g, ' ');
      assert.match(text, /From the audit log: canvas app launches only \(no model-driven apps or Power Pages\), not what Microsoft booked; the last 48 hours may be incomplete\./, question);
      assertPlain(text);
      // At a glance: not the block of caveats.
      assert.doesNotMatch(text, /Model-driven apps and Power Pages sites are not in the audit log/, question);
      assert.doesNotMatch(text, /does not say which license Microsoft charged/, question);
      await card.screenshot({ path: artifactPath(shot) });
      await card.getByRole('button', { name: 'Why we think so' }).first().click();
      const why = (await card.innerText()).replace(/\s+/g, ' ');
      assert.match(why, /Source: Unified audit log \(Graph audit log query API\) for 2026-11/, question);
      assert.match(why, /Model-driven apps and Power Pages sites are not in the audit log/, question);
      assert.match(why, /does not say which license Microsoft charged/, question);
      assert.match(why, /activity logging for production environments/, question);
      await card.screenshot({ path: artifactPath(shot.replace('.png', '-why.png')) });
    }
  });

  it('"digest now" shows the month\'s launches from the audit log', async () => {
    await ask('digest now');
    const digest = page.locator('.ac-adaptiveCard', { hasText: 'Weekly per-app pass digest' }).last();
    await digest.waitFor({ timeout: 60_000 });
    const text = (await digest.innerText()).replace(/\s+/g, ' ');
    assert.match(text, /2026-11 .*From the audit log: canvas app launches only/);
    assertPlain(text);
    // Only expected overage: the headline says so rather than "no environment is over".
    assert.match(text, /No environment is over by need;.*Contoso Sales \(Prod\) is expected over by 3.* — expected, not booked/);
    assert.doesNotMatch(text, /No environment is over its allocation/);
    assert.match(text, /Contoso Sales \(Prod\) expected over by 3 · 34 launches, expected 28 · needed 1/);
    await digest.screenshot({ path: artifactPath('audit-log-digest.png') });
  });

  it('"trend" with September and November collected: passes needed per month from the audit log, October unknown', async () => {
    const seed = sim.seed;
    const september = seed.launches.filter((l, i) => l.month === '2026-11' && i % 2 === 0).map((l) => ({ ...l, month: '2026-09' }));
    sim.audit.source = joinedLaunches(seedLaunches({ ...seed, launches: september }, '2026-09'), seedLaunches(seed, '2026-11'));
    assert.equal((await session.running.launches.collector!.collect('2026-09')).failed.length, 0);
    await ask('refresh');
    let text = '';
    for (let i = 0; i < 20 && !text.includes('Since September 2026'); i++) {
      const trends = page.locator('.ac-adaptiveCard', { hasText: /^\s*Trend/ });
      const before = await trends.count();
      await ask('trend');
      const card = trends.nth(before);
      await card.waitFor({ timeout: 60_000 });
      text = (await card.innerText()).replace(/\s+/g, ' ');
      if (text.includes('Since September 2026')) await card.screenshot({ path: artifactPath('audit-log-trend.png') });
      else await new Promise((r) => setTimeout(r, 1000));
    }
    assert.match(text, /Since September 2026, from the audit log: passes needed by the rules \d+ → \d+/);
    assert.match(text, /Unknown in October 2026: not collected from the audit log/);
    assert.match(text, /2026-10 needed unknown/);
    assertPlain(text);
  });
});

/** Visible card text (hidden evidence is not in innerText) in plain words: no GUID, no API name, no record type. */
function assertPlain(text: string): void {
  assert.doesNotMatch(text, /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i, 'no GUID on the card');
  assert.ok(!text.includes('LaunchPowerApp'), 'no record type on the card');
  assert.ok(!text.includes('Graph audit log query API'), 'no API name on the card');
}
