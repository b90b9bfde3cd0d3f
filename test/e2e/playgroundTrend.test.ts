import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { artifactPath } from '../support/chromium';
import { openPlayground, type PlaygroundSession } from '../support/playgroundSession';

/**
 * End to end: two monthly Active users reports dropped into the personal chat. The Agents
 * Playground has no file upload, so the drop is sent as Teams sends it (a message with two
 * application/vnd.microsoft.teams.file.download.info attachments, whose downloadUrl a local
 * server answers) through the Playground's own "Mock an Activity > Custom activity" editor.
 * The Playground draws the chart; hosts that cannot get its FactSet fallback.
 */
describe('end to end: two monthly reports dropped in the Agents Playground (Chromium)', function () {
  this.timeout(120_000);
  let session: PlaygroundSession;
  let page: Page;
  let files: http.Server;
  let base = '';

  before(async () => {
    const samples = join(__dirname, '../../docs/samples');
    files = http.createServer((req, res) => {
      // Served where a local bot fetches dropped files from (src/tenant/fileHosts.ts, LOCAL_DROP_PATH).
      const name = (req.url ?? '').replace(/^\/passlens-drop\//, '');
      if (!/^active-(sep|oct)\.csv$/.test(name)) {
        res.statusCode = 404;
        res.end();
        return;
      }
      res.setHeader('content-type', 'text/csv');
      res.end(readFileSync(join(samples, name)));
    });
    await new Promise<void>((resolve) => files.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(files.address() as AddressInfo).port}/passlens-drop`;
    session = await openPlayground();
    page = session.page;
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: session.running.playgroundUrl! });
    await page.getByText('Hi, I am PassLens').first().waitFor({ timeout: 30_000 });
  });

  after(async () => {
    await session?.close();
    files?.close();
  });

  /** Sends a message with files attached, as Teams sends a drop, through the Playground's custom activity editor. */
  async function dropFiles(...names: string[]): Promise<void> {
    await page.getByRole('button', { name: 'Mock an Activity' }).click();
    await page.getByText('Custom activity', { exact: true }).click();
    const editor = page.locator('[role=dialog] .monaco-editor');
    await editor.waitFor();
    await editor.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Control+C');
    // The Playground's template carries this conversation's ids and connector: kept, made a message with two files.
    const activity = JSON.parse(await page.evaluate(() => navigator.clipboard.readText()));
    const file = (name: string) => ({ contentType: 'application/vnd.microsoft.teams.file.download.info', name, content: { downloadUrl: `${base}/${name}`, uniqueId: name, fileType: 'csv' } });
    Object.assign(activity, { type: 'message', text: '', attachments: names.map(file) });
    await page.evaluate((text) => navigator.clipboard.writeText(text), JSON.stringify(activity, null, 2));
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Control+V');
    await page.getByRole('button', { name: 'Send activity' }).click();
  }

  it('answers with the trend of both months, the files named, and the chart drawn', async () => {
    await dropFiles('active-sep.csv', 'active-oct.csv');
    const trend = page.locator('.ac-adaptiveCard', { hasText: 'Since September 2026' }).last();
    await trend.waitFor({ timeout: 60_000 });
    const text = (await trend.innerText()).replace(/\s+/g, ' ');
    assert.match(text, /Uploaded active-sep\.csv; Uploaded active-oct\.csv/);
    // The demo tenant's inventory (allocations) with the uploaded months' usage.
    assert.match(text, /Since September 2026: booked as AppPass 41 → 24 \(-17\), overage 6 → 0 \(-6\)/);
    assert.match(text, /Contoso Sales \(Prod\): 2026-09 booked 31 · needed 7 · overage 6 · idle 0; 2026-10 booked 12 · needed 8 · overage 0 · idle 13/);
    // The Playground draws Chart.Line (an SVG with its axes), not the fallback.
    assert.ok((await trend.locator('svg').count()) > 0, 'the chart is drawn');
    assert.match(text, /Month/);
    await trend.scrollIntoViewIfNeeded();
    await trend.screenshot({ path: artifactPath('08-trend.png') });
    await page.screenshot({ path: artifactPath('09-trend-chat.png'), fullPage: true });
  });

  it('combines files dropped one after another, says so on the card, and starts over with "New upload"', async () => {
    // The two months of the test before are this chat's set: its card's button starts over.
    await page.getByRole('button', { name: 'New upload' }).last().click();
    await page.locator('.ac-adaptiveCard', { hasText: 'Uploads cleared' }).last().waitFor({ timeout: 30_000 });
    await dropFiles('active-sep.csv');
    const alone = page.locator('.ac-adaptiveCard', { hasText: 'The analysis of active-sep.csv alone' }).last();
    await alone.waitFor({ timeout: 60_000 });
    await dropFiles('active-oct.csv');
    const combined = page.locator('.ac-adaptiveCard', { hasText: 'One analysis of the 2 files dropped here' }).last();
    await combined.waitFor({ timeout: 60_000 });
    const text = (await combined.innerText()).replace(/\s+/g, ' ');
    assert.match(text, /One analysis of the 2 files dropped here since \d\d:\d\d( UTC)?: active-sep\.csv, active-oct\.csv\./);
    assert.match(text, /"New upload" starts over/);
    const trend = page.locator('.ac-adaptiveCard', { hasText: 'Since September 2026' }).last();
    await trend.waitFor({ timeout: 60_000 });
    assert.match((await trend.innerText()).replace(/\s+/g, ' '), /Since September 2026: booked as AppPass 41 → 24 \(-17\), overage 6 → 0 \(-6\)/);
    await combined.scrollIntoViewIfNeeded();
    await combined.screenshot({ path: artifactPath('10-uploads-combined.png') });
  });
});
