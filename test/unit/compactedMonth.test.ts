import assert from 'node:assert/strict';
import { CompactedKeys, CompactedLine, CompactedWriter, detailLines, shardLines, type EncodedPart } from '../../src/launches/compactedMonth';
import { encodeShard, keyHash, launchKey, mergeCursors, mergeLines, ShardCursor, type LaunchAcc } from '../../src/launches/launchShards';

const MONTH = '2026-11';
const SHARDS = 4;

function acc(environmentId: string, appId: string, userPrincipalName: string, day: number, extra: Partial<LaunchAcc> = {}): LaunchAcc {
  const at = `2026-11-${String(day).padStart(2, '0')}T10:00:00.000Z`;
  return { month: MONTH, environmentId, appId, userPrincipalName, firstLaunch: at, lastLaunch: at, count: 0, ids: `id${day}${userPrincipalName.length}${appId}`, ...extra };
}

/** Two days as day items of four shards: a launch on both days, keys beyond ASCII and with blanks, no app name or user id on some. */
const days = [
  [acc('env-a', 'app-1', 'ann@contoso.com', 1), acc('env-a', 'app-1', 'josé@contoso.com', 1, { appName: 'Expenses', userObjectId: 'oid-j' }), acc('env-b', 'app-2', 'ÉVA@contoso.com', 1, { appName: 'Field visits' }), acc('env-b', 'app-2', ' bob@contoso.com', 1, { appName: 'Field visits' })],
  [acc('env-a', 'app-1', 'ann@contoso.com', 2, { appName: 'Expenses', userObjectId: 'oid-a' }), acc('env-a', 'app-3', 'ann@contoso.com', 2, { appName: 'Ünïcode app' }), acc('env-c', 'app-4', 'carl@contoso.com', 2), acc('env-c', 'app-4', 'dora@contoso.com', 2)],
];
const shardOf = (l: LaunchAcc) => keyHash(launchKey(l.environmentId, l.appId, l.userPrincipalName)) % SHARDS;
const cursors = (j: number) => days.map((d) => new ShardCursor(encodeShard(d.filter((l) => shardOf(l) === j))));

describe('a compacted month: launches merged into parts of whole shards, texts once per part', () => {
  it('keeps every launch, its shard, names, times and record ids; its key fields fingerprinted as the day lines are', () => {
    const writer = new CompactedWriter(2);
    const parts: EncodedPart[] = [];
    const merged: { launch: LaunchAcc; shard: number; cursor: ShardCursor }[] = [];
    for (let j = 0; j < SHARDS; j++) {
      for (const launch of mergeCursors(cursors(j), MONTH)) merged.push({ launch, shard: j, cursor: new ShardCursor(encodeShard([launch])) });
      mergeLines(cursors(j), (line) => {
        const full = writer.add(line, j);
        if (full) parts.push(full);
      }, MONTH);
    }
    parts.push(writer.finish(SHARDS)!);
    assert.equal(merged.length, 7, 'ann\'s app-1 launch is on both days: one launch');
    assert.ok(parts.length >= 2, 'cut at shard starts past 2 launches');
    assert.deepEqual(parts.map((p) => [p.part.from, p.part.to]), parts.map((p, i) => [i ? parts[i - 1].part.to : 0, p.part.to]), 'parts cover the shards in order, none left out');
    assert.equal(parts[parts.length - 1].part.to, SHARDS);
    let i = 0;
    for (const { part, keys: keysItem, detail } of parts) {
      const keys = new CompactedKeys(keysItem, part);
      const line = new CompactedLine(keys);
      const lines = detailLines(detail);
      const first = i;
      for (let s = part.from; s < part.to; s++) {
        const back = new ShardCursor(shardLines(keys, lines, part, s));
        for (; !back.done; back.advance(), i++) {
          const { launch, shard, cursor } = merged[i];
          assert.equal(shard, s);
          assert.deepEqual(back.launch(MONTH), { ...launch, count: 0 }, 'read back as the day lines it came from');
          line.at(i - first);
          for (let k = 0; k < 3; k++) {
            assert.equal(keys.text(keys.of(i - first, k)), new TextDecoder().decode(cursor.bytes.subarray(cursor.start[k], cursor.end[k])));
            assert.deepEqual([line.h1[k], line.h2[k], line.clean[k]], [cursor.h1[k], cursor.h2[k], cursor.clean[k]], `field ${k} of ${launch.userPrincipalName}`);
          }
          assert.equal(line.appName(), launch.appName);
        }
      }
    }
    assert.equal(i, merged.length);
    assert.equal(merged.find((m) => m.launch.userPrincipalName === 'ann@contoso.com' && m.launch.appId === 'app-1')!.launch.appName, 'Expenses', 'the name from the day that had it');
  });
});
