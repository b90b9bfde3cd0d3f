import assert from 'node:assert/strict';
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { analyzeMonths, change, monthName } from '../../src/licensing/months';
import { analyze } from '../../src/licensing/analyze';
import { readReportSet } from '../../src/tenant/reportSet';
import { applyAllocations, fromSnapshot } from '../../src/tenant/tenantData';
import { buildDemoTenant } from '../../src/tenant/demo/demoTenant';

const samples = join(__dirname, '../../docs/samples');

async function twoMonths() {
  const data = await readReportSet(['active-sep.csv', 'active-oct.csv'].map((name) => ({ name, chunks: createReadStream(join(samples, name)) })), null);
  return applyAllocations(data, [{ environment: 'Contoso Sales (Prod)', passes: 25 }]);
}

describe('several months', () => {
  it('gives per environment and month the booked, needed, overage and idle figures, each month as its own analysis', async () => {
    const data = await twoMonths();
    const { report, monthly } = analyzeMonths(data.inventory, data.ledger);
    assert.equal(report.month, '2026-10', 'the latest month by default');
    assert.deepEqual(monthly.months, ['2026-09', '2026-10']);
    const sales = monthly.environments.find((e) => e.name === 'Contoso Sales (Prod)')!;
    assert.deepEqual(
      sales.months.map((m) => [m.month, m.allocatedPasses, m.bookedAsAppPass, m.overage, m.unusedPasses]),
      [
        ['2026-09', 25, 31, 6, 0],
        ['2026-10', 25, 12, 0, 13],
      ],
    );
    for (const m of sales.months) {
      const alone = analyze(data.inventory, data.ledger, { month: m.month }).environments.find((e) => e.name === 'Contoso Sales (Prod)')!;
      assert.deepEqual([alone.bookedAsAppPass, alone.requiredPasses, alone.overage, alone.unusedPasses], [m.bookedAsAppPass, m.requiredPasses, m.overage, m.unusedPasses]);
    }
    const hr = monthly.environments.find((e) => e.name === 'Contoso HR (Managed)')!;
    assert.equal(hr.months[0].overage, null, 'an unknown allocation stays unknown in every month, never 0');
  });

  it('--month picks a month and the figures stop there', async () => {
    const data = await twoMonths();
    const { report, monthly } = analyzeMonths(data.inventory, data.ledger, { month: '2026-09' });
    assert.equal(report.month, '2026-09');
    assert.deepEqual(monthly.months, ['2026-09']);
  });

  it('keeps figures only: no user, app or row in what is kept', async () => {
    const data = await twoMonths();
    const { monthly } = analyzeMonths(data.inventory, data.ledger);
    const text = JSON.stringify(monthly);
    assert.doesNotMatch(text, /@contoso\.com|Timesheet|Deal Desk/);
  });

  it('a source with one month gives one month; change and month names say unknown as null', () => {
    const data = fromSnapshot(buildDemoTenant());
    assert.equal(analyzeMonths(data.inventory, data.ledger).monthly.months.length, 1);
    assert.equal(change(31, 12), -19);
    assert.equal(change(null, 12), null);
    assert.equal(monthName('2026-09'), 'September 2026');
  });
});
