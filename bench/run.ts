import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync, statSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { FULL_SIZE, syntheticInventory, writeSyntheticCsv } from './syntheticTenant';
import { liveRefreshBench } from './liveRefresh';
import { conversationBench } from './conversations';
import { uploadMemoryBench } from './uploadMemory';
import { auditBench } from './auditCollection';

/**
 * `npm run bench`: each figure beside a baseline measured in the same run, as ratios.
 * Options: --rows N (default 1,000,000), --repeat N (default 3; the median is kept),
 * --live-envs N (default 1,000), --audit-records N (default 1,000,000),
 * --only csv|conversations|live|upload|audit.
 */
interface Phase {
  phase: string;
  rows: number;
  seconds: number;
  peakRssMb: number;
  [k: string]: unknown;
}

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

function measure(phase: string, csv: string, inventory: string): Phase {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(__dirname, 'csvReport.ts'), phase, csv, inventory], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(`${phase} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!);
}

function median<T>(runs: T[], key: (t: T) => number): T {
  return [...runs].sort((a, b) => key(a) - key(b))[Math.floor(runs.length / 2)];
}

async function csvToReport(): Promise<boolean> {
  const rows = option('rows', FULL_SIZE.launches);
  const repeat = option('repeat', 3);
  const dir = mkdtempSync(join(tmpdir(), 'passlens-bench-'));
  try {
    const inventory = syntheticInventory(FULL_SIZE);
    const inventoryPath = join(dir, 'inventory.json');
    writeFileSync(inventoryPath, JSON.stringify(inventory));
    const csv = join(dir, 'active-users.csv');
    await writeSyntheticCsv(csv, inventory, rows);
    const mb = statSync(csv).size / 1e6;
    console.log(`CSV to report: ${inventory.environments.length} environments, ${inventory.apps!.length} apps, ${rows} launch rows (${mb.toFixed(0)} MB)`);
    const floors: Phase[] = [];
    const reports: Phase[] = [];
    const loops: Phase[] = [];
    for (let i = 0; i < repeat; i++) {
      floors.push(measure('floor', csv, inventoryPath));
      loops.push(measure('delimiters', csv, inventoryPath));
      reports.push(measure('report', csv, inventoryPath));
    }
    const floor = median(floors, (p) => p.seconds);
    const report = median(reports, (p) => p.seconds);
    const ratio = report.seconds / floor.seconds;
    const peak = Math.max(...reports.map((r) => r.peakRssMb));
    console.log(`  floor (read bytes + split lines): ${floor.seconds.toFixed(2)} s, peak RSS ${floor.peakRssMb.toFixed(0)} MB`);
    console.log(`  for reference, a JavaScript loop that only finds delimiters, line ends and quotes: ${median(loops, (p) => p.seconds).seconds.toFixed(2)} s`);
    console.log(`  CSV -> report: ${report.seconds.toFixed(2)} s, ${Math.round(report.rows / report.seconds).toLocaleString('en-US')} rows/s, peak RSS ${peak.toFixed(0)} MB (${report.findings} findings over ${report.environments} environments)`);
    console.log(`    of which reading the CSV into the ledger ${Number(report.readSeconds).toFixed(2)} s, the analysis ${Number(report.analysisSeconds).toFixed(2)} s`);
    console.log(`  (before the clock: the inventory, ${inventory.apps!.length} apps and ${inventory.users!.length} users, loaded from JSON in ${Number(report.inventorySeconds).toFixed(2)} s)`);
    const okTime = ratio <= 4;
    const okMemory = peak < 500;
    console.log(`  ratio to floor: ${ratio.toFixed(2)}x (target <= 4x) ${okTime ? 'OK' : 'MISSED'}; peak RSS ${okMemory ? 'OK' : 'MISSED'} (target < 500 MB)`);
    const okMonths = await twoMonths(dir, csv, inventory, inventoryPath, rows, repeat);
    return okTime && okMemory && okMonths;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Two monthly files of `rows` rows each, read as one and analysed month by month, against
 * one month through the same path: the cost per row must not grow with the months (each
 * month is analysed once), and the peak RSS stays under 500 MB.
 */
async function twoMonths(dir: string, november: string, inventory: ReturnType<typeof syntheticInventory>, inventoryPath: string, rows: number, repeat: number): Promise<boolean> {
  const october = join(dir, 'active-users-october.csv');
  await writeSyntheticCsv(october, inventory, rows, 11, '2026-10');
  const one: Phase[] = [];
  const two: Phase[] = [];
  for (let i = 0; i < repeat; i++) {
    one.push(measure('months', november, inventoryPath));
    two.push(measure('months', `${october},${november}`, inventoryPath));
  }
  const a = median(one, (p) => p.seconds);
  const b = median(two, (p) => p.seconds);
  const perRow = (p: Phase) => (p.seconds / p.rows) * 1e6;
  const ratio = perRow(b) / perRow(a);
  const peak = Math.max(...two.map((r) => r.peakRssMb));
  console.log(`  one month through --csv (readReportSet + analyzeMonths): ${a.seconds.toFixed(2)} s for ${a.rows} rows, ${perRow(a).toFixed(2)} µs/row, peak RSS ${a.peakRssMb.toFixed(0)} MB`);
  console.log(`  two months (${b.months} months, ${b.rows} rows): ${b.seconds.toFixed(2)} s (reading ${Number(b.readSeconds).toFixed(2)} s, analysis ${Number(b.analysisSeconds).toFixed(2)} s), ${perRow(b).toFixed(2)} µs/row, peak RSS ${peak.toFixed(0)} MB`);
  const okCost = ratio <= 1.1;
  const okMemory = peak < 500;
  console.log(`  cost per row, two months against one: ${ratio.toFixed(2)}x (target <= 1x, 10% noise allowed) ${okCost ? 'OK' : 'MISSED'}; peak RSS ${okMemory ? 'OK' : 'MISSED'} (target < 500 MB)`);
  return okCost && okMemory;
}

async function main(): Promise<void> {
  const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : null;
  const results: boolean[] = [];
  // Figures are for the machine they ran on: the CPU is printed with them.
  console.log(`${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, Node ${process.version}`);
  if (!only || only === 'csv') results.push(await csvToReport());
  if (!only || only === 'conversations') results.push(await conversationBench());
  if (!only || only === 'live') results.push(await liveRefreshBench(option('live-envs', 1000)));
  if (!only || only === 'upload') results.push(await uploadMemoryBench());
  if (!only || only === 'audit') results.push(await auditBench(option('audit-records', 1_000_000)));
  process.exitCode = results.every(Boolean) ? 0 : 1;
}

void main();
