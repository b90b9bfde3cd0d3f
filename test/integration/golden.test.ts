import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { syntheticInventory, writeSyntheticCsv } from '../../bench/syntheticTenant';

/**
 * `passlens analyze --format json` compared byte for byte with committed golden files:
 * a restructure of the licensing core must leave every figure and every word as it was.
 * The 50,000-row CSV is generated here (seeded, so the same bytes every run) rather than
 * committed. The goldens are gzipped (the JSON is 5 MB). Only `generatedAt` (the clock)
 * is set aside.
 *
 * When a change is meant to change the output, regenerate them in a commit of their own
 * that says why: `npm run build && PASSLENS_UPDATE_GOLDEN=1 npx mocha --no-config -r tsx/cjs test/integration/golden.test.ts`.
 */

const GOLDEN_DIR = join(__dirname, '../golden');
const UPDATE = process.env.PASSLENS_UPDATE_GOLDEN === '1';
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
});
