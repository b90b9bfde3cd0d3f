import assert from 'node:assert/strict';
import fc from 'fast-check';
import { readActiveUsersCsv } from '../../src/tenant/csv/activeUsersCsv';
import { CsvScanner, type CsvRecordView } from '../../src/usage/csvScanner';
import { TenantService } from '../../src/tenant/tenantService';
import { RecentUploads } from '../../src/tenant/recentUploads';
import { MAX_UPLOAD_BYTES, MAX_UPLOAD_ROWS, rowsAtMost, UploadTooLargeError } from '../../src/tenant/uploadLimits';
import { buildDemoTenant } from '../../src/tenant/demo/demoTenant';
import { LIST_PRICES } from '../../src/licensing/prices';
import { toActiveUsersCsv } from '../support/csvWriter';
import { FileDropServer } from '../support/fileDrop';
import { botHarness, cardText, lastCard } from '../support/botHarness';

/** Files the fault run dropped into chat: Excel's other encodings, lines around the limit, files past the caps. */
const demo = buildDemoTenant();
const csv = toActiveUsersCsv(demo.launches);

async function* chunked(bytes: Uint8Array, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < bytes.length; i += size) yield Buffer.from(bytes.subarray(i, i + size));
}

async function rowsOf(bytes: Uint8Array, chunkSize = 1 << 16): Promise<string[]> {
  const rows: string[] = [];
  await readActiveUsersCsv(chunked(bytes, chunkSize), (row) => rows.push(JSON.stringify(row.toLaunch())));
  return rows;
}

function utf16(text: string, endian: 'le' | 'be'): Uint8Array {
  const le = Buffer.from(`\uFEFF${text}`, 'utf16le');
  if (endian === 'le') return le;
  const be = Buffer.from(le);
  be.swap16();
  return be;
}

describe('reliability: hostile files', function () {
  this.timeout(60_000);

  it('reads UTF-16 LE and BE with a BOM, tab-separated (Excel "Unicode Text"), as the same rows as the UTF-8 CSV, whatever the chunking', async () => {
    const expected = await rowsOf(Buffer.from(csv));
    const tabbed = toActiveUsersCsv(demo.launches, { delimiter: '\t', eol: '\r\n' });
    for (const endian of ['le', 'be'] as const) {
      for (const chunkSize of [1, 3, 4096]) {
        assert.deepEqual(await rowsOf(utf16(tabbed, endian), chunkSize), expected, `UTF-16 ${endian}, chunks of ${chunkSize}`);
      }
    }
  });

  it('a record over the limit or over several lines gets the same answer wherever the chunks break (property-based)', () => {
    const max = 64;
    const line = fc.oneof(
      fc.integer({ min: 0, max: 130 }).map((n) => 'a'.repeat(n)),
      fc.integer({ min: 0, max: 130 }).map((n) => `"${'q'.repeat(n)}",x`),
      fc.constant('a,b,c'),
      fc.integer({ min: 55, max: 75 }).map((n) => `${'b'.repeat(n)}\r`),
      // a quoted field over line breaks, and a quote never closed: records that do not end at the first line end
      fc.tuple(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 40 })).map(([a, b]) => `"${'m'.repeat(a)}\n${'n'.repeat(b)}",y`),
      fc.integer({ min: 0, max: 90 }).map((n) => `"${'u'.repeat(n)}`),
    );
    const scan = (bytes: Uint8Array, size: number) => {
      const out: string[] = [];
      const scanner = new CsvScanner(44, {
        record: (v: CsvRecordView) => out.push(`${v.line}:${Array.from({ length: v.fields }, (_, k) => Buffer.from(v.bytes.subarray(v.start[k], v.end[k])).toString()).join('|')}`),
        bad: (lineNo: number, reason: string) => out.push(`${lineNo}! ${reason}`),
      }, max);
      for (let i = 0; i < bytes.length; i += size) scanner.push(bytes.subarray(i, i + size));
      scanner.end();
      return out;
    };
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 12 }), fc.integer({ min: 1, max: 200 }), (lines, size) => {
        const bytes = Buffer.from(`${lines.join('\n')}\n`);
        assert.deepEqual(scan(bytes, size), scan(bytes, bytes.length));
      }),
      { numRuns: 400 },
    );
  });

  describe('uploads in chat', () => {
    const fileHost = new FileDropServer();
    const files = fileHost.files;
    before(() => fileHost.start());
    after(() => fileHost.stop());
    const upload = (name: string, path: string) => fileHost.drop(name, path);

    it('accepts Excel\'s "Unicode Text" .txt dropped into chat', async () => {
      files['/unicode.txt'] = Buffer.from(utf16(toActiveUsersCsv(demo.launches, { delimiter: '\t' }), 'le'));
      const text = cardText(lastCard(await botHarness().say(upload('ActiveUsers.txt', '/unicode.txt'))));
      assert.match(text, /Uploaded ActiveUsers\.txt/);
      assert.match(text, /Over by 3|over by 3/);
    });

    it('a file over the cap gets a clear answer that names the CLI, before it is read', async () => {
      files['/huge.csv'] = Buffer.alloc(MAX_UPLOAD_BYTES + 1, 0x61);
      const text = cardText(lastCard(await botHarness().say(upload('huge.csv', '/huge.csv'))));
      assert.match(text, /too large to analyse in chat/);
      assert.match(text, /passlens analyze --csv/);
    });
  });

  it('more rows than the cap stop the read with the same message; bytes past the cap too, without a length given', async () => {
    const tenant = new TenantService(async () => demo, { ttlMs: 60_000, prices: LIST_PRICES });
    await assert.rejects(tenant.analyzeReports([{ name: 'rows.csv', chunks: chunked(Buffer.from(csv), 4096) }], { limits: { bytes: 1 << 30, rows: 10 } }), (e: Error) => e instanceof UploadTooLargeError && /more than 10 rows/.test(e.message) && /passlens analyze --csv/.test(e.message));
    await assert.rejects(tenant.analyzeReports([{ name: 'bytes.csv', chunks: chunked(Buffer.from(csv), 256) }], { limits: { bytes: 1000, rows: 1e6 } }), (e: Error) => e instanceof UploadTooLargeError && /larger than/.test(e.message));
  });

  it('kept uploads make room for the rows the new files can hold at 16 bytes a row (the shortest row read), never more than the row cap', () => {
    assert.equal(rowsAtMost([1000, 601]), 101);
    assert.equal(rowsAtMost([Buffer.byteLength('a@b.c,AppPass,X,Y\n')]), 2, 'the shortest row the reader accepts is 18 bytes: one row, rounded up');
    assert.equal(rowsAtMost([MAX_UPLOAD_BYTES, MAX_UPLOAD_BYTES]), MAX_UPLOAD_ROWS);
    assert.equal(rowsAtMost([]), 0);
  });

  it('kept uploads stay within a total budget, the oldest dropped first, before the next one is read', () => {
    let now = 0;
    const kept = new RecentUploads<string>({ keep: 3, ttlMs: 3_600_000, now: () => now, budget: 100 });
    const a = kept.add('a', 40);
    now++;
    const b = kept.add('b', 40);
    now++;
    assert.equal(kept.makeRoom(50), 40, 'what it released (TenantService collects after a large release)');
    assert.equal(kept.get(a), null, 'the oldest went first');
    assert.equal(kept.get(b), 'b');
    const c = kept.add('c', 50);
    assert.equal(kept.weight(), 90);
    assert.equal(kept.get(c), 'c');
  });
});
