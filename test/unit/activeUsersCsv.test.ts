import assert from 'node:assert/strict';
import fc from 'fast-check';
import { readActiveUsersCsv, CsvFormatError } from '../../src/tenant/csv/activeUsersCsv';
import { monthOf, licenseTypeOf } from '../../src/usage/spellings';
import type { Launch } from '../../src/licensing/snapshot';
import { analyze, analyzeSnapshot } from '../../src/licensing/analyze';
import { buildDemoTenant } from '../../src/tenant/demo/demoTenant';
import { withCsvUsage } from '../../src/tenant/tenantData';
import { chunksOf, csvField, toActiveUsersCsv } from '../support/csvWriter';
import { findingWords } from '../../src/licensing/findings';

async function read(text: string | Buffer, chunk = 7) {
  const launches: Launch[] = [];
  const result = await readActiveUsersCsv(chunksOf(text, chunk), (row) => launches.push(row.toLaunch()));
  return { launches, result };
}

async function rejects(text: string | Buffer | AsyncIterable<Buffer>, pattern: RegExp) {
  const source = typeof text === 'string' || Buffer.isBuffer(text) ? chunksOf(text, 1024) : text;
  await assert.rejects(readActiveUsersCsv(source, () => {}), (e: Error) => {
    assert.ok(e instanceof CsvFormatError, `CsvFormatError, got ${e.name}: ${e.message}`);
    assert.match(e.message, pattern);
    return true;
  });
}

