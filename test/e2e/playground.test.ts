import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { artifactPath } from '../support/chromium';
import { openPlayground, type PlaygroundSession } from '../support/playgroundSession';

/**
 * End to end, as an admin meets it: `npm start`'s code path starts the bot and the
 * Agents Playground; Chromium opens the Playground, the admin types the forum question
 * in the personal chat and clicks a drill-down button. Screenshots go to test-artifacts/.
 */
describe('end to end in the Agents Playground (Chromium)', function () {
  this.timeout(120_000);
  let session: PlaygroundSession;
  let page: Page;

  before(async () => {
    session = await openPlayground();
    page = session.page;
  });

  after(() => session?.close());

  async function ask(text: string): Promise<void> {
    const box = page.locator('[data-lexical-editor="true"]');
    await box.click();
    await page.keyboard.type(text);
    await page.keyboard.press('Enter');
  }

  it('welcomes the admin in the personal chat', async () => {
    await page.getByText('Hi, I am PassLens').first().waitFor({ timeout: 30_000 });
    await page.screenshot({ path: artifactPath('01-welcome.png') });
  });

  it('answers the forum question with the figures, the premium app and the fix', async () => {
    await ask('25 passes are allocated to Contoso Sales, 28 apps show under AppPass and only one is premium. Are we over, and why are standard apps booked as AppPass in contoso sales?');
    const answer = page.locator('.ac-adaptiveCard', { hasText: 'Yes, over by 3' }).last();
    await answer.waitFor({ timeout: 30_000 });
    const text = (await answer.innerText()).replace(/\s+/g, ' ');
    assert.match(text, /Yes, over by 3: 28 launches booked as AppPass against 25 passes/);
    assert.match(text, /Allocated 25/);
    assert.match(text, /Booked 28/);
    assert.match(text, /Overage 3/);
    assert.match(text, /only 1 launch needs a pass/);
    assert.match(text, /27 standard apps booked as AppPass/);
    assert.match(text, /switch "Per-app licensing" off/);
    assert.match(text, /Explain Deal Desk/);
    await answer.screenshot({ path: artifactPath('02-forum-answer.png') });
  });

  it('drills down into the premium app with a button', async () => {
    await page.locator('.ac-adaptiveCard', { hasText: 'Yes, over by 3' }).last().getByRole('button', { name: 'Explain Deal Desk' }).click();
    const app = page.locator('.ac-adaptiveCard', { hasText: 'Premium: every user needs a pass' }).last();
    await app.waitFor({ timeout: 30_000 });
    assert.match((await app.innerText()).replace(/\s+/g, ' '), /Deal Desk/);
    // The evidence is one click away, not on the card until asked for.
    assert.doesNotMatch((await app.innerText()).replace(/\s+/g, ' '), /premium connector "SQL Server"/);
    await app.getByRole('button', { name: 'Why we think so' }).click();
    assert.match((await app.innerText()).replace(/\s+/g, ' '), /premium connector "SQL Server"/);
    // The answer it came from stays in the chat.
    assert.equal(await page.locator('.ac-adaptiveCard', { hasText: 'Yes, over by 3' }).count(), 1);
    await app.screenshot({ path: artifactPath('03-app-drilldown.png') });
    await page.screenshot({ path: artifactPath('04-chat.png'), fullPage: true });
  });
});
