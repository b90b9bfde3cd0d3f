import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BlobsStorage } from 'botbuilder-azure-blobs';
import { loadConfig } from '../../src/config';
import { LiveTenantSource } from '../../src/tenant/live/liveSource';
import { FileStorage } from '../../src/storage/fileStorage';
import type { StateStore, StoreItems } from '../../src/storage/stateStore';
import { itemsOf, keysOf, LaunchStore } from '../../src/launches/launchStore';
import { LaunchCollector, settledPeriods } from '../../src/launches/collector';
import { compactMonth, compactionClaim, deleteRetired, RETIRED_MS } from '../../src/launches/monthCompaction';
import { compactedKey } from '../../src/launches/compactedMonth';
import { launchUsage } from '../../src/launches/launchUsage';
import type { AuditLaunch } from '../../src/launches/launch';
import { NO_FAULTS, TenantSimulator } from '../support/tenantSimulator';
import { expectedLaunches, seedLaunches } from '../support/auditSimulator';
import { startAzurite, type AzuriteBlob } from '../support/azurite';

const MONTH = '2026-11';
const NOW = new Date('2026-12-04T12:00:00Z');
const LEASE = 10 * 60_000;
/** The launches as JSON has them (the expected file has no undefined names), their record ids as a set. */
const normal = (launches: AuditLaunch[]) => (JSON.parse(JSON.stringify(launches)) as (AuditLaunch & { ids: string })[]).map((l) => ({ ...l, ids: l.ids.split(',').sort().join(',') }));
/** A launch store written by the code before compaction (2026-12-04), as a deployment holds it, and what that code read from it. */
const GOLDEN = join(__dirname, '..', 'golden', 'launch-store-v1');
const EXPECTED = JSON.parse(readFileSync(`${GOLDEN}.expected.json`, 'utf8')) as { launches: AuditLaunch[]; coverage: unknown; december: unknown; months: string[] };
EXPECTED.launches = normal(EXPECTED.launches);

async function all(source: AsyncIterable<AuditLaunch>): Promise<AuditLaunch[]> {
  const out: AuditLaunch[] = [];
  for await (const l of source) out.push(l);
  return normal(out);
}

/** What the analysis takes from the month, through the store's line path (compacted items when whole) and its object path. */
async function ledgers(store: LaunchStore): Promise<{ lines: string; objects: string }> {
  const summary = async (keep: boolean) => {
    const { ledger } = await launchUsage(store, [MONTH], { keepLaunches: keep, now: NOW });
    return JSON.stringify({
      rows: ledger.rows,
      environments: ledger.environments().map((e) => [e.id, e.name]),
      apps: ledger.apps().map((a) => [a.id, a.name, a.environmentKey]),
      users: Array.from({ length: ledger.userCount() }, (_, i) => ledger.user(i)),
      pairs: ((p) => [p.end - p.start, Array.from(p.app.subarray(p.start, p.end)), Array.from(p.user.subarray(p.start, p.end))])(ledger.pairsOf(ledger.periodsOf(MONTH))),
    });
  };
  return { lines: await summary(false), objects: await summary(true) };
}

/** Files of the month's items in a file store's folder: day items and compacted items. */
function items(dir: string, month = MONTH): { day: string[]; compacted: string[] } {
  const files = readdirSync(dir).map(decodeURIComponent).filter((f) => f.startsWith(`launches/${month}/`));
  return { day: files.filter((f) => !f.includes('/compacted/')), compacted: files.filter((f) => f.includes('/compacted/')) };
}

/** Records the keys read and lets a test act before the first write of a compacted item. */
class Watched implements StateStore {
  readonly reads: string[] = [];
  beforeWrite: ((changes: StoreItems) => Promise<void>) | null = null;
  constructor(readonly inner: StateStore) {}
  read(keys: string[]) {
    this.reads.push(...keys);
    return this.inner.read(keys);
  }
  async write(changes: StoreItems) {
    const hook = this.beforeWrite;
    if (hook && Object.keys(changes).some((k) => k.includes('/compacted/'))) {
      this.beforeWrite = null;
      await hook(changes);
    }
    return this.inner.write(changes);
  }
  delete(keys: string[]) {
    return this.inner.delete(keys);
  }
}

