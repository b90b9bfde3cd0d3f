import { createReadStream, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * One measured phase, in its own process so that its peak RSS is its own:
 *   floor:  read the file's bytes and split them into lines (the least any reader does)
 *   delimiters: a JavaScript loop that only finds delimiters, line ends and quotes (for reference)
 *   report: the product path, CSV -> usage ledger -> licensing report
 *   months: the same, for one or more monthly files (comma-separated paths) read as one
 *     (readReportSet) and analysed month by month (analyzeMonths), as `--csv` repeated
 * Prints one JSON line.
 *
 * The report phase runs the shipped code (tsc's output in dist/, what `npx passlens`
 * and the bot run), not the sources through tsx: tsx's transform (names kept on every
 * function, getters for every import) made the scanner's byte loop about 5x slower,
 * so it would measure the loader, not PassLens.
 *
 * The clock starts once the inventory (apps, licenses, allocations) is in memory: in
 * the bot it is the cached live read that an uploaded CSV is analysed against. Its
 * load from JSON is timed and printed on its own.
 */
async function main(): Promise<void> {
  const [phase, csvPath, inventoryPath] = process.argv.slice(2);
  let rows = 0;
  let extra: Record<string, unknown> = {};
  let start = process.hrtime.bigint();
  if (phase === 'floor') {
    let rest = '';
    for await (const chunk of createReadStream(csvPath, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
      const lines = (rest + chunk).split('\n');
      rest = lines.pop() ?? '';
      rows += lines.length;
    }
    rows -= 1;
  } else if (phase === 'delimiters') {
    const { countDelimiters } = (await import(join(__dirname, 'delimiterLoop.js'))) as { countDelimiters: (path: string) => Promise<{ lines: number }> };
    rows = (await countDelimiters(csvPath)).lines - 1;
  } else if (phase === 'months') {
    const dist = join(__dirname, '..', 'dist');
    const { analyzeMonths } = (await import(join(dist, 'licensing', 'months.js'))) as typeof import('../src/licensing/months');
    const { readReportSet } = (await import(join(dist, 'tenant', 'reportSet.js'))) as typeof import('../src/tenant/reportSet');
    const inventory = JSON.parse(readFileSync(inventoryPath, 'utf8'));
    start = process.hrtime.bigint();
    const files = csvPath.split(',').map((name) => ({ name, chunks: createReadStream(name, { highWaterMark: 1 << 20 }) }));
    const data = await readReportSet(files, { ...inventory, launches: [] });
    const read = process.hrtime.bigint();
    const { monthly } = analyzeMonths(data.inventory, data.ledger);
    rows = data.ledger.rows;
    extra = { readSeconds: Number(read - start) / 1e9, analysisSeconds: Number(process.hrtime.bigint() - read) / 1e9, months: monthly.months.length };
  } else {
    const dist = join(__dirname, '..', 'dist');
    const { analyze } = (await import(join(dist, 'licensing', 'analyze.js'))) as typeof import('../src/licensing/analyze');
    const { withCsvUsage } = (await import(join(dist, 'tenant', 'tenantData.js'))) as typeof import('../src/tenant/tenantData');
    const inventoryStart = process.hrtime.bigint();
    const inventory = JSON.parse(readFileSync(inventoryPath, 'utf8'));
    start = process.hrtime.bigint();
    const data = await withCsvUsage(createReadStream(csvPath, { highWaterMark: 1 << 20 }), inventory);
    const read = process.hrtime.bigint();
    const report = analyze(data.inventory, data.ledger);
    rows = data.ledger.rows;
    extra = {
      inventorySeconds: Number(start - inventoryStart) / 1e9,
      // where the time goes: reading (scan, validate, intern, append) and the analysis (seal, rules, report)
      readSeconds: Number(read - start) / 1e9,
      analysisSeconds: Number(process.hrtime.bigint() - read) / 1e9,
      environments: report.environments.length,
      findings: report.environments.reduce((s, e) => s + e.findings.length, 0),
      overage: report.totals.overage,
    };
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  process.stdout.write(`${JSON.stringify({ phase, rows, seconds, peakRssMb: process.resourceUsage().maxRSS / 1024, ...extra })}\n`);
}

void main();
