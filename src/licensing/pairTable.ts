/**
 * A set of (app, user) pairs with bit flags, in typed arrays with open addressing.
 * The ledger meets a million rows in random order; a Map of Maps costs several cache
 * misses per row, this costs about one, and a quarter of the memory.
 */
export class PairTable {
  private apps: Int32Array;
  private users: Int32Array;
  private flags: Uint16Array;
  private used = 0;

  constructor(capacity = 16) {
    this.apps = new Int32Array(capacity).fill(-1);
    this.users = new Int32Array(capacity);
    this.flags = new Uint16Array(capacity);
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

  forEach(visit: (app: number, user: number, flags: number) => void): void {
    for (let i = 0; i < this.apps.length; i++) if (this.apps[i] !== -1) visit(this.apps[i], this.users[i], this.flags[i]);
  }

  private grow(): void {
    const { apps, users, flags } = this;
    this.apps = new Int32Array(apps.length * 2).fill(-1);
    this.users = new Int32Array(apps.length * 2);
    this.flags = new Uint16Array(apps.length * 2);
    this.used = 0;
    for (let i = 0; i < apps.length; i++) if (apps[i] !== -1) this.mark(apps[i], users[i], flags[i]);
  }
}

function slot(app: number, user: number): number {
  let h = Math.imul(app ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(user, 0xc2b2ae35);
  h ^= h >>> 15;
  return h >>> 0;
}
