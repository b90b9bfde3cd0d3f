import { endianness } from 'node:os';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { doubled } from '../usage/typedArrays';
import { finish1, foldAscii, mix1, mix2, SEED_1, SEED_2 } from '../usage/keyTable';
import type { StateStore } from '../storage/stateStore';
import { LaunchKeyFields, type LaunchKeys, type LaunchLine } from './launchShards';

/**
 * A settled month of the launch store in a few large items instead of one item per
 * shard of each part of each day (1,920 for a million-record month): its distinct
 * launches, already merged, in the order the day items are read (shard by shard, then
 * key hash, then key), cut into parts of whole shards. Each part is two items:
 *
 * - `keys`: every distinct text of the part once (environment and app ids, UPNs, app
 *   names, user object ids) and, per launch, five numbers naming its texts. The analysis
 *   reads only this item: a key is fingerprinted once per part, not once per launch
 *   (docs/performance.md, "Launches from the audit log").
 * - `detail`: per launch, its first and last launch time and record ids, as the day
 *   items keep them, so later records of the month still count once.
 *
 * The texts are the same as the day items held; nothing else is stored.
 */

export interface CompactedPart {
  /** Month shards [from, to) of the month's `shards`, in order. */
  from: number;
  to: number;
  /** Launches of the part; `starts[i]` is the first launch of shard from + i. */
  launches: number;
  starts: number[];
  /** Distinct texts in the keys item (the first is the empty text). */
  texts: number;
}

export interface CompactedMonth {
  month: string;
  generation: string;
  shards: number;
  parts: CompactedPart[];
  compactedAt: string;
  /** Launches of the month in it. */
  launches: number;
}

export function compactedKey(c: { month: string; generation: string }, part: number, item: 'keys' | 'detail'): string {
  return `launches/${c.month}/${c.generation}/compacted/${part}/${item}`;
}

export function compactedKeys(c: CompactedMonth): string[] {
  return c.parts.flatMap((_, p) => [compactedKey(c, p, 'keys'), compactedKey(c, p, 'detail')]);
}

/** Per launch: environment, app, user, app name, user object id (text numbers, 0: empty). */
const COLUMNS = 5;
const LITTLE_ENDIAN = endianness() === 'LE';
/** zlib's fastest level: the default took about 1 s more of a million launches' compaction, for 39 MB against 43 MB a month. */
const DEFLATE = { level: 1 };
const utf8 = new TextDecoder();

/** The items of one part being written, and what the index says of it. */
export interface EncodedPart {
  part: CompactedPart;
  keys: string;
  detail: string;
}

/** Distinct texts by their exact bytes (stored as given: no case folding), numbered from 1; 0 is the empty text. */
class TextTable {
  bytes = Buffer.allocUnsafe(1 << 16);
  size = 0;
  ends = new Int32Array(1 << 10);
  count = 1;
  private hashes = new Int32Array(1 << 10);
  private slots = new Int32Array(1 << 12);

  intern(src: Uint8Array, from: number, to: number): number {
    if (to <= from) return 0;
    let h = 0x811c9dc5;
    for (let i = from; i < to; i++) h = Math.imul(h ^ src[i], 0x01000193);
    const mask = this.slots.length - 1;
    let i = (h ^ (h >>> 15)) & mask;
    for (let n = this.slots[i]; n !== 0; n = this.slots[i]) {
      if (this.hashes[n] === h && this.same(n, src, from, to)) return n;
      i = (i + 1) & mask;
    }
    const n = this.count++;
    const length = to - from;
    while (this.size + length > this.bytes.length) this.bytes = Buffer.concat([this.bytes, Buffer.allocUnsafe(this.bytes.length)]);
    this.bytes.set(src.subarray(from, to), this.size);
    this.size += length;
    if (n >= this.ends.length) [this.ends, this.hashes] = [doubled(this.ends), doubled(this.hashes)];
    this.ends[n] = this.size;
    this.hashes[n] = h;
    this.slots[i] = n;
    if (this.count * 2 > this.slots.length) this.rehash();
    return n;
  }

  private same(n: number, src: Uint8Array, from: number, to: number): boolean {
    const start = this.ends[n - 1];
    if (this.ends[n] - start !== to - from) return false;
    for (let i = 0; i < to - from; i++) if (this.bytes[start + i] !== src[from + i]) return false;
    return true;
  }

  private rehash(): void {
    this.slots = new Int32Array(this.slots.length * 2);
    const mask = this.slots.length - 1;
    for (let n = 1; n < this.count; n++) {
      let i = (this.hashes[n] ^ (this.hashes[n] >>> 15)) & mask;
      while (this.slots[i] !== 0) i = (i + 1) & mask;
      this.slots[i] = n;
    }
  }
}

