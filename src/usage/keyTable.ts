/**
 * Interns keys (UPNs, app and environment ids) to small numbers: the hot path of
 * reading a million-row report.
 *
 * A key is case-folded and trimmed of blanks (code points <= 32), and found by its
 * fingerprint: two independent 32-bit hashes of its UTF-8 bytes. A reader that already
 * walks the bytes (the CSV scanner) computes the fingerprint as it goes with `mix1` and
 * `mix2`, so a known key costs one probe into one compact typed array and no string is
 * ever made for it; only a new key is decoded. Two 32-bit hashes colliding at once
 * among 10^6 keys has a chance of about 10^-7, far below any other error in the data.
 */
export const SEED_1 = 0x811c9dc5 | 0;
export const SEED_2 = 0x9747b28c | 0;

/** One byte (ASCII already folded) into the first hash (FNV-1a). */
export function mix1(h: number, byte: number): number {
  return Math.imul(h ^ byte, 0x01000193);
}

/** One byte into the second hash (a multiplicative hash with other constants, so the two are independent). */
export function mix2(h: number, byte: number): number {
  return Math.imul(h + byte, 0x5bd1e995) ^ (h >>> 13);
}

/** The first hash also covers the length, so keys that are prefixes of each other stay apart. */
export function finish1(h: number, length: number): number {
  return h ^ length;
}

/**
 * ASCII upper case to lower case; anything else unchanged. Without a branch, because
 * keys mix digits and letters and a branch mispredicts (docs/performance.md). The sign bits of byte - 91 and of ~(byte - 65) are both 1 just for A-Z.
 */
export function foldAscii(byte: number): number {
  return byte | ((((byte - 91) & ~(byte - 65)) >>> 31) << 5);
}

const utf8 = new TextDecoder();
const encoder = new TextEncoder();
/** slots: [h1, h2, number + 1] each; 0 in the third place is an empty slot. */
const SLOT = 3;

export class KeyTable {
  private table: Int32Array;
  private mask: number;
  private readonly keys: string[] = [];
  private scratch = new Uint8Array(256);

  constructor(capacity = 1024) {
    const slots = 1 << Math.ceil(Math.log2(Math.max(capacity, 8)));
    this.table = new Int32Array(slots * SLOT);
    this.mask = slots - 1;
  }

  get size(): number {
    return this.keys.length;
  }

  key(index: number): string {
    return this.keys[index];
  }

  /** The number of a key given by its fingerprint, or -1. */
  find(h1: number, h2: number): number {
    const t = this.table;
    const mask = this.mask;
    let i = (h1 ^ (h1 >>> 16)) & mask;
    for (;;) {
      const at = i * SLOT;
      const n = t[at + 2];
      if (n === 0) return -1;
      if (t[at] === h1 && t[at + 1] === h2) return n - 1;
      i = (i + 1) & mask;
    }
  }

  /**
   * The number of a field the scanner fingerprinted. `clean` says the fingerprint covers
   * the whole key: ASCII only, no blanks around it. Otherwise the bytes are read again.
   */
  internField(bytes: Uint8Array, start: number, end: number, h1: number, h2: number, clean: boolean): number {
    if (!clean) return this.internBytes(bytes, start, end);
    const found = this.find(h1, h2);
    return found >= 0 ? found : this.add(h1, h2, latin1Lower(bytes, start, end));
  }

  /** The number of the key in bytes[start, end) (UTF-8), adding it if new. */
  internBytes(bytes: Uint8Array, start: number, end: number): number {
    while (start < end && bytes[start] <= 32) start++;
    while (end > start && bytes[end - 1] <= 32) end--;
    let h1 = SEED_1;
    let h2 = SEED_2;
    for (let i = start; i < end; i++) {
      const b = bytes[i];
      // Beyond ASCII, case rules need the whole text (É/é, final sigma).
      if (b >= 128) return this.intern(utf8.decode(bytes.subarray(start, end)));
      const c = foldAscii(b);
      h1 = mix1(h1, c);
      h2 = mix2(h2, c);
    }
    h1 = finish1(h1, end - start);
    const found = this.find(h1, h2);
    return found >= 0 ? found : this.add(h1, h2, latin1Lower(bytes, start, end));
  }

  /** The number of `text` (trimmed, case-folded), adding it if new. */
  intern(text: string): number {
    return this.ofText(text, true);
  }

  /** The number of `text` (trimmed, case-folded), or -1 if it was never interned. */
  numberOf(text: string): number {
    return this.ofText(text, false);
  }

  private ofText(text: string, addIfNew: boolean): number {
    let start = 0;
    let end = text.length;
    while (start < end && text.charCodeAt(start) <= 32) start++;
    while (end > start && text.charCodeAt(end - 1) <= 32) end--;
    let h1 = SEED_1;
    let h2 = SEED_2;
    for (let i = start; i < end; i++) {
      const c = text.charCodeAt(i);
      if (c >= 128) return this.ofFolded(text.slice(start, end).toLowerCase(), addIfNew);
      h1 = mix1(h1, foldAscii(c));
      h2 = mix2(h2, foldAscii(c));
    }
    h1 = finish1(h1, end - start);
    const found = this.find(h1, h2);
    return found >= 0 || !addIfNew ? found : this.add(h1, h2, text.slice(start, end).toLowerCase());
  }

  /** A folded key beyond ASCII: fingerprinted over its UTF-8 bytes, as the scanner would. */
  private ofFolded(folded: string, addIfNew: boolean): number {
    if (this.scratch.length < folded.length * 3) this.scratch = new Uint8Array(folded.length * 3);
    const { written } = encoder.encodeInto(folded, this.scratch);
    let h1 = SEED_1;
    let h2 = SEED_2;
    for (let i = 0; i < written; i++) {
      h1 = mix1(h1, this.scratch[i]);
      h2 = mix2(h2, this.scratch[i]);
    }
    h1 = finish1(h1, written);
    const found = this.find(h1, h2);
    return found >= 0 || !addIfNew ? found : this.add(h1, h2, folded);
  }

  private add(h1: number, h2: number, key: string): number {
    const n = this.keys.length;
    this.keys.push(key);
    this.place(this.table, this.mask, h1, h2, n);
    if (this.keys.length * 2 > this.mask + 1) this.grow();
    return n;
  }

  private place(t: Int32Array, mask: number, h1: number, h2: number, n: number): void {
    let i = (h1 ^ (h1 >>> 16)) & mask;
    while (t[i * SLOT + 2] !== 0) i = (i + 1) & mask;
    t[i * SLOT] = h1;
    t[i * SLOT + 1] = h2;
    t[i * SLOT + 2] = n + 1;
  }

  private grow(): void {
    const old = this.table;
    const slots = (this.mask + 1) * 2;
    this.table = new Int32Array(slots * SLOT);
    this.mask = slots - 1;
    for (let at = 0; at < old.length; at += SLOT) if (old[at + 2] !== 0) this.place(this.table, this.mask, old[at], old[at + 1], old[at + 2] - 1);
  }
}

/** ASCII bytes as a lower-case string (the caller has checked they are ASCII). */
function latin1Lower(bytes: Uint8Array, start: number, end: number): string {
  return utf8.decode(bytes.subarray(start, end)).toLowerCase();
}
