import assert from 'node:assert/strict';
import type { Activity } from 'botbuilder';
import { buildDemoTenant } from '../../src/tenant/demo/demoTenant';
import { ACTIVE_USERS_HEADER, toActiveUsersCsv } from '../support/csvWriter';
import { FileDropServer } from '../support/fileDrop';
import { botHarness, cardText, lastCard } from '../support/botHarness';
import { CsvFormatError, readActiveUsersCsv } from '../../src/tenant/csv/activeUsersCsv';
import { UploadTooLargeError } from '../../src/tenant/uploadLimits';
import { refusedUploadCard } from '../../src/conversation/uploadNotes';
import { renderCard } from '../../src/cards/render';

/**
 * Issue 23, item 9: a header-only or all-bad CSV dropped in chat got a generic "could not
 * answer" (the reason the CLI prints was lost); UTF-16 without a byte order mark was called
 * "binary"; error cards repeated the dropped files' names although the README says they
 * repeat nothing the request carried. Through the real bot, files served over HTTP.
 */

const demo = buildDemoTenant();
const csv = toActiveUsersCsv(demo.launches);
const HEADER_ONLY = `${ACTIVE_USERS_HEADER.join(',')}\n`;
const ALL_BAD = `${ACTIVE_USERS_HEADER.join(',')}\nx,y\n,,,,\n`;

/** UTF-16 with no byte order mark, as some exports write it. */
function utf16NoMark(text: string, endian: 'le' | 'be'): Buffer {
  const le = Buffer.from(text, 'utf16le');
  if (endian === 'be') le.swap16();
  return le;
}

async function* chunked(bytes: Uint8Array, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < bytes.length; i += size) yield Buffer.from(bytes.subarray(i, i + size));
}

async function rowsOf(bytes: Uint8Array, size: number): Promise<string[]> {
  const rows: string[] = [];
  await readActiveUsersCsv(chunked(bytes, size), (row) => rows.push(JSON.stringify(row.toLaunch())));
  return rows;
}

const cardJson = (replies: Partial<Activity>[]) => JSON.stringify(replies.flatMap((r) => r.attachments ?? []));

describe('reliability: what a file dropped in chat is told (issue 23, item 9)', function () {
  this.timeout(60_000);
  const host = new FileDropServer();
  before(async () => {
    await host.start();
    Object.assign(host.files, {
      '/passlens-drop/header.csv': HEADER_ONLY,
      '/passlens-drop/bad.csv': ALL_BAD,
      '/passlens-drop/empty.csv': '',
      '/passlens-drop/le.csv': utf16NoMark(csv, 'le'),
      '/passlens-drop/be.csv': utf16NoMark(csv, 'be'),
      '/passlens-drop/good.csv': csv,
    });
  });
  after(() => host.stop());

  it('a header-only CSV gets the reader\'s reason, as the CLI prints it', async () => {
    const text = cardText(lastCard(await botHarness().say(host.drop('ActiveUsers.csv', '/passlens-drop/header.csv'))));
    assert.match(text, /I could not read that CSV file/);
    assert.match(text, /has a header but no rows/);
  });

  it('a CSV with no readable row gets the reasons line by line', async () => {
    const text = cardText(lastCard(await botHarness().say(host.drop('ActiveUsers.csv', '/passlens-drop/bad.csv'))));
    assert.match(text, /None of the 2 rows could be read/);
    assert.match(text, /Line 2: 2 fields/);
  });

  it('dropped with a good report, a header-only one is refused with its reason and the good one is analysed', async () => {
    const replies = await botHarness().say({ attachments: [...host.drop('good.csv', '/passlens-drop/good.csv').attachments, ...host.drop('header.csv', '/passlens-drop/header.csv').attachments] });
    const text = cardText(lastCard(replies));
    assert.match(text, /Over in 1 environment/);
    assert.match(text, /header\.csv was not used: The file has a header but no rows/);
  });

  it('UTF-16 without a byte order mark, LE and BE, reads as the same rows as UTF-8, whatever the chunking, and is analysed in chat', async () => {
    const expected = await rowsOf(Buffer.from(csv), 1 << 16);
    for (const endian of ['le', 'be'] as const) {
      for (const size of [1, 3, 7, 4096]) assert.deepEqual(await rowsOf(utf16NoMark(csv, endian), size), expected, `UTF-16 ${endian} without a mark, chunks of ${size}`);
      const text = cardText(lastCard(await botHarness().say(host.drop('ActiveUsers.csv', `/passlens-drop/${endian}.csv`))));
      assert.doesNotMatch(text, /binary/);
      assert.match(text, /Over in 1 environment/);
    }
  });

  it('error cards name no dropped file: refused files are counted, a held file is not listed', async () => {
    const NAME = 'ZqX-Secret [Budget] 2026';
    const h = botHarness();
    const refused = await h.say({
      attachments: [
        ...host.drop(`${NAME} one.csv`, '/passlens-drop/header.csv').attachments,
        ...host.drop(`${NAME} two.csv`, '/passlens-drop/empty.csv').attachments,
        ...host.drop(`${NAME} three.csv`, '/passlens-drop/bad.csv').attachments,
      ],
    });
    const json = cardJson(refused);
    assert.match(cardText(lastCard(refused)), /I could not read that CSV file/);
    assert.ok(!json.includes('ZqX'), `a file name on the error card: ${json.slice(0, 600)}`);
    await h.say(host.drop(`${NAME} good.csv`, '/passlens-drop/good.csv'));
    const notCsv = await h.say(host.drop(`${NAME}.pdf`, '/passlens-drop/good.csv'));
    assert.match(cardText(lastCard(notCsv)), /The file dropped before is still combined/);
    assert.ok(!cardJson(notCsv).includes('ZqX'), cardJson(notCsv).slice(0, 600));
  });

  it('a refusal whose reason quotes a file name is told without it; the other files are counted', () => {
    const view = refusedUploadCard(
      [
        { name: 'ZqX budget.csv', error: new CsvFormatError('"ZqX budget.csv" is empty. Download the report again from the admin center and send the .csv file.') },
        { name: 'ZqX big.csv', error: new UploadTooLargeError('ZqX big.csv is 200 MB') },
      ],
      [{ name: 'ZqX budget.csv' }, { name: 'ZqX big.csv' }],
    );
    const json = JSON.stringify(renderCard(view));
    assert.ok(!json.includes('ZqX'), json);
    assert.match(json, /the file is empty|The file is empty|the file is empty/i);
    assert.match(json, /File 2 of 2 was not used either/);
  });
});
