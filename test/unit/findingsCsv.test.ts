import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parse } from 'csv-parse/sync';
import { analyze } from '../../src/licensing/analyze';
import { applyAllocations, withCsvUsage } from '../../src/tenant/tenantData';
import { FINDINGS_CSV_COLUMNS, findingsCsv } from '../../src/export/findingsCsv';
import { chunksOf, toActiveUsersCsv } from '../support/csvWriter';
import type { Launch } from '../../src/licensing/snapshot';

/** A month of launches where every finding names the given environment, app and user: overage, a standard app booked as a pass, a per-user license with a pass. */
function launchesNaming(env: string, app: string, user: string): Launch[] {
  const at = { environmentId: 'env-1', environmentName: env, month: '2026-10' };
  return [
    { ...at, userPrincipalName: user, appId: 'app-1', appName: app, licenseType: 'AppPass', reportedPremium: false },
    { ...at, userPrincipalName: user, appId: 'app-2', appName: 'Deal Desk', licenseType: 'PerUser', reportedPremium: true },
    { ...at, userPrincipalName: user, appId: 'app-3', appName: 'Quotes', licenseType: 'AppPass', reportedPremium: true },
  ];
}

async function exported(env: string, app: string, user: string): Promise<string> {
  const data = applyAllocations(await withCsvUsage(chunksOf(toActiveUsersCsv(launchesNaming(env, app, user)), 4096), null), [{ environment: 'env-1', passes: 1 }]);
  return findingsCsv(analyze(data.inventory, data.ledger));
}

const FORMULA_START = /^[=+\-@\t\r]/;

describe('findings CSV export', () => {
  it('writes one row per finding with the documented columns', async () => {
    const text = await exported('Contoso Sales (Prod)', 'Timesheet', 'jane@contoso.com');
    assert.ok(text.startsWith('\uFEFF'), 'a BOM, so Excel reads UTF-8');
    const rows = parse(text, { bom: true, columns: true }) as Record<string, string>[];
    assert.deepEqual(Object.keys(rows[0]), [...FINDINGS_CSV_COLUMNS]);
    assert.deepEqual(rows.map((r) => r.code).sort(), ['OVERAGE', 'PREMIUM_USER_BOOKED_AS_PASS', 'STANDARD_APP_BOOKED_AS_PASS']);
    const standard = rows.find((r) => r.code === 'STANDARD_APP_BOOKED_AS_PASS')!;
    assert.deepEqual([standard.environment, standard.month, standard.rule, standard.confidence, standard.app, standard.count], ['Contoso Sales (Prod)', '2026-10', 'R11', 'U', 'Timesheet', '1']);
    assert.equal(rows.find((r) => r.code === 'PREMIUM_USER_BOOKED_AS_PASS')!.user, 'jane@contoso.com');
    for (const r of rows) assert.ok(r.explanation.length > 20 && r.fix.length > 10);
  });

  it('neutralises every cell a spreadsheet would run as a formula, and keeps its text after the quote', async () => {
    const risky = fc.tuple(fc.constantFrom('=', '+', '-', '@', '\t', '\r'), fc.string({ minLength: 1, maxLength: 12 }).filter((s) => s.trim() === s && !/[\r\n"]/.test(s)));
    await fc.assert(
      fc.asyncProperty(risky, risky, risky, async ([e1, e2], [a1, a2], [u1, u2]) => {
        const env = `${e1}${e2}`;
        const app = `${a1}${a2}`;
        const user = `${u1}${u2}@contoso.com`;
        // The report trims fields: a name that starts with a tab or CR starts with what follows it.
        const asRead = (s: string) => s.trim();
        const rows = parse(await exported(env, app, user), { bom: true, relax_quotes: true }) as string[][];
        for (const row of rows.slice(1)) for (const cell of row) assert.doesNotMatch(cell, FORMULA_START, `cell ${JSON.stringify(cell)} would run as a formula`);
        const byColumn = (name: string) => rows.slice(1).map((r) => r[FINDINGS_CSV_COLUMNS.indexOf(name as never)]);
        for (const cell of byColumn('environment')) assert.equal(cell, FORMULA_START.test(asRead(env)) ? `'${asRead(env)}` : asRead(env));
        const apps = byColumn('app').filter(Boolean);
        assert.equal(apps.length, 1);
        assert.equal(apps[0], FORMULA_START.test(asRead(app)) ? `'${asRead(app)}` : asRead(app));
      }),
      { numRuns: 40 },
    );
  });

  it('neutralises the classic payloads', async () => {
    const text = await exported('=cmd|\' /C calc\'!A0', '@SUM(A1)', '+evil@contoso.com');
    const rows = parse(text, { bom: true, columns: true }) as Record<string, string>[];
    assert.equal(rows[0].environment, '\'=cmd|\' /C calc\'!A0');
    assert.equal(rows.find((r) => r.app)!.app, '\'@SUM(A1)');
    assert.equal(rows.find((r) => r.user)!.user, '\'+evil@contoso.com');
    assert.match(rows[0].explanation, /^'=cmd/, 'an explanation that starts with the environment name is neutralised too');
  });
});
