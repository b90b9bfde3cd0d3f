import { createHash } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { AuditLaunch } from './launch';
import type { LaunchRecord } from './auditRecord';

/**
 * The launch store's unit of storage: one shard of one part of one period's launches in
 * one month, a store item of its own. A shard holds the distinct (environment, app, user)
 * launches whose key hashes to it, as tab-separated lines (environment, app, user: the key
 * first, so a line's key is one slice of it), deflated: the ids of the records behind each
 * launch go with it (12 characters of a hash each, comma-separated), so records read twice,
 * by two periods or two parts, count once when a month is read.
 *
 * Shard counts are powers of two and a launch's shard is its key's hash modulo the count,
 * so a month read in S shards (the largest count of its parts) reads shard j of a part
 * with fewer shards s as that part's shard j mod s, keeping only the lines of shard j.
 */

export const MAX_SHARDS = 64;
/** Distinct launches a shard is sized for: a month is read one shard at a time. */
export const SHARD_LAUNCHES = 16_384;

/**
 * A launch being gathered, in the shape the store hands out (so reading a month makes one
 * object per launch, not two), with the ids of its records. `appName` and `userObjectId`
 * are undefined when no record gave them.
 */
export interface LaunchAcc extends AuditLaunch {
  /** Record ids (recordKey), comma-separated. */
  ids: string;
}

const clean = (s: string): string => s.replace(/[\t\r\n]/g, ' ');

/** The key as a shard line begins with it (decodeShard slices it back out). */
export function launchKey(environmentId: string, appId: string, upn: string): string {
  return `${clean(environmentId)}\t${clean(appId)}\t${clean(upn)}`;
}

