import { finish1, foldAscii, mix1, mix2, SEED_1, SEED_2 } from './keyTable';
import { doubled } from './typedArrays';

/**
 * A streaming RFC 4180 record scanner over bytes: quoted fields, doubled quotes, CR/LF,
 * fields spanning lines, any one-byte delimiter.
 *
 * It hands out records as byte ranges and makes no strings, because strings were most
 * of the time on a large report (docs/performance.md). Fields that will be looked up as keys are fingerprinted (KeyTable's hashes) in the
 * same pass that finds their end, so each byte is read once. Unquoted records, the
 * common case, take that fast path; a record with a quote is unescaped into a scratch
 * buffer, and its fields are then read again by whoever needs them.
 */

export interface CsvRecordView {
  /** holds the fields: the chunk itself, or the scratch buffer for a quoted record */
  bytes: Uint8Array;
  fields: number;
  start: Int32Array;
  end: Int32Array;
  /** fingerprints of the fields asked for (CsvScanner.fingerprint) */
  h1: Int32Array;
  h2: Int32Array;
  /** 1 where the fingerprint covers the whole key: ASCII, no blanks around it; otherwise read the bytes */
  clean: Uint8Array;
  /** physical line where the record begins */
  line: number;
}

export interface CsvRecordSink {
  record(view: CsvRecordView): void;
  bad(line: number, reason: string): void;
}

const QUOTE = 34;
const LF = 10;
const CR = 13;
/** scanQuoted's answer when the record goes on in the next chunk */
const NEEDS_MORE = -1;

export class CsvScanner {
  private readonly view: CsvRecordView;
  private fingerprinted: Uint8Array;
  private carry: Uint8Array | null = null;
  private line = 1;
  /** inside a line that was too long: its bytes are dropped up to its end */
  private skipping = false;
  private scratch: Uint8Array;

  constructor(
    private readonly delimiter: number,
    private readonly sink: CsvRecordSink,
    private readonly maxRecordBytes = 1 << 16,
  ) {
    this.view = { bytes: new Uint8Array(0), fields: 0, start: new Int32Array(64), end: new Int32Array(64), h1: new Int32Array(64), h2: new Int32Array(64), clean: new Uint8Array(64), line: 1 };
    this.fingerprinted = new Uint8Array(64);
    this.scratch = new Uint8Array(maxRecordBytes + 8);
  }

  /** Which fields (by index) to fingerprint from now on. */
  fingerprint(fieldIndexes: readonly number[]): void {
    const width = Math.max(0, ...fieldIndexes) + 1;
    while (this.fingerprinted.length < width) this.growView();
    this.fingerprinted.fill(0);
    for (const i of fieldIndexes) this.fingerprinted[i] = 1;
  }

  push(chunk: Uint8Array): void {
    let bytes = chunk;
    const carry = this.carry;
    this.carry = null;
    if (carry) {
      // The record cut at the chunk's edge is finished in a small join of the carry and the
      // chunk's first line, so the rest of the chunk is scanned where it is, not copied.
      const nl = chunk.indexOf(LF);
      if (nl < 0) bytes = joinBytes(carry, chunk);
      else {
        const head = joinBytes(carry, chunk.subarray(0, nl + 1));
        const used = this.scan(head, false);
        // Still unfinished (a quoted field spanning lines): joined with the rest, as a whole.
        bytes = used < head.length ? joinBytes(head.subarray(used), chunk.subarray(nl + 1)) : chunk.subarray(nl + 1);
      }
    }
    const used = this.scan(bytes, false);
    if (used < bytes.length) this.carry = bytes.subarray(used);
  }

  end(): void {
    const rest = this.carry;
    this.carry = null;
    if (rest) this.scan(rest, true);
  }

  /** Hands out every complete record of `buf`; returns where the first incomplete one starts. */
  private scan(buf: Uint8Array, final: boolean): number {
    const len = buf.length;
    const D = this.delimiter;
    const v = this.view;
    let pos = 0;
    if (this.skipping) {
      const nl = buf.indexOf(LF);
      if (nl < 0) return len;
      this.skipping = false;
      this.line++;
      pos = nl + 1;
    }
    while (pos < len) {
      let nf = 0;
      let i = pos;
      let c = 0;
      let quoted = false;
      for (;;) {
        if (nf === v.start.length) this.growView();
        const s = i;
        v.start[nf] = s;
        // Two copies of the field loop on purpose: deciding per field, not per byte,
        // whether to hash keeps the loop over skipped fields (names) at three compares a byte.
        if (this.fingerprinted[nf] === 1) {
          let h1 = SEED_1;
          let h2 = SEED_2;
          let seen = 0;
          for (; i < len; i++) {
            c = buf[i];
            if (c === D || c === LF) break;
            if (c === QUOTE) {
              quoted = true;
              break;
            }
            seen |= c;
            const f = foldAscii(c);
            h1 = mix1(h1, f);
            h2 = mix2(h2, f);
          }
          v.h1[nf] = finish1(h1, i - s);
          v.h2[nf] = h2;
          v.clean[nf] = seen < 128 && (i === s || (buf[s] > 32 && buf[i - 1] > 32)) ? 1 : 0;
        } else {
          for (; i < len; i++) {
            c = buf[i];
            if (c === D || c === LF) break;
            if (c === QUOTE) {
              quoted = true;
              break;
            }
          }
        }
        if (quoted || i >= len) break;
        v.end[nf++] = i;
        if (c === LF) break;
        i++;
      }
      if (quoted) {
        const next = this.scanQuoted(buf, pos, final);
        if (next === NEEDS_MORE) return pos;
        pos = next;
        continue;
      }
      if (i >= len) {
        if (!final) {
          if (len - pos <= this.maxRecordBytes) return pos;
          this.sink.bad(this.line, `line is longer than ${this.maxRecordBytes} characters`);
          this.skipping = true;
          return len;
        }
        v.end[nf++] = i;
      }
      if (i - pos > this.maxRecordBytes) {
        // The same answer as for a line that spans chunks, wherever the chunks break.
        this.sink.bad(this.line++, `line is longer than ${this.maxRecordBytes} characters`);
        pos = i + 1;
        continue;
      }
      const last = nf - 1;
      if (v.end[last] > v.start[last] && buf[v.end[last] - 1] === CR) {
        v.end[last]--;
        v.clean[last] = 0;
      }
      v.bytes = buf;
      v.fields = nf;
      v.line = this.line++;
      pos = i + 1;
      this.sink.record(v);
    }
    return pos;
  }

