import { randomBytes } from 'node:crypto';

/**
 * The analyses of the last few CSVs dropped into chat, so that the buttons on their
 * cards answer from the same file, not from the tenant's own data. Kept in memory only,
 * and only a few for a while: an upload answers a question of the moment, a large one
 * holds its report (hundreds of megabytes for a million rows), and a button whose
 * upload is gone says to drop the file again.
 */
export class RecentUploads<T> {
  private readonly entries = new Map<string, { value: T; at: number }>();

  constructor(private readonly options: { keep: number; ttlMs: number; now: () => number }) {}

  /** Keeps `value`, dropping the oldest beyond `keep`; returns its id (short: it rides on every button). */
  add(value: T): string {
    this.prune();
    const id = randomBytes(9).toString('base64url');
    this.entries.set(id, { value, at: this.options.now() });
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= this.options.keep) break;
      this.entries.delete(oldest);
    }
    return id;
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
