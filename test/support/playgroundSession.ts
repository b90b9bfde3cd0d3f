import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
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

/**
 * The Playground on a live (simulated) tenant, greeted and ready. Its chats come from that
 * tenant, as Teams' would from the admin's own (PassLens answers only its own organisation):
 * its config file (M365_AGENTS_PLAYGROUND_CONFIG_PATH, schema 0.1.1) names it. A data
 * directory of its own; close() removes it and the config path.
 */
export async function openLivePlayground(tenantId: string, env: Record<string, string>): Promise<PlaygroundSession> {
  const dataDir = mkdtempSync(join(tmpdir(), 'passlens-live-e2e-'));
  const config = join(dataDir, 'playground.yml');
  writeFileSync(config, playgroundConfig(tenantId));
  process.env.M365_AGENTS_PLAYGROUND_CONFIG_PATH = config;
  const forget = () => {
    delete process.env.M365_AGENTS_PLAYGROUND_CONFIG_PATH;
    rmSync(dataDir, { recursive: true, force: true });
  };
  let session: PlaygroundSession | undefined;
  try {
    session = await openPlayground({ PASSLENS_DATA_DIR: dataDir, PASSLENS_AUDIT_POLL_SECONDS: '0.05', PASSLENS_LOCAL_TRUST_ACTIVITY_IDENTITY: 'true', PASSLENS_DIGEST_TIMER: 'off', ...env });
    await session.page.getByText('Hi, I am PassLens').first().waitFor({ timeout: 60_000 });
  } catch (e) {
    await session?.close();
    forget();
    throw e;
  }
  const opened = session;
  return {
    ...opened,
    close: async () => {
      await opened.close();
      forget();
    },
  };
}

/** Types a message into the Playground's chat box and sends it, as the admin would. */
export async function say(page: Page, text: string): Promise<void> {
  await page.locator('[data-lexical-editor="true"]').click();
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
}

/** Asks `question` and waits for the card that answers it, showing `title`. */
export async function cardAnswering(page: Page, question: string, title: string | RegExp): Promise<Locator> {
  const before = await page.locator('.ac-adaptiveCard').count();
  await say(page, question);
  const card = page.locator('.ac-adaptiveCard').nth(before);
  await card.waitFor({ timeout: 60_000 });
  await card.getByText(title).first().waitFor({ timeout: 60_000 });
  return card;
}

/**
 * The Agents Playground's built-in configuration (its whole user list: the Playground exits
 * with status 1 on a shorter one) with another tenant id, in its documented config file
 * format (schema 0.1.1, https://aka.ms/teams-app-test-tool-config-guide).
 */
export function playgroundConfig(tenantId: string): string {
  return [
    'version: "0.1.1"',
    `tenantId: ${tenantId}`,
    'bot:',
    '  id: 00000000-0000-0000-0000-00000000000011',
    '  name: Test Bot',
    'currentUser:',
    '  id: user-id-0',
    '  name: Alex Wilber',
    '  userPrincipleName: alexw@example.com',
    '  aadObjectId: 00000000-0000-0000-0000-0000000000020',
    '  givenName: Alex',
    '  surname: Wilber',
    '  email: alexw@example.com',
    'users:',
    '  - id: user-id-1',
    '    name: Megan Bowen',
    '    userPrincipleName: meganb@example.com',
    '    aadObjectId: 00000000-0000-0000-0000-0000000000021',
    '    givenName: Megan',
    '    surname: Bowen',
    '    email: meganb@example.com',
    '  - id: user-id-2',
    '    name: Adele Vance',
    '    userPrincipleName: adelev@example.com',
    '    aadObjectId: 00000000-0000-0000-0000-0000000000022',
    '    givenName: Adele',
    '    surname: Vance',
    '    email: adelev@example.com',
    '  - id: user-id-3',
    '    name: Isaiah Langer',
    '    userPrincipleName: isaiah@example.com',
    '    aadObjectId: 00000000-0000-0000-0000-0000000000023',
    '    givenName: Isaiah',
    '    surname: Langer',
    '    email: isaiahl@example.com',
    '  - id: user-id-4',
    '    name: Patti Fernandez',
    '    userPrincipleName: pattif@example.com',
    '    aadObjectId: 00000000-0000-0000-0000-0000000000024',
    '    givenName: Patti',
    '    surname: Fernandez',
    '    email: pattif@example.com',
    '  - id: user-id-5',
    '    name: Lynne Robbins',
    '    userPrincipleName: lynner@example.com',
    '    aadObjectId: 00000000-0000-0000-0000-0000000000025',
    '    givenName: Lynne',
    '    surname: Robbins',
    '    email: lynner@example.com',
    'personalChat:',
    '  id: personal-chat-audit',
    'groupChat:',
    '  id: group-chat-audit',
    '  name: Group Chat',
    'team:',
    '  id: team-id',
    '  name: My Team',
    '  aadGroupId: 00000000-0000-0000-0000-000000000031',
    '  channels:',
    '    - id: channel-announcements-id',
    '      name: Announcements',
    '',
  ].join('\n');
}
