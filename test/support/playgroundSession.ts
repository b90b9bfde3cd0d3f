import type { Browser, Page } from 'playwright-core';
import { startPassLens, type RunningPassLens } from '../../src/index';
import { freePort, launchChromium, waitForHttp } from './chromium';

/**
 * `npm start`'s code path (the bot and the Agents Playground) on free ports, and
 * Chromium with the Playground open, as an admin would have it.
 */
export interface PlaygroundSession {
  running: RunningPassLens;
  browser: Browser;
  page: Page;
  close(): Promise<void>;
}

export async function openPlayground(env: Record<string, string> = {}): Promise<PlaygroundSession> {
  const [port, playgroundPort] = [await freePort(), await freePort()];
  const running = await startPassLens({
    playground: true,
    env: { PORT: String(port), PASSLENS_PLAYGROUND_PORT: String(playgroundPort), ...env },
    logger: { info: () => {}, error: () => {} },
  });
  try {
    if (running.playgroundUrl !== `http://localhost:${playgroundPort}`) throw new Error(`Playground at ${running.playgroundUrl}, expected port ${playgroundPort}`);
    await waitForHttp(`${running.playgroundUrl}/_internal/v1/config`);
  } catch (e) {
    // A Playground that did not come up (it exits 1 on a config file it rejects) must not leave the bot holding mocha open.
    await running.close();
    throw e;
  }
  const browser = await launchChromium();
  const page = await browser.newPage({ viewport: { width: 1300, height: 1600 } });
  await page.goto(running.playgroundUrl, { waitUntil: 'networkidle' });
  return {
    running,
    browser,
    page,
    close: async () => {
      await browser.close();
      await running.close();
    },
  };
}
