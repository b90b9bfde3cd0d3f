import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import { artifactPath } from '../support/chromium';
import { openPlayground, type PlaygroundSession } from '../support/playgroundSession';

const run = promisify(execFile);
const root = join(__dirname, '../..');

/**
 * End to end: `npm run drop -- FILE` (scripts/drop.ts) as a newcomer runs it against
 * `npm start`'s bot and Agents Playground: the real script in its own process drops the
 * samples into the Playground's personal chat, one after another, and the answers appear
 * in the chat that Chromium shows; a typed question then answers from those files.
 */
describe('end to end: npm run drop into the Agents Playground (Chromium)', function () {
  this.timeout(150_000);
  let session: PlaygroundSession;
  let page: Page;

  before(async () => {
    session = await openPlayground();
    page = session.page;
    await page.getByText('Hi, I am PassLens').first().waitFor({ timeout: 30_000 });
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await page?.screenshot({ path: artifactPath('failed-drop.png'), fullPage: true });
  });

  after(() => session?.close());

  /** The script as `npm run drop -- ...` runs it (package.json's "drop"), pointed at this session's Playground. */
  function drop(...args: string[]) {
    return run(process.execPath, ['--import', 'tsx', 'scripts/drop.ts', '--playground', session.running.playgroundUrl!, ...args], { cwd: root, timeout: 130_000 });
  }

  it('drops September, then October: one analysis of both, with the trend', async () => {
    const first = await drop('docs/samples/active-sep.csv');
    assert.match(first.stdout, /Dropped active-sep\.csv into the Playground's personal chat/);
    assert.match(first.stdout, /PassLens has the files/);
    await page.locator('.ac-adaptiveCard', { hasText: 'The analysis of active-sep.csv alone' }).last().waitFor({ timeout: 60_000 });

    await drop('docs/samples/active-oct.csv');
    const combined = page.locator('.ac-adaptiveCard', { hasText: 'One analysis of the 2 files dropped here' }).last();
    await combined.waitFor({ timeout: 60_000 });
    assert.match((await combined.innerText()).replace(/\s+/g, ' '), /One analysis of the 2 files dropped here since \d\d:\d\d( UTC)?: active-sep\.csv, active-oct\.csv\./);
    const trend = page.locator('.ac-adaptiveCard', { hasText: 'Since September 2026' }).last();
    await trend.waitFor({ timeout: 60_000 });
    assert.match((await trend.innerText()).replace(/\s+/g, ' '), /Since September 2026: booked as AppPass 41 → 24 \(-17\), overage 6 → 0 \(-6\)/);
    await combined.scrollIntoViewIfNeeded();
    await page.screenshot({ path: artifactPath('11-npm-run-drop.png') });
  });

  it('a typed "trend" then answers from the dropped files, saying so, with a button that asks the tenant instead', async () => {
    const box = page.locator('[data-lexical-editor="true"]');
    await box.click();
    await page.keyboard.type('trend');
    await page.keyboard.press('Enter');
    const fromFiles = page.locator('.ac-adaptiveCard', { hasText: 'From the 2 files dropped here' }).last();
    await fromFiles.waitFor({ timeout: 60_000 });
    const text = (await fromFiles.innerText()).replace(/\s+/g, ' ');
    assert.match(text, /From the 2 files dropped here \(active-sep\.csv, active-oct\.csv\) until \d\d:\d\d( UTC)?, not the tenant\./);
    assert.match(text, /Since September 2026: booked as AppPass 41 → 24 \(-17\)/);
    await fromFiles.scrollIntoViewIfNeeded();
    await fromFiles.screenshot({ path: artifactPath('12-typed-trend-from-drops.png') });
    await fromFiles.getByRole('button', { name: 'Ask the tenant instead' }).click();
    const fromTenant = page.locator('.ac-adaptiveCard', { hasText: 'There is one month in the data (November 2026)' }).last();
    await fromTenant.waitFor({ timeout: 60_000 });
    assert.doesNotMatch((await fromTenant.innerText()).replace(/\s+/g, ' '), /not the tenant/);
    await fromTenant.screenshot({ path: artifactPath('13-trend-asked-of-the-tenant.png') });
  });

  it('says what is wrong, and what to do, for a missing file or no Playground', async () => {
    await assert.rejects(drop('docs/samples/no-such.csv'), (e: { code: number; stderr: string }) => {
      assert.equal(e.code, 2);
      assert.match(e.stderr, /drop: docs\/samples\/no-such\.csv cannot be read: ENOENT\. Give the path of a report/);
      return true;
    });
    await assert.rejects(
      run(process.execPath, ['--import', 'tsx', 'scripts/drop.ts', '--playground', 'http://127.0.0.1:9', 'docs/samples/active-oct.csv'], { cwd: root, timeout: 30_000 }),
      (e: { code: number; stderr: string }) => {
        assert.equal(e.code, 2);
        assert.match(e.stderr, /drop: No Agents Playground answers at http:\/\/127\.0\.0\.1:9 .*start PassLens with "npm start"/);
        return true;
      },
    );
  });
});
