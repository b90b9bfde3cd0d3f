import { createHash } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { AuditLaunch } from './launch';
import type { LaunchRecord } from './auditRecord';
import type { CsvRecordView } from '../usage/csvScanner';
import { finish1, foldAscii, mix1, mix2, SEED_1, SEED_2 } from '../usage/keyTable';

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

/** A launch as a shard line: its key, then its other fields (LaunchLine). */
function shardLine(l: LaunchAcc, key = launchKey(l.environmentId, l.appId, l.userPrincipalName)): string {
  return [key, clean(l.appName ?? ''), clean(l.userObjectId ?? ''), l.firstLaunch, l.lastLaunch, l.ids].join('\t');
}

/** The launches as lines in merge order: by their key's hash, then their key (what the cursors compare). */
export function encodeShard(launches: Iterable<LaunchAcc>): string {
  const lines: { hash: number; key: string; line: string }[] = [];
  for (const l of launches) {
    const key = launchKey(l.environmentId, l.appId, l.userPrincipalName);
    lines.push({ hash: keyHash(key), key, line: shardLine(l, key) });
  }
  lines.sort((a, b) => a.hash - b.hash || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return deflateRawSync(Buffer.from(lines.map((l) => l.line).join('\n'), 'utf8')).toString('base64');
}

const utf8 = new TextDecoder();
const EMPTY = Buffer.alloc(0);
const TAB = 9;
const NEWLINE = 10;

/** The keys of two lines, a[as, ae) and b[bs, be), ordered as `<` orders them as strings, without decoding ASCII. */
function compareKeys(a: Uint8Array, as: number, ae: number, b: Uint8Array, bs: number, be: number): number {
  const n = Math.min(ae - as, be - bs);
  for (let i = 0; i < n; i++) {
    const x = a[as + i];
    const y = b[bs + i];
    // Beyond ASCII, UTF-8 byte order and UTF-16 order (the writer's) can differ: compare as the writer did.
    if ((x | y) >= 128) {
      const s = utf8.decode(a.subarray(as, ae));
      const t = utf8.decode(b.subarray(bs, be));
      return s < t ? -1 : s > t ? 1 : 0;
    }
    if (x !== y) return x - y;
  }
  return ae - as - (be - bs);
}

/** A distinct launch as the analysis reads it from the store: its key fields (environment, app, user) fingerprinted, and its app name. */
export interface LaunchKeys extends CsvRecordView {
  appName(): string | undefined;
}

/** The key fields (0 environment, 1 app, 2 user) of a launch in `bytes`: where they are and their fingerprints. */
export abstract class LaunchKeyFields implements LaunchKeys {
  bytes: Uint8Array = EMPTY;
  readonly fields = 3;
  readonly line = 0;
  readonly start = new Int32Array(3);
  readonly end = new Int32Array(3);
  readonly h1 = new Int32Array(3);
  readonly h2 = new Int32Array(3);
  readonly clean = new Uint8Array(3);
  abstract appName(): string | undefined;
}

/**
 * One line of a shard, by position in its inflated bytes: what a merge holds on to and
 * hands on without decoding it (a month is a million lines, and every string made per
 * line is garbage to collect). Fields: environment, app, user (the key), app name, user
 * object id, first, last, record ids. Its key fields are a CsvRecordView, fingerprinted
 * as the CSV scanner fingerprints a report's, so the ledger interns them as it interns a
 * report's keys: by one probe, with no string made for a key it knows.
 */
export class LaunchLine extends LaunchKeyFields {
  /** The tab after each field but the last, and the line's span. */
  readonly tabs = new Int32Array(7);
  from = 0;
  to = 0;
  /** keyHash of the key: the merge's first order, and the line's shard. */
  hash = 0;
  /** The app name another record of the same launch gave, when this line has none. */
  otherAppName: string | undefined = undefined;

  take(other: LaunchLine): this {
    this.bytes = other.bytes;
    // Element by element: seven numbers at most, where a call of TypedArray.set costs more.
    for (let k = 0; k < 3; k++) {
      this.start[k] = other.start[k];
      this.end[k] = other.end[k];
      this.h1[k] = other.h1[k];
      this.h2[k] = other.h2[k];
      this.clean[k] = other.clean[k];
    }
    for (let k = 0; k < 7; k++) this.tabs[k] = other.tabs[k];
    this.from = other.from;
    this.to = other.to;
    this.hash = other.hash;
    this.otherAppName = undefined;
    return this;
  }

  /** Same key as `other`: hashes first (environment ids share long prefixes), then the bytes. */
  sameKey(other: LaunchLine): boolean {
    return this.hash === other.hash && compareKeys(this.bytes, this.from, this.tabs[2], other.bytes, other.from, other.tabs[2]) === 0;
  }

  /** The merge order: key hash, then key. */
  before(other: LaunchLine): boolean {
    return this.hash < other.hash || (this.hash === other.hash && compareKeys(this.bytes, this.from, this.tabs[2], other.bytes, other.from, other.tabs[2]) < 0);
  }

  hasAppName(): boolean {
    return this.tabs[3] > this.tabs[2] + 1;
  }

  appName(): string | undefined {
    return this.hasAppName() ? utf8.decode(this.bytes.subarray(this.tabs[2] + 1, this.tabs[3])) : this.otherAppName;
  }

  /** The line as a launch. */
  launch(month: string): LaunchAcc {
    const [environmentId, appId, userPrincipalName, appName, userObjectId, firstLaunch, lastLaunch, ids] = utf8.decode(this.bytes.subarray(this.from, this.to)).split('\t');
    return { month, environmentId, appId, appName: appName || undefined, userObjectId: userObjectId || undefined, userPrincipalName, firstLaunch, lastLaunch, count: 0, ids };
  }
}

/**
 * One shard item's lines in merge order (the writer sorts them), one at a time: a month's
 * shard j is read by merging the cursors of its days in that order (launchStore.ts), so no
 * map of the month's launches is built. With `of` = [j, S], only lines whose key hashes
 * to j of S. The cursor is its current line; `done` at the end.
 */
export class ShardCursor extends LaunchLine {
  done = false;
  private next = 0;

  /** `data`: the item's deflated text, or its lines already inflated (a compacted month's, compactedMonth.ts). */
  constructor(
    data: string | Buffer,
    private readonly of?: [number, number],
  ) {
    super();
    this.bytes = typeof data !== 'string' ? data : data ? inflateRawSync(Buffer.from(data, 'base64')) : EMPTY;
    this.advance();
  }

  advance(): void {
    const { bytes, tabs, start, end, h1, h2, clean } = this;
    const buffer = bytes as Buffer;
    while (this.next < bytes.length) {
      const from = this.next;
      let to = buffer.indexOf(NEWLINE, from);
      if (to < 0) to = bytes.length;
      this.next = to + 1;
      // The key's fields in one pass: the writer's hash of the whole key, the ledger's fingerprint of each field.
      let hash = 0x811c9dc5;
      let i = from;
      let k = 0;
      for (; k < 3 && i < to; k++, i++) {
        start[k] = i;
        let a = SEED_1;
        let b = SEED_2;
        let high = 0;
        for (; i < to; i++) {
          const c = bytes[i];
          if (c === TAB) break;
          hash = Math.imul(hash ^ c, 0x01000193);
          const f = foldAscii(c);
          a = mix1(a, f);
          b = mix2(b, f);
          high |= c;
        }
        if (i >= to) break;
        tabs[k] = end[k] = i;
        h1[k] = finish1(a, i - start[k]);
        h2[k] = b;
        clean[k] = high < 128 && i > start[k] && bytes[start[k]] > 32 && bytes[i - 1] > 32 ? 1 : 0;
        if (k < 2) hash = Math.imul(hash ^ TAB, 0x01000193);
      }
      if (k < 3 || i > to) continue;
      let n = 3;
      for (let t = i - 1; n < 7 && (t = buffer.indexOf(TAB, t + 1)) >= 0 && t < to; ) tabs[n++] = t;
      if (n < 7) continue;
      hash >>>= 0;
      // The writer hashed the key as a string (UTF-16 code units): beyond ASCII, hash it as it did.
      if (!(clean[0] & clean[1] & clean[2])) hash = keyHash(utf8.decode(bytes.subarray(from, tabs[2])));
      if (this.of && hash % this.of[1] !== this.of[0]) continue;
      this.hash = hash;
      this.from = from;
      this.to = to;
      return;
    }
    this.done = true;
  }
}

/** Cursors as a binary min-heap on their current lines: `top` is the next line in merge order. */
class CursorHeap {
  private readonly heap: ShardCursor[];

  constructor(cursors: ShardCursor[]) {
    this.heap = cursors.filter((c) => !c.done);
    for (let i = (this.heap.length >> 1) - 1; i >= 0; i--) this.down(i);
  }

  get top(): ShardCursor | undefined {
    return this.heap[0];
  }

  /** Another cursor is at the top's key: if one is, a child of the top is (ties sit right under it). */
  topRepeats(): boolean {
    const [top, left, right] = this.heap;
    return (left !== undefined && left.sameKey(top)) || (right !== undefined && right.sameKey(top));
  }

  /** Advances the top cursor past its line. */
  step(): void {
    const heap = this.heap;
    heap[0].advance();
    if (heap[0].done) {
      heap[0] = heap[heap.length - 1];
      heap.pop();
    }
    if (heap.length) this.down(0);
  }

  private down(i: number): void {
    const heap = this.heap;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && heap[l].before(heap[m])) m = l;
      if (r < heap.length && heap[r].before(heap[m])) m = r;
      if (m === i) return;
      [heap[i], heap[m]] = [heap[m], heap[i]];
      i = m;
    }
  }
}

