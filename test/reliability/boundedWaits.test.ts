import assert from 'node:assert/strict';
import type { Activity } from 'botbuilder';
import http from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../../src/config';
import { startPassLens } from '../../src/index';
import { LiveTenantSource } from '../../src/tenant/live/liveSource';
import { TenantService } from '../../src/tenant/tenantService';
import { FileTransfers } from '../../src/tenant/fileTransfer';
import { LIST_PRICES } from '../../src/licensing/prices';
import { buildDemoTenant } from '../../src/tenant/demo/demoTenant';
import type { TenantSnapshot } from '../../src/licensing/snapshot';
import { NO_FAULTS, TenantSimulator } from '../support/tenantSimulator';
import { ADMIN_OID, botHarness, cardText, lastCard, TENANT_ID, type Harness } from '../support/botHarness';
import { freePort } from '../support/chromium';
import { FakeConnector } from '../support/fakeConnector';
import { FileDropServer } from '../support/fileDrop';
import { readFileSync } from 'node:fs';

/**
 * Issue 23, items 4 and 5: every wait has a bound. The fault run saw `Retry-After: 3600`
 * stall a refresh and every chat answer, and a host dripping a byte every 5 s hold a
 * download, the chat's turn, "new upload" and shutdown for 47 minutes.
 */
const MONTH = '2026-11';

