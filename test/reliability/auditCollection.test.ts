import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { BlobsStorage } from 'botbuilder-azure-blobs';
import { loadConfig } from '../../src/config';
import { FileStorage } from '../../src/storage/fileStorage';
import type { StateStore } from '../../src/storage/stateStore';
import { LaunchStore } from '../../src/launches/launchStore';
import type { CollectorOptions } from '../../src/launches/collector';
import { PeriodWriter } from '../../src/launches/periodWriter';
import { OfficeAuditReader } from '../../src/launches/officeAuditReader';
import { AuditReadError } from '../../src/launches/auditHttp';
import { MsalTokenSource } from '../../src/tenant/live/tokens';
import { trustExtraCa } from '../../src/tenant/live/trust';
import type { AuditLaunch } from '../../src/launches/launch';
import type { TenantSimulator } from '../support/tenantSimulator';
import { allLaunches, AUDIT_MONTH as MONTH, AUDIT_NOW as NOW, auditTenant, FAST_AUDIT as FAST, type AuditReaderName } from '../support/auditTenant';
import { expectedLaunches, seedLaunches } from '../support/auditSimulator';
import { startAzurite, type AzuriteBlob } from '../support/azurite';

const DAY = 86_400_000;

/** The seed's launches with their time in [from, to): distinct (environment, app, user) and the records behind each. */
const expected = (sim: TenantSimulator, from: string, to: string) => expectedLaunches(seedLaunches(sim.seed, MONTH), from, to);

function counts(launches: AuditLaunch[]): Map<string, number> {
  return new Map(launches.map((l) => [`${l.environmentId}|${l.appId}|${l.userPrincipalName}`, l.count]));
}

