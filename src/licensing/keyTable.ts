/**
 * Interns strings (UPNs, app and environment ids) to small numbers, the hot path of
 * reading a million-row report. A Map<string, number> compares each row's fresh string
 * with a stored one scattered in the heap: a cache miss or two per lookup, which was
 * most of the ledger's time. Here a key is two independent 32-bit hashes computed from
 * the row's own (hot) string, probed in compact typed arrays; the stored string is
 * never touched. Two 32-bit hashes colliding at once among 10^6 keys has a chance of
 * about 10^-7, far below any other error in the data.
 */
export class KeyTable {
  private slots: Int32Array;
  private h1s: Int32Array;
  private h2s: Int32Array;
  private readonly keys: string[] = [];

  constructor(
    /** ASCII case-insensitive (UPNs, GUIDs): "Jane@Contoso.com" and "jane@contoso.com" are one key. */
    private readonly foldCase: boolean,
    capacity = 1024,
  ) {
    this.slots = new Int32Array(capacity).fill(-1);
    this.h1s = new Int32Array(capacity / 2);
    this.h2s = new Int32Array(capacity / 2);
  }

  get size(): number {
    return this.keys.length;
  }

  /** The number of `raw` (trimmed, and case-folded if so made), adding it if new; `store` makes the string kept. */
  intern(raw: string, store: (s: string) => string = (s) => s): number {
    let start = 0;
    let end = raw.length;
    while (start < end && raw.charCodeAt(start) <= 32) start++;
    while (end > start && raw.charCodeAt(end - 1) <= 32) end--;
    let text = raw;
    let h1 = 0x811c9dc5 | 0;
    let h2 = 0x9747b28c | 0;
    let fold = this.foldCase;
    for (let i = start; i < end; i++) {
      let c = text.charCodeAt(i);
      if (fold && c > 127) {
        // Beyond ASCII, case rules need the whole string (É/é, final sigma): hash what is stored.
        text = raw.slice(start, end).toLowerCase();
        [start, end, fold, i] = [0, text.length, false, -1];
        h1 = 0x811c9dc5 | 0;
        h2 = 0x9747b28c | 0;
        continue;
      }
      if (fold && c >= 65 && c <= 90) c |= 32;
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = Math.imul(h2 ^ c, 0x5bd1e995);
      h2 ^= h2 >>> 15;
    }
    h1 ^= end - start;
    const mask = this.slots.length - 1;
    let i = (h1 ^ (h1 >>> 16)) & mask;
    for (;;) {
      const k = this.slots[i];
      if (k === -1) break;
      if (this.h1s[k] === h1 && this.h2s[k] === h2) return k;
      i = (i + 1) & mask;
    }
    const k = this.keys.length;
    const key = text.slice(start, end);
    this.keys.push(store(this.foldCase ? key.toLowerCase() : key));
    if (k >= this.h1s.length) this.growArrays();
    this.h1s[k] = h1;
    this.h2s[k] = h2;
    this.slots[i] = k;
    if (this.keys.length * 2 > this.slots.length) this.rehash();
    return k;
  }

  key(index: number): string {
    return this.keys[index];
  }

  private growArrays(): void {
    this.h1s = doubled(this.h1s);
    this.h2s = doubled(this.h2s);
  }

  private rehash(): void {
    const slots = new Int32Array(this.slots.length * 2).fill(-1);
    const mask = slots.length - 1;
    for (let k = 0; k < this.keys.length; k++) {
      const h1 = this.h1s[k];
      let i = (h1 ^ (h1 >>> 16)) & mask;
      while (slots[i] !== -1) i = (i + 1) & mask;
      slots[i] = k;
    }
    this.slots = slots;
  }
}

/** A copy twice as long, the new half zero. */
export function doubled(array: Int32Array): Int32Array<ArrayBuffer> {
  const out = new Int32Array(array.length * 2);
  out.set(array);
  return out;
}
