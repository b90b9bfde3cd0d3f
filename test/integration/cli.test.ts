import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildDemoTenant } from '../../src/tenant/demo/demoTenant';
import { toActiveUsersCsv } from '../support/csvWriter';
import { analyzeSnapshot } from '../../src/licensing/analyze';
import { jsonChunks, toJson } from '../../src/cli/reportText';
import { parse } from 'csv-parse/sync';

/** The real `passlens` binary (bin/passlens.js over the compiled dist/), as a user runs it. */
function passlens(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return passlensWith({}, ...args);
}

function passlensWith(env: Record<string, string>, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(__dirname, '../../bin/passlens.js'), ...args], { maxBuffer: 64 << 20, env: { ...process.env, ...env } }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

const dir = mkdtempSync(join(tmpdir(), 'passlens-cli-'));

describe('passlens CLI', () => {
  it('writes the JSON one environment at a time, byte for byte what JSON.stringify would write at once', () => {
    const report = analyzeSnapshot(buildDemoTenant());
    for (const withApps of [false, true]) {
      const chunks = [...jsonChunks(report, withApps)];
      assert.ok(chunks.length >= report.environments.length + 2);
      assert.equal(chunks.join(''), `${JSON.stringify(toJson(report, withApps), null, 2)}\n`);
    }
    const empty = { ...report, environments: [] };
    assert.equal([...jsonChunks(empty, false)].join(''), `${JSON.stringify(toJson(empty, false), null, 2)}\n`);
  });

  it('ends quietly with 0 when its reader closes early, as `passlens analyze | head -1` does', async () => {
    const child = spawn(process.execPath, [join(__dirname, '../../bin/passlens.js'), 'analyze', '--demo', '--format', 'csv'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    // The first line read, the reader closes the pipe: every later write meets EPIPE.
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.equal(stderr, '');
    assert.equal(code, 0);
  });

  it('analyze --demo --format json prints the documented shape with the forum answer', async () => {
    const { code, stdout } = await passlens('analyze', '--demo', '--format', 'json');
    assert.equal(code, 0);
    const out = JSON.parse(stdout);
    assert.ok(out.generatedAt && Array.isArray(out.sources) && Array.isArray(out.environments));
    const sales = out.environments.find((e: { name: string }) => e.name === 'Contoso Sales (Prod)');
    assert.deepEqual(
      [sales.managed, sales.payAsYouGo, sales.allocatedPasses, sales.bookedAsAppPass, sales.requiredPasses, sales.overage, sales.unusedPasses],
      [false, false, 25, 28, 1, 3, 0],
    );
    for (const f of sales.findings) {
      assert.ok(f.code && /^R\d+$/.test(f.rule) && Array.isArray(f.confidence) && f.confidence.every((p: { level: string }) => ['documented', 'field', 'uncertain'].includes(p.level)) && f.explanation && f.fix);
    }
  });

  it('lists alternatives as "Either ... or ..." and totals the best of each set, in text and markdown, from the JSON\'s costRemoved and alternativesOf', async () => {
    const json = JSON.parse((await passlens('analyze', '--demo', '--format', 'json')).stdout);
    type Action = { title: string; monthlySaving: number; costRemoved: number; alternativesOf: string };
    const actions: Action[] = json.advice.actions;
    const sets = new Map<string, Action[]>();
    for (const a of actions) {
      assert.ok(a.monthlySaving <= a.costRemoved, `"${a.title}" saves ${a.monthlySaving} of the ${a.costRemoved} it removes`);
      sets.set(a.alternativesOf, [...(sets.get(a.alternativesOf) ?? []), a]);
    }
    const bestOfEach = [...sets.values()].reduce((s, options) => s + Math.max(...options.map((o) => o.monthlySaving)), 0);
    const withAlternatives = [...sets.values()].filter((options) => options.length > 1);
    assert.ok(withAlternatives.length > 0 && bestOfEach < actions.reduce((s, a) => s + a.monthlySaving, 0), 'the demo has alternatives, so adding every saving would overstate the total');
    const lower = (title: string) => title.charAt(0).toLowerCase() + title.slice(1);

    const text = await passlens('analyze', '--demo');
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, new RegExp(`What saves the most:\\n  Save up to ~\\$${bestOfEach}/month before buying anything, taking the best option in each of ${sets.size} places \\(where there are alternatives, only one counts\\)\\.`));
    const listed = [...text.stdout.matchAll(/^ {2}\* .*; ~\$(\d+)\/month\)/gm)].map((m) => Number(m[1]));
    assert.equal(listed.length, sets.size, 'one bullet per set of alternatives (the demo has fewer than the five listed)');
    assert.equal(listed.reduce((s, n) => s + n, 0), bestOfEach, 'the bullets add up to the total');
    for (const options of withAlternatives) {
      const [best, ...others] = [...options].sort((x, y) => y.monthlySaving - x.monthlySaving);
      const at = text.stdout.indexOf(`  * Either ${lower(best.title)} (`);
      assert.ok(at >= 0, `"Either ${lower(best.title)}" in:\n${text.stdout}`);
      const block = text.stdout.slice(at).split('\n').slice(1, 1 + others.length);
      others.forEach((o, i) => assert.ok(block[i]?.startsWith(`    or ${lower(o.title)} (`), `"or ${lower(o.title)}" follows under it, not ${block[i]}`));
    }

    const markdown = await passlens('analyze', '--demo', '--format', 'markdown');
    assert.equal(markdown.code, 0, markdown.stderr);
    assert.match(markdown.stdout, new RegExp(`## What saves the most\\n\\nSave up to about \\$${bestOfEach} a month before buying anything`));
    assert.equal([...markdown.stdout.matchAll(/^1\. /gm)].length, sets.size);
    assert.equal([...markdown.stdout.matchAll(/^1\. Either /gm)].length, withAlternatives.length);
    assert.equal([...markdown.stdout.matchAll(/^ {3}- or /gm)].length, withAlternatives.reduce((n, o) => n + o.length - 1, 0), 'every other option is an "or" under its set');
  });

  it('reads the advice prices from the same variables as the bot, the Premium volume tier included; a bad one exits 2 naming it', async () => {
    const ok = await passlensWith({ PASSLENS_PRICE_PER_USER_VOLUME: '15' }, 'analyze', '--demo');
    assert.equal(ok.code, 0);
    assert.match(ok.stdout, /at the volume tier \(\$15, 2,000\+ new licenses\) more than 3 passes \(equal at 3\)/);
    const bad = await passlensWith({ PASSLENS_PRICE_PER_USER_VOLUME: 'twelve' }, 'analyze', '--demo');
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /PASSLENS_PRICE_PER_USER_VOLUME must be a non-negative number, got "twelve"/);
  });

  it('--env matches forgivingly; unknown and ambiguous names exit 2 with the close ones', async () => {
    const ok = await passlens('analyze', '--demo', '--env', 'salse prod');
    assert.equal(ok.code, 0);
    assert.match(ok.stdout, /== Contoso Sales \(Prod\).*over by 3/);
    assert.doesNotMatch(ok.stdout, /Operations {2}\[/);
    const unknown = await passlens('analyze', '--demo', '--env', 'Marketing');
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /"Marketing" is not an environment of this tenant\. Did you mean: /);
    const ambiguous = await passlens('analyze', '--demo', '--env', 'contoso');
    assert.equal(ambiguous.code, 2);
    assert.match(ambiguous.stderr, /matches several environments: Contoso HR \(Managed\), Contoso Sales \(Prod\)|matches several environments: Contoso Sales \(Prod\), Contoso HR \(Managed\)/);
  });

  it('analyzes a CSV alone with allocations given by hand', async () => {
    const file = join(dir, 'active-users.csv');
    writeFileSync(file, toActiveUsersCsv(buildDemoTenant().launches));
    const { code, stdout } = await passlens('analyze', '--csv', file, '--allocated', 'contoso sales (prod)=25', '--env', 'Contoso Sales', '--format', 'json');
    assert.equal(code, 0);
    const [sales] = JSON.parse(stdout).environments;
    assert.deepEqual([sales.allocatedPasses, sales.bookedAsAppPass, sales.overage, sales.managed], [25, 28, 3, null]);
    assert.equal(sales.requiredPasses, null, 'managed status unknown from a CSV: said, not guessed');
    assert.ok(sales.unknowns.some((u: string) => /Managed Environment is unknown: required passes are 1 if it is not, 34 if it is/.test(u)));
  });

  it('combines a CSV (usage) with the demo inventory, in markdown', async () => {
    const file = join(dir, 'usage.csv');
    writeFileSync(file, toActiveUsersCsv(buildDemoTenant().launches, { delimiter: ';' }));
    const { code, stdout } = await passlens('analyze', '--demo', '--csv', file, '--format', 'markdown');
    assert.equal(code, 0);
    assert.match(stdout, /\| Contoso Sales \(Prod\) \| 25 \| 28 \| 1 \| 3 \| 0 \|/);
  });

  it('--format csv writes one row per finding, as many as the JSON has, for a spreadsheet', async () => {
    const csv = await passlens('analyze', '--demo', '--format', 'csv');
    assert.equal(csv.code, 0);
    const rows = parse(csv.stdout, { bom: true, columns: true }) as Record<string, string>[];
    const json = JSON.parse((await passlens('analyze', '--demo', '--format', 'json')).stdout);
    assert.equal(rows.length, json.environments.reduce((n: number, e: { findings: unknown[] }) => n + e.findings.length, 0));
    const overage = rows.find((r) => r.environment === 'Contoso Sales (Prod)' && r.code === 'OVERAGE')!;
    assert.deepEqual([overage.rule, overage.confidence, overage.count], ['R5', 'F (overage) / D (zero blocks)', '3']);
    const one = await passlens('analyze', '--demo', '--env', 'sales prod', '--format', 'csv');
    assert.ok((parse(one.stdout, { bom: true, columns: true }) as Record<string, string>[]).every((r) => r.environment === 'Contoso Sales (Prod)'));
  });

  it('reads the three admin center reports given as repeated --csv, in any order: both months, licenses, R8 evidence', async () => {
    const samples = join(__dirname, '../../docs/samples');
    const files = ['managed-required.csv', 'active-oct.csv', 'licensed.csv', 'active-sep.csv'].flatMap((f) => ['--csv', join(samples, f)]);
    const { code, stdout, stderr } = await passlens('analyze', ...files);
    assert.equal(code, 0, stderr);
    assert.match(stdout, /All licensed users .*licensed\.csv: per-user licenses of 36 users/);
    assert.match(stdout, /Users requiring licenses in Managed Environments .*: 7 unique users in 1 Managed Environments \(14 rows; the report repeats a user per launch, so users are counted once\)/);
    assert.match(stdout, /== Contoso HR \(Managed\) {2}\[managed,/);
    assert.match(stdout, /PREMIUM_USER_BOOKED_AS_PASS — user03@contoso\.com/);
    assert.match(stdout, /^PassLens report for 2026-10 /, 'the latest month by default');
    const sales = await passlens('analyze', ...files, '--allocated', 'Contoso Sales (Prod)=25', '--env', 'sales prod', '--format', 'json');
    const { monthly } = JSON.parse(sales.stdout);
    assert.deepEqual(monthly.months, ['2026-09', '2026-10']);
    assert.deepEqual(monthly.environments[0].months.map((m: { bookedAsAppPass: number; overage: number }) => [m.bookedAsAppPass, m.overage]), [[31, 6], [12, 0]]);
    const september = await passlens('analyze', ...files, '--month', '2026-09');
    assert.match(september.stdout, /^PassLens report for 2026-09 /);
    assert.doesNotMatch(september.stdout, /per month/, 'one month up to September: no months to compare');
  });

  it('a bad CSV exits 2 and says what is wrong', async () => {
    const file = join(dir, 'bad.csv');
    writeFileSync(file, 'Name,Department\nJane,Sales\n');
    const { code, stderr } = await passlens('analyze', '--csv', file);
    assert.equal(code, 2);
    assert.match(stderr, /"[^"]*bad\.csv" is none of the admin center's Power Apps reports\. Its columns: Name, Department\. .*Active users: User principal name/);
    const missing = await passlens('analyze', '--csv', join(dir, 'nope.csv'));
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /no such file/);
    const noSource = await passlens('analyze');
    assert.equal(noSource.code, 2);
    assert.match(noSource.stderr, /--demo, --live, --snapshot FILE or --csv FILE/);
    const badFlag = await passlens('analyze', '--demo', '--colour');
    assert.equal(badFlag.code, 2);
  });

  it('saves a snapshot and answers the same from it; a broken snapshot names the bad field', async () => {
    const file = join(dir, 'snap.json');
    const saved = await passlens('snapshot', '--demo', '--out', file);
    assert.equal(saved.code, 0);
    assert.match(saved.stdout, /Saved 7 environments/);
    const a = JSON.parse((await passlens('analyze', '--snapshot', file, '--format', 'json')).stdout);
    const b = JSON.parse((await passlens('analyze', '--demo', '--format', 'json')).stdout);
    delete a.generatedAt;
    delete b.generatedAt;
    assert.deepEqual(a, b);
    const broken = JSON.parse(readFileSync(file, 'utf8'));
    broken.environments[1].allocatedPasses = -3;
    writeFileSync(file, JSON.stringify(broken));
    const bad = await passlens('analyze', '--snapshot', file);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /environments\.1\.allocatedPasses/);
  });
});