describe('audit log collection: faults, restarts, races, both stores (simulator, real MSAL and axios)', function () {
  this.timeout(180_000);
  const tenant = auditTenant();
  let azurite: AzuriteBlob;

  before(async () => {
    azurite = await startAzurite();
  });
  after(async () => {
    await azurite?.stop();
  });
  const folder = () => tenant.folder();
  let containers = 0;
  const stores: Record<string, () => StateStore> = {
    file: () => new FileStorage(folder()),
    azurite: () => new BlobsStorage(azurite.connectionString, `launches-${process.pid}-${++containers}`),
  };

  const collector = (state: StateStore, reader: AuditReaderName, extra: Partial<CollectorOptions> = {}) => tenant.collector(state, reader, extra);

  for (const [kind, make] of Object.entries(stores)) {
    it(`${kind} store: a collected month reads back exactly; read again after 48 h it counts nothing twice`, async () => {
      const state = make();
      const early = new Date('2026-12-01T06:00:00Z');
      const first = await collector(state, 'graph', { clock: () => early }).collect(MONTH);
      assert.equal(first.read.length, 30);
      const later = new Date('2026-12-02T09:00:00Z');
      const again = await collector(state, 'graph', { clock: () => later }).collect(MONTH);
      assert.deepEqual(again.read.map((p) => p.start.slice(0, 10)), ['2026-11-29', '2026-11-30'], 'only the days whose late records could still arrive');
      const store = new LaunchStore(state);
      assert.deepEqual(counts(await allLaunches(store.launches(MONTH))), expected(tenant.sim, '2026-11-01T00:00:00Z', '2026-12-01T00:00:00Z'));
      assert.deepEqual(await store.months(), [MONTH]);
    });

    it(`${kind} store: two collectors racing never read the same day twice, and the month is whole`, async () => {
      const state = make();
      // As at start: the index exists before the instances collect (its creation is the one unconditional write).
      await new LaunchStore(state).ensureIndex();
      const a = collector(state, 'graph', { instanceId: 'a' });
      const b = collector(kind === 'file' ? new FileStorage((state as unknown as { folder: string }).folder) : state, 'graph', { instanceId: 'b' });
      const [ra, rb] = await Promise.all([a.collect(MONTH), b.collect(MONTH)]);
      const read = [...ra.read, ...rb.read].map((p) => p.start).sort();
      assert.equal(new Set(read).size, read.length, 'no day read by both');
      assert.equal(tenant.sim.audit.stats.queries, read.length, 'no day queried twice');
      const rest = await collector(state, 'graph', { instanceId: 'c' }).collect(MONTH);
      assert.equal(read.length + rest.read.length, 30, 'a day left busy by the other is read at the next run');
      assert.deepEqual(counts(await allLaunches(new LaunchStore(state).launches(MONTH))), expected(tenant.sim, '2026-11-01T00:00:00Z', '2026-12-01T00:00:00Z'));
    });
  }

  it('a restart mid-period: the dead claim is taken over after its lease, its half-written part deleted, nothing counted twice', async () => {
    const dir = folder();
    const state = new FileStorage(dir);
    const store = new LaunchStore(state);
    const day = { start: '2026-11-05T00:00:00.000Z', end: '2026-11-06T00:00:00.000Z' };
    const died = new Date('2026-12-04T11:00:00Z');
    const claim = (await store.claim(day, 'dead', 10 * 60_000, died))!;
    const writer = new PeriodWriter(state, claim.generation, (keys) => store.renew(day, 'dead', died, keys).then(() => undefined), 1);
    writer.add({ recordId: 'r1', at: '2026-11-05T10:00:00.000Z', environmentId: 'e', appId: 'a', userPrincipalName: 'u@contoso.com' });
    await writer.flushIfFull();
    assert.equal(writer.written.length, 1);
    const orphan = join(dir, `${encodeURIComponent(writer.written[0])}.json`);
    assert.ok(existsSync(orphan));
    // Another instance within the lease leaves the day alone...
    const soon = await collector(state, 'graph', { instanceId: 'alive', clock: () => new Date('2026-12-04T11:05:00Z') }).collect(MONTH);
    assert.ok(soon.busy.some((p) => p.start === day.start), 'the claimed day is busy');
    // ...and after it, takes it over.
    const result = await collector(state, 'graph', { instanceId: 'alive' }).collect(MONTH);
    assert.ok(result.read.some((p) => p.start === day.start));
    assert.ok(!existsSync(orphan), 'the dead instance\'s part is deleted');
    const launches = await allLaunches(store.launches(MONTH));
    assert.ok(!launches.some((l) => l.environmentId === 'e'), 'the uncommitted part is never read');
    assert.deepEqual(counts(launches), expected(tenant.sim, '2026-11-01T00:00:00Z', '2026-12-01T00:00:00Z'));
    assert.ok(readdirSync(dir).every((f) => !f.endsWith('.lock')));
  });

  it('a refused period is named with its dates and the fix; the days read before stay', async () => {
    const state = new FileStorage(folder());
    await collector(state, 'graph', { clock: () => new Date('2026-11-10T00:00:00Z') }).collect(MONTH);
    tenant.sim.audit.reset({ refused: ['graph'] });
    tenant.sim.calls.length = 0;
    const result = await collector(state, 'graph', { clock: () => new Date('2026-11-20T00:00:00Z') }).collect(MONTH);
    assert.equal(tenant.sim.audit.stats.queries, 0);
    assert.equal(tenant.sim.calls.filter((c) => c.path.startsWith('/v1.0/security/auditLog')).length, 1, 'one refusal, not one per day');
    const coverage = result.coverage!;
    assert.deepEqual(coverage.collected, [{ start: '2026-11-01T00:00:00.000Z', end: '2026-11-10T00:00:00.000Z' }]);
    const failed = coverage.failed.map((f) => f.start.slice(0, 10));
    assert.ok(failed.includes('2026-11-10') && failed.includes('2026-11-19'), failed.join());
    assert.match(coverage.failed[coverage.failed.length - 1].fix, /AuditLogsQuery\.Read\.All/);
    assert.match(coverage.failed[coverage.failed.length - 1].reason, /403/);
    const kept = await allLaunches(new LaunchStore(state).launches(MONTH));
    assert.deepEqual(counts(kept), expected(tenant.sim, '2026-11-01T00:00:00Z', '2026-11-10T00:00:00Z'));
  });

  it('malformed records are skipped and counted; Graph 429 Retry-After is waited; a query that fails is a failed day', async () => {
    tenant.sim.audit.reset({ malformedEvery: 4, throttleCalls: 2, retryAfterSeconds: 1 });
    const state = new FileStorage(folder());
    const started = Date.now();
    const result = await collector(state, 'graph', { clock: () => new Date('2026-11-03T00:00:00Z') }).collect(MONTH);
    const throttled = tenant.sim.calls.filter((c) => c.status === 429);
    assert.equal(throttled.length, 2);
    const after = tenant.sim.calls.filter((c) => c.at > throttled[1].at && c.path.startsWith('/v1.0/security'));
    assert.ok(after[0].at - throttled[1].at >= 950, 'the retry waited Retry-After');
    assert.ok(Date.now() - started >= 1900);
    assert.ok(result.coverage!.malformedRecords > 0);
    assert.equal(result.read.length, 2);
    tenant.sim.audit.reset({ queryOutcome: 'failed' });
    const failed = await collector(state, 'graph', { clock: () => new Date('2026-11-04T00:00:00Z') }).collect(MONTH);
    assert.ok(failed.failed.some((f) => f.start.startsWith('2026-11-03')), 'the new day failed (and the two read again with it)');
    assert.match(failed.failed[0].reason, /failed/);
    assert.deepEqual(counts(await allLaunches(new LaunchStore(state).launches(MONTH))), expected(tenant.sim, '2026-11-01T00:00:00Z', '2026-11-03T00:00:00Z'), 'what the first run read stays');
  });

  it('the token goes only to the audit API\'s origin: a next-page link elsewhere fails the day, unfollowed', async () => {
    tenant.sim.audit.reset({ foreignNextLink: true, pageSize: 1 });
    const result = await collector(new FileStorage(folder()), 'graph', { clock: () => new Date('2026-11-02T00:00:00Z') }).collect(MONTH);
    assert.equal(result.failed.length, 1);
    assert.match(result.failed[0].reason, /attacker\.example.*does not send its token there/);
  });

  it('a Retry-After over the cap fails the day for now, without waiting it', async () => {
    tenant.sim.audit.reset({ throttleCalls: 100, retryAfterSeconds: 3600 });
    const result = await collector(new FileStorage(folder()), 'graph', { clock: () => new Date('2026-11-02T00:00:00Z') }).collect(MONTH);
    assert.equal(result.failed.length, 1);
    assert.match(result.failed[0].reason, /throttling/);
  });

  it('Office 365 feed: subscription once, windows of a day, NextPageUri, 403 AF429, days older than 7 days named, expired content a gap', async () => {
    tenant.sim.audit.reset({ now: NOW.getTime(), pageSize: 5, throttleCalls: 1, otherOperationEvery: 3, duplicateEvery: 2, expiredBefore: Date.parse('2026-11-29T06:00:00Z') });
    const state = new FileStorage(folder());
    const result = await collector(state, 'officeManagement').collect(MONTH);
    assert.ok(tenant.sim.calls.some((c) => c.status === 403), 'AF429 answered and retried');
    assert.equal(tenant.sim.calls.filter((c) => c.path.endsWith('/subscriptions/start') && c.status !== 403).length, 1, 'started once (a throttled start retried)');
    assert.deepEqual(result.read.map((p) => p.start.slice(0, 10)), ['2026-11-28', '2026-11-29', '2026-11-30']);
    const tooOld = result.failed.filter((f) => /older than the 7 days/.test(f.reason));
    assert.equal(tooOld.length, 27, 'Nov 1-27 are past the feed');
    const coverage = result.coverage!;
    assert.ok(coverage.failed.some((f) => f.start.startsWith('2026-11-28') && /AF20051/.test(f.reason)), 'the day with expired content is named as partly read');
    assert.ok(coverage.duplicateRecords > 0);
    // Content made in [Nov 29 06:00, Dec 1 00:00) holds the launches of the hours from Nov 29 05:00 to Nov 30 23:00.
    const launches = counts(await allLaunches(new LaunchStore(state).launches(MONTH)));
    const want = expected(tenant.sim, '2026-11-29T05:00:00Z', '2026-11-30T23:00:00Z');
    for (const [key, n] of want) assert.ok((launches.get(key) ?? 0) >= n, key);
    // The hour of Nov 30 23:00 is in content made on Dec 1: read with December's first day, into November.
    await collector(state, 'officeManagement').collect('2026-12');
    const whole = counts(await allLaunches(new LaunchStore(state).launches(MONTH)));
    for (const [key, n] of expected(tenant.sim, '2026-11-29T05:00:00Z', '2026-12-01T00:00:00Z')) assert.equal(whole.get(key) !== undefined && whole.get(key)! >= n, true, key);
  });

  it('Office 365 feed: a window over 24 hours or older than 7 days is refused (AF20055); a permission refusal names ActivityFeed.Read', async () => {
    tenant.sim.audit.reset({ now: NOW.getTime(), subscribed: true });
    const settings = loadConfig({ ...tenant.sim.env(), PASSLENS_AUDIT_READER: 'officeManagement' }).live!;
    const reader = new OfficeAuditReader({ tokens: new MsalTokenSource(settings), timeoutMs: 10_000, httpsAgent: trustExtraCa(settings.caFile), officeManagementUrl: settings.officeManagementUrl!, tenantId: settings.tenantId, ...FAST });
    const old = { start: new Date(NOW.getTime() - 9 * DAY).toISOString(), end: new Date(NOW.getTime() - 8 * DAY).toISOString() };
    await assert.rejects(async () => {
      for await (const page of reader.pages(old)) void page;
    }, (e: unknown) => e instanceof AuditReadError && e.code === 'AF20055' && /7 days/.test(e.message));
    tenant.sim.audit.reset({ now: NOW.getTime(), refused: ['officeManagement'] });
    const result = await collector(new FileStorage(folder()), 'officeManagement').collect(MONTH);
    const refused = result.failed.filter((f) => /ActivityFeed\.Read/.test(f.fix));
    assert.equal(refused.length, 3, 'the three readable days, each named');
    assert.match(refused[0].reason, /AF10001/);
  });

  it('auditing off: every day answers, with no records; the coverage says collected with nothing read', async () => {
    tenant.sim.audit.reset({ auditingOff: true });
    const state = new FileStorage(folder());
    const result = await collector(state, 'graph').collect(MONTH);
    assert.equal(result.read.length, 30);
    assert.equal(result.coverage!.recordsRead, 0);
    assert.equal((await allLaunches(new LaunchStore(state).launches(MONTH))).length, 0);
  });

  it('retention: months older than the setting are deleted with their items', async () => {
    const dir = folder();
    const state = new FileStorage(dir);
    await collector(state, 'graph', { clock: () => new Date('2026-11-03T00:00:00Z') }).collect(MONTH);
    const store = new LaunchStore(state);
    const before = readdirSync(dir).length;
    await store.prune(new Date('2027-11-15T00:00:00Z'), 13);
    assert.deepEqual(await store.months(), [MONTH], '13 months back from November 2027 is November 2026: kept');
    await store.prune(new Date('2027-12-15T00:00:00Z'), 13);
    assert.deepEqual(await store.months(), []);
    assert.ok(readdirSync(dir).length < before);
    assert.equal(readdirSync(dir).filter((f) => f.startsWith('launches%2F2026-11')).length, 0);
  });
});