describe('Active users CSV', () => {
  it('reads headers by alias, with a BOM, semicolons, quoted fields, CRLF, and a field spanning lines', async () => {
    const text =
      '\uFEFFUPN;Display name;App name;App ID;Environment;License Type Used;Premium;Last app launch date;Region\r\n' +
      'a@contoso.com;"Doe; Jane";"Timesheet ""v2""";app-1;Contoso Sales (Prod);AppPass;False;2026-11-05;EU\r\n' +
      'b@contoso.com;Bob;"Multi\r\nline";app-2;Contoso Sales (Prod);Per user;TRUE;11/30/2026;EU\r\n' +
      'c@contoso.com;Cy;Deal Desk;app-3;Contoso Sales (Prod);Microsoft 365;;28.11.2026;EU\r\n';
    for (const chunk of [1, 3, 7, 4096]) {
      const { launches, result } = await read(text, chunk);
      assert.equal(launches.length, 3, `chunk ${chunk}`);
      assert.deepEqual(
        launches.map((l) => [l.userPrincipalName, l.appName, l.appId, l.environmentId, l.licenseType, l.reportedPremium, l.month, l.line]),
        [
          ['a@contoso.com', 'Timesheet "v2"', 'app-1', 'Contoso Sales (Prod)', 'AppPass', false, '2026-11', 2],
          ['b@contoso.com', 'Multi\r\nline', 'app-2', 'Contoso Sales (Prod)', 'PerUser', true, '2026-11', 3],
          ['c@contoso.com', 'Deal Desk', 'app-3', 'Contoso Sales (Prod)', 'M365', null, '2026-11', 5],
        ],
      );
      assert.deepEqual(result.extraColumns, ['Display name', 'Region']);
      assert.equal(result.source.rowsUsed, 3);
    }
  });

  it('keeps good rows of a partly bad file and names the bad lines', async () => {
    const text = [
      'User principal name,App id,Environment id,License type,Is premium,Last launched',
      'a@contoso.com,app-1,env-1,AppPass,false,2026-11-01',
      'b@contoso.com,app-1,env-1',
      ',app-1,env-1,AppPass,false,2026-11-01',
      'c@contoso.com,app-1,env-1,AppPass,maybe,2026-11-01',
      'd@contoso.com,app-1,env-1,AppPass,false,someday',
      'e@contoso.com,"app-1"x,env-1,AppPass,false,2026-11-01',
      'f@contoso.com,app-2,env-1,AppPass,true,2026-11-02',
    ].join('\n');
    const { launches, result } = await read(text);
    assert.deepEqual(launches.map((l) => l.userPrincipalName), ['a@contoso.com', 'f@contoso.com']);
    const bad = result.source.badRows!;
    assert.equal(bad.count, 5);
    assert.deepEqual(bad.samples.map((s) => s.line), [3, 4, 5, 6, 7]);
    assert.match(bad.samples[0].reason, /3 fields, expected at least 6/);
    assert.match(bad.samples[2].reason, /"Is premium" is "maybe"/);
    assert.match(bad.samples[3].reason, /date "someday"/);
    assert.match(bad.samples[4].reason, /after a closing quote/);
    assert.equal(result.source.rowsRead, 7);
  });

  it('an unclosed quote loses only its own line', async () => {
    const rows = ['User principal name,App id,Environment id,License type', 'a@contoso.com,"app-1,env-1,AppPass'];
    for (let i = 0; i < 3000; i++) rows.push(`u${i}@contoso.com,app-${i},env-1,AppPass`);
    const { launches, result } = await read(rows.join('\n'), 1 << 16);
    assert.equal(result.source.badRows!.samples[0].line, 2);
    assert.match(result.source.badRows!.samples[0].reason, /never closed/);
    assert.ok(launches.length >= 2990, `kept ${launches.length}`);
  });

  it('names the missing required columns and the columns it found', async () => {
    await rejects('Name,Department\nJane,Sales\n', /Missing required columns: User principal name .*License type.*App id or App name.*Environment id or Environment name.*Columns found: Name, Department/);
  });

  it('refuses empty, header-only, binary and garbage files with a clear message', async () => {
    await rejects('', /empty/);
    await rejects('\uFEFF\n\n', /empty|header/);
    await rejects('User principal name,App id,Environment id,License type\n', /header but no rows/);
    await rejects(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0x08, 0x00]), /binary/);
    await rejects('UPN,App id,Environment id,License type\nx,y,z,\n,,,\n', /None of the 2 rows could be read.*Line 2: no license type/);
  });

  it('gives up on 200 MB of garbage after the first 64 KB, without reading the rest', async () => {
    let pulled = 0;
    async function* garbage(): AsyncIterable<Buffer> {
      const block = Buffer.alloc(1 << 20, 'x#%&abc ');
      for (let i = 0; i < 200; i++) {
        pulled += block.length;
        yield block;
      }
    }
    await rejects(garbage(), /No header line in the first 64 KB/);
    assert.ok(pulled <= 2 << 20, `read ${pulled} bytes`);
  });

  it('reads dates and license names in the forms the admin center uses', () => {
    assert.equal(monthOf('2026-11-05T10:00:00Z'), '2026-11');
    assert.equal(monthOf('2026-11'), '2026-11');
    assert.equal(monthOf('25/11/2026'), '2026-11');
    assert.equal(monthOf('11/05/2026'), '2026-11');
    assert.equal(monthOf('2026-13-01'), undefined);
    assert.deepEqual(['App pass', 'Per app', 'Power Apps per user', 'Pay-as-you-go', 'Office 365', 'Trial'].map(licenseTypeOf), ['AppPass', 'AppPass', 'PerUser', 'PayAsYouGo', 'M365', 'Other']);
  });

  it('gives the same report as the demo snapshot when the demo usage comes as a CSV', async () => {
    const demo = buildDemoTenant();
    const { launches, ...inventory } = demo;
    const data = await withCsvUsage(chunksOf(toActiveUsersCsv(launches, { delimiter: ';', bom: true, eol: '\r\n' }), 4096), inventory);
    const fromCsv = analyze(data.inventory, data.ledger);
    const direct = analyzeSnapshot(demo);
    // Evidence names CSV lines, which live data has not: compared are the facts and the rest of the words.
    const strip = (r: typeof direct) => r.environments.map(({ findings, ...e }) => ({ ...e, findings: findings.map(({ detail: _d, ...f }) => { const { evidence: _e, ...words } = findingWords({ ...f, detail: _d }); return { ...f, ...words }; }) }));
    assert.deepEqual(strip(fromCsv), strip(direct));
  });

  it('counts a user once however the row spells the key: quoted, padded, upper case, beyond ASCII', async () => {
    const text = [
      'User principal name,App id,Environment id,License type,Is premium,Last launched',
      'jane@contoso.com,app-1,env-1,AppPass,false,2026-11-01',
      '"JANE@contoso.com",app-2,env-1,AppPass,false,2026-11-01',
      ' Jane@Contoso.com ,"APP-1",ENV-1,AppPass,false,2026-11-02',
      'Émile@contoso.com,app-1,env-1,AppPass,false,2026-11-01',
      '"émile@CONTOSO.com",app-2," env-1",AppPass,false,2026-11-01',
    ].join('\n');
    for (const chunk of [1, 5, 4096]) {
      const data = await withCsvUsage(chunksOf(text, chunk), null);
      assert.equal(data.ledger.userCount(), 2, `chunk ${chunk}`);
      assert.equal(data.ledger.environments().length, 1);
      assert.equal(data.ledger.apps().length, 2);
      const report = analyze(data.inventory, data.ledger);
      assert.equal(report.environments[0].bookedAsAppPass, 4, 'jane and émile on app-1 and app-2');
    }
  });

  it('names a line too long to be a row and keeps the rows around it', async () => {
    const text = [
      'User principal name,App id,Environment id,License type',
      'a@contoso.com,app-1,env-1,AppPass',
      `b@contoso.com,${'x'.repeat(200_000)},env-1,AppPass`,
      'c@contoso.com,app-1,env-1,AppPass',
    ].join('\n');
    const { launches, result } = await read(text, 1 << 14);
    assert.deepEqual(launches.map((l) => [l.userPrincipalName, l.line]), [['a@contoso.com', 2], ['c@contoso.com', 4]]);
    assert.equal(result.source.badRows!.count, 1);
    assert.deepEqual(result.source.badRows!.samples[0], { line: 3, reason: 'line is longer than 65536 characters' });
  });

  it('rows without a date count in every month, merged with the dated rows of the same user and app', async () => {
    const text = [
      'User principal name,App id,Environment id,License type,Is premium,Last launched',
      'a@contoso.com,app-1,env-1,AppPass,false,2026-10-03',
      'a@contoso.com,app-1,env-1,AppPass,false,2026-11-03',
      'a@contoso.com,app-1,env-1,AppPass,false,',
      'b@contoso.com,app-1,env-1,AppPass,false,',
    ].join('\n');
    const data = await withCsvUsage(chunksOf(text, 4096), null);
    assert.deepEqual(data.ledger.months(), ['2026-10', '2026-11']);
    for (const month of ['2026-10', '2026-11']) {
      const env = analyze(data.inventory, data.ledger, { month }).environments[0];
      assert.equal(env.bookedAsAppPass, 2, month);
      assert.equal(env.activeUsers, 2, month);
    }
  });

  it('reads back any rows as written, whatever the quoting, line ends, delimiter and chunk size (property-based)', async () => {
    // Texts built from the characters that matter to a CSV reader.
    const text = fc.array(fc.constantFrom('a', 'B', 'é', 'Σ', ' ', ',', ';', '"', '\n', '\r\n', '-', '1'), { maxLength: 12 }).map((parts) => parts.join(''));
    const key = text.map((t) => `k${t.replace(/[\s]/g, '')}`);
    const row = fc.record({ user: key, appName: text, appId: key, env: key, type: fc.constantFrom('AppPass', 'PerUser', 'M365'), premium: fc.constantFrom('true', 'false', '') });
    await fc.assert(
      fc.asyncProperty(fc.array(row, { minLength: 1, maxLength: 12 }), fc.constantFrom(',', ';'), fc.constantFrom('\n', '\r\n'), fc.integer({ min: 1, max: 64 }), async (rows, d, eol, chunk) => {
        const header = ['User principal name', 'App name', 'App id', 'Environment id', 'License type', 'Is premium'].join(d);
        const lines = rows.map((r) => [r.user, r.appName, r.appId, r.env, r.type, r.premium].map((v) => csvField(v, d)).join(d));
        const file = [header, ...lines].join(eol) + eol;
        const { launches } = await read(file, chunk);
        // The same keys in upper case are the same users, apps and environments, by either the fast or the quoted path.
        const shouted = rows.map((r) => [r.user.toUpperCase(), r.appName, r.appId.toUpperCase(), r.env.toUpperCase(), r.type, r.premium].map((v) => csvField(v, d)).join(d));
        const data = await withCsvUsage(chunksOf(file + shouted.join(eol) + eol, chunk), null);
        assert.equal(data.ledger.userCount(), new Set(rows.map((r) => r.user.toLowerCase())).size);
        assert.equal(data.ledger.environments().length, new Set(rows.map((r) => r.env.toLowerCase())).size);
        assert.deepEqual(
          launches.map((l) => [l.userPrincipalName, l.appName ?? '', l.appId, l.environmentId, l.licenseType, l.reportedPremium]),
          rows.map((r) => [r.user, r.appName.trim(), r.appId, r.env, r.type, r.premium === '' ? null : r.premium === 'true']),
        );
      }),
      { numRuns: 300 },
    );
  });
});
