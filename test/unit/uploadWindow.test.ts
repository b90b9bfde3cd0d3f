import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TenantService } from '../../src/tenant/tenantService';
import { buildDemoTenant } from '../../src/tenant/demo/demoTenant';
import { LIST_PRICES } from '../../src/licensing/prices';
import { CsvFormatError } from '../../src/tenant/csv/activeUsersCsv';
import { removeAbandonedRoots, replacesEarlier, UploadsBusyError, UploadSetTooLargeError, UploadWindows } from '../../src/tenant/uploadWindow';
import { refusalReason, uploadSetNote } from '../../src/conversation/uploadNotes';

const samples = join(__dirname, '../../docs/samples');
const sample = (name: string) => readFileSync(join(samples, name), 'utf8');

async function* bytesOf(text: string): AsyncGenerator<Buffer> {
  yield Buffer.from(text);
}

const file = (name: string, text: string) => ({ name, chunks: bytesOf(text) });

/** Every file under `dir`, with its permission bits. */
function tree(dir: string): { path: string; mode: number; directory: boolean }[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((p) => {
    const stat = statSync(join(dir, p));
    return { path: p, mode: stat.mode & 0o777, directory: stat.isDirectory() };
  });
}

/**
 * The files under `dir` once the window's timer has deleted them: it fires on time, but on a
 * loaded machine (the suite shares two cores) its deletion may finish later; waited for at most 5 s.
 */
async function filesLeft(dir: string): Promise<number> {
  const count = () => tree(dir).filter((f) => !f.directory).length;
  for (const deadline = Date.now() + 5_000; count() > 0 && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 50));
  return count();
}

