import type { PairList } from './usageIndex';

/**
 * A set of (app, user) pairs with bit flags, in typed arrays with open addressing: it
 * merges the pairs of several periods of one environment (usage without dates counts
 * in every month).
 */
export class PairTable {
  private apps: Int32Array;
  private users: Int32Array;
  private flags: Uint8Array;
  private used = 0;

  constructor(capacity = 16) {
    this.apps = new Int32Array(capacity).fill(-1);
    this.users = new Int32Array(capacity);
    this.flags = new Uint8Array(capacity);
  }

  get size(): number {
    return this.used;
  }

  /** ORs `bits` into the pair's flags, adding the pair if new. */
  mark(app: number, user: number, bits: number): void {
    if ((this.used + 1) * 2 > this.apps.length) this.grow();
    const mask = this.apps.length - 1;
    let i = slot(app, user) & mask;
    for (;;) {
      const a = this.apps[i];
      if (a === -1) {
        this.apps[i] = app;
        this.users[i] = user;
        this.flags[i] = bits;
        this.used++;
        return;
      }
      if (a === app && this.users[i] === user) {
        this.flags[i] |= bits;
        return;
      }
      i = (i + 1) & mask;
    }
  }

  toList(): PairList {
    const list = { app: new Int32Array(this.used), user: new Int32Array(this.used), flags: new Uint8Array(this.used), start: 0, end: this.used };
    let n = 0;
    for (let i = 0; i < this.apps.length; i++) {
      if (this.apps[i] === -1) continue;
      list.app[n] = this.apps[i];
      list.user[n] = this.users[i];
      list.flags[n++] = this.flags[i];
    }
    return list;
  }

  private grow(): void {
    const { apps, users, flags } = this;
    this.apps = new Int32Array(apps.length * 2).fill(-1);
    this.users = new Int32Array(apps.length * 2);
    this.flags = new Uint8Array(apps.length * 2);
    this.used = 0;
    for (let i = 0; i < apps.length; i++) if (apps[i] !== -1) this.mark(apps[i], users[i], flags[i]);
  }
}

function slot(app: number, user: number): number {
  let h = Math.imul(app ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(user, 0xc2b2ae35);
  h ^= h >>> 15;
  return h >>> 0;
}
