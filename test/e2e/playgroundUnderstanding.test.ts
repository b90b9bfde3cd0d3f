import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { artifactPath } from '../support/chromium';
import { openPlayground, type PlaygroundSession } from '../support/playgroundSession';

/**
 * Issue 21's phrasings, typed as admins typed them, through the real Agents Playground in
 * Chromium (`npm start`'s code path on the demo tenant): each gets the answer its asker
 * meant, never "I don't know an environment called ...". Then follow-ups: "and HR?"
 * after a Contoso Sales answer, "why?" after "are we over?". Screenshots go to
 * test-artifacts/understanding-*.png.
 */

/** README's headline question, as the README quotes it. */
function readmeHeadline(): string {
  const quote = /^> "([\s\S]*?)"$/m.exec(readFileSync(join(__dirname, '../../README.md'), 'utf8'));
  assert.ok(quote, 'README opens with the forum question in a quote');
  return quote[1].replace(/\n> /g, ' ');
}

describe('understanding admins as they type, in the Agents Playground (Chromium)', function () {
  this.timeout(180_000);
  let session: PlaygroundSession;
  let page: Page;
  let asked = 0;

  before(async () => {
    session = await openPlayground({ PASSLENS_DATA_DIR: mkdtempSync(join(tmpdir(), 'passlens-understanding-')) });
    page = session.page;
    await page.getByText('Hi, I am PassLens').first().waitFor({ timeout: 30_000 });
  });

  after(() => session?.close());

  /** Types a question and returns the text of the card that answers it (the newest card, once one more has arrived). */
  async function ask(text: string, name: string): Promise<string> {
    const cards = page.locator('.ac-adaptiveCard');
    const before = await cards.count();
    const box = page.locator('[data-lexical-editor="true"]');
    await box.click();
    await page.keyboard.type(text);
    await page.keyboard.press('Enter');
    await page.waitForFunction((n) => document.querySelectorAll('.ac-adaptiveCard').length > n, before, { timeout: 30_000 });
    const card = cards.last();
    await card.screenshot({ path: artifactPath(`understanding-${String(++asked).padStart(2, '0')}-${name}.png`) });
    const said = (await card.innerText()).replace(/\s+/g, ' ');
    assert.doesNotMatch(said, /I don't know an? (environment|app|user) called/, `${text} -> ${said}`);
    return said;
  }

  it("answers README's headline question: over in Contoso Sales by 3, and the fix", async () => {
    const said = await ask(readmeHeadline(), 'readme-headline');
    assert.match(said, /over in Contoso Sales \(Prod\) by 3/);
    assert.match(said, /Per-app licensing/);
  });

  it('answers "how is that possible?" about Contoso Sales with its explanation: 27 standard apps booked, 1 launch needs a pass', async () => {
    const said = await ask('We have 25 per app passes on Contoso Sales but the licensing report shows 28 apps under AppPass and only one of them is premium. How is that possible?', 'how-possible');
    assert.match(said, /Contoso Sales \(Prod\)/);
    assert.match(said, /27 of them are standard apps booked because their "Per-app licensing" setting is on; only 1 launch needs a pass/);
  });

  it('answers "is contoso sales prod over on its app passes?" about the environment, not an app', async () => {
    const said = await ask('is contoso sales prod over on its app passes?', 'sales-prod-over');
    assert.match(said, /Contoso Sales \(Prod\)[\s\S]*Yes, over by 3: 28 launches booked as AppPass against 25 passes/);
  });

  it('answers "which of our environments is wasting passes" and "where do we have unused passes" with the idle passes, Operations first', async () => {
    for (const [text, name] of [
      ['which of our environments is wasting passes', 'wasting'],
      ['where do we have unused passes', 'unused'],
    ]) {
      const said = await ask(text, name);
      assert.match(said, /Where passes sit idle[\s\S]*Operations: 28 passes idle of 40 allocated/, text);
    }
  });

  it('subscribes on "post a summary in this channel every monday morning": Monday 08:00', async () => {
    const said = await ask('post a summary in this channel every monday morning', 'monday-morning');
    assert.match(said, /every Monday at 08:00/);
    assert.doesNotMatch(said, /user called/);
  });

  it('answers "what does the guy with most apps consume" with that person: Omar Haddad, 5 apps', async () => {
    const said = await ask('what does the guy with most apps consume', 'most-apps');
    assert.match(said, /Omar Haddad[\s\S]*Uses the most apps \(5 apps launched, 5 passes needed\)/);
  });

  it('answers "send me this as an excel file" with the findings file, a CSV Excel opens (not the digest)', async () => {
    const said = await ask('send me this as an excel file', 'excel');
    assert.match(said, /CSV file, which Excel opens/);
    assert.doesNotMatch(said, /digest/i);
  });

  it('continues "and HR?" after a Contoso Sales answer with Contoso HR\'s', async () => {
    const sales = await ask('how many passes does Contoso Sales use?', 'sales');
    assert.match(sales, /Contoso Sales \(Prod\)/);
    const hr = await ask('and HR?', 'and-hr');
    assert.match(hr, /Contoso HR \(Managed\)/);
    assert.doesNotMatch(hr, /Contoso Sales \(Prod\) Contoso/);
  });

  it('answers "do we need to buy before February?" with a direct no and the reason, then what to do first', async () => {
    const said = await ask('do we need to buy before February?', 'buy-before');
    // Field Service (Dev) cannot hold passes (R16): what it needs instead, never a shortfall.
    assert.match(said, /No, not before February: you book 3 passes over the allocation/);
    assert.match(said, /Field Service \(Dev\) is a developer environment: passes cannot be allocated there/);
    assert.match(said, /What to do first/);
  });

  it('answers "is this normal?" after an Operations answer about Operations', async () => {
    await ask('how many passes does Operations use?', 'operations');
    const said = await ask('is this normal?', 'is-normal');
    assert.match(said, /Is this normal in Operations\?[\s\S]*No: 28 of 40 passes \(70%\) sit idle in Operations/);
  });

  it('says above the answer for all environments that "Marketing" is no environment here; "Finance EU" offers Finance, whose button answers for it', async () => {
    const marketing = await ask('is Marketing over?', 'no-marketing');
    assert.match(marketing, /^There is no environment called "Marketing" in this tenant: this is the answer for all environments\. All environments Are we over\?/);
    const finance = await ask('what about Finance EU?', 'no-finance-eu');
    assert.match(finance, /^There is no environment called "Finance EU" in this tenant: this is the answer for all environments\. Did you mean this one\? Finance \(Pay-as-you-go\)/);
    const cards = page.locator('.ac-adaptiveCard');
    const before = await cards.count();
    await cards.last().getByRole('button', { name: 'Finance (Pay-as-you-go)', exact: true }).first().click();
    await page.waitForFunction((n) => document.querySelectorAll('.ac-adaptiveCard').length > n, before, { timeout: 30_000 });
    assert.match((await cards.last().innerText()).replace(/\s+/g, ' '), /^Finance \(Pay-as-you-go\) Contoso \(demo\)/);
  });

  it('answers "why?" after "are we over?" with the reasons: the standard apps booked as AppPass, and the fix', async () => {
    const over = await ask('are we over?', 'are-we-over');
    assert.match(over, /over in Contoso Sales \(Prod\) by 3/);
    const why = await ask('why?', 'why');
    assert.match(why, /Contoso Sales \(Prod\): 27 standard apps booked as AppPass/);
    assert.match(why, /switch "Per-app licensing" off/);
    await page.screenshot({ path: artifactPath('understanding-chat.png'), fullPage: true });
  });
});
