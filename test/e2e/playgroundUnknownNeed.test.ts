import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { artifactPath } from '../support/chromium';
import { cardAnswering, openLivePlayground, openPlayground, type PlaygroundSession } from '../support/playgroundSession';
import { NO_FAULTS, TenantSimulator } from '../support/tenantSimulator';
import { simulatorOnItsDay } from '../support/simulatorDay';

/**
 * End to end in the Agents Playground (Chromium) on a live tenant whose November is read in
 * part (the Office 365 feed keeps 7 days; the clock is set to 4 December 2026) and whose
 * Contoso Sales (Prod) does not say whether it is a Managed Environment (no
 * governanceConfiguration, no isManagedEnvironment): the passes it needs are not known, and
 * every card says "not known yet" with where to check, never "at least unknown". The
 * default environment's fix names the app setting "Per-app licensing" and, once, where that
 * environment shows it.
 */
describe('end to end: a need not known in a month read in part, and the setting\'s one name, in the Agents Playground (Chromium)', function () {
  this.timeout(180_000);
  let sim: TenantSimulator;
  let session: PlaygroundSession;
  let page: Page;
  let undoClock: (() => void) | undefined;

  before(async () => {
    ({ sim, undoClock } = await simulatorOnItsDay());
    const sales = sim.seed.environments.find((e) => e.name === 'Contoso Sales (Prod)')!;
    sim.reset({ ...NO_FAULTS, insight: 'refused', withoutGovernance: [sales.id], withoutManagedFlag: [sales.id] });
    session = await openLivePlayground(sim.env().PASSLENS_TENANT_ID, { ...sim.env(), PASSLENS_AUDIT_READER: 'officeManagement' });
    page = session.page;
  });

  after(async () => {
    await session?.close();
    await sim?.stop();
    undoClock?.();
  });

  /** The card answering `question`, whose text matches `done` (a first answer may still say the launches are being read). */
  async function answer(question: string, title: string | RegExp, done: RegExp, shot: string): Promise<string> {
    for (let i = 0; i < 30; i++) {
      const card = await cardAnswering(page, question, title);
      const text = (await card.innerText()).replace(/\s+/g, ' ');
      if (done.test(text)) {
        await card.screenshot({ path: artifactPath(shot) });
        return text;
      }
      await new Promise((r) => setTimeout(r, 1000));
    }
    assert.fail(`"${question}" never answered ${done}`);
  }

  it('"are we over?", the environment card, the overview and the digest say the need is not known yet and where to check', async () => {
    const check = 'whether Contoso Sales (Prod) is a Managed Environment: admin center > Environments';
    const over = await answer('are we over?', 'Are we over?', /Not known yet for Contoso Sales/, 'unknown-need-are-we-over.png');
    assert.ok(over.includes(`Not known yet for Contoso Sales (Prod): the passes needed (${check}), and part of the month's launches is not read.`), over);
    const sales = await answer('contoso sales prod', 'Contoso Sales (Prod)', /Not known yet: how many passes/, 'unknown-need-environment.png');
    assert.ok(sales.includes(`Not known yet: how many passes are needed (${check}), and part of the month is not read; 25 passes are allocated. Launches from the audit log.`), sales);
    assert.ok(sales.includes('Nothing to fix found so far: the passes needed are not known yet (above).'), sales);
    const overview = await answer('overview', 'Per-app passes, environment by environment', /needed not known yet/, 'unknown-need-overview.png');
    assert.ok(overview.includes('Contoso Sales (Prod) needed not known yet 25 allocated'), overview);
    assert.ok(overview.includes(`Not known yet for Contoso Sales (Prod): the passes needed (${check})`), overview);
    const digest = await answer('digest now', 'Weekly per-app pass digest', /needed not known yet/, 'unknown-need-digest.png');
    assert.ok(digest.includes('Contoso Sales (Prod) needed not known yet · 5 launches'), digest);
    assert.ok(digest.includes(`Not known yet for Contoso Sales (Prod): the passes needed (${check})`), digest);
    for (const text of [over, sales, overview, digest]) assert.doesNotMatch(text, /at (least|most) unknown|at least 0 launch|Unknown: launches are unknown/, text);
  });
});

/** The demo tenant, as `npm start` runs it: the default environment's fix and the trend card name the setting by its one name. */
describe('end to end: the app setting\'s one name in the Agents Playground (Chromium, demo tenant)', function () {
  this.timeout(120_000);
  let session: PlaygroundSession;

  before(async () => {
    session = await openPlayground();
    await session.page.getByText('Hi, I am PassLens').first().waitFor({ timeout: 60_000 });
  });

  after(async () => {
    await session?.close();
  });

  async function card(question: string, title: string, shot: string): Promise<string> {
    const answer = await cardAnswering(session.page, question, title);
    await answer.screenshot({ path: artifactPath(shot) });
    return (await answer.innerText()).replace(/\s+/g, ' ');
  }

  it('the default environment\'s fixes say "Per-app licensing" and, once each, where that environment shows it; the trend card asks about "Per-app licensing"', async () => {
    const text = await card('personal productivity', 'Personal Productivity (default)', 'default-environment-setting.png');
    assert.ok(text.includes('switch "Per-app licensing" off (in the default environment: Settings > Pass assignment > "Auto assign per app passes")'), text);
    // Once in each fix that names the setting (Help Desk's and Visitor Badges'), nowhere else: each item stands alone in "Show all" and the digest.
    assert.equal(text.split('"Per-app licensing"').length - 1, 2, text);
    assert.equal(text.split('(in the default environment: Settings > Pass assignment > "Auto assign per app passes")').length - 1, 2, text);
    assert.equal(text.split('Auto assign per app passes').length - 1, 2, text);
    const trend = await card('did the auto-assign fix work', 'Did switching "Per-app licensing" off work?', 'per-app-licensing-trend.png');
    assert.doesNotMatch(trend, /Auto assign per app passes|auto-assign off/, trend);
  });
});