describe('upload window (reports dropped one after another)', () => {
  let parent: string;
  let tenant: TenantService;
  let windows: UploadWindows;
  beforeEach(() => {
    parent = mkdtempSync(join(tmpdir(), 'passlens-window-test-'));
    tenant = new TenantService(async () => buildDemoTenant(), { ttlMs: 60_000, prices: LIST_PRICES });
    windows = new UploadWindows(tenant, { parent });
  });
  afterEach(() => windows.close());

  it('combines drops per conversation into one analysis, with the files on disk in a private directory', async () => {
    const first = await windows.drop('chat-a', [file('active-sep.csv', sample('active-sep.csv'))]);
    assert.deepEqual(first.analysis!.monthly.months, ['2026-09']);
    const second = await windows.drop('chat-a', [file('active-oct.csv', sample('active-oct.csv'))]);
    assert.deepEqual(second.used.map((k) => k.name), ['active-sep.csv', 'active-oct.csv']);
    assert.deepEqual(second.analysis!.monthly.months, ['2026-09', '2026-10']);
    assert.deepEqual(second.used.map((k) => k.months), [['2026-09'], ['2026-10']]);
    const other = await windows.drop('chat-b', [file('active-oct.csv', sample('active-oct.csv'))]);
    assert.deepEqual(other.analysis!.monthly.months, ['2026-10'], 'another chat never sees chat-a\'s files');
    const third = await windows.drop('chat-a', [file('licensed.csv', sample('licensed.csv'))]);
    assert.deepEqual(third.used.map((k) => k.kind), ['activeUsers', 'activeUsers', 'licensedUsers']);
    assert.match(third.analysis!.inventory.sources.map((s) => s.description).join('; '), /Uploaded active-sep\.csv; Uploaded active-oct\.csv; All licensed users licensed\.csv/);

    const files = tree(parent);
    const directories = files.filter((f) => f.directory);
    assert.ok(directories.length >= 3, 'the root and one directory per chat');
    for (const d of directories) assert.equal(d.mode, 0o700, `${d.path} is private`);
    const reports = files.filter((f) => !f.directory);
    assert.equal(reports.length, 4, 'three files of chat-a, one of chat-b');
    for (const f of reports) {
      assert.equal(f.mode, 0o600, `${f.path} is private`);
      assert.doesNotMatch(f.path, /active|licensed/, 'stored under a number, never under the name it came with');
    }
    assert.deepEqual(await windows.clear('chat-a'), ['active-sep.csv', 'active-oct.csv', 'licensed.csv']);
    assert.equal(tree(parent).filter((f) => !f.directory).length, 1, 'chat-a\'s files are deleted');
    assert.equal(tenant.upload(third.analysis!.uploadId!), null, 'its analyses are forgotten too: their buttons say to drop the file again');
    const anew = await windows.drop('chat-a', [file('active-oct.csv', sample('active-oct.csv'))]);
    assert.deepEqual(anew.used.map((k) => k.name), ['active-oct.csv']);
    await windows.close();
    assert.deepEqual(readdirSync(parent), [], 'close deletes everything');
  });

  it('a report dropped again replaces the earlier one: nothing counted twice, and it says so', async () => {
    const once = await windows.drop('solo', [file('active-sep.csv', sample('active-sep.csv')), file('active-oct.csv', sample('active-oct.csv'))]);
    await windows.drop('chat', [file('active-sep.csv', sample('active-sep.csv'))]);
    await windows.drop('chat', [file('active-oct.csv', sample('active-oct.csv'))]);
    const again = await windows.drop('chat', [file('Active users (2).csv', sample('active-oct.csv'))]);
    assert.deepEqual(again.used.map((k) => k.name), ['active-sep.csv', 'Active users (2).csv']);
    assert.deepEqual(again.replaced.map((r) => [r.name, r.by]), [['active-oct.csv', 'Active users (2).csv']]);
    assert.deepEqual(again.analysis!.report.totals, once.analysis!.report.totals, 'the same figures as the two files dropped once');
    assert.deepEqual(again.analysis!.monthly, once.analysis!.monthly);
    const note = uploadSetNote(again, 15).notes.join('\n');
    assert.match(note, /Active users \(2\)\.csv replaced the active-oct\.csv dropped at \d\d:\d\d UTC \(the same Active users report for October 2026\): nothing is counted twice/);
    const sameName = await windows.drop('chat', [file('active-sep.csv', sample('active-sep.csv'))]);
    assert.deepEqual(sameName.replaced.map((r) => r.name), ['active-sep.csv']);
    assert.equal(sameName.used.length, 2);
    await windows.drop('chat', [file('licensed.csv', sample('licensed.csv'))]);
    const newer = await windows.drop('chat', [file('licensed-later.csv', sample('licensed.csv'))]);
    assert.match(uploadSetNote(newer, 15).notes.join('\n'), /licensed-later\.csv replaced the licensed\.csv .*\(a newer All licensed users report\)/);
    assert.equal(tree(parent).filter((f) => !f.directory).length, 3 + 2, 'replaced files are deleted; solo keeps its two');
  });

  it('replacement: same name, or same report and months; a file spanning more months replaces one it covers, not the other way round', () => {
    const oct = { name: 'oct.csv', kind: 'activeUsers' as const, months: ['2026-10'] };
    assert.ok(replacesEarlier({ ...oct, name: 'OCT.CSV', kind: 'licensedUsers', months: [] }, oct), 'the same name, whatever is in it');
    assert.ok(replacesEarlier({ ...oct, name: 'q4.csv', months: ['2026-10', '2026-11'] }, oct));
    assert.ok(!replacesEarlier({ ...oct, name: 'nov.csv', months: ['2026-11'] }, oct));
    assert.ok(!replacesEarlier({ ...oct, months: ['2026-11'] }, oct), 'the same name for another month: a download\'s name need not carry its month');
    assert.ok(!replacesEarlier(oct, { ...oct, name: 'q4.csv', months: ['2026-10', '2026-11'] }), 'October alone does not replace two months');
    assert.ok(!replacesEarlier({ name: 'licensed.csv', kind: 'licensedUsers', months: [] }, oct));
    assert.ok(replacesEarlier({ name: 'b.csv', kind: 'managedRequired', months: [] }, { name: 'a.csv', kind: 'managedRequired', months: [] }));
  });

  it('bad input in a later file loses nothing: the earlier files stay combined and the refusal says why', async () => {
    await windows.drop('chat', [file('active-sep.csv', sample('active-sep.csv'))]);
    const bad = await windows.drop('chat', [file('people.csv', 'Name,Department\nJane,Sales\n')]);
    assert.deepEqual(bad.used.map((k) => k.name), ['active-sep.csv']);
    assert.deepEqual(bad.analysis!.monthly.months, ['2026-09']);
    assert.equal(bad.refused[0].name, 'people.csv');
    assert.ok(bad.refused[0].error instanceof CsvFormatError);
    assert.match(bad.refused[0].error.message, /none of the admin center's Power Apps reports/);
    // Evicted from memory by another chat's upload, the set is read again from disk.
    await windows.drop('elsewhere', [file('active-oct.csv', sample('active-oct.csv'))]);
    const broken = await windows.drop('chat', [file('empty.csv', ''), file('active-oct.csv', sample('active-oct.csv'))]);
    assert.deepEqual(broken.used.map((k) => k.name), ['active-sep.csv', 'active-oct.csv']);
    assert.deepEqual(broken.refused.map((r) => r.name), ['empty.csv']);
    assert.match(broken.refused[0].error.message, /is empty/);
    const nothing = await new UploadWindows(tenant, { parent }).drop('new-chat', [file('people.csv', 'Name\nJane\n')]);
    assert.equal(nothing.analysis, null, 'nothing to combine: the bot shows the error card');
  });

  it('the combined rows stay within the cap: the drop past it is refused with what to do, the earlier set stays', async () => {
    const capped = new UploadWindows(tenant, { parent, limits: { bytes: 1 << 20, rows: 60 } });
    try {
      const sep = await capped.drop('chat', [file('active-sep.csv', sample('active-sep.csv'))]);
      const rows = sep.analysis!.inventory.sources.find((s) => /active-sep/.test(s.description))!.rowsRead!;
      assert.ok(rows <= 60 && rows + 36 > 60, `${rows} rows of September, 36 of October: over the cap of 60 together`);
      const oct = await capped.drop('chat', [file('active-oct.csv', sample('active-oct.csv'))]);
      assert.deepEqual(oct.used.map((k) => k.name), ['active-sep.csv']);
      assert.ok(oct.refused[0].error instanceof UploadSetTooLargeError);
      assert.match(oct.refused[0].error.message, /Together with active-sep\.csv dropped before, it would make more than 60 rows.*"new upload" and drop fewer months, or run "npx passlens analyze --csv FILE --csv FILE \.\.\."/);
      // A re-download of September replaces it before anything is counted, so it fits.
      const again = await capped.drop('chat', [file('sep-again.csv', sample('active-sep.csv'))]);
      assert.deepEqual(again.used.map((k) => k.name), ['sep-again.csv']);
      assert.deepEqual(again.refused, []);
    } finally {
      await capped.close();
    }
  });

  it('a drop that fails for another reason (the tenant cannot be read) leaves no file behind', async () => {
    const down = new UploadWindows(new TenantService(async () => Promise.reject(new Error('tenant down')), { ttlMs: 60_000, prices: LIST_PRICES }), { parent });
    try {
      await assert.rejects(down.drop('chat', [file('active-sep.csv', sample('active-sep.csv'))]), /tenant down/);
      assert.deepEqual(tree(parent).filter((f) => !f.directory), []);
      assert.deepEqual(down.held('chat'), []);
    } finally {
      await down.close();
    }
  });

  it('two drops arriving together in one chat are taken in turn: the second answers with both files', async () => {
    const [sep, oct] = await Promise.all([
      windows.drop('chat', [file('active-sep.csv', sample('active-sep.csv'))]),
      windows.drop('chat', [file('active-oct.csv', sample('active-oct.csv'))]),
    ]);
    assert.deepEqual(sep.used.map((k) => k.name), ['active-sep.csv']);
    assert.deepEqual(oct.used.map((k) => k.name), ['active-sep.csv', 'active-oct.csv']);
    assert.deepEqual(oct.analysis!.monthly.months, ['2026-09', '2026-10']);
  });

  it('a set ends 15 minutes after its last drop by default: its files are deleted then, and the next drop says it starts anew', async () => {
    assert.equal(windows.windowMs, 15 * 60 * 1000);
    const short = new UploadWindows(tenant, { parent, windowMs: 300 });
    try {
      await short.drop('chat', [file('active-sep.csv', sample('active-sep.csv'))]);
      assert.deepEqual(short.held('chat'), ['active-sep.csv']);
      await new Promise((r) => setTimeout(r, 600));
      assert.deepEqual(short.held('chat'), []);
      assert.equal(await filesLeft(parent), 0, 'deleted when the window ended');
      const next = await short.drop('chat', [file('active-oct.csv', sample('active-oct.csv'))]);
      assert.ok(next.expiredEarlier);
      assert.deepEqual(next.used.map((k) => k.name), ['active-oct.csv']);
      assert.match(uploadSetNote(next, 15).notes.join('\n'), /more than 15 minutes ago and are forgotten: this is a new set/);
    } finally {
      await short.close();
    }
  });

  it('open() gives the set typed questions answer from while its window is open, and nothing after, on "new upload" or in another chat', async () => {
    let now = new Date('2026-12-04T17:00:00Z');
    const clocked = new UploadWindows(tenant, { parent, now: () => now });
    try {
      assert.equal(clocked.open('chat'), null);
      await clocked.drop('chat', [file('active-sep.csv', sample('active-sep.csv'))]);
      now = new Date('2026-12-04T17:05:00Z');
      const outcome = await clocked.drop('chat', [file('active-oct.csv', sample('active-oct.csv'))]);
      const open = clocked.open('chat');
      assert.ok(open);
      assert.equal(open.uploadId, outcome.analysis?.uploadId, 'the latest analysis of the set');
      assert.ok(tenant.upload(open.uploadId), 'which the tenant service keeps');
      assert.deepEqual({ files: open.files, startedAt: open.startedAt.toISOString(), endsAt: open.endsAt.toISOString() }, { files: ['active-sep.csv', 'active-oct.csv'], startedAt: '2026-12-04T17:00:00.000Z', endsAt: '2026-12-04T17:20:00.000Z' });
      assert.equal(clocked.open('other chat'), null);
      now = new Date('2026-12-04T17:20:00Z');
      assert.equal(clocked.open('chat'), null, 'the window has ended');
      now = new Date('2026-12-04T17:10:00Z');
      await clocked.clear('chat');
      assert.equal(clocked.open('chat'), null, '"new upload" forgot it');
    } finally {
      await clocked.close();
    }
  });

  it('the window never ends under a drop in progress: a slow download that began in time joins the set', async () => {
    const short = new UploadWindows(tenant, { parent, windowMs: 300 });
    try {
      await short.drop('chat', [file('active-sep.csv', sample('active-sep.csv'))]);
      await new Promise((r) => setTimeout(r, 200));
      async function* slow(): AsyncGenerator<Buffer> {
        await new Promise((r) => setTimeout(r, 400));
        yield Buffer.from(sample('active-oct.csv'));
      }
      const second = await short.drop('chat', [{ name: 'active-oct.csv', chunks: slow() }]);
      assert.deepEqual(second.refused.map((r) => r.error.message), []);
      assert.deepEqual(second.used.map((k) => k.name), ['active-sep.csv', 'active-oct.csv']);
      assert.deepEqual(short.held('chat'), ['active-sep.csv', 'active-oct.csv'], 'the window starts again from this drop');
      await new Promise((r) => setTimeout(r, 600));
      assert.deepEqual(short.held('chat'), []);
      assert.equal(await filesLeft(parent), 0, 'and ends 300 ms after it');
    } finally {
      await short.close();
    }
  });

  it('all chats\' files together stay within the disk cap: a drop past it is refused with when to try again, and room comes back as sets end', async () => {
    const sep = Buffer.byteLength(sample('active-sep.csv'));
    const oct = Buffer.byteLength(sample('active-oct.csv'));
    // Room for September and October, not for the licensed users too; room for October twice beside the licensed users (while a report dropped again replaces the earlier one).
    const small = new UploadWindows(tenant, { parent, maxHeldBytes: sep + oct + 1000 });
    try {
      await small.drop('chat-a', [file('active-sep.csv', sample('active-sep.csv'))]);
      await small.drop('chat-b', [file('active-oct.csv', sample('active-oct.csv'))]);
      const full = await small.drop('chat-c', [file('licensed.csv', sample('licensed.csv'))]);
      assert.equal(full.analysis, null);
      assert.ok(full.refused[0].error instanceof UploadsBusyError);
      assert.match(refusalReason(full.refused[0].error), /as many uploaded reports as this instance keeps on disk \(all chats together\)\. Drop it again in 15 minutes/);
      assert.equal(tree(parent).filter((f) => !f.directory).length, 2, 'the refused file left nothing behind');
      await small.clear('chat-a');
      const next = await small.drop('chat-c', [file('licensed.csv', sample('licensed.csv'))]);
      assert.deepEqual(next.used.map((k) => k.name), ['licensed.csv'], 'chat-a\'s files gave their room back');
      // A report dropped again replaces the earlier one and gives its bytes back too.
      for (let i = 0; i < 3; i++) assert.deepEqual((await small.drop('chat-b', [file('active-oct.csv', sample('active-oct.csv'))])).refused, []);
    } finally {
      await small.close();
    }
  });

  it('a folder that cannot be made refuses the drop with the reason, and the next drop tries again', async () => {
    const blocker = join(parent, 'not-yet');
    writeFileSync(blocker, 'a file where the folder should be');
    const blocked = new UploadWindows(tenant, { parent: join(blocker, 'uploads') });
    try {
      await assert.rejects(blocked.drop('chat', [file('active-sep.csv', sample('active-sep.csv'))]), /ENOTDIR|EEXIST/);
      rmSync(blocker);
      const next = await blocked.drop('chat', [file('active-sep.csv', sample('active-sep.csv'))]);
      assert.deepEqual(next.used.map((k) => k.name), ['active-sep.csv']);
    } finally {
      await blocked.close();
    }
  });

  it('start-up deletes the directories of a process that died, never a live one\'s', async () => {
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
    const abandoned = join(parent, `passlens-uploads-${dead}-1700000000-abc`);
    const live = join(parent, `passlens-uploads-${process.ppid}-1700000000-def`);
    for (const d of [abandoned, live]) mkdirSync(join(d, '1-x'), { recursive: true });
    removeAbandonedRoots(parent);
    assert.ok(!existsSync(abandoned));
    assert.ok(existsSync(live));
  });
});
