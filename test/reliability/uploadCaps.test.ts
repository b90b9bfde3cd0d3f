import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildDemoTenant } from '../../src/tenant/demo/demoTenant';
import { LIST_PRICES } from '../../src/licensing/prices';
import { TenantService } from '../../src/tenant/tenantService';
import { MAX_UPLOAD_BYTES } from '../../src/tenant/uploadLimits';
import { MAX_SET_BYTES, MAX_SET_FILES, UploadSetTooLargeError, UploadWindows } from '../../src/tenant/uploadWindow';
import { ACTIVE_USERS_HEADER, launchRow, toActiveUsersCsv } from '../support/csvWriter';

/**
 * The README's caps for a chat's set of dropped reports, held at their real values: 26
 * files, and 320 MB (two files at the 160 MB per-file cap). The 320 MB are generated as
 * they stream into the upload window (a 1 MB block of rows given again and again), never
 * held in memory; they pass through the set's private directory on disk as a real drop's.
 */

const MB = 1024 * 1024;

/** An Active users report of exactly `size` bytes, in 1 MB pieces: long app names, so two at the byte cap stay under the 1,000,000-row cap. */
async function* generatedReport(size: number, month: string): AsyncGenerator<Buffer> {
  const rows: string[] = [];
  for (let i = 0; rows.join('\n').length < MB; i++) {
    rows.push(launchRow({ userPrincipalName: `user${i}@contoso.com`, appId: `app-${i % 7}`, appName: `Field inspections ${i % 7} ${'x'.repeat(900)}`, environmentId: 'env-1', environmentName: 'Contoso Sales (Prod)', month, licenseType: 'AppPass', reportedPremium: false }));
  }
  const block = Buffer.from(`${rows.join('\n')}\n`);
  let left = size;
  const header = Buffer.from(`${ACTIVE_USERS_HEADER.join(',')}\n`);
  yield header;
  left -= header.length;
  while (left > 0) {
    const piece = left >= block.length ? block : block.subarray(0, left);
    left -= piece.length;
    yield piece;
  }
}

async function* once(text: string): AsyncGenerator<Buffer> {
  yield Buffer.from(text);
}

describe('reliability: a chat\'s upload set holds at most 26 files and 320 MB (README)', function () {
  this.timeout(300_000);
  let windows: UploadWindows;
  beforeEach(() => {
    const tenant = new TenantService(async () => buildDemoTenant(), { ttlMs: 60_000, prices: LIST_PRICES });
    windows = new UploadWindows(tenant, { parent: mkdtempSync(join(tmpdir(), 'passlens-caps-')) });
  });
  afterEach(() => windows.close());

  it('the caps are the README\'s', () => {
    assert.equal(MAX_SET_FILES, 26);
    assert.equal(MAX_UPLOAD_BYTES, 160 * MB);
    assert.equal(MAX_SET_BYTES, 320 * MB);
  });

  it('26 reports combine; the 27th is refused with the cap named, and the 26 are analysed', async () => {
    const demo = buildDemoTenant();
    const months = Array.from({ length: 27 }, (_, i) => `${2024 + Math.floor((i + 9) / 12)}-${String(((i + 9) % 12) + 1).padStart(2, '0')}`);
    assert.equal(new Set(months).size, 27);
    const files = months.map((month) => ({ name: `active-${month}.csv`, chunks: once(toActiveUsersCsv(demo.launches.slice(0, 20).map((l) => ({ ...l, month })))) }));
    const outcome = await windows.drop('chat-files', files);
    assert.equal(outcome.used.length, 26);
    assert.equal(outcome.refused.length, 1);
    assert.equal(outcome.refused[0].name, `active-${months[26]}.csv`);
    assert.ok(outcome.refused[0].error instanceof UploadSetTooLargeError);
    assert.match(outcome.refused[0].error.message, /already holds 26 files/);
    assert.equal(outcome.analysis!.monthly.months.length, 26);
  });

  it('two reports at the 160 MB file cap (320 MB together) combine; one more byte is refused with the cap named', async () => {
    const before = process.memoryUsage().rss;
    const outcome = await windows.drop('chat-bytes', [
      { name: 'active-sep.csv', chunks: generatedReport(MAX_UPLOAD_BYTES, '2026-09') },
      { name: 'active-oct.csv', chunks: generatedReport(MAX_UPLOAD_BYTES, '2026-10') },
      { name: 'active-nov.csv', chunks: once(`${ACTIVE_USERS_HEADER.join(',')}\n`) },
    ]);
    assert.deepEqual(outcome.used.map((k) => k.bytes), [MAX_UPLOAD_BYTES, MAX_UPLOAD_BYTES], '320 MB held, to the byte');
    assert.equal(outcome.refused.length, 1);
    assert.ok(outcome.refused[0].error instanceof UploadSetTooLargeError, String(outcome.refused[0].error));
    assert.match(outcome.refused[0].error.message, /more than 320 MB/);
    assert.deepEqual(outcome.analysis!.monthly.months, ['2026-09', '2026-10']);
    // The bytes streamed through: memory grew by far less than the 320 MB that passed.
    assert.ok(process.memoryUsage().rss - before < 200 * MB, `memory grew by ${Math.round((process.memoryUsage().rss - before) / MB)} MB`);
  });
});
