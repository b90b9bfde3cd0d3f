import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPassLens } from '../../src/index';
import { FileStorage } from '../../src/storage/fileStorage';
import { SubscriptionStore } from '../../src/digest/subscriptions';
import { freePort } from '../support/chromium';
import { FakeConnector } from '../support/fakeConnector';
import { ADMIN_OID, botHarness, cardText, lastCard, TENANT_ID } from '../support/botHarness';

/**
 * Local mode (no bot identity) receives unsigned activities: whoever can reach the port
 * writes from.aadObjectId and serviceUrl. These are the attacks of the fault run.
 */
const quiet = { info: () => {}, error: () => {} };
const dataDir = () => mkdtempSync(join(tmpdir(), 'passlens-spoof-'));

describe('reliability: spoofed activities', function () {
  this.timeout(30_000);

  it('admins or live data without a bot identity refuse to start, naming MicrosoftAppId, unless trust is asked for', async () => {
    const base = { PORT: String(await freePort()), PASSLENS_DIGEST_TIMER: 'off', PASSLENS_DATA_DIR: dataDir() };
    await assert.rejects(startPassLens({ env: { ...base, PASSLENS_ADMINS: ADMIN_OID }, logger: quiet }), (e: Error) => e.name === 'ConfigError' && /MicrosoftAppId/.test(e.message) && !e.message.includes('\n'));
    const live = { PASSLENS_TENANT_ID: TENANT_ID, PASSLENS_CLIENT_ID: '22222222-0000-0000-0000-000000000000', PASSLENS_CLIENT_SECRET: 'reader-secret' };
    await assert.rejects(startPassLens({ env: { ...base, ...live }, logger: quiet }), /MicrosoftAppId/);
    const trusted = await startPassLens({ env: { ...base, PASSLENS_ADMINS: ADMIN_OID, PASSLENS_LOCAL_TRUST_ACTIVITY_IDENTITY: 'true' }, logger: quiet });
    await trusted.close();
  });

  it('local mode listens on 127.0.0.1 only, unless HOST is set', async function () {
    const external = Object.values(networkInterfaces())
      .flat()
      .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;
    if (!external) this.skip();
    const probe = async (port: number, host: string) =>
      fetch(`http://${host}:${port}/healthz`, { signal: AbortSignal.timeout(3000) }).then(
        (r) => r.status,
        () => 'unreachable',
      );
    const local = await startPassLens({ env: { PORT: String(await freePort()), PASSLENS_DIGEST_TIMER: 'off', PASSLENS_DATA_DIR: dataDir() }, logger: quiet });
    try {
      assert.equal(await probe(local.port, '127.0.0.1'), 200);
      assert.equal(await probe(local.port, external!), 'unreachable', `reachable on ${external}`);
    } finally {
      await local.close();
    }
    const open = await startPassLens({ env: { PORT: String(await freePort()), HOST: '0.0.0.0', PASSLENS_DIGEST_TIMER: 'off', PASSLENS_DATA_DIR: dataDir() }, logger: quiet });
    try {
      assert.equal(await probe(open.port, external!), 200);
    } finally {
      await open.close();
    }
  });

  it('a UPN-listed admin is looked up only at the configured Teams connector, never at the serviceUrl the caller wrote', async () => {
    const attacker = await new FakeConnector().start();
    const teams = await new FakeConnector().start();
    attacker.memberUpns.set('29:mallory', 'alex@contoso.com');
    teams.memberUpns.set('29:alex', 'alex@contoso.com');
    const running = await startPassLens({
      env: { PORT: String(await freePort()), PASSLENS_ADMINS: 'alex@contoso.com', PASSLENS_LOCAL_TRUST_ACTIVITY_IDENTITY: 'true', PASSLENS_TEAMS_SERVICE_URL: teams.url, PASSLENS_DIGEST_TIMER: 'off', PASSLENS_DATA_DIR: dataDir() },
      logger: quiet,
    });
    const say = (serviceUrl: string, from: string, conversation: string) =>
      fetch(`http://127.0.0.1:${running.port}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ type: 'message', id: `m-${conversation}`, text: 'are we over?', channelId: 'msteams', serviceUrl, from: { id: from }, recipient: { id: '28:passlens' }, conversation: { id: conversation, conversationType: 'personal' } }),
      });
    try {
      assert.equal((await say(attacker.url, '29:mallory', 'spoof')).status, 200);
      assert.deepEqual(attacker.memberLookups, [], 'the caller\'s own connector is never asked who the caller is');
      const refused = JSON.stringify(attacker.posts.map((p) => p.activity));
      assert.match(refused, /admins only/);
      assert.doesNotMatch(refused, /Contoso Sales|Over by/);
      assert.equal((await say(teams.url, '29:alex', 'real')).status, 200);
      assert.deepEqual(teams.memberLookups, ['29:alex']);
      assert.match(JSON.stringify(teams.posts.map((p) => p.activity)), /Over by 3/);
    } finally {
      await running.close();
      await attacker.stop();
      await teams.stop();
    }
  });

  it('stores conversation references only for allowed callers', async () => {
    const store = new SubscriptionStore(new FileStorage(dataDir()));
    const h = botHarness({ subscriptions: store, conversationId: 'stranger-chat' });
    await h.say({ text: 'hello', from: { id: '29:other', name: 'Someone', aadObjectId: 'bbbbbbbb-0000-0000-0000-000000000009' } });
    assert.equal(await store.reference('stranger-chat'), undefined, 'a refused caller leaves nothing behind');
    const admin = botHarness({ subscriptions: store, conversationId: 'admin-chat' });
    await admin.say('help');
    assert.ok(await store.reference('admin-chat'), 'an admin\'s conversation is kept for the digest');
  });

  it('error cards do not echo what the request carried', async () => {
    const h = botHarness();
    const crafted = '[Re-authenticate here](https://evil.example/login)';
    const envCard = cardText(lastCard(await h.say({ value: { verb: 'environment', environmentId: crafted } })));
    assert.match(envCard, /no longer in the data/);
    assert.ok(!envCard.includes('evil.example'), envCard);
    const userCard = cardText(lastCard(await h.say({ value: { verb: 'user', upn: crafted } })));
    assert.ok(!userCard.includes('evil.example'), userCard);
  });
});