/** The launches of several cursors in merge order, one per key, merged across cursors. */
export function* mergeCursors(cursors: ShardCursor[], month: string): Generator<LaunchAcc> {
  const heap = new CursorHeap(cursors);
  const line = new LaunchLine();
  for (let top = heap.top; top; top = heap.top) {
    line.take(top);
    const acc = top.launch(month);
    heap.step();
    while (heap.top?.sameKey(line)) {
      mergeAcc(acc, heap.top.launch(month));
      heap.step();
    }
    acc.count = recordCount(acc);
    yield acc;
  }
}

/**
 * The same merge for a reader that needs only the key and the app name (the analysis):
 * `visit` gets each distinct launch as a line, valid until it returns, and no launch
 * object is made. With `month` (compaction, monthCompaction.ts), a launch on several
 * days is handed on as one line of its own with every field merged (record ids, times,
 * names). Returns the number of distinct launches.
 */
export function mergeLines(cursors: ShardCursor[], visit: (line: LaunchLine) => void, month?: string): number {
  const heap = new CursorHeap(cursors);
  const line = new LaunchLine();
  let n = 0;
  for (let top = heap.top; top; top = heap.top) {
    n++;
    if (!heap.topRepeats()) {
      // Most launches are on one day of the month only: handed on where the cursor stands.
      visit(top);
      heap.step();
      continue;
    }
    line.take(top);
    const whole = month === undefined ? null : top.launch(month);
    heap.step();
    while (heap.top?.sameKey(line)) {
      if (whole) mergeAcc(whole, heap.top.launch(month!));
      else if (!line.hasAppName()) line.otherAppName ??= heap.top.appName();
      heap.step();
    }
    // The merged launch as a line of its own, in the bytes a cursor reads (no deflate and inflate back).
    visit(whole ? new ShardCursor(Buffer.from(shardLine(whole), 'utf8')) : line);
  }
  return n;
}
