import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { syntheticInventory, writeSyntheticCsv } from '../../bench/syntheticTenant';
import { goldenUpdateAsked } from '../support/goldenUpdate';

/**
 * `passlens analyze --format json` compared byte for byte with committed golden files:
 * a restructure of the licensing core must leave every figure and every word as it was.
 * The 50,000-row CSV is generated here (seeded, so the same bytes every run) rather than
 * committed. The goldens are gzipped (the JSON is 5 MB). Only `generatedAt` (the clock)
 * is set aside.
 *
 * When a change is meant to change the output, regenerate them in a commit of their own
 * that says why: `npm run build && PASSLENS_UPDATE_GOLDEN=1 npx mocha --no-config -r tsx/cjs test/integration/golden.test.ts`
 * (honoured only on that command line: goldenUpdateAsked). The two synthetic goldens are
 * also checked against what a separate, simple count of the generated CSV gives (countCsv),
 * so a wrong figure cannot become golden by being regenerated.
 */

const GOLDEN_DIR = join(__dirname, '../golden');
const UPDATE = goldenUpdateAsked(process.env, process.argv, __filename);
if (process.env.PASSLENS_UPDATE_GOLDEN === '1' && !UPDATE) {
  process.stderr.write('golden.test.ts: PASSLENS_UPDATE_GOLDEN=1 is ignored unless the golden test is the only file on the command line (docs/development.md); the goldens are compared, not rewritten.\n');
}
const SYNTHETIC = { environments: 60, apps: 1500, users: 8000, launches: 50_000 };