describe('launch store compaction: a settled month in a few items, read as before (issue 20 speed)', function () {
  this.timeout(180_000);
  const dirs: string[] = [];
  let sim: TenantSimulator;
  let azurite: AzuriteBlob;
  before(async () => {
    sim = await new TenantSimulator().start();
    azurite = await startAzurite();
  });
  after(async () => {
    await sim.stop();
    await azurite?.stop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
  beforeEach(() => sim.reset({ ...NO_FAULTS }));

  function golden(): string {
    const dir = mkdtempSync(join(tmpdir(), 'passlens-compaction-'));
    dirs.push(dir);
    cpSync(GOLDEN, dir, { recursive: true });
    return dir;
  }
  const settled = (now = NOW) => ({ instance: 'a', leaseMs: LEASE, now: () => now, select: (index: Parameters<typeof settledPeriods>[0]) => settledPeriods(index, MONTH, now, null) });

  it('a store written before compaction reads as it did; compacted, it reads the same launches, counts, coverage and ledger, from a few items', async () => {
    const dir = golden();
    const state = new Watched(new FileStorage(dir));
    const store = new LaunchStore(state);
    assert.deepEqual(await all(store.launches(MONTH)), EXPECTED.launches, 'the old store, read by this code');
    assert.deepEqual(await store.coverage(MONTH), EXPECTED.coverage);
    const before = await ledgers(store);
    assert.equal(before.lines, before.objects);
    assert.ok(items(dir).day.length >= 30);

    const compacted = await compactMonth(store, MONTH, settled());
    assert.ok(compacted, 'every day of November settled: compacted');
    assert.equal(compacted.launches, EXPECTED.launches.length);
    assert.deepEqual(itemsOf(await store.index(), MONTH).refs, [], 'no day item of November left to read, the December period\'s November record included');
    const dayItems = items(dir).day.length;
    assert.deepEqual(await deleteRetired(store, NOW), [], 'a read that began before the compaction still finds the day items');
    assert.equal(items(dir).day.length, dayItems);
    assert.equal((await deleteRetired(store, new Date(NOW.getTime() + RETIRED_MS))).length, dayItems);
    assert.deepEqual(items(dir).day, [], 'deleted once no read can still need them');
    assert.equal(items(dir).compacted.length, 2 * compacted.parts.length);
    assert.equal(items(dir, '2026-12').day.length, 1, 'December\'s own launch stays in its day item');
    assert.deepEqual(await all(store.launches(MONTH)), EXPECTED.launches);
    assert.deepEqual(await store.coverage(MONTH), EXPECTED.coverage, 'records read still counted, the December period\'s included');
    assert.deepEqual(await store.coverage('2026-12'), EXPECTED.december);
    assert.deepEqual(await store.months(), EXPECTED.months);
    state.reads.length = 0;
    const after = await ledgers(store);
    assert.deepEqual(after, before);
    assert.ok(state.reads.includes(compactedKey(compacted, 0, 'keys')) && !state.reads.some((k) => k.startsWith('launches/2026-11/') && !k.includes('/compacted/')), 'no day item read');
    assert.equal(await compactMonth(store, MONTH, settled()), null, 'nothing new: not compacted again');
    assert.deepEqual((await store.index()).claims, {});
  });

  it('a month is compacted only when every day is settled; launches added after compaction merge with it, count once, and are folded in next time', async () => {
    const dir = golden();
    const store = new LaunchStore(new FileStorage(dir));
    const index = await store.index();
    const without = (day: string) => ({ ...index, periods: index.periods.filter((p) => !p.start.startsWith(day)) });
    assert.deepEqual(settledPeriods(without('2026-11-15'), MONTH, NOW, null), [], 'a day not read (failed, or not yet): not settled');
    assert.equal(settledPeriods(without('2026-11-15'), MONTH, NOW, new Date('2026-11-20T00:00:00Z')).length, 30, 'unless the reader can no longer read it');
    const readEarly = { ...index, periods: index.periods.map((p) => (p.start.startsWith('2026-11-30') ? { ...p, collectedAt: '2026-12-02T09:00:00.000Z' } : p)) };
    assert.deepEqual(settledPeriods(readEarly, MONTH, NOW, null), [], 'a day read less than 48 hours after it ended may still gain records');
    assert.deepEqual(settledPeriods({ ...index, claims: { '2026-11-30T00:00:00.000Z': { instance: 'x', at: NOW.toISOString(), generation: 'g', written: [] } } }, MONTH, NOW, null), [], 'a day being read');
    // Compacted without the December period, whose November record then comes on top (as a late Office 365 period would).
    const first = await compactMonth(store, MONTH, { ...settled(), select: (index) => settledPeriods(index, MONTH, NOW, null).filter((p) => p.start < '2026-12') });
    assert.ok(first);
    assert.equal(itemsOf(await store.index(), MONTH).refs.length, 1);
    assert.deepEqual(await all(store.launches(MONTH)), EXPECTED.launches, 'compacted items and a day item merged');
    const mixed = await ledgers(store);
    assert.equal(mixed.lines, mixed.objects);
    const second = await compactMonth(store, MONTH, settled());
    assert.ok(second && second.generation !== first.generation);
    assert.deepEqual(itemsOf(await store.index(), MONTH).refs, []);
    await deleteRetired(store, new Date(NOW.getTime() + RETIRED_MS));
    assert.deepEqual(items(dir).day, []);
    assert.ok(!existsSync(join(dir, `${encodeURIComponent(compactedKey(first, 0, 'keys'))}.json`)), 'the first compaction\'s items deleted');
    assert.deepEqual(await all(store.launches(MONTH)), EXPECTED.launches);
    assert.deepEqual(await ledgers(store), mixed);
  });

  it('two instances: a live claim is left alone, a dead one taken over after its lease and its items deleted; a day read again meanwhile keeps its new items', async () => {
    const dir = golden();
    const state = new Watched(new FileStorage(dir));
    const store = new LaunchStore(state);
    const died = new Date('2026-12-04T11:55:00Z');
    const orphan = compactedKey({ month: MONTH, generation: 'deadbeef' }, 0, 'keys');
    await state.write({ [orphan]: { data: '', eTag: '*' } });
    await store.update((index) => (index.claims[compactionClaim(MONTH)] = { instance: 'dead', at: died.toISOString(), generation: 'deadbeef', written: [orphan] }));
    assert.equal(await compactMonth(store, MONTH, { ...settled(), instance: 'b' }), null, 'within the lease');
    assert.ok(existsSync(join(dir, `${encodeURIComponent(orphan)}.json`)));

    // Taken over after the lease; while it writes, another instance commits November 3rd read again.
    const later = new Date(died.getTime() + LEASE + 1000);
    state.beforeWrite = async () => {
      const index = await store.index();
      const day = index.periods.find((p) => p.start.startsWith('2026-11-03'))!;
      const copies = await state.inner.read(keysOf(day));
      await state.inner.write(Object.fromEntries(Object.entries(copies).map(([k, v]) => [k.replace(`/${day.generation}/`, '/reread00/'), { ...v, eTag: '*' }])));
      await store.update((i) => (i.periods.find((p) => p.start === day.start)!.generation = 'reread00'));
    };
    assert.ok(await compactMonth(store, MONTH, { ...settled(later), instance: 'b' }));
    assert.ok(!existsSync(join(dir, `${encodeURIComponent(orphan)}.json`)), 'the dead instance\'s item deleted');
    assert.deepEqual(itemsOf(await store.index(), MONTH).refs.map((r) => r.generation), ['reread00'], 'the day read again keeps its new items');
    assert.deepEqual((await store.index()).claims, {});
    assert.deepEqual(await all(store.launches(MONTH)), EXPECTED.launches, 'read with the parts, counted once');
    assert.ok(await compactMonth(store, MONTH, { ...settled(later), instance: 'b' }), 'the next run folds it in');
    assert.deepEqual(itemsOf(await store.index(), MONTH).refs, []);
    assert.deepEqual(await all(store.launches(MONTH)), EXPECTED.launches);

    // An instance still running the code before compaction rewrites the index with the fields it knows: the compacted months are in an item of their own.
    const index = await state.inner.read(['launches/index']);
    const { periods, failed, claims, eTag } = index['launches/index'];
    await state.inner.write({ 'launches/index': { periods, failed, claims, eTag } });
    assert.deepEqual(await all(store.launches(MONTH)), EXPECTED.launches, 'nothing lost');
  });

  it('a compaction another instance committed first is not committed: what it wrote is deleted, the day items stay', async () => {
    const dir = golden();
    const state = new Watched(new FileStorage(dir));
    const store = new LaunchStore(state);
    state.beforeWrite = async () => {
      await store.updateCompacted((c) => c.months.push({ month: MONTH, generation: 'first000', shards: 1, parts: [], compactedAt: NOW.toISOString(), launches: 0 }));
    };
    assert.equal(await compactMonth(store, MONTH, settled()), null);
    assert.deepEqual(items(dir).compacted, [], 'what it wrote deleted');
    assert.equal(itemsOf(await store.index(), MONTH).refs.length, itemsOf(JSON.parse(readFileSync(join(GOLDEN, `${encodeURIComponent('launches/index')}.json`), 'utf8')), MONTH).refs.length, 'every day item still read');
    assert.deepEqual((await store.index()).claims, {});
    assert.deepEqual(await all(store.launches(MONTH)), EXPECTED.launches);
  });

  it('collectDue compacts an older month once: a second run reads the store as often with nine older months as with one (the file store, the real collector)', async () => {
    const now = new Date('2027-01-10T12:00:00Z');
    const live = new LiveTenantSource(loadConfig({ ...sim.env(), PASSLENS_AUDIT_READER: 'graph' }).live!);
    const reader = live.auditReader({ pollMs: 5, backoffMs: 5, retryAfterCapMs: 5_000 });
    /** The keys the second of two collectDue runs reads, on the golden store with `olderMonths` more months known by a refused day each. */
    const secondRunReads = async (olderMonths: number): Promise<string[]> => {
      const state = new Watched(new FileStorage(golden()));
      const store = new LaunchStore(state);
      for (let m = 10; m > 10 - olderMonths; m--) {
        const start = `2026-${String(m).padStart(2, '0')}-10T00:00:00.000Z`;
        await store.fail({ start, end: start.replace('-10T', '-11T'), reader: 'graph', reason: 'Refused.', fix: 'Grant it.', code: 'Forbidden', at: start }, 'a', []);
      }
      const collector = new LaunchCollector({ store, reader, clock: () => now });
      await collector.collectDue();
      assert.equal((await store.index()).compacted?.find((c) => c.month === MONTH)?.launches, EXPECTED.launches.length, 'November compacted by the first run');
      state.reads.length = 0;
      await collector.collectDue();
      const reads = [...state.reads];
      assert.deepEqual(await all(store.launches(MONTH)), EXPECTED.launches);
      return reads;
    };
    const one = await secondRunReads(0);
    const nine = await secondRunReads(8);
    assert.deepEqual(nine, one, 'no read per older month');
    assert.ok(one.length <= 20, `${one.length} reads: ${one.join(', ')}`);
  });

  for (const kind of ['file', 'azurite'] as const) {
    it(`${kind} store: the collector compacts a month once its days are settled, and reads back exactly`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'passlens-compaction-'));
      dirs.push(dir);
      const state: StateStore = kind === 'file' ? new FileStorage(dir) : new BlobsStorage(azurite.connectionString, `compaction-${process.pid}-${Date.now()}`);
      const live = new LiveTenantSource(loadConfig({ ...sim.env(), PASSLENS_AUDIT_READER: 'graph' }).live!);
      const collector = (clock: Date) => new LaunchCollector({ store: new LaunchStore(state), reader: live.auditReader({ pollMs: 5, backoffMs: 5, retryAfterCapMs: 5_000 }), clock: () => clock });
      const store = new LaunchStore(state);
      await collector(new Date('2026-12-01T06:00:00Z')).collect(MONTH);
      assert.equal((await store.index()).compacted, undefined, 'November 29th and 30th may still gain records');
      const expected = expectedLaunches(seedLaunches(sim.seed, MONTH), '2026-11-01T00:00:00Z', '2026-12-01T00:00:00Z');
      const byKey = (launches: AuditLaunch[]) => new Map(launches.map((l) => [`${l.environmentId}|${l.appId}|${l.userPrincipalName}`, l.count]));
      const before = await all(store.launches(MONTH));
      assert.deepEqual(byKey(before), expected);
      const ledger = await ledgers(store);
      const result = await collector(NOW).collect(MONTH);
      assert.deepEqual(result.read.map((p) => p.start.slice(0, 10)), ['2026-11-29', '2026-11-30']);
      const index = await store.index();
      assert.equal(index.compacted?.[0].month, MONTH);
      assert.ok(index.periods.every((p) => p.chunks.length === 0), 'no day item left to read');
      await collector(new Date(NOW.getTime() + RETIRED_MS)).collect(MONTH);
      if (kind === 'file') assert.deepEqual(items(dir).day, [], 'the day items deleted at a run after the compaction');
      assert.deepEqual(byKey(await all(store.launches(MONTH))), expected);
      assert.deepEqual(await ledgers(store), ledger);
      assert.equal(result.coverage!.recordsRead, (await store.coverage(MONTH))!.recordsRead);
    });
  }
});
