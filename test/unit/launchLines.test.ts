import assert from 'node:assert/strict';
import type { AuditLaunch, LaunchMonthSource, MonthCoverage } from '../../src/launches/launch';
import { encodeShard, keyHash, launchKey, mergeCursors, mergeLines, ShardCursor, type LaunchAcc, type LaunchLine } from '../../src/launches/launchShards';
import { launchUsage } from '../../src/launches/launchUsage';

const MONTH = '2026-11';

function acc(environmentId: string, appId: string, userPrincipalName: string, day: number, appName?: string): LaunchAcc {
  const at = `2026-11-${String(day).padStart(2, '0')}T10:00:00.000Z`;
  return { month: MONTH, environmentId, appId, appName, userPrincipalName, firstLaunch: at, lastLaunch: at, count: 0, ids: `id-${environmentId}-${appId}-${userPrincipalName}-${day}` };
}

/** Two days of a month as the store writes them: the same launch on both days, keys beyond ASCII, blanks, a day without the app's name. */
const day1 = [
  acc('env-a', 'app-1', 'ann@contoso.com', 1),
  acc('env-a', 'app-1', 'josé@contoso.com', 1, 'Expenses'),
  acc('env-b', 'app-2', 'ÉVA@contoso.com', 1, 'Field visits'),
  acc('env-b', 'app-2', ' bob@contoso.com', 1, 'Field visits'),
  acc('env-a', 'app-3', 'ann@contoso.com', 1, 'Ünïcode app'),
];
const day2 = [
  acc('env-a', 'app-1', 'ann@contoso.com', 2, 'Expenses'),
  acc('env-a', 'app-1', 'josé@contoso.com', 2, 'Expenses'),
  acc('env-b', 'app-2', 'carl@contoso.com', 2, 'Field visits'),
];

const cursors = () => [new ShardCursor(encodeShard(day1)), new ShardCursor(encodeShard(day2))];

/** The two days through the store's two read paths: launches as objects, and lines fed to the ledger. */
class TwoDays implements LaunchMonthSource {
  constructor(private readonly lines: boolean) {}
  async months() {
    return [MONTH];
  }
  async coverage(): Promise<MonthCoverage> {
    return { month: MONTH, reader: 'graph', collected: [], failed: [], recordsRead: 8, malformedRecords: 0, duplicateRecords: 0, lastCollectedAt: '2026-12-04T00:00:00.000Z' };
  }
  async *launches(month: string): AsyncIterable<AuditLaunch> {
    yield* mergeCursors(cursors(), month);
  }
  get launchLines() {
    return this.lines ? async (_month: string, visit: (line: LaunchLine) => void) => mergeLines(cursors(), visit) : undefined;
  }
}

describe('launch store lines read as bytes (the analysis path)', () => {
  it('hands on each distinct launch once, in the order and with the shard the writer gave it, keys beyond ASCII included', () => {
    const objects = [...mergeCursors(cursors(), MONTH)];
    const keys: string[] = [];
    const names: (string | undefined)[] = [];
    const n = mergeLines(cursors(), (line) => {
      keys.push(new TextDecoder().decode(line.bytes.subarray(line.from, line.tabs[2])));
      names.push(line.appName());
      assert.equal(line.hash, keyHash(keys[keys.length - 1]), 'the hash is the writer\'s, beyond ASCII too');
    });
    assert.equal(n, 6);
    assert.deepEqual(keys, objects.map((l) => launchKey(l.environmentId, l.appId, l.userPrincipalName)));
    // ann's launch of app-1 had no name on day 1: day 2's is kept, as the object merge keeps it.
    assert.deepEqual(names, objects.map((l) => l.appName));
    // Shard j of 4 read from an item of 1 shard keeps only the lines of j.
    for (let j = 0; j < 4; j++) {
      const cursor = new ShardCursor(encodeShard(day1), [j, 4]);
      for (; !cursor.done; cursor.advance()) assert.equal(cursor.hash % 4, j);
    }
  });

  it('gives the ledger the same users, apps and rows as the launches do', async () => {
    const viaLines = await launchUsage(new TwoDays(true), [MONTH]);
    const viaObjects = await launchUsage(new TwoDays(false), [MONTH]);
    assert.equal(viaLines.launches, 6);
    assert.equal(viaLines.ledger.rows, viaObjects.ledger.rows);
    const users = (u: typeof viaLines) => Array.from({ length: u.ledger.userCount() }, (_, i) => u.ledger.user(i)).sort();
    assert.deepEqual(users(viaLines), users(viaObjects));
    assert.ok(users(viaLines).includes('josé@contoso.com') && users(viaLines).includes('éva@contoso.com') && users(viaLines).includes('bob@contoso.com'));
    const apps = (u: typeof viaLines) => u.ledger.apps().map((a) => `${a.id}=${a.name}@${a.environmentKey}`).sort();
    assert.deepEqual(apps(viaLines), apps(viaObjects));
    assert.deepEqual(apps(viaLines), ['app-1=Expenses@env-a', 'app-2=Field visits@env-b', 'app-3=Ünïcode app@env-a']);
  });
});