/**
 * Takes a month's merged launches as day-item lines (launchShards.ts) in read order,
 * shard by shard, and hands out parts of whole shards of at least `partLaunches`. Works on
 * the lines' bytes: a million launches as objects and strings took 12 s and 530 MB.
 */
export class CompactedWriter {
  private texts = new TextTable();
  private columns = Array.from({ length: COLUMNS }, () => new Int32Array(1 << 12));
  private detail = Buffer.allocUnsafe(1 << 20);
  private detailSize = 0;
  private n = 0;
  private from = -1;
  private shard = -1;
  private starts: number[] = [];

  constructor(private readonly partLaunches = 1 << 18) {}

  /** The launch (a line valid while this runs), in read order; a full part is handed out before a launch of a new shard. */
  add(line: LaunchLine, shard: number): EncodedPart | null {
    let done: EncodedPart | null = null;
    if (shard !== this.shard) {
      if (this.n >= this.partLaunches) done = this.finish(shard);
      if (this.from < 0) this.from = shard;
      // Shards with no launch have an empty range.
      for (let s = this.shard < this.from ? this.from : this.shard + 1; s <= shard; s++) this.starts.push(this.n);
      this.shard = shard;
    }
    const { bytes, tabs } = line;
    if (this.n >= this.columns[0].length) this.columns = this.columns.map(doubled);
    // Fields 0-4: environment, app, user, app name, user object id; the rest (times, record ids) is the detail.
    for (let c = 0; c < COLUMNS; c++) this.columns[c][this.n] = this.texts.intern(bytes, c ? tabs[c - 1] + 1 : line.from, tabs[c]);
    const length = line.to - tabs[COLUMNS - 1] - 1;
    while (this.detailSize + length + 1 > this.detail.length) this.detail = Buffer.concat([this.detail.subarray(0, this.detailSize), Buffer.allocUnsafe(this.detail.length)]);
    if (this.n) this.detail[this.detailSize++] = 10;
    this.detail.set(bytes.subarray(tabs[COLUMNS - 1] + 1, line.to), this.detailSize);
    this.detailSize += length;
    this.n++;
    return done;
  }

  /** The last part (null: no launch since the last), up to shard `to` (exclusive). */
  finish(to: number): EncodedPart | null {
    if (this.from < 0) return null;
    for (let s = this.shard + 1; s < to; s++) this.starts.push(this.n);
    const { n, texts } = this;
    const count = texts.count;
    const numbers = new Uint32Array(count + COLUMNS * n);
    numbers.set(texts.ends.subarray(0, count));
    // Column by column: each compresses better alone.
    for (let c = 0; c < COLUMNS; c++) numbers.set(this.columns[c].subarray(0, n), count + c * n);
    const head = Buffer.from(numbers.buffer, numbers.byteOffset, numbers.byteLength);
    if (!LITTLE_ENDIAN) head.swap32();
    const part: CompactedPart = { from: this.from, to: Math.max(to, this.shard + 1), launches: n, starts: this.starts, texts: count };
    const encoded = {
      part,
      keys: deflateRawSync(Buffer.concat([head, texts.bytes.subarray(0, texts.size)]), DEFLATE).toString('base64'),
      detail: deflateRawSync(this.detail.subarray(0, this.detailSize), DEFLATE).toString('base64'),
    };
    this.texts = new TextTable();
    this.detailSize = 0;
    this.n = 0;
    this.from = -1;
    this.starts = [];
    return encoded;
  }
}

/** A part's keys item, read: its texts fingerprinted once each as the CSV scanner fingerprints a field. */
export class CompactedKeys {
  readonly bytes: Buffer;
  readonly launches: number;
  /** Per text: where it is in `bytes`, its fingerprints and whether they cover it. */
  readonly start: Int32Array;
  readonly end: Int32Array;
  readonly h1: Int32Array;
  readonly h2: Int32Array;
  readonly clean: Uint8Array;
  readonly columns: Uint32Array;
  private readonly decoded: (string | undefined)[];