  /**
   * A record with a quote somewhere, from `pos`: fields unescaped into the scratch
   * buffer. Returns where the next record starts, or NEEDS_MORE.
   */
  private scanQuoted(buf: Uint8Array, pos: number, final: boolean): number {
    const len = buf.length;
    const D = this.delimiter;
    const v = this.view;
    const out = this.scratch;
    const limit = Math.min(len, pos + this.maxRecordBytes);
    let o = 0;
    let nf = 0;
    let i = pos;
    let breaks = 0;
    let error: string | null = null;
    for (;;) {
      if (nf === v.start.length) this.growView();
      v.start[nf] = o;
      v.clean[nf] = 0;
      if (i < len && buf[i] === QUOTE) {
        i++;
        for (;;) {
          if (i >= limit) return this.unclosed(buf, pos, final);
          const c = buf[i];
          if (c === QUOTE) {
            if (i + 1 >= len && !final) return this.unclosed(buf, pos, final);
            if (buf[i + 1] === QUOTE) {
              out[o++] = QUOTE;
              i += 2;
              continue;
            }
            i++;
            break;
          }
          if (c === LF) breaks++;
          out[o++] = c;
          i++;
        }
        v.end[nf++] = o;
        if (i >= len) {
          if (!final) return NEEDS_MORE;
          break;
        }
        const c = buf[i];
        if (c === D) {
          i++;
          continue;
        }
        if (c === CR && i + 1 >= len && !final) return NEEDS_MORE;
        if (c === LF || (c === CR && buf[i + 1] === LF) || (c === CR && i + 1 >= len && final)) {
          i += c === CR ? 1 : 0;
          break;
        }
        error = `unexpected text after a closing quote in field ${nf}`;
        break;
      }
      // An unquoted field: a quote inside it is taken as it is.
      for (; i < limit; i++) {
        const c = buf[i];
        if (c === D || c === LF) break;
        out[o++] = c;
      }
      if (i >= limit) {
        if (i < len || final) {
          if (i < len) return this.tooLong(buf, pos);
          v.end[nf++] = o;
          break;
        }
        return len - pos > this.maxRecordBytes ? this.tooLong(buf, pos) : NEEDS_MORE;
      }
      v.end[nf++] = i === pos || buf[i - 1] !== CR || buf[i] !== LF ? o : o - 1;
      if (buf[i] === LF) break;
      i++;
    }
    if (error) {
      // The record ends where its quotes balance: skip it whole, and say why once.
      let inQuotes = false;
      for (; i < len; i++) {
        const c = buf[i];
        if (c === QUOTE) inQuotes = !inQuotes;
        else if (c === LF) {
          if (!inQuotes) break;
          breaks++;
        }
      }
      if (i >= len && !final) return NEEDS_MORE;
      this.sink.bad(this.line, error);
      this.line += 1 + breaks;
      return i + 1;
    }
    v.bytes = out;
    v.fields = nf;
    v.line = this.line;
    this.line += 1 + breaks;
    this.sink.record(v);
    return i + 1;
  }

  /** A quote that does not close within the record limit (or the file) loses its own line only. */
  private unclosed(buf: Uint8Array, pos: number, final: boolean): number {
    if (!final && buf.length - pos <= this.maxRecordBytes) return NEEDS_MORE;
    this.sink.bad(this.line, 'a quoted field is never closed');
    const nl = buf.indexOf(LF, pos);
    if (nl < 0) {
      // The rest of the line is in chunks still to come: dropped there too.
      this.skipping = true;
      return buf.length;
    }
    this.line++;
    return nl + 1;
  }

  private tooLong(buf: Uint8Array, pos: number): number {
    this.sink.bad(this.line, `line is longer than ${this.maxRecordBytes} characters`);
    const nl = buf.indexOf(LF, pos + this.maxRecordBytes);
    if (nl < 0) {
      this.skipping = true;
      return buf.length;
    }
    this.line++;
    return nl + 1;
  }

  private growView(): void {
    const v = this.view;
    [v.start, v.end, v.h1, v.h2, v.clean] = [doubled(v.start), doubled(v.end), doubled(v.h1), doubled(v.h2), doubled(v.clean)];
    this.fingerprinted = doubled(this.fingerprinted);
  }
}

/** a then b: a new array, unless one of them is empty. */
export function joinBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (!a.length) return b;
  if (!b.length) return a;
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** Picks the delimiter used most in the header line, outside quotes. */
export function sniffDelimiter(headerLine: string): string {
  const counts: Record<string, number> = { ',': 0, ';': 0, '\t': 0 };
  let quoted = false;
  for (const ch of headerLine) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch in counts) counts[ch]++;
  }
  return Object.entries(counts).sort((a, b) => b[1] - a[1])[0][0];
}
