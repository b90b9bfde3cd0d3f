import { randomBytes } from 'node:crypto';

/**
 * The analyses of the last few CSVs dropped into chat, so that the buttons on their
 * cards answer from the same file, not from the tenant's own data. Kept in memory only,
 * and only a few for a while: an upload answers a question of the moment, a large one
 * holds its report (hundreds of megabytes for a million rows), and a button whose
 * upload is gone says to drop the file again.
 */
export class RecentUploads<T> {
  private readonly entries = new Map<string, { value: T; at: number; weight: number }>();

  /** `budget`: the most weight (rows) kept at once, all entries together. */
  constructor(private readonly options: { keep: number; ttlMs: number; now: () => number; budget?: number }) {}

  /** Keeps `value`, dropping the oldest beyond `keep` or the budget; returns its id (short: it rides on every button). */
  add(value: T, weight = 0): string {
    this.makeRoom(weight);
    const id = randomBytes(9).toString('base64url');
    this.entries.set(id, { value, at: this.options.now(), weight });
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= this.options.keep) break;
      this.entries.delete(oldest);
    }
    return id;
  }

  /** Drops the oldest entries until `weight` more fits the budget (before a large upload is read, not after); the weight dropped. */
  makeRoom(weight: number): number {
    this.prune();
    const budget = this.options.budget ?? Infinity;
    let total = this.weight();
    let released = 0;
    for (const [id, entry] of this.entries) {
      if (total + weight <= budget) break;
      this.entries.delete(id);
      total -= entry.weight;
      released += entry.weight;
    }
    return released;
  }

  /** What the kept entries weigh together. */
  weight(): number {
    return [...this.entries.values()].reduce((sum, e) => sum + e.weight, 0);
  }

  delete(id: string): void {
    this.entries.delete(id);
  }

  get(id: string): T | null {
    this.prune();
    return this.entries.get(id)?.value ?? null;
  }

  private prune(): void {
    const now = this.options.now();
    for (const [id, entry] of this.entries) if (now - entry.at > this.options.ttlMs) this.entries.delete(id);
  }
}