/** FNV-1a, 32 bits: cheap and even enough to spread keys over shards. */
export function keyHash(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A record id as stored: 72 bits of its SHA-1, enough that two ids of a month never collide in practice. */
export function recordKey(id: string): string {
  return createHash('sha1').update(id).digest('base64url').slice(0, 12);
}

export function shardCount(launches: number): number {
  let s = 1;
  while (s < MAX_SHARDS && s * SHARD_LAUNCHES < launches) s *= 2;
  return s;
}

export function accOf(record: LaunchRecord, month: string): LaunchAcc {
  return {
    month,
    environmentId: record.environmentId,
    appId: record.appId,
    appName: record.appName || undefined,
    userObjectId: record.userObjectId || undefined,
    userPrincipalName: record.userPrincipalName,
    firstLaunch: record.at,
    lastLaunch: record.at,
    count: 0,
    ids: recordKey(record.recordId),
  };
}

/** Adds `b` into `a` (the same key); record ids are merged without repeats. ISO times compare as text. */
export function mergeAcc(a: LaunchAcc, b: LaunchAcc): void {
  if (b.firstLaunch < a.firstLaunch) a.firstLaunch = b.firstLaunch;
  if (b.lastLaunch > a.lastLaunch) a.lastLaunch = b.lastLaunch;
  if (!a.appName && b.appName) a.appName = b.appName;
  if (!a.userObjectId && b.userObjectId) a.userObjectId = b.userObjectId;
  if (a.ids === b.ids) return;
  const ids = new Set(a.ids.split(','));
  for (const id of b.ids.split(',')) ids.add(id);
  a.ids = [...ids].join(',');
}

/** Distinct records behind a launch. */
export function recordCount(l: LaunchAcc): number {
  if (!l.ids) return 0;
  let n = 1;
  for (let i = l.ids.indexOf(','); i >= 0; i = l.ids.indexOf(',', i + 1)) n++;
  return n;
}

/** The launches as lines in merge order: by their key's hash, then their key (what the cursors compare). */
export function encodeShard(launches: Iterable<LaunchAcc>): string {
  const lines: { hash: number; key: string; line: string }[] = [];
  for (const l of launches) {
    const key = launchKey(l.environmentId, l.appId, l.userPrincipalName);
    lines.push({ hash: keyHash(key), key, line: [key, clean(l.appName ?? ''), clean(l.userObjectId ?? ''), l.firstLaunch, l.lastLaunch, l.ids].join('\t') });
  }
  lines.sort((a, b) => a.hash - b.hash || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return deflateRawSync(Buffer.from(lines.map((l) => l.line).join('\n'), 'utf8')).toString('base64');
}

/**
 * One shard item's lines in merge order (the writer sorts them), one at a time: a month's
 * shard j is read by merging the cursors of its days in that order (launchStore.ts), so no
 * map of the month's launches is built and each launch is an object only while it is
 * merged and handed out. Fields are cut out of the text by position: a month is a
 * million lines, and every array or string made per line is garbage to collect. With `of`
 * = [j, S], only lines whose key hashes to j of S.
 */
export class ShardCursor {
  /** The current line's key (environment, app, user), or null at the end, and its hash (the merge's first order). */
  key: string | null = null;
  hash = 0;
  private readonly text: string;
  private readonly tabs = new Int32Array(7);
  private start = 0;
  private end = 0;
  private next = 0;

  constructor(
    data: string,
    private readonly of?: [number, number],
  ) {
    this.text = data ? inflateRawSync(Buffer.from(data, 'base64')).toString('utf8') : '';
    this.advance();
  }

  advance(): void {
    const { text, tabs } = this;
    while (this.next < text.length) {
      const from = this.next;
      let to = text.indexOf('\n', from);
      if (to < 0) to = text.length;
      this.next = to + 1;
      let t = from - 1;
      let n = 0;
      while (n < 7 && (t = text.indexOf('\t', t + 1)) >= 0 && t < to) tabs[n++] = t;
      if (n < 7) continue;
      const key = text.slice(from, tabs[2]);
      const hash = keyHash(key);
      if (this.of && hash % this.of[1] !== this.of[0]) continue;
      this.key = key;
      this.hash = hash;
      this.start = from;
      this.end = to;
      return;
    }
    this.key = null;
  }

  /** The current line as a launch. */
  launch(month: string): LaunchAcc {
    const { text, tabs, start, end } = this;
    return {
      month,
      environmentId: text.slice(start, tabs[0]),
      appId: text.slice(tabs[0] + 1, tabs[1]),
      appName: tabs[3] > tabs[2] + 1 ? text.slice(tabs[2] + 1, tabs[3]) : undefined,
      userObjectId: tabs[4] > tabs[3] + 1 ? text.slice(tabs[3] + 1, tabs[4]) : undefined,
      userPrincipalName: text.slice(tabs[1] + 1, tabs[2]),
      firstLaunch: text.slice(tabs[4] + 1, tabs[5]),
      lastLaunch: text.slice(tabs[5] + 1, tabs[6]),
      count: 0,
      ids: text.slice(tabs[6] + 1, end),
    };
  }
}

/** The launches of several cursors in merge order, one per key, merged across cursors. */
export function* mergeCursors(cursors: ShardCursor[], month: string): Generator<LaunchAcc> {
  // A binary min-heap on the cursors' current keys.
  const heap = cursors.filter((c) => c.key !== null);
  // Numbers first: keys share long prefixes (environment ids), so comparing them as text is slow.
  const less = (a: ShardCursor, b: ShardCursor) => a.hash < b.hash || (a.hash === b.hash && a.key! < b.key!);
  const down = (i: number) => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && less(heap[l], heap[m])) m = l;
      if (r < heap.length && less(heap[r], heap[m])) m = r;
      if (m === i) return;
      [heap[i], heap[m]] = [heap[m], heap[i]];
      i = m;
    }
  };
  for (let i = (heap.length >> 1) - 1; i >= 0; i--) down(i);
  const step = () => {
    heap[0].advance();
    if (heap[0].key === null) {
      heap[0] = heap[heap.length - 1];
      heap.pop();
    }
    if (heap.length) down(0);
  };
  while (heap.length) {
    const { key, hash } = heap[0];
    const acc = heap[0].launch(month);
    step();
    while (heap.length && heap[0].hash === hash && heap[0].key === key) {
      mergeAcc(acc, heap[0].launch(month));
      step();
    }
    acc.count = recordCount(acc);
    yield acc;
  }
}
