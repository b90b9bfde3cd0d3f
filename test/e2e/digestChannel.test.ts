import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { artifactPath } from '../support/chromium';
import { openPlayground, type PlaygroundSession } from '../support/playgroundSession';

/**
 * The digest end to end in the Agents Playground's team channel ("My Team" > General):
 * an admin mentions PassLens to subscribe, an external timer calls POST /api/digest, and
 * the digest card appears in the channel. Screenshots go to test-artifacts/.
 */
describe('end to end: weekly digest in a team channel (Chromium)', function () {
  this.timeout(120_000);
  const secret = 'e2e-digest-secret-0123456789';
  let session: PlaygroundSession;
  let page: Page;

  before(async () => {
    session = await openPlayground({
      PASSLENS_DIGEST_SECRET: secret,
      PASSLENS_DIGEST_TIMER: 'external',
      PASSLENS_DATA_DIR: mkdtempSync(join(tmpdir(), 'passlens-e2e-')),
    });
    page = session.page;
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await page?.screenshot({ path: artifactPath('failed-digest-channel.png'), fullPage: true });
  });

  after(() => session?.close());

  it('an admin subscribes the channel with a mention in their own words', async () => {
    await page.getByText('General', { exact: true }).first().click();
    await page.getByText('Hi, I am PassLens').first().waitFor({ timeout: 30_000 });
    await page.locator('[data-lexical-editor="true"]').first().click();
    await page.keyboard.type('@Test');
    await page.getByRole('menuitem', { name: 'Test Bot' }).click();
    await page.keyboard.type(' could you post a weekly licensing recap in this channel, tuesdays 7am New York time?');
    await page.getByRole('button', { name: 'Post' }).click();
    const confirmation = page.locator('.ac-adaptiveCard', { hasText: 'Subscribed to the weekly digest' }).last();
    // 60 s: on a machine busy with other suites the Playground's page has been seen to take over 30 s to show a reply.
    await confirmation.waitFor({ timeout: 60_000 });
    assert.match((await confirmation.innerText()).replace(/\s+/g, ' '), /every Tuesday at 07:00 America\/New_York.*Next post.*Tue, .* 07:00 America\/New_York/);
    await confirmation.screenshot({ path: artifactPath('05-subscribed.png') });
  });

  it('POST /api/digest posts the digest card in the channel', async () => {
    const res = await fetch(`http://127.0.0.1:${session.running.port}/api/digest?force=true`, { method: 'POST', headers: { authorization: `Bearer ${secret}` } });
    assert.equal(res.status, 200);
    const summary = (await res.json()) as { sent: string[] };
    assert.equal(summary.sent.length, 1);
    assert.doesNotMatch(summary.sent[0], /messageid/, 'posted to the channel, not into the thread');
    const digest = page.locator('.ac-adaptiveCard', { hasText: 'Weekly per-app pass digest' }).last();
    await digest.waitFor({ timeout: 30_000 });
    const text = (await digest.innerText()).replace(/\s+/g, ' ');
    assert.match(text, /Contoso Sales \(Prod\)/);
    assert.match(text, /overage 3/);
    assert.match(text, /Saves up to ~\$\d+\/month, all three together/);
    await digest.screenshot({ path: artifactPath('06-digest-in-channel.png') });
    await page.screenshot({ path: artifactPath('07-channel.png'), fullPage: true });
  });
});