function passlens(cwd: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(__dirname, '../../bin/passlens.js'), ...args], { cwd, maxBuffer: 256 << 20 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

/** The clock is the one thing that differs between two runs of the same analysis. */
function withoutClock(json: string): string {
  return json.replace(/^ {2}"generatedAt": "[^"]*",$/m, '  "generatedAt": "(set aside)",');
}

/** Byte equality, reported as the first line that differs rather than two 5 MB strings. */
function assertSameBytes(actual: string, goldenFile: string): void {
  const path = join(GOLDEN_DIR, goldenFile);
  if (UPDATE) {
    writeFileSync(path, gzipSync(actual, { level: 9 }));
    return;
  }
  const expected = gunzipSync(readFileSync(path)).toString('utf8');
  if (actual === expected) return;
  const a = actual.split('\n');
  const e = expected.split('\n');
  let line = 0;
  while (line < a.length && a[line] === e[line]) line++;
  assert.fail(`${goldenFile} differs from line ${line + 1}:\n  golden: ${e[line] ?? '(end of file)'}\n  now:    ${a[line] ?? '(end of file)'}\n(${e.length} lines golden, ${a.length} now; regenerate only for an intended change, see test/integration/golden.test.ts)`);
}

describe('passlens analyze --format json against golden files', function () {
  this.timeout(120_000);
  const dir = mkdtempSync(join(tmpdir(), 'passlens-golden-'));

  before(async () => {
    const inventory = syntheticInventory(SYNTHETIC);
    writeFileSync(join(dir, 'inventory.json'), JSON.stringify({ ...inventory, launches: [] }));
    await writeSyntheticCsv(join(dir, 'active-users.csv'), inventory, SYNTHETIC.launches);
  });

  const cases: [string, string[]][] = [
    ['demo.json.gz', ['--demo']],
    ['synthetic-csv.json.gz', ['--csv', 'active-users.csv']],
    ['synthetic-csv-with-inventory.json.gz', ['--snapshot', 'inventory.json', '--csv', 'active-users.csv']],
  ];
  for (const [golden, args] of cases) {
    it(`${args.join(' ')} is byte-identical to test/golden/${golden}`, async () => {
      const { code, stdout, stderr } = await passlens(dir, 'analyze', ...args, '--format', 'json');
      assert.equal(code, 0, stderr);
      assertSameBytes(withoutClock(stdout), golden);
    });
  }

  for (const [golden, withInventory] of [['synthetic-csv.json.gz', false], ['synthetic-csv-with-inventory.json.gz', true]] as const) {
    it(`test/golden/${golden} holds the figures a separate, simple count of the generated CSV gives`, () => {
      const expected = countCsv(readFileSync(join(dir, 'active-users.csv'), 'utf8'), withInventory ? JSON.parse(readFileSync(join(dir, 'inventory.json'), 'utf8')).environments : null);
      const report = JSON.parse(gunzipSync(readFileSync(join(GOLDEN_DIR, golden))).toString('utf8')) as GoldenReport;
      const csvSource = report.sources.find((s) => s.kind === 'csv')!;
      assert.equal(csvSource.rowsRead, expected.rows);
      assert.equal(csvSource.rowsUsed, expected.rows);
      assert.equal(report.environments.length, expected.environments.size);
      for (const e of report.environments) {
        const c = expected.environments.get(e.id);
        assert.ok(c, `${e.name}: not in the CSV`);
        const figures = { name: e.name, launches: e.launches, activeUsers: e.activeUsers, bookedAsAppPass: e.bookedAsAppPass, allocatedPasses: e.allocatedPasses, overage: e.overage, unusedPasses: e.unusedPasses };
        assert.deepEqual(figures, { name: e.name, ...c }, `${e.name}`);
      }
      const sum = (k: keyof EnvironmentCount) => [...expected.environments.values()].reduce((n, c) => n + ((c[k] as number | null) ?? 0), 0);
      assert.equal(report.totals.bookedAsAppPass, sum('bookedAsAppPass'));
      assert.equal(report.totals.allocatedPasses, withInventory ? expected.allocatedTotal : null);
      if (withInventory) assert.equal(report.totals.overage, sum('overage'));
    });
  }
});

interface GoldenReport {
  sources: { kind: string; rowsRead?: number; rowsUsed?: number }[];
  totals: { bookedAsAppPass: number | null; allocatedPasses: number | null; overage: number | null };
  environments: { id: string; name: string; launches: number | null; activeUsers: number | null; bookedAsAppPass: number | null; allocatedPasses: number | null; overage: number | null; unusedPasses: number | null }[];
}

interface EnvironmentCount {
  launches: number;
  activeUsers: number;
  bookedAsAppPass: number;
  allocatedPasses: number | null;
  overage: number | null;
  unusedPasses: number | null;
}

/**
 * The figures that follow from counting alone, with csv-parse rather than PassLens's own
 * reader: per environment, a launch is a user's use of an app in the month (one per user
 * and app, however many rows), active users are distinct users, passes booked are the
 * distinct user-app pairs booked AppPass; with the inventory, the allocation is its
 * environment's, overage is what is booked beyond it (none when pay-as-you-go or when
 * nothing is allocated: R5 blocks those launches) and unused what is allocated beyond it;
 * the tenant's allocation leaves pay-as-you-go environments out (they are billed per use).
 */
function countCsv(text: string, inventory: { id: string; allocatedPasses: number | null; payAsYouGo: boolean | null }[] | null): { rows: number; environments: Map<string, EnvironmentCount>; allocatedTotal: number } {
  const records = parse(text, { columns: true, skip_empty_lines: true }) as Record<string, string>[];
  const sets = new Map<string, { pairs: Set<string>; users: Set<string>; booked: Set<string> }>();
  for (const r of records) {
    const env = r['Environment id'];
    const user = r['User principal name'].toLowerCase();
    const pair = `${user}|${r['App id']}`;
    const s = sets.get(env) ?? { pairs: new Set(), users: new Set(), booked: new Set() };
    sets.set(env, s);
    s.pairs.add(pair);
    s.users.add(user);
    if (r['License type'] === 'AppPass') s.booked.add(pair);
  }
  const environments = new Map<string, EnvironmentCount>();
  let allocatedTotal = 0;
  for (const [id, s] of sets) {
    const env = inventory?.find((e) => e.id === id);
    const allocated = env ? env.allocatedPasses : null;
    const booked = s.booked.size;
    const payg = Boolean(env?.payAsYouGo);
    if (!payg) allocatedTotal += allocated ?? 0;
    environments.set(id, {
      launches: s.pairs.size,
      activeUsers: s.users.size,
      bookedAsAppPass: booked,
      allocatedPasses: allocated,
      overage: allocated === null ? null : payg || allocated === 0 ? 0 : Math.max(0, booked - allocated),
      unusedPasses: allocated === null ? null : payg ? 0 : Math.max(0, allocated - booked),
    });
  }
  return { rows: records.length, environments, allocatedTotal };
}
