import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { startPassLens, type RunningPassLens } from '../../src/index';
import { freePort } from '../support/chromium';
import { FakeConnector } from '../support/fakeConnector';
import { FileDropServer } from '../support/fileDrop';
import { ADMIN_OID, cardActions, cardText } from '../support/botHarness';

/**
 * Reports dropped one after another into a chat, through the real bot over HTTP: POST
 * /api/messages as Teams sends a file (a file.download.info attachment), the download from
 * a file host, the answer posted back to a Bot Framework connector.
 */
const quiet = { info: () => {}, error: () => {} };
const samples = join(__dirname, '../../docs/samples');
let sent = 0;

/** A chat with the running bot: `say` sends one activity to POST /api/messages and returns the cards PassLens posted back to that chat, in order; `drop` drops files. */
function chatWith(running: () => RunningPassLens, connector: FakeConnector, fileHost: FileDropServer) {
  async function say(conversation: string, activity: Record<string, unknown>, from = ADMIN_OID): Promise<Record<string, unknown>[]> {
    const before = connector.posts.length;
    const response = await fetch(`http://127.0.0.1:${running().port}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        type: 'message',
        id: `m-${++sent}`,
        channelId: 'msteams',
        serviceUrl: connector.url,
        from: { id: `29:${from}`, name: 'Alex Admin', aadObjectId: from },
        recipient: { id: '28:passlens', name: 'PassLens' },
        conversation: { id: conversation, conversationType: 'personal' },
        ...activity,
      }),
    });
    assert.equal(response.status, 200);
    return connector.posts
      .slice(before)
      .filter((p) => p.conversationId === conversation)
      .flatMap((p) => ((p.activity.attachments ?? []) as { contentType: string; content: Record<string, unknown> }[]).filter((a) => a.contentType === 'application/vnd.microsoft.card.adaptive').map((a) => a.content));
  }
  const drop = (conversation: string, ...names: string[]) =>
    say(conversation, { attachments: names.flatMap((name) => fileHost.drop(name.replace(/^\//, ''), `/${name}`).attachments) });
  return { say, drop };
}

describe('uploads one after another combine (the real bot over HTTP)', function () {
  this.timeout(60_000);
  const connector = new FakeConnector();
  const fileHost = new FileDropServer();
  let running: RunningPassLens;
  let uploadDir: string;
  let abandoned: string;
  const errors: string[] = [];

  before(async () => {
    await connector.start();
    await fileHost.start();
    for (const name of ['active-sep.csv', 'active-oct.csv', 'licensed.csv', 'managed-required.csv']) fileHost.files[`/${name}`] = readFileSync(join(samples, name));
    // A re-download of October, later in the month: one more launch.
    fileHost.files['/active-oct-later.csv'] = `${readFileSync(join(samples, 'active-oct.csv'), 'utf8').trimEnd()}\nuser99@contoso.com,Deal Desk,a1000000-0000-4000-8000-000000000002,Contoso Sales (Prod),6f1c2d3e-0001-4a5b-9c8d-000000000001,AppPass,true,2026-10-30T09:00:00Z\n`;
    fileHost.files['/people.csv'] = 'Name,Department\nJane,Sales\n';
    uploadDir = mkdtempSync(join(tmpdir(), 'passlens-upload-dir-'));
    // What a killed PassLens left behind: deleted at start-up.
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
    abandoned = join(uploadDir, `passlens-uploads-${dead}-1700000000-old`);
    mkdirSync(join(abandoned, '1-x'), { recursive: true });
    running = await startPassLens({
      env: { PORT: String(await freePort()), PASSLENS_ADMINS: ADMIN_OID, PASSLENS_LOCAL_TRUST_ACTIVITY_IDENTITY: 'true', PASSLENS_DIGEST_TIMER: 'off', PASSLENS_DATA_DIR: mkdtempSync(join(tmpdir(), 'passlens-data-')), PASSLENS_UPLOAD_DIR: uploadDir },
      logger: { info: () => {}, error: (message: string, fields?: unknown) => void errors.push(`${message} ${JSON.stringify(fields)}`) },
    });
  });

  let closed = false;
  after(async () => {
    if (!closed) await running?.close();
    await connector.stop();
    fileHost.stop();
  });

  const { say, drop } = chatWith(() => running, connector, fileHost);
  const reports = () => readdirSync(uploadDir, { recursive: true, encoding: 'utf8' }).filter((p) => statSync(join(uploadDir, p)).isFile());

  it('start-up deleted what a killed process left', () => {
    assert.ok(!existsSync(abandoned));
  });

  it('answers each drop with one analysis of everything dropped in that chat within the window, naming every file', async () => {
    const first = await drop('chat-a', 'active-sep.csv');
    assert.equal(first.length, 1, 'one month: the overview alone');
    const sep = cardText(first[0]);
    assert.match(sep, /Uploaded active-sep\.csv/);
    assert.match(sep, /The analysis of active-sep\.csv alone\./);
    assert.match(sep, /A report dropped here before \d\d:\d\d UTC \(15 minutes after the last one\) joins it; a report dropped again replaces the earlier one\. "New upload" starts over\./);
    assert.ok(cardActions(first[0]).some((a) => a.title === 'New upload' && a.data.verb === 'clearUploads'));

    const second = await drop('chat-a', 'active-oct.csv');
    assert.equal(second.length, 2, 'the overview, then the trend of both months');
    assert.match(cardText(second[0]), /One analysis of the 2 files dropped here since \d\d:\d\d UTC: active-sep\.csv, active-oct\.csv\./);
    assert.match(cardText(second[1]), /Uploaded active-sep\.csv; Uploaded active-oct\.csv/);
    assert.match(cardText(second[1]), /Since September 2026: booked as AppPass/);
    assert.match(JSON.stringify(second[1]), /"type":"Chart\.Line"/);

    // Another chat's drop never mixes with chat-a's files.
    const other = await drop('chat-b', 'active-oct.csv');
    assert.equal(other.length, 1);
    assert.match(cardText(other[0]), /The analysis of active-oct\.csv alone\./);
    assert.doesNotMatch(cardText(other[0]), /active-sep/);

    const third = await drop('chat-a', 'licensed.csv');
    const all = cardText(third[0]);
    assert.match(all, /One analysis of the 3 files dropped here since \d\d:\d\d UTC: active-sep\.csv, active-oct\.csv, licensed\.csv\./);
    assert.match(all, /Uploaded active-sep\.csv; Uploaded active-oct\.csv; All licensed users licensed\.csv: per-user licenses of \d+ users/);
    assert.equal(reports().length, 4, 'three files of chat-a and one of chat-b wait on disk');
  });

  it('while the window is open, typed questions in that chat answer from its files, say so, and offer the tenant instead', async () => {
    await drop('chat-typed', 'active-sep.csv');
    await drop('chat-typed', 'active-oct.csv');
    const [trend] = await say('chat-typed', { text: 'what changed over the last months' });
    const text = cardText(trend);
    assert.match(text, /^From the 2 files dropped here \(active-sep\.csv, active-oct\.csv\) until \d\d:\d\d UTC, not the tenant\./);
    assert.match(text, /Since September 2026: booked as AppPass 41 → 24 \(-17\), overage 6 → 0 \(-6\)/);
    // Its buttons answer from the files too; the line's own button asks the tenant the same words.
    assert.ok(cardActions(trend).filter((a) => a.title !== 'Ask the tenant instead').every((a) => a.data.upload), 'every other button carries the upload');
    const tenantButton = cardActions(trend).find((a) => a.title === 'Ask the tenant instead');
    assert.ok(tenantButton, 'a button to ask the tenant');
    assert.deepEqual({ verb: tenantButton.verb, data: tenantButton.data }, { verb: 'ask', data: { verb: 'ask', text: 'what changed over the last months' } });
    const [fromTenant] = await say('chat-typed', { text: undefined, value: tenantButton.data });
    assert.doesNotMatch(cardText(fromTenant), /not the tenant|Since September 2026|active-sep/);
    assert.match(cardText(fromTenant), /There is one month in the data \(November 2026\)/, "the demo tenant's own month");

    // A question about the set's environment, typed: the files' figures (October), not the demo tenant's month.
    const [env] = await say('chat-typed', { text: 'how many passes does Sales Prod use' });
    assert.match(cardText(env), /^From the 2 files dropped here/);
    assert.match(cardText(env), /Uploaded active-sep\.csv; Uploaded active-oct\.csv/);
    // The rankings and "do we need to buy" are about the data too.
    for (const question of ['who uses the most apps', 'do we need to buy before February?']) assert.match(cardText((await say('chat-typed', { text: question }))[0]), /^From the 2 files dropped here/, question);
    // Help and the digest are about the chat, not the data: no line.
    assert.doesNotMatch(cardText((await say('chat-typed', { text: 'help' }))[0]), /not the tenant/);
    // Another chat, with no files dropped, asks the tenant.
    const [elsewhere] = await say('chat-none', { text: 'what changed over the last months' });
    assert.doesNotMatch(cardText(elsewhere), /not the tenant|Since September 2026/);
  });

  it('a report dropped again replaces the earlier one and says so; the figures are those of the newer file', async () => {
    const [overview] = await drop('chat-a', 'active-oct-later.csv');
    const text = cardText(overview);
    assert.match(text, /active-oct-later\.csv replaced the active-oct\.csv dropped at \d\d:\d\d UTC \(the same Active users report for October 2026\): nothing is counted twice\./);
    assert.match(text, /active-sep\.csv, licensed\.csv, active-oct-later\.csv/);
    // The same files dropped in one message elsewhere: the same totals.
    const [once] = await drop('chat-c', 'active-sep.csv', 'licensed.csv', 'active-oct-later.csv');
    const totals = (card: Record<string, unknown>) => JSON.stringify((card.body as { type: string }[]).find((b) => b.type === 'FactSet'));
    assert.equal(totals(overview), totals(once));
  });

  it('a bad file later loses nothing: the earlier files stay combined and the card says which file was refused and why', async () => {
    const [overview] = await drop('chat-a', 'people.csv');
    const text = cardText(overview);
    assert.match(text, /people\.csv was not used: "people\.csv" is none of the admin center's Power Apps reports\. Its columns: Name, Department\./);
    assert.match(text, /The other files are analysed as before\./);
    assert.match(text, /One analysis of the 3 files dropped here since \d\d:\d\d UTC: active-sep\.csv, licensed\.csv, active-oct-later\.csv\./);
    const [gone] = await drop('chat-a', 'missing.csv');
    assert.match(cardText(gone), /missing\.csv was not used: it could not be downloaded/);
    assert.ok(errors.some((e) => /^upload file refused .*404/.test(e)), `the card's "details are in its log" is true: ${errors.join(' / ')}`);
    const [alone] = await drop('chat-d', 'people.csv');
    assert.match(cardText(alone), /I could not read that CSV file/, 'nothing earlier: the error card, as for any bad file');
  });

  it('admins only: someone else\'s drop is refused and nothing is downloaded or kept', async () => {
    const before = reports().length;
    const [refusal] = await drop('chat-e', 'active-sep.csv').then(() => say('chat-e', { attachments: fileHost.drop('active-sep.csv', '/active-sep.csv').attachments }, 'bbbbbbbb-0000-0000-0000-000000000009'));
    assert.match(cardText(refusal), /admins only/);
    assert.equal(reports().length, before + 1, 'only the admin\'s own drop');
  });

  it('"new upload" deletes the chat\'s files and the next drop starts a new set', async () => {
    const before = reports().length;
    const [cleared] = await say('chat-a', { text: 'new upload' });
    assert.match(cardText(cleared), /Uploads cleared[\s\S]*I forgot active-sep\.csv, licensed\.csv, active-oct-later\.csv and deleted them\. The next report you drop here starts a new analysis\./);
    assert.equal(reports().length, before - 3);
    const [again] = await say('chat-a', { text: undefined, value: { verb: 'clearUploads' } });
    assert.match(cardText(again), /No uploads to clear/);
    const [fresh] = await drop('chat-a', 'active-oct.csv');
    assert.match(cardText(fresh), /The analysis of active-oct\.csv alone\./);
  });

  it('keeps the files in a private directory, and deletes them all on shutdown', async () => {
    const [root] = readdirSync(uploadDir);
    assert.match(root, new RegExp(`^passlens-uploads-${process.pid}-`));
    assert.equal(statSync(join(uploadDir, root)).mode & 0o777, 0o700);
    for (const p of readdirSync(join(uploadDir, root), { recursive: true, encoding: 'utf8' })) {
      const stat = statSync(join(uploadDir, root, p));
      assert.equal(stat.mode & 0o777, stat.isDirectory() ? 0o700 : 0o600, p);
    }
    await running.close();
    closed = true;
    assert.deepEqual(readdirSync(uploadDir), []);
  });
});

