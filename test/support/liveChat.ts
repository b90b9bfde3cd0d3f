import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPassLens, type RunningPassLens } from '../../src/index';
import { FakeConnector } from './fakeConnector';
import { freePort } from './chromium';
import type { TenantSimulator } from './tenantSimulator';

/**
 * The real bot over HTTP on the tenant simulator (local mode, unsigned activities trusted,
 * no digest timer, a data folder of its own), with a connector that records what it posts,
 * and messages sent to it as Teams sends them.
 */
export interface LiveChat {
  running: RunningPassLens;
  connector: FakeConnector;
  /** Sends a message; resolves when the bot has answered the request, with its id and what was posted meanwhile. */
  say(conversation: string, text: string): Promise<{ id: string; ms: number; posted: FakeConnector['posts'] }>;
  close(): Promise<void>;
}

export async function startLiveChat(sim: TenantSimulator, env: Record<string, string> = {}): Promise<LiveChat> {
  const connector = await new FakeConnector().start();
  const dataDir = mkdtempSync(join(tmpdir(), 'passlens-live-chat-'));
  const running = await startPassLens({
    env: { ...sim.env(), PORT: String(await freePort()), PASSLENS_DIGEST_TIMER: 'off', PASSLENS_DATA_DIR: dataDir, PASSLENS_LOCAL_TRUST_ACTIVITY_IDENTITY: 'true', ...env },
    logger: { info: () => {}, error: () => {} },
  });
  let n = 0;
  return {
    running,
    connector,
    async say(conversation, text) {
      const id = `m-${++n}`;
      const before = connector.posts.length;
      const started = Date.now();
      const res = await fetch(`http://127.0.0.1:${running.port}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          type: 'message',
          id,
          channelId: 'msteams',
          serviceUrl: connector.url,
          from: { id: '29:admin', name: 'Alex Admin', aadObjectId: 'aaaaaaaa-0000-0000-0000-000000000001' },
          recipient: { id: '28:passlens', name: 'PassLens' },
          conversation: { id: conversation, conversationType: 'personal', tenantId: sim.env().PASSLENS_TENANT_ID },
          text,
        }),
      });
      assert.equal(res.status, 200);
      return { id, ms: Date.now() - started, posted: connector.posts.slice(before) };
    },
    async close() {
      await running.close();
      await connector.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
