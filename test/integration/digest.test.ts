import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { generateKeyPairSync } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudAdapter, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import { BlobsStorage } from 'botbuilder-azure-blobs';
import { FileStorage } from '../../src/storage/fileStorage';
import { isETagConflict, type StateStore, type StoreItems } from '../../src/storage/stateStore';
import { SubscriptionStore, type ConversationRef, type Subscription } from '../../src/digest/subscriptions';
import { DigestRunner, type DigestSender } from '../../src/digest/runner';
import { nextRun, parseSchedule } from '../../src/digest/schedule';
import { ProactiveSender } from '../../src/bot/proactiveSender';
import { analyzeSnapshot } from '../../src/licensing/analyze';
import { buildDemoTenant } from '../../src/tenant/demo/demoTenant';
import type { TenantSnapshot } from '../../src/licensing/snapshot';
import type { LicensingReport } from '../../src/licensing/report';
import { monthName } from '../../src/licensing/months';
import { startPassLens } from '../../src/index';
import { startAzurite, type AzuriteBlob } from '../support/azurite';
import { FakeConnector } from '../support/fakeConnector';
import { botHarness, cardText, lastCard, TENANT_ID } from '../support/botHarness';
import { freePort } from '../support/chromium';
import { TenantSimulator } from '../support/tenantSimulator';

const report = analyzeSnapshot(buildDemoTenant());
const MONDAY_0900 = new Date('2026-11-30T09:00:00Z'); // the Monday 08:00 UTC slot has passed

function reference(connector: FakeConnector, id: string): ConversationRef {
  return {
    channelId: 'msteams',
    serviceUrl: connector.url,
    conversation: { id, tenantId: TENANT_ID, conversationType: 'channel', isGroup: true },
    bot: { id: '28:passlens', name: 'PassLens' },
  } as ConversationRef;
}

function subscriptionOf(connector: FakeConnector, id: string): Subscription {
  return {
    conversationId: id,
    reference: reference(connector, id),
    schedule: parseSchedule('every monday 8:00'),
    active: true,
    createdBy: 'Alex Admin',
    createdAt: '2026-11-01T00:00:00Z',
  };
}

async function subscribe(store: SubscriptionStore, connector: FakeConnector, id: string): Promise<void> {
  await store.update(id, () => subscriptionOf(connector, id));
}

function realSender(): ProactiveSender {
  return new ProactiveSender(new CloudAdapter(new ConfigurationBotFrameworkAuthentication({})), '');
}

function runner(store: SubscriptionStore, sender: DigestSender, extra: Partial<ConstructorParameters<typeof DigestRunner>[0]> = {}): DigestRunner {
  return new DigestRunner({ subscriptions: store, sender, report: async () => report, leaseMs: 200, ...extra });
}