describe('uploads kept for their buttons, as memory allows (the real bot over HTTP)', function () {
  this.timeout(60_000);
  const connector = new FakeConnector();
  const fileHost = new FileDropServer();
  let running: RunningPassLens;
  const { say, drop } = chatWith(() => running, connector, fileHost);

  before(async () => {
    await connector.start();
    await fileHost.start();
    for (const name of ['active-sep.csv', 'active-oct.csv']) fileHost.files[`/${name}`] = readFileSync(join(samples, name));
    // 460 rows kept at most: September (41 rows, 6,636 bytes, so at most 415 rows) is kept while room is made for October (36 rows, at most 363: 41 + 363 = 404);
    // for September again (at most 415) the first September goes (36 + 415 = 451), October stays.
    running = await startPassLens({
      env: { PORT: String(await freePort()), PASSLENS_ADMINS: ADMIN_OID, PASSLENS_LOCAL_TRUST_ACTIVITY_IDENTITY: 'true', PASSLENS_DIGEST_TIMER: 'off', PASSLENS_DATA_DIR: mkdtempSync(join(tmpdir(), 'passlens-data-')), PASSLENS_UPLOAD_DIR: mkdtempSync(join(tmpdir(), 'passlens-upload-dir-')) },
      logger: quiet,
      keptUploadRows: 460,
    });
  });
  after(async () => {
    await running?.close();
    await connector.stop();
    fileHost.stop();
  });

  /** Presses the drill-down to Contoso Sales (Prod) on an upload's overview (the Action.Submit fallback, as Teams posts it). */
  async function pressSales(conversation: string, overview: Record<string, unknown>): Promise<string> {
    const button = cardActions(overview).find((a) => a.title === 'Contoso Sales (Prod)');
    assert.ok(button?.data.upload, 'a drill-down that answers from the upload');
    const [answer] = await say(conversation, { text: undefined, value: { ...button.data, verb: button.verb ?? button.data.verb } });
    return cardText(answer);
  }

  it('a button on an earlier upload answers while memory allows, and says to drop the file again once a later upload needed its room', async () => {
    const [september] = await drop('chat-x', 'active-sep.csv');
    const [october] = await drop('chat-y', 'active-oct.csv');
    assert.match(cardText(october), /Uploaded active-oct\.csv/);
    // Both fit: September's button still answers, from September.
    const fromSeptember = await pressSales('chat-x', september);
    assert.match(fromSeptember, /Uploaded active-sep\.csv/);
    assert.doesNotMatch(fromSeptember, /no longer kept/);

    // September again, in a third chat: the oldest kept upload (the first September) makes room; October stays.
    await drop('chat-z', 'active-sep.csv');
    const gone = await pressSales('chat-x', september);
    assert.match(gone, /That uploaded file is no longer kept/);
    assert.match(gone, /as memory allows: a large upload makes room by forgetting older ones first/);
    assert.match(gone, /Drop the file again/);
    assert.match(await pressSales('chat-y', october), /Uploaded active-oct\.csv/);
  });
});
