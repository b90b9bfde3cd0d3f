import assert from 'node:assert/strict';
import { createReadStream, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CsvFormatError } from '../../src/tenant/csv/activeUsersCsv';
import { licenseOfName, peekHeader, reportKindOf } from '../../src/tenant/csv/adminReports';
import { readReportSet, withManagedEvidence } from '../../src/tenant/reportSet';
import { analyze } from '../../src/licensing/analyze';
import { chunksOf } from '../support/csvWriter';

const samples = join(__dirname, '../../docs/samples');
const sample = (name: string) => ({ name, chunks: createReadStream(join(samples, name)) });

describe('the admin center reports', () => {
  it('tells each report from its headers, by alias and in any order', () => {
    assert.equal(reportKindOf(['Last launched', 'License Type', 'Environment', 'App ID', 'UPN'], 'a.csv'), 'activeUsers');
    assert.equal(reportKindOf(['User principal name', 'App name', 'App id', 'Environment name', 'Environment id', 'License type', 'Is premium', 'Last launched'], 'a.csv'), 'activeUsers');
    assert.equal(reportKindOf(['Licenses', 'Display name', 'User Principal Name'], 'l.csv'), 'licensedUsers');
    assert.equal(reportKindOf(['email', 'SKU part number'], 'l.csv'), 'licensedUsers');
    assert.equal(reportKindOf(['Required license', 'App name', 'User principal name', 'Environment name', 'Current license'], 'm.csv'), 'managedRequired');
    assert.equal(reportKindOf(['Environment ID', 'UPN', 'License required'], 'm.csv'), 'managedRequired');
  });

  it('refuses a file that is none of them with the columns each report needs', () => {
    assert.throws(
      () => reportKindOf(['Name', 'Department'], 'staff.csv'),
      (e: Error) =>
        e instanceof CsvFormatError &&
        /"staff\.csv" is none of the admin center's Power Apps reports\. Its columns: Name, Department\./.test(e.message) &&
        /Active users: User principal name, App name or App id, Environment name or Environment id, License type/.test(e.message) &&
        /All licensed users: User principal name, License/.test(e.message) &&
        /Users requiring licenses in Managed Environments: User principal name, Environment name or Environment id, Required license/.test(e.message),
    );
  });

  it('reads the header and then gives every byte again, whatever the chunking and encoding', async () => {
    const text = '\uFEFF"User principal name";"Licenses"\r\na@contoso.com;"Power Apps Premium"\r\n';
    for (const size of [1, 5, 4096]) {
      const { fields, chunks } = await peekHeader(chunksOf(text, size), 'x.csv');
      assert.deepEqual(fields, ['User principal name', 'Licenses']);
      const again: Buffer[] = [];
      for await (const c of chunks) again.push(c);
      assert.equal(Buffer.concat(again).toString('utf8'), text);
    }
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('UPN\tLicense\r\nx\ty\r\n', 'utf16le')]);
    assert.deepEqual((await peekHeader(chunksOf(utf16, 3), 'x.csv')).fields, ['UPN', 'License']);
    await assert.rejects(peekHeader(chunksOf('', 3), 'empty.csv'), /"empty\.csv" is empty/);
  });

  it('names licenses by product name or SKU part number', () => {
    assert.equal(licenseOfName('Power Apps Premium'), 'PowerAppsPremium');
    assert.equal(licenseOfName('Power Apps per user plan'), 'PowerAppsPremium');
    assert.equal(licenseOfName('Power Apps per app plan'), 'PowerAppsPerApp');
    assert.equal(licenseOfName('Dynamics 365 Sales Enterprise'), 'D365Enterprise');
    assert.equal(licenseOfName('Dynamics 365 Sales Professional'), 'D365Professional');
    assert.equal(licenseOfName('Office 365 E3'), 'M365E3');
    assert.equal(licenseOfName('SPE_E5'), 'M365E5');
    assert.equal(licenseOfName('Visio Plan 2'), 'Other');
  });

  it('combines two months, the licensed users and the managed report into one analysis', async () => {
    const data = await readReportSet(['active-sep.csv', 'active-oct.csv', 'licensed.csv', 'managed-required.csv'].map(sample), null);
    assert.deepEqual(data.files.map((f) => f.kind), ['activeUsers', 'activeUsers', 'licensedUsers', 'managedRequired']);
    assert.deepEqual(data.ledger.months(), ['2026-09', '2026-10']);
    assert.deepEqual(data.inventory.users!.find((u) => u.userPrincipalName === 'user03@contoso.com')!.licenses, ['M365E3', 'PowerAppsPremium']);
    const hr = data.inventory.environments.find((e) => e.name === 'Contoso HR (Managed)')!;
    assert.equal(hr.managed, true, 'the managed report names only Managed Environments (R8)');
    const report = withManagedEvidence(analyze(data.inventory, data.ledger), data.managedRequired);
    const hrReport = report.environments.find((e) => e.name === 'Contoso HR (Managed)')!;
    const rows = readFileSync(join(samples, 'managed-required.csv'), 'utf8').trim().split('\n').length - 1;
    assert.deepEqual([hrReport.usersRequiringLicenses!.users, hrReport.usersRequiringLicenses!.rows], [7, rows], 'each user once, though the report lists one per launch');
    assert.equal(hrReport.requiredPasses, 7, 'R8: standard apps need passes in a Managed Environment');
    const sales = report.environments.find((e) => e.name === 'Contoso Sales (Prod)')!;
    assert.ok(sales.findings.some((f) => f.code === 'PREMIUM_USER_BOOKED_AS_PASS' && f.userPrincipalName === 'user03@contoso.com'), 'per-user licenses from the licensed users report (R6)');
  });

  it('needs an Active users report when no other source gives usage', async () => {
    await assert.rejects(readReportSet([sample('licensed.csv')], null), /No Active users report among licensed\.csv/);
  });
});