describe('weekly digest', function () {
  this.timeout(60_000);
  let azurite: AzuriteBlob;
  let connector: FakeConnector;

  before(async () => {
    [azurite, connector] = await Promise.all([startAzurite(), new FakeConnector().start()]);
  });
  after(async () => {
    await Promise.all([azurite?.stop(), connector?.stop()]);
  });
  beforeEach(() => {
    connector.posts.length = 0;
    connector.script.clear();
  });

  let containerCount = 0;
  const blobStore = (container = `digest-test-${++containerCount}`): BlobsStorage => new BlobsStorage(azurite.connectionString, container);

  describe('storage', () => {
    it('file store: atomic writes that survive a restart, and eTag checks across processes', async () => {
      const folder = mkdtempSync(join(tmpdir(), 'passlens-files-'));
      const a = new FileStorage(folder);
      await a.write({ k: { value: 1 } });
      const b = new FileStorage(folder);
      const item = (await b.read(['k'])).k;
      assert.equal(item.value, 1);
      await b.write({ k: { value: 2, eTag: item.eTag } });
      await assert.rejects(a.write({ k: { value: 3, eTag: item.eTag } }), (e: unknown) => isETagConflict(e));
      const current = (await a.read(['k'])).k;
      const contenders = await Promise.allSettled([1, 2, 3].map((i) => new FileStorage(folder).write({ k: { value: 100 + i, eTag: current.eTag } })));
      assert.equal(contenders.filter((r) => r.status === 'fulfilled').length, 1, 'exactly one conditional write wins');
    });

    it('blob store on Azurite: a stale eTag is a conflict', async () => {
      const store = blobStore();
      await store.write({ k: { value: 1 } });
      const item = (await store.read(['k'])).k;
      await store.write({ k: { value: 2, eTag: item.eTag } });
      await assert.rejects(store.write({ k: { value: 3, eTag: item.eTag } }), (e: unknown) => isETagConflict(e));
    });
  });

  it('two instances on one Azurite: every subscribed channel gets each week\'s digest exactly once', async () => {
    const container = `digest-test-${++containerCount}`;
    const shared = blobStore(container);
    const ids = ['19:a@thread.tacv2', '19:b@thread.tacv2', '19:c@thread.tacv2', '19:d@thread.tacv2', '19:e@thread.tacv2'];
    await Promise.all(ids.map((id) => subscribe(new SubscriptionStore(shared), connector, id)));
    assert.deepEqual((await new SubscriptionStore(shared).ids()).sort(), [...ids].sort(), 'no subscription lost in concurrent creation');
    // Two instances: each its own client of the same container.
    // A lease well above storage latency, as in production (10 minutes): a claim renewed on a loaded machine must not look dead.
    const one = runner(new SubscriptionStore(blobStore(container)), realSender(), { instanceId: 'one', leaseMs: 10_000 });
    const two = runner(new SubscriptionStore(blobStore(container)), realSender(), { instanceId: 'two', leaseMs: 10_000 });
    const [r1, r2] = await Promise.all([one.runDue(MONDAY_0900), two.runDue(MONDAY_0900)]);
    for (const id of ids) assert.equal(connector.delivered(id), 1, id);
    assert.equal(r1.sent.length + r2.sent.length, ids.length);
    await Promise.all([one.runDue(new Date(MONDAY_0900.getTime() + 60_000)), two.runDue(new Date(MONDAY_0900.getTime() + 120_000))]);
    for (const id of ids) assert.equal(connector.delivered(id), 1, `${id}: not again in the same week`);
    const next = new Date('2026-12-07T08:30:00Z');
    await Promise.all([one.runDue(next), two.runDue(next)]);
    for (const id of ids) assert.equal(connector.delivered(id), 2, `${id}: once the next week`);
    const card = connector.posts.find((p) => p.status < 300)!.activity as { attachments: { content: unknown }[] };
    assert.match(cardText(card.attachments[0].content), /Weekly per-app pass digest/);
  });

  it('an instance killed mid-run: the other completes what was not sent, nothing twice', async () => {
    const shared = blobStore();
    const store = new SubscriptionStore(shared);
    const ids = ['19:k1@thread', '19:k2@thread', '19:k3@thread', '19:k4@thread'];
    for (const id of ids) await subscribe(store, connector, id);
    const sender = realSender();
    let sends = 0;
    // The doomed instance sends two digests, then dies on the third: its send and its
    // storage calls (claim renewals included) never come back.
    let dead = false;
    const never = new Promise<never>(() => {});
    const doomedStore: StateStore = { read: (k) => (dead ? never : shared.read(k)), write: (c) => (dead ? never : shared.write(c)), delete: (k) => (dead ? never : shared.delete(k)) };
    const dying: DigestSender = { send: (ref, card) => (++sends <= 2 ? sender.send(ref, card) : ((dead = true), never)) };
    void runner(new SubscriptionStore(doomedStore), dying, { instanceId: 'doomed' }).runDue(MONDAY_0900);
    // Until the two posts are out (a fixed second was too short on a loaded machine).
    for (let waited = 0; connector.posts.length < 2 && waited < 15_000; waited += 50) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(connector.posts.length, 2);
    const survivor = runner(new SubscriptionStore(shared), realSender(), { instanceId: 'survivor' });
    await survivor.runDue(new Date(MONDAY_0900.getTime() + 500));
    for (const id of ids) assert.equal(connector.delivered(id), 1, id);
  });

  for (const [status, code] of [
    [403, 'BotNotInConversationRoster'],
    [403, 'ConversationBlockedByUser'],
    [403, 'BotDisabledByAdmin'],
    [404, 'ConversationNotFound'],
  ] as const) {
    it(`bot removed or blocked (${status} ${code}): marked inactive with the reason, no retries; reinstalling reactivates`, async () => {
      const store = new SubscriptionStore(blobStore());
      const id = `19:gone-${code}@thread`;
      await subscribe(store, connector, id);
      connector.script.set(id, [{ status, code }]);
      const r = runner(store, realSender());
      const run = await r.runDue(MONDAY_0900);
      assert.equal(run.failed.length, 1);
      const sub = (await store.get(id))!;
      assert.equal(sub.active, false);
      assert.match(sub.inactiveReason ?? '', new RegExp(`${status} ${code}`));
      await r.runDue(new Date(MONDAY_0900.getTime() + 60_000));
      await r.runDue(new Date('2026-12-07T09:00:00Z'));
      assert.equal(connector.attempts(id), 1, 'no retry storm');
      // Reinstalled: Teams sends installationUpdate (add) in that conversation.
      const h = botHarness({ subscriptions: store, conversationType: 'channel', conversationId: id, serviceUrl: connector.url });
      await h.say({ type: 'installationUpdate', action: 'add', text: undefined });
      assert.equal((await store.get(id))!.active, true);
      await r.runDue(new Date('2026-12-14T09:00:00Z'));
      assert.equal(connector.delivered(id), 1);
    });
  }

  it('connector 429 and 5xx are retried with backoff; the final failure is recorded and shown in status', async () => {
    const store = new SubscriptionStore(blobStore());
    await subscribe(store, connector, '19:flaky@thread');
    await subscribe(store, connector, '19:down@thread');
    connector.script.set('19:flaky@thread', [{ status: 429, retryAfter: '1' }, { status: 502 }]);
    connector.script.set('19:down@thread', Array.from({ length: 20 }, () => ({ status: 503 })));
    const r = runner(store, realSender(), { maxAttempts: 2 });
    const started = Date.now();
    const run = await r.runDue(MONDAY_0900);
    assert.ok(Date.now() - started >= 1000, 'waited out Retry-After');
    assert.deepEqual(run.sent, ['19:flaky@thread']);
    assert.equal(connector.attempts('19:down@thread'), 4, 'one send and the connector client\'s three retries');
    const down = (await store.get('19:down@thread'))!;
    assert.match(down.lastError?.message ?? '', /after the connector's retries \(503/);
    assert.equal(down.active, true, 'transient: still subscribed');
    await r.runDue(new Date(MONDAY_0900.getTime() + 60_000));
    await r.runDue(new Date(MONDAY_0900.getTime() + 120_000));
    assert.equal(connector.attempts('19:down@thread'), 8, 'given up for the week after 2 runs');
    const h = botHarness({ subscriptions: store, conversationType: 'channel', conversationId: '19:down@thread', clock: () => MONDAY_0900 });
    const status = cardText(lastCard(await h.say('status')));
    assert.match(status, /Last error[\s\S]*503/);
    assert.match(status, /every Monday at 08:00 UTC/);
  });

  it('storage briefly unavailable: the run fails loudly, the next tick completes; nothing lost or sent twice', async () => {
    const inner = blobStore();
    const store = new SubscriptionStore(inner);
    for (const id of ['19:s1@thread', '19:s2@thread']) await subscribe(store, connector, id);
    let outage = true;
    const flaky: StateStore = {
      read: (keys) => (outage ? Promise.reject(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })) : inner.read(keys)),
      write: (changes: StoreItems) => (outage ? Promise.reject(new Error('connect ECONNREFUSED')) : inner.write(changes)),
      delete: (keys) => inner.delete(keys),
    };
    const r = runner(new SubscriptionStore(flaky), realSender());
    await assert.rejects(r.runDue(MONDAY_0900), /ECONNREFUSED/);
    outage = false;
    const run = await r.runDue(new Date(MONDAY_0900.getTime() + 60_000));
    assert.equal(run.sent.length, 2);
    assert.deepEqual((await store.ids()).sort(), ['19:s1@thread', '19:s2@thread']);
    await r.runDue(new Date(MONDAY_0900.getTime() + 120_000));
    for (const id of ['19:s1@thread', '19:s2@thread']) assert.equal(connector.delivered(id), 1);
  });

  describe('in the channel', () => {
    it('subscribe confirms the schedule and the next post; status, digest now and unsubscribe answer', async () => {
      const store = new SubscriptionStore(new FileStorage(mkdtempSync(join(tmpdir(), 'passlens-sub-'))));
      const now = new Date('2026-11-29T12:00:00Z');
      const h = botHarness({ subscriptions: store, conversationType: 'channel', conversationId: '19:general@thread', clock: () => now });
      const confirm = cardText(lastCard(await h.say('<at>PassLens</at> subscribe every monday 8:00 Europe/Berlin')));
      assert.match(confirm, /Subscribed to the weekly digest/);
      assert.match(confirm, /every Monday at 08:00 Europe\/Berlin/);
      assert.match(confirm, /Next post\nMon, 30 Nov 2026, 08:00 Europe\/Berlin/);
      assert.match(confirm, /Time zone\nEurope\/Berlin \(as you said\)/);
      assert.match(confirm, /To use another time zone, say "subscribe every monday 8:00 America\/New_York" \(an IANA name, a city or an abbreviation such as CET\)\./);
      const sub = (await store.get('19:general@thread'))!;
      assert.equal(sub.reference.conversation.tenantId, TENANT_ID);
      assert.ok(sub.reference.serviceUrl);
      assert.match(cardText(lastCard(await h.say('status'))), /State\nactive[\s\S]*Last post\nnone yet/);
      assert.match(cardText(lastCard(await h.say('digest now'))), /Weekly per-app pass digest[\s\S]*Contoso Sales \(Prod\)[\s\S]*overage 3/);
      assert.match(cardText(lastCard(await h.say('unsubscribe'))), /Unsubscribed/);
      assert.equal((await store.get('19:general@thread'))!.active, false);
      assert.match(cardText(lastCard(await h.say('subscribe every someday'))), /could not read that schedule/);
    });

    it('subscribes on a mention in own words, with the day, time and zone it names', async () => {
      const store = new SubscriptionStore(new FileStorage(mkdtempSync(join(tmpdir(), 'passlens-sub-'))));
      const now = new Date('2026-11-29T12:00:00Z');
      const h = botHarness({ subscriptions: store, conversationType: 'channel', conversationId: '19:own@thread', clock: () => now });
      const asks: [string, RegExp][] = [
        ['<at>PassLens</at> keep this team posted every week', /every Monday at 08:00 UTC[\s\S]*Next post\nMon, 30 Nov 2026, 08:00 UTC/],
        ['<at>PassLens</at> recap for this channel each Tuesday 7am New York time', /every Tuesday at 07:00 America\/New_York[\s\S]*Next post\nTue, 1 Dec 2026, 07:00 America\/New_York/],
        ['<at>PassLens</at> weekly on fridays 16:00 CET', /every Friday at 16:00 Europe\/Brussels/],
        ['<at>PassLens</at> could you post a weekly licensing recap here every Friday afternoon?', /every Friday at 15:00 UTC/],
      ];
      for (const [text, expected] of asks) assert.match(cardText(lastCard(await h.say(text))), expected, text);
      assert.equal((await store.get('19:own@thread'))!.schedule.timezone, 'UTC');
      const asker = await h.say({ text: '<at>PassLens</at> subscribe mondays at 9', localTimezone: 'Asia/Tokyo' });
      assert.match(cardText(lastCard(asker)), /every Monday at 09:00 Asia\/Tokyo/, "the asker's own zone when none is named");
      // A change that names a day only keeps the time (09:00); the zone none names is the asker's (scheduleChange.test.ts).
      const client = await h.say({ text: '<at>PassLens</at> subscribe fridays', entities: [{ type: 'clientInfo', locale: 'de-DE', timezone: 'Europe/Berlin' }] });
      assert.match(cardText(lastCard(client)), /every Friday at 09:00 Europe\/Berlin/, "or the zone of Teams' clientInfo");
      assert.match(cardText(lastCard(client)), /Time zone\nEurope\/Berlin \(your time zone in Teams\)/);
    });

    it('over HTTP: the confirmation names the zone it used and how to change it, from Teams\' clientInfo or, without it, UTC', async () => {
      const port = await freePort();
      const running = await startPassLens({
        env: { PORT: String(port), PASSLENS_DIGEST_TIMER: 'off', PASSLENS_DATA_DIR: mkdtempSync(join(tmpdir(), 'passlens-zone-')) },
        logger: { info: () => {}, error: () => {} },
      });
      const subscribe = async (conversation: string, extra: Record<string, unknown>): Promise<string> => {
        const before = connector.posts.length;
        const res = await fetch(`http://127.0.0.1:${port}/api/messages`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            type: 'message',
            id: `zone-${conversation}`,
            channelId: 'msteams',
            serviceUrl: connector.url,
            from: { id: '29:admin', name: 'Alex Admin' },
            recipient: { id: '28:passlens', name: 'PassLens' },
            conversation: { id: conversation, conversationType: 'channel', isGroup: true },
            text: '<at>PassLens</at> keep this team posted every week',
            entities: [{ type: 'mention', text: '<at>PassLens</at>', mentioned: { id: '28:passlens', name: 'PassLens' } }],
            ...extra,
          }),
        });
        assert.equal(res.status, 200);
        const card = connector.posts.slice(before).map((p) => (p.activity.attachments as { content: unknown }[] | undefined)?.[0]?.content).find(Boolean);
        assert.ok(card, 'a confirmation was posted');
        return cardText(card);
      };
      try {
        // As Teams sends it: a clientInfo entity with locale, country, platform and the client's IANA timezone (ClientInfoEntity,
        // learn.microsoft.com/dotnet/api/microsoft.teams.apps.schema.entities.clientinfoentity; a Teams activity as received in
        // learn.microsoft.com/answers/questions/1164816 carries { locale, country, platform, timezone: 'America/Halifax', type: 'clientInfo' }).
        const berlin = await subscribe('19:zone-teams@thread', { entities: [{ type: 'mention', text: '<at>PassLens</at>', mentioned: { id: '28:passlens', name: 'PassLens' } }, { type: 'clientInfo', locale: 'de-DE', country: 'DE', platform: 'Web', timezone: 'Europe/Berlin' }] });
        assert.match(berlin, /every Monday at 08:00 Europe\/Berlin/);
        assert.match(berlin, /Time zone\nEurope\/Berlin \(your time zone in Teams\)/);
        assert.match(berlin, /say "subscribe every monday 8:00 America\/New_York"/);
        const utc = await subscribe('19:zone-none@thread', {});
        assert.match(utc, /every Monday at 08:00 UTC/);
        assert.match(utc, /Time zone\nUTC \(Teams did not send your time zone\)/);
        assert.match(utc, /To use another time zone, say "subscribe every monday 8:00 Europe\/Berlin"/);
      } finally {
        await running.close();
      }
    });

    it('only admins may change a subscription', async () => {
      const store = new SubscriptionStore(new FileStorage(mkdtempSync(join(tmpdir(), 'passlens-sub-'))));
      const h = botHarness({ subscriptions: store, conversationType: 'channel', conversationId: '19:x@thread' });
      const text = cardText(lastCard(await h.say({ text: 'subscribe', from: { id: '29:other', name: 'Someone', aadObjectId: 'bbbbbbbb-0000-0000-0000-000000000009' } })));
      assert.match(text, /admins only/);
      assert.equal(await store.get('19:x@thread'), undefined);
    });

    it('captures the conversation reference on every message', async () => {
      const store = new SubscriptionStore(new FileStorage(mkdtempSync(join(tmpdir(), 'passlens-sub-'))));
      const h = botHarness({ subscriptions: store, conversationType: 'channel', conversationId: '19:ref@thread' });
      await h.say('help');
      const ref = await store.reference('19:ref@thread');
      assert.equal(ref?.conversation.id, '19:ref@thread');
    });
  });

  it('schedules follow the time zone across daylight saving', () => {
    const berlin = parseSchedule('every monday 8:00 Europe/Berlin');
    assert.equal(nextRun(berlin, new Date('2026-03-20T00:00:00Z')).toISOString(), '2026-03-23T07:00:00.000Z');
    assert.equal(nextRun(berlin, new Date('2026-03-27T00:00:00Z')).toISOString(), '2026-03-30T06:00:00.000Z');
    assert.deepEqual(parseSchedule(''), { cron: '0 8 * * 1', timezone: 'UTC', description: 'every Monday at 08:00 UTC', zoneFrom: 'default' });
    assert.match(parseSchedule('friday 5:30 pm America/New_York').description, /every Friday at 17:30 America\/New_York/);
    assert.throws(() => parseSchedule('every monday 8:00 Mars/Olympus'), /not a time zone/);
  });

  it('POST /api/digest needs the bearer secret, compared in constant time, and runs the digest', async () => {
    const secret = 'a-digest-secret-of-32-characters';
    const port = await freePort();
    const running = await startPassLens({
      env: { PORT: String(port), PASSLENS_DIGEST_SECRET: secret, PASSLENS_DIGEST_TIMER: 'external', PASSLENS_DATA_DIR: mkdtempSync(join(tmpdir(), 'passlens-srv-')) },
      logger: { info: () => {}, error: () => {} },
    });
    try {
      const post = (auth?: string) => fetch(`http://127.0.0.1:${port}/api/digest`, { method: 'POST', headers: auth ? { authorization: auth } : {} });
      assert.equal((await post()).status, 401);
      assert.equal((await post(`Bearer ${secret}x`)).status, 401);
      assert.equal((await post('Basic abc')).status, 401);
      const ok = await post(`Bearer ${secret}`);
      assert.equal(ok.status, 200);
      assert.deepEqual(await ok.json(), { sent: [], skipped: [], failed: [] });
    } finally {
      await running.close();
    }
  });

  it('POST /api/digest also accepts an Entra ID token for PASSLENS_DIGEST_AUDIENCE, checked against the tenant\'s keys', async () => {
    const sim = await new TenantSimulator().start();
    const port = await freePort();
    const audience = 'api://passlens-digest';
    const running = await startPassLens({
      env: { ...sim.env(), PASSLENS_LOCAL_TRUST_ACTIVITY_IDENTITY: 'true', PORT: String(port), PASSLENS_DIGEST_AUDIENCE: audience, PASSLENS_DIGEST_TIMER: 'external', PASSLENS_DATA_DIR: mkdtempSync(join(tmpdir(), 'passlens-srv-')) },
      logger: { info: () => {}, error: () => {} },
    });
    try {
      const post = (token: string) => fetch(`http://127.0.0.1:${port}/api/digest`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
      assert.equal((await post(sim.signAccessToken({ aud: audience }))).status, 200);
      assert.equal((await post(sim.signAccessToken({ aud: 'api://something-else' }))).status, 401, 'wrong audience');
      assert.equal((await post(sim.signAccessToken({ aud: audience, exp: Math.floor(Date.now() / 1000) - 3600 }))).status, 401, 'expired');
      assert.equal((await post(sim.signAccessToken({ aud: audience, tid: 'another-tenant' }))).status, 401, 'other tenant');
      const forged = sim.signAccessToken({ aud: audience }, generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey);
      assert.equal((await post(forged)).status, 401, 'signed by another key');
      assert.equal((await post('not-a-jwt')).status, 401);
    } finally {
      await running.close();
      await sim.stop();
    }
  });

  it('subscriptions keep their fields through storage', async () => {
    const store = new SubscriptionStore(blobStore());
    await subscribe(store, connector, '19:keep@thread');
    const sub = (await store.get('19:keep@thread')) as Subscription;
    assert.equal(sub.schedule.cron, '0 8 * * 1');
    assert.equal(sub.reference.serviceUrl, connector.url);
  });

  describe('trend on the live tenant, from the months the digest kept', () => {
    const SALES = 'Contoso Sales (Prod)';
    /** The demo tenant in another month, with its first `drop` AppPass launches in Sales gone (so each month's figures differ). */
    function demoIn(month: string, drop: number): TenantSnapshot {
      const demo = buildDemoTenant();
      const sales = demo.environments.find((e) => e.name === SALES)!.id;
      let dropped = 0;
      const launches = demo.launches.filter((l) => !(l.environmentId === sales && l.licenseType === 'AppPass' && dropped++ < drop)).map((l) => ({ ...l, month }));
      return { ...demo, launches };
    }
    const bookedInSales = (r: LicensingReport) => r.environments.find((e) => e.name === SALES)!.bookedAsAppPass;

    /** A channel subscribed in September whose digest the real runner posted on the given Mondays, each with that month's report. */
    async function postedDigests(posts: [string, LicensingReport][]): Promise<SubscriptionStore> {
      const store = new SubscriptionStore(new FileStorage(mkdtempSync(join(tmpdir(), 'passlens-trend-'))));
      await store.update('19:ops@thread', () => ({ ...subscriptionOf(connector, '19:ops@thread'), createdAt: '2026-09-01T00:00:00Z' }));
      for (const [monday, posted] of posts) {
        const result = await runner(store, realSender(), { report: async () => posted }).runDue(new Date(monday));
        assert.deepEqual(result.sent, ['19:ops@thread'], monday);
      }
      return store;
    }

    it('answers "since September" with the digest\'s September and October and the tenant\'s November, naming which is which and when it was posted', async () => {
      const sep = analyzeSnapshot(demoIn('2026-09', 10));
      const oct = analyzeSnapshot(demoIn('2026-10', 5));
      const store = await postedDigests([['2026-09-21T09:00:00Z', analyzeSnapshot(demoIn('2026-09', 12))], ['2026-09-28T09:00:00Z', sep], ['2026-10-26T09:00:00Z', oct]]);
      const nov = bookedInSales(report);
      assert.ok(new Set([bookedInSales(sep), bookedInSales(oct), nov]).size === 3, 'three months, three figures');
      // Asked in the personal chat: any subscription of this tenant lends its months.
      const h = botHarness({ subscriptions: store, clock: () => MONDAY_0900 });
      const text = cardText(lastCard(await h.say('how has Sales Prod changed since September')));
      assert.match(text, new RegExp(`Contoso Sales \\(Prod\\) since September 2026: booked as AppPass ${bookedInSales(sep)} → ${nov} \\(\\+${nov! - bookedInSales(sep)!}\\)`));
      assert.match(text, /September 2026 \(posted 2026-09-28\) and October 2026 \(posted 2026-10-26\): the weekly digest's figures, as its last post in each month left them; November 2026: this tenant's data as read now\./);
      const tenantWide = cardText(lastCard(await h.say('trend')));
      assert.match(tenantWide, new RegExp(`2026-09\n[^\n]*Contoso Sales \\(Prod\\) ${bookedInSales(sep)}[\\s\\S]*2026-10\n[^\n]*Contoso Sales \\(Prod\\) ${bookedInSales(oct)}[\\s\\S]*2026-11\n[^\n]*Contoso Sales \\(Prod\\) ${nov}`));
    });

    it('a month whose launches were not read stays unknown, never 0', async () => {
      const sep = analyzeSnapshot(demoIn('2026-09', 10));
      const store = await postedDigests([['2026-09-28T09:00:00Z', sep], ['2026-10-26T09:00:00Z', analyzeSnapshot(demoIn('2026-10', 5))]]);
      // The live tenant reads no launches now (the usage API refused): this month is unknown, not 0.
      const unread: TenantSnapshot = { ...buildDemoTenant(), launches: [], usageUnknown: 'the Power Platform API answered 403 (Forbidden)' };
      const h = botHarness({ subscriptions: store, clock: () => MONDAY_0900, loader: async () => unread });
      const thisMonth = new Date().toISOString().slice(0, 7);
      const sales = cardText(lastCard(await h.say('how has Sales Prod changed since September')));
      assert.match(sales, new RegExp(`since September 2026: booked as AppPass ${bookedInSales(sep)} → unknown \\(unknown\\)`));
      assert.match(sales, new RegExp(`${monthName(thisMonth)}: launches not read now \\(the Power Platform API answered 403 \\(Forbidden\\)\\)`));
      const tenantWide = cardText(lastCard(await h.say('trend')));
      assert.match(tenantWide, new RegExp(`${thisMonth}\\n[^\\n]*Contoso Sales \\(Prod\\) unknown`));
      assert.doesNotMatch(tenantWide, new RegExp(`${thisMonth} booked 0`));
      const autoAssign = cardText(lastCard(await h.say('did the auto-assign fix work')));
      assert.match(autoAssign, new RegExp(`I cannot tell yet: standard-app bookings are unknown in ${monthName(thisMonth)}, because launches were not read there\\.`));
    });

    it('without kept months, says how to get them: several Active users reports, or a digest that has posted in two months', async () => {
      const store = new SubscriptionStore(new FileStorage(mkdtempSync(join(tmpdir(), 'passlens-trend-'))));
      const text = cardText(lastCard(await botHarness({ subscriptions: store }).say('trend')));
      assert.match(text, /There is one month in the data \(November 2026\): nothing to compare yet\./);
      assert.match(text, /Drop the Active users reports of two or more months together[\s\S]*subscribe a channel \("subscribe every monday 8:00"\), and once it has posted in two months, trend answers from them/);
    });
  });
});

