import { execFile } from 'node:child_process';
import { createReadStream, createWriteStream, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { syntheticInventory, envId, appIdOf } from './syntheticTenant';
import { TenantSimulator } from '../test/support/tenantSimulator';
import type { LaunchSource, SimLaunch } from '../test/support/auditSimulator';
import { ACTIVE_USERS_HEADER, launchRow } from '../test/support/csvWriter';

/**
 * `npm run bench -- --only audit`: a month of 1,000,000 LaunchPowerApp records (10,000
 * users, 5,000 apps, 1,000 environments) served by the simulator's Graph audit log query
 * API, generated as they are paged (never all in memory), collected into the launch store
 * on disk by the real collector (MSAL, axios, the file store) in a process of its own, so
 * its peak RSS is its own; the month's days being settled, the collector compacts it. Then the analysis from the store against the same launches
 * through the Active users CSV path, each in its own process, as a ratio.
 *   node --import tsx bench/auditCollection.ts [--records N]
 */
const MONTH = '2026-11';
const SIZE = { environments: 1000, apps: 5000, users: 10_000 };
const NOW = '2026-12-04T12:00:00.000Z';

function mix(i: number, salt: number): number {
  let h = (i ^ salt) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x45d9f3b);
  h = Math.imul(h ^ (h >>> 16), 0x45d9f3b);
  return (h ^ (h >>> 16)) >>> 0;
}

/** `records` launches spread evenly over the month; launch i is computed from i alone. */
export function benchLaunches(records: number): LaunchSource {
  const start = Date.parse(`${MONTH}-01T00:00:00Z`);
  const span = Date.parse('2026-12-01T00:00:00Z') - start;
  const indexAt = (t: number) => Math.min(records, Math.max(0, Math.ceil(((t - start) * records) / span)));
  return {
    range: (from, to) => ({ first: indexAt(from), count: Math.max(0, indexAt(to) - indexAt(from)) }),
    at: (i): SimLaunch => {
      const user = mix(i, 0x9e3779b9) % SIZE.users;
      const app = mix(i, 0x85ebca6b) % SIZE.apps;
      return {
        at: start + Math.floor((i * span) / records),
        environmentId: envId(app % SIZE.environments),
        environmentName: `Environment ${String(app % SIZE.environments).padStart(4, '0')}`,
        appId: appIdOf(app),
        appName: `App ${app}`,
        userPrincipalName: `user${user}@contoso.com`,
        userObjectId: `00000000-0000-4000-9000-${user.toString(16).padStart(12, '0')}`,
      };
    },
  };
}

/** One measured phase in a child process (asynchronously: the simulator answers it from this one): its JSON line. */
function child(phase: string, args: string[], env: Record<string, string> = {}): Promise<Record<string, number>> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--import', 'tsx', __filename, phase, ...args], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '', ...env }, maxBuffer: 1 << 24 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${phase} failed: ${stderr}`));
      else resolve(JSON.parse(stdout.trim().split('\n').pop()!));
    });
  });
}

const peakRss = () => process.resourceUsage().maxRSS / 1024;

async function phase(name: string, args: string[]): Promise<void> {
  const dist = join(__dirname, '..', 'dist');
  const { FileStorage } = (await import(join(dist, 'storage', 'fileStorage.js'))) as typeof import('../src/storage/fileStorage');
  const { LaunchStore } = (await import(join(dist, 'launches', 'launchStore.js'))) as typeof import('../src/launches/launchStore');
  if (name === 'collect') {
    const { loadConfig } = (await import(join(dist, 'config.js'))) as typeof import('../src/config');
    const { LiveTenantSource } = (await import(join(dist, 'tenant', 'live', 'liveSource.js'))) as typeof import('../src/tenant/live/liveSource');
    const { LaunchCollector } = (await import(join(dist, 'launches', 'collector.js'))) as typeof import('../src/launches/collector');
    const start = process.hrtime.bigint();
    const live = new LiveTenantSource(loadConfig(process.env).live!);
    const collector = new LaunchCollector({ store: new LaunchStore(new FileStorage(args[0])), reader: live.auditReader({ pollMs: 5 }), clock: () => new Date(NOW) });
    const result = await collector.collect(MONTH);
    if (result.failed.length) throw new Error(JSON.stringify(result.failed[0]));
    // The day items the compaction replaced are deleted at a run after it (a read that began before may still need them), as the next digest tick would.
    const { deleteRetired, RETIRED_MS } = (await import(join(dist, 'launches', 'monthCompaction.js'))) as typeof import('../src/launches/monthCompaction');
    await deleteRetired(collector.store, new Date(Date.parse(NOW) + RETIRED_MS));
    process.stdout.write(`${JSON.stringify({ seconds: Number(process.hrtime.bigint() - start) / 1e9, peakRssMb: peakRss(), records: result.coverage!.recordsRead, days: result.read.length })}\n`);
    return;
  }
  const { analyze } = (await import(join(dist, 'licensing', 'analyze.js'))) as typeof import('../src/licensing/analyze');
  const inventory = JSON.parse(readFileSync(args[1], 'utf8'));
  const start = process.hrtime.bigint();
  let rows = 0;
  let read = start;
  if (name === 'store') {
    const { withLaunchUsage } = (await import(join(dist, 'launches', 'launchUsage.js'))) as typeof import('../src/launches/launchUsage');
    const data = await withLaunchUsage(inventory, new LaunchStore(new FileStorage(args[0])), [MONTH], { now: new Date(NOW) });
    read = process.hrtime.bigint();
    analyze(data.inventory, data.ledger);
    rows = data.ledger.rows;
  } else {
    const { withCsvUsage } = (await import(join(dist, 'tenant', 'tenantData.js'))) as typeof import('../src/tenant/tenantData');
    const data = await withCsvUsage(createReadStream(args[0], { highWaterMark: 1 << 20 }), inventory);
    read = process.hrtime.bigint();
    analyze(data.inventory, data.ledger);
    rows = data.ledger.rows;
  }
  const end = process.hrtime.bigint();
  process.stdout.write(`${JSON.stringify({ seconds: Number(end - start) / 1e9, readSeconds: Number(read - start) / 1e9, analysisSeconds: Number(end - read) / 1e9, rows, peakRssMb: peakRss() })}\n`);
}