/** A file host on loopback (under the local drop path) that sends the header row, then one byte every `everyMs`, forever. */
async function drippingHost(everyMs: number): Promise<{ url: (name: string) => string; requests: () => number; stop: () => Promise<void> }> {
  const open = new Set<http.ServerResponse>();
  let requests = 0;
  const server = http.createServer((_req, res) => {
    requests++;
    open.add(res);
    res.writeHead(200, { 'content-type': 'text/csv' });
    res.write('User principal name,App name,App ID,Environment name,Environment ID,License type\n');
    const timer = setInterval(() => res.write('a'), everyMs);
    res.on('close', () => {
      clearInterval(timer);
      open.delete(res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/passlens-drop`;
  return {
    url: (name) => `${base}/${name}`,
    requests: () => requests,
    stop: async () => {
      for (const res of open) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * Activities sent together, each in its conversation, as Teams sends them on separate
 * requests: each one's replies (by replyToId) and how long its turn took.
 */
async function together(h: Harness, activities: { conversation: string; activity: Record<string, unknown> }[]): Promise<{ replies: Partial<Activity>[]; ms: number }[]> {
  const started = Date.now();
  const took = await Promise.all(
    activities.map(async ({ conversation, activity }, i) => {
      await h.adapter.receiveActivity({ type: 'message', id: `a-${i}-${started}`, conversation: { id: conversation, tenantId: TENANT_ID, conversationType: 'personal' }, ...activity } as Partial<Activity>);
      return Date.now() - started;
    }),
  );
  const queue = h.adapter.activeQueue.splice(0);
  return activities.map((_, i) => ({ replies: queue.filter((r) => r.replyToId === `a-${i}-${started}`), ms: took[i] }));
}

const dropOf = (name: string, url: string) => ({ attachments: [{ contentType: 'application/vnd.microsoft.teams.file.download.info', name, content: { downloadUrl: url, uniqueId: 'x', fileType: 'csv' } }] });

describe('reliability: bounded waits', function () {
  this.timeout(120_000);

  describe('Retry-After past the cap', () => {
    let sim: TenantSimulator;
    before(async () => (sim = await new TenantSimulator().start()));
    after(() => sim.stop());

    it('Retry-After: 3600 on one environment\'s apps: the refresh ends under 90 s, that environment\'s allocation is kept and its apps are named as not read', async () => {
      const env = sim.seed.environments.find((e) => e.allocatedPasses && (sim.seed.apps ?? []).some((a) => a.environmentId === e.id))!;
      sim.reset({ ...NO_FAULTS, insight: 'answers', throttledPath: { path: new RegExp(`/environments/${env.id}/apps$`), retryAfter: 3600 } });
      const live = new LiveTenantSource(loadConfig(sim.env()).live!);
      let snapshot: TenantSnapshot | null = null;
      const service = new TenantService(async () => (snapshot = (await live.read({ month: MONTH, backoffMs: 10 })).snapshot), { ttlMs: 60_000, prices: LIST_PRICES });
      const started = Date.now();
      const tenant = await service.refresh();
      const seconds = (Date.now() - started) / 1000;
      assert.ok(seconds < 90, `${seconds} s`);
      assert.ok(tenant.report.environments.some((e) => e.id === env.id), 'the environment is in the report');
      const read = snapshot!.environments.find((e) => e.id === env.id)!;
      assert.equal(read.allocatedPasses, env.allocatedPasses, 'the allocation read by another call is kept');
      assert.match(read.dataError ?? '', /Apps: .*asked it to wait 3600 s, longer than the 60 s/);
      const warnings = snapshot!.sources[0].warnings ?? [];
      assert.ok(warnings.some((w) => w.startsWith('Apps could not be read in 1 environment(s)') && w.includes(env.name)), warnings.join('\n'));
      assert.equal((snapshot!.apps ?? []).filter((a) => a.environmentId === env.id).length, 0);
      assert.ok((snapshot!.apps ?? []).length > 0, 'the other environments\' apps are read');
      assert.equal(sim.calls.filter((c) => c.path.endsWith(`/environments/${env.id}/apps`)).length, 1, 'no retry inside the hour');
    });

    it('PASSLENS_RETRY_AFTER_CAP_SECONDS sets the cap', async () => {
      assert.equal(loadConfig({ ...sim.env(), PASSLENS_RETRY_AFTER_CAP_SECONDS: '5' }).live!.retryAfterCapMs, 5000);
      const env = sim.seed.environments[0];
      sim.reset({ ...NO_FAULTS, throttledPath: { path: new RegExp(`/environments/${env.id}/apps$`), retryAfter: 2 } });
      const live = new LiveTenantSource(loadConfig({ ...sim.env(), PASSLENS_RETRY_AFTER_CAP_SECONDS: '1' }).live!);
      const { snapshot } = await live.read({ month: MONTH, backoffMs: 10 });
      assert.match(snapshot.environments.find((e) => e.id === env.id)!.dataError ?? '', /asked it to wait 2 s, longer than the 1 s/);
    });
  });

  describe('a chat turn that waits on the tenant', () => {
    it('answers within its bound, saying what is missing and to ask again or say "refresh"; another chat and "new upload" are not held', async () => {
      let release: () => void = () => {};
      const slowTenant = new Promise<void>((resolve) => (release = resolve));
      const h = botHarness({ loader: async () => (await slowTenant, buildDemoTenant()), tenantWaitMs: 1000 });
      // The question reader trains on its first use: that wait is not the tenant's.
      await together(h, [{ conversation: 'conv-0', activity: { text: 'help' } }]);
      const [answer, other, fresh] = await together(h, [
        { conversation: 'conv-1', activity: { text: 'overview' } },
        { conversation: 'conv-2', activity: { text: 'help' } },
        { conversation: 'conv-1', activity: { text: 'new upload' } },
      ]);
      assert.ok(answer.ms < 1800, `${answer.ms} ms: the names and the answer share one bound`);
      const text = cardText(lastCard(answer.replies));
      assert.match(text, /Your tenant is still being read/);
      assert.match(text, /environments, apps, allocations and licenses are not here yet/);
      assert.match(text, /refresh/);
      // Within the same bound (a typed sentence waits at most that long for the tenant's names), not behind the reading.
      assert.ok(other.ms < 1800 && fresh.ms < 1800, `another chat ${other.ms} ms, "new upload" ${fresh.ms} ms`);
      assert.ok(cardText(lastCard(other.replies)).length > 0 && cardText(lastCard(fresh.replies)).length > 0);
      release();
      assert.doesNotMatch(cardText(lastCard(await h.say('overview'))), /still being read/, 'the reading finished for the next question');
    });
    it('a drop while the tenant is read answers within the bound, and "new upload" in that chat is not held behind it', async () => {
      const host = await new FileDropServer().start();
      host.files['/sep.csv'] = readFileSync(join(__dirname, '../../docs/samples/active-sep.csv'));
      let release: () => void = () => {};
      const slowTenant = new Promise<void>((resolve) => (release = resolve));
      try {
        const h = botHarness({ loader: async () => (await slowTenant, buildDemoTenant()), tenantWaitMs: 1000 });
        await together(h, [{ conversation: 'conv-0', activity: { text: 'help' } }]);
        const [dropped, fresh] = await together(h, [
          { conversation: 'conv-1', activity: host.drop('sep.csv', '/sep.csv') },
          { conversation: 'conv-1', activity: { text: 'new upload' } },
        ]);
        assert.ok(dropped.ms < 2500 && fresh.ms < 2500, `the drop ${dropped.ms} ms, "new upload" ${fresh.ms} ms`);
        assert.match(cardText(lastCard(dropped.replies)), /inventory, which an upload is read against, is not here yet/);
        assert.ok(cardText(lastCard(fresh.replies)).length > 0);
      } finally {
        release();
        host.stop();
      }
    });
  });

  describe('downloads with a deadline and a minimum rate', () => {
    it('a host dripping bytes is given up within the rate window and named; nothing it sent is on the card', async () => {
      const host = await drippingHost(200);
      try {
        const h = botHarness({ transfers: new FileTransfers({ domains: [], localDrop: true }, { limits: { rateWindowMs: 1000, minBytesPerSecond: 1024 } }) });
        const started = Date.now();
        const text = cardText(lastCard(await h.say(dropOf('slow.csv', host.url('slow.csv')))));
        assert.ok(Date.now() - started < 5000);
        assert.match(text, /slower than 1 KB\/s: PassLens gave up on it/);
        assert.doesNotMatch(text, /User principal name|aaaa/);
      } finally {
        await host.stop();
      }
    });

    it('a host fast enough but past the total deadline is given up at the deadline', async () => {
      const host = await drippingHost(1);
      try {
        const h = botHarness({ transfers: new FileTransfers({ domains: [], localDrop: true }, { limits: { deadlineMs: 1500, minBytesPerSecond: 1, rateWindowMs: 60_000 } }) });
        const started = Date.now();
        const text = cardText(lastCard(await h.say(dropOf('long.csv', host.url('long.csv')))));
        assert.ok(Date.now() - started < 5000);
        assert.match(text, /took longer than 2 s to transfer/);
      } finally {
        await host.stop();
      }
    });

    it('"new upload" during a stalled download answers at once and stops the download', async () => {
      const host = await drippingHost(500);
      try {
        const h = botHarness();
        const conversation = { id: 'conv-1', tenantId: TENANT_ID, conversationType: 'personal' };
        const dropping = h.adapter.receiveActivity({ type: 'message', id: 'drop', conversation, ...dropOf('slow.csv', host.url('slow.csv')) } as Partial<Activity>);
        while (host.requests() === 0) await new Promise((r) => setTimeout(r, 20));
        const started = Date.now();
        await h.adapter.receiveActivity({ type: 'message', id: 'fresh', conversation, text: 'new upload' } as Partial<Activity>);
        assert.ok(Date.now() - started < 3000, `"new upload" took ${Date.now() - started} ms`);
        await dropping;
        const queue = h.adapter.activeQueue.splice(0);
        assert.ok(cardText(lastCard(queue.filter((r) => r.replyToId === 'fresh'))).length > 0);
        assert.match(cardText(lastCard(queue.filter((r) => r.replyToId === 'drop'))), /a new upload was asked for/);
      } finally {
        await host.stop();
      }
    });

    it('shutdown completes within its bound with a download in flight (the real bot over HTTP)', async () => {
      const host = await drippingHost(500);
      const connector = await new FakeConnector().start();
      const running = await startPassLens({
        env: { PORT: String(await freePort()), PASSLENS_ADMINS: ADMIN_OID, PASSLENS_LOCAL_TRUST_ACTIVITY_IDENTITY: 'true', PASSLENS_DIGEST_TIMER: 'off', PASSLENS_DATA_DIR: mkdtempSync(join(tmpdir(), 'passlens-bounded-')) },
        logger: { info: () => {}, error: () => {} },
      });
      try {
        const posting = fetch(`http://127.0.0.1:${running.port}/api/messages`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            type: 'message',
            id: 'm-1',
            channelId: 'msteams',
            serviceUrl: connector.url,
            from: { id: `29:${ADMIN_OID}`, name: 'Alex Admin', aadObjectId: ADMIN_OID },
            recipient: { id: '28:passlens', name: 'PassLens' },
            conversation: { id: 'chat-shutdown', conversationType: 'personal' },
            ...dropOf('slow.csv', host.url('slow.csv')),
          }),
        }).catch(() => null);
        while (host.requests() === 0) await new Promise((r) => setTimeout(r, 20));
        const started = Date.now();
        await running.close();
        const seconds = (Date.now() - started) / 1000;
        assert.ok(seconds < 7, `shutdown took ${seconds} s`);
        await posting;
      } finally {
        await host.stop();
        await connector.stop();
      }
    });
  });
});