  constructor(data: string, part: CompactedPart) {
    let bytes = inflateRawSync(Buffer.from(data, 'base64'));
    const count = part.texts;
    const n = part.launches;
    const numbers = (count + COLUMNS * n) * 4;
    // A typed array over the bytes needs them 4-byte aligned.
    if (bytes.byteOffset % 4) bytes = Buffer.from(bytes);
    if (!LITTLE_ENDIAN) bytes.subarray(0, numbers).swap32();
    const ends = new Uint32Array(bytes.buffer, bytes.byteOffset, count);
    this.columns = new Uint32Array(bytes.buffer, bytes.byteOffset + count * 4, COLUMNS * n);
    this.bytes = bytes;
    this.launches = n;
    this.start = new Int32Array(count);
    this.end = new Int32Array(count);
    this.h1 = new Int32Array(count);
    this.h2 = new Int32Array(count);
    this.clean = new Uint8Array(count);
    this.decoded = new Array<string | undefined>(count);
    for (let t = 0; t < count; t++) {
      const from = numbers + (t ? ends[t - 1] : 0);
      const to = numbers + ends[t];
      let a = SEED_1;
      let b = SEED_2;
      let high = 0;
      for (let i = from; i < to; i++) {
        const c = bytes[i];
        const f = foldAscii(c);
        a = mix1(a, f);
        b = mix2(b, f);
        high |= c;
      }
      this.start[t] = from;
      this.end[t] = to;
      this.h1[t] = finish1(a, to - from);
      this.h2[t] = b;
      this.clean[t] = high < 128 && to > from && bytes[from] > 32 && bytes[to - 1] > 32 ? 1 : 0;
    }
  }

  text(t: number): string {
    return (this.decoded[t] ??= utf8.decode(this.bytes.subarray(this.start[t], this.end[t])));
  }

  /** Text number of launch i's column c (0 environment, 1 app, 2 user, 3 app name, 4 user object id). */
  of(i: number, c: number): number {
    return this.columns[c * this.launches + i];
  }
}

/**
 * One launch of a compacted part as the analysis takes a store line: its key fields a
 * CsvRecordView over the part's texts, with the fingerprints taken when the part was read.
 */
export class CompactedLine extends LaunchKeyFields {
  private name = 0;

  constructor(private readonly keys: CompactedKeys) {
    super();
    this.bytes = keys.bytes;
  }

  /** Makes this launch i of the part. */
  at(i: number): this {
    const { keys } = this;
    const n = keys.launches;
    const columns = keys.columns;
    for (let k = 0; k < 3; k++) {
      const t = columns[k * n + i];
      this.start[k] = keys.start[t];
      this.end[k] = keys.end[t];
      this.h1[k] = keys.h1[t];
      this.h2[k] = keys.h2[t];
      this.clean[k] = keys.clean[t];
    }
    this.name = columns[3 * n + i];
    return this;
  }

  appName(): string | undefined {
    return this.name ? this.keys.text(this.name) : undefined;
  }
}

/** A part's detail item, read: per launch, its times and record ids as a day item's line ends. */
export function detailLines(data: string): string[] {
  return inflateRawSync(Buffer.from(data, 'base64')).toString('utf8').split('\n');
}

/** The part's launches of one of its shards as a day item's inflated lines (launchShards.ts), for a merge with day items not yet compacted. */
export function shardLines(keys: CompactedKeys, lines: string[], part: CompactedPart, shard: number): Buffer {
  const from = part.starts[shard - part.from];
  const to = shard + 1 < part.to ? part.starts[shard + 1 - part.from] : part.launches;
  const out: string[] = [];
  for (let i = from; i < to; i++) {
    const field = (c: number) => keys.text(keys.of(i, c));
    out.push(`${field(0)}\t${field(1)}\t${field(2)}\t${field(3)}\t${field(4)}\t${lines[i]}`);
  }
  return Buffer.from(out.join('\n'), 'utf8');
}

/** A compacted month's item gone: compacted again (and the old items deleted) while it was read. */
export function missingPart(c: { month: string }, part: number): Error {
  return new Error(`Part ${part} of ${c.month}'s launches is no longer in the launch store (the month was compacted again while it was read): ask again.`);
}

/** The month's launches from its keys items alone, in read order, each valid while `visit` runs; the next part is read while one is visited. */
export async function visitCompacted(state: StateStore, c: CompactedMonth, visit: (line: LaunchKeys) => void): Promise<number> {
  const read = async (p: number): Promise<string> => {
    const key = compactedKey(c, p, 'keys');
    const data = (await state.read([key]))[key]?.data;
    if (typeof data !== 'string') throw missingPart(c, p);
    return data;
  };
  let n = 0;
  let next = read(0);
  for (let p = 0; p < c.parts.length; p++) {
    const data = await next;
    if (p + 1 < c.parts.length) {
      next = read(p + 1);
      next.catch(() => undefined);
    }
    const keys = new CompactedKeys(data, c.parts[p]);
    const line = new CompactedLine(keys);
    for (let i = 0; i < keys.launches; i++) visit(line.at(i));
    n += keys.launches;
  }
  return n;
}