/** The store's launches as an Active users CSV: the same distinct launches through the report path. */
async function storeAsCsv(dir: string, path: string): Promise<number> {
  const { FileStorage } = await import('../src/storage/fileStorage');
  const { LaunchStore } = await import('../src/launches/launchStore');
  const out = createWriteStream(path);
  let buffer = `${ACTIVE_USERS_HEADER.join(',')}\n`;
  let rows = 0;
  for await (const l of new LaunchStore(new FileStorage(dir)).launches(MONTH)) {
    buffer += `${launchRow({ userPrincipalName: l.userPrincipalName, appId: l.appId, appName: l.appName, environmentId: l.environmentId, month: MONTH, licenseType: 'AppPass', reportedPremium: null })}\n`;
    rows++;
    if (buffer.length > 1 << 20) {
      if (!out.write(buffer)) await once(out, 'drain');
      buffer = '';
    }
  }
  out.end(buffer);
  await once(out, 'finish');
  return rows;
}

export async function auditBench(records: number): Promise<boolean> {
  const dir = mkdtempSync(join(tmpdir(), 'passlens-audit-bench-'));
  const inventory = syntheticInventory({ ...SIZE, launches: 0 });
  const sim = await new TenantSimulator({ ...inventory, launches: [] }).start();
  try {
    sim.audit.source = benchLaunches(records);
    sim.audit.reset({ pageSize: 1000, pollsBeforeDone: 1 });
    const inventoryPath = join(dir, 'inventory.json');
    writeFileSync(inventoryPath, JSON.stringify(inventory));
    const storeDir = join(dir, 'store');
    console.log(`Audit log launches: ${records.toLocaleString('en-US')} LaunchPowerApp records in ${MONTH} (${SIZE.users.toLocaleString('en-US')} users, ${SIZE.apps.toLocaleString('en-US')} apps, ${SIZE.environments.toLocaleString('en-US')} environments) from the simulator's Graph audit log queries`);
    const collected = await child('collect', [storeDir], { ...sim.env(), PASSLENS_AUDIT_READER: 'graph' });
    const files = readdirSync(storeDir).filter((f) => f.startsWith(encodeURIComponent(`launches/${MONTH}/`)));
    const bytes = files.reduce((s, f) => s + statSync(join(storeDir, f)).size, 0);
    console.log(`  collected ${collected.days} days, ${collected.records.toLocaleString('en-US')} records in ${collected.seconds.toFixed(1)} s; collector peak RSS ${collected.peakRssMb.toFixed(0)} MB (target < 500 MB) ${collected.peakRssMb < 500 ? 'OK' : 'MISSED'}`);
    // Once its days are settled the collector compacts a month: a keys and a detail item per part instead of an item per shard of each day.
    const compacted = files.filter((f) => f.includes(encodeURIComponent('/compacted/'))).length;
    console.log(`  store on disk for ${MONTH}: ${(bytes / 1e6).toFixed(1)} MB in ${files.length} items (${compacted ? `compacted: ${compacted / 2} parts` : 'day items, not compacted'}; ${(bytes / collected.records).toFixed(0)} bytes per record)`);
    const csv = join(dir, 'same-launches.csv');
    const distinct = await storeAsCsv(storeDir, csv);
    const fromStore = await child('store', [storeDir, inventoryPath]);
    const fromCsv = await child('csv', [csv, inventoryPath]);
    console.log(`  analysis from the store: ${fromStore.seconds.toFixed(2)} s for ${fromStore.rows.toLocaleString('en-US')} distinct launches (reading ${fromStore.readSeconds.toFixed(2)} s, analysis ${fromStore.analysisSeconds.toFixed(2)} s), peak RSS ${fromStore.peakRssMb.toFixed(0)} MB`);
    console.log(`  the same ${distinct.toLocaleString('en-US')} launches through the CSV path: ${fromCsv.seconds.toFixed(2)} s (reading ${fromCsv.readSeconds.toFixed(2)} s, analysis ${fromCsv.analysisSeconds.toFixed(2)} s), peak RSS ${fromCsv.peakRssMb.toFixed(0)} MB`);
    const ratio = fromStore.seconds / fromCsv.seconds;
    const ok = collected.peakRssMb < 500 && fromStore.peakRssMb < 500 && ratio <= 1.1;
    console.log(`  store / CSV: ${ratio.toFixed(2)}x (target <= 1x, 10% noise allowed) ${ratio <= 1.1 ? 'OK' : 'MISSED'}; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${cpus().length} cores`);
    return ok;
  } finally {
    await sim.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  const [name, ...args] = process.argv.slice(2);
  if (name === 'collect' || name === 'store' || name === 'csv') void phase(name, args).catch((e: Error) => {
    process.stderr.write(`${e.stack}\n`);
    process.exit(1);
  });
  else {
    const i = process.argv.indexOf('--records');
    // Figures are for the machine they ran on (npm run bench prints the same line).
    console.log(`${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, Node ${process.version}`);
    void auditBench(i > 0 ? Number(process.argv[i + 1]) : 1_000_000).then((ok) => (process.exitCode = ok ? 0 : 1));
  }
}
