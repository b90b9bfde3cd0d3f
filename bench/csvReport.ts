import { createReadStream, readFileSync } from 'node:fs';
import { analyze } from '../src/licensing/analyze';
import { withCsvUsage } from '../src/tenant/tenantData';

/**
 * One measured phase, in its own process so that its peak RSS is its own:
 *   floor:  read the file's bytes and split them into lines (the least any reader does)
 *   report: the product path, CSV -> usage ledger -> licensing report
 * Prints one JSON line.
 */
async function main(): Promise<void> {
  const [phase, csvPath, inventoryPath] = process.argv.slice(2);
  const start = process.hrtime.bigint();
  let rows = 0;
  let extra: Record<string, unknown> = {};
  if (phase === 'floor') {
    let rest = '';
    for await (const chunk of createReadStream(csvPath, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
      const lines = (rest + chunk).split('\n');
      rest = lines.pop() ?? '';
      rows += lines.length;
    }
    rows -= 1;
  } else {
    const inventory = JSON.parse(readFileSync(inventoryPath, 'utf8'));
    const data = await withCsvUsage(createReadStream(csvPath, { highWaterMark: 1 << 20 }), inventory);
    const report = analyze(data.inventory, data.ledger);
    rows = data.ledger.rows;
    extra = {
      environments: report.environments.length,
      findings: report.environments.reduce((s, e) => s + e.findings.length, 0),
      overage: report.totals.overage,
    };
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  process.stdout.write(`${JSON.stringify({ phase, rows, seconds, peakRssMb: process.resourceUsage().maxRSS / 1024, ...extra })}\n`);
}

void main();
