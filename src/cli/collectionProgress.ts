import type { CollectionProgress } from '../launches/collector';

/**
 * What the CLI says while it collects a month from the audit log (a first month takes
 * minutes: Graph runs one query per day, each for minutes). On stderr, since stdout
 * carries the answer (JSON included): on a terminal one line rewritten in place, else
 * one line per day done or minute passed. The minutes so far tick on while a query keeps its status.
 */

/** Graph's query statuses (resources/security-auditlogquery.md, auditLogQueryStatus) in words. */
const STATUS_WORDS: Record<string, string> = {
  notStarted: 'query waiting to start',
  running: 'query running',
  succeeded: 'reading records',
  failed: 'a query failed',
  cancelled: 'a query was cancelled',
};

export function progressText(p: CollectionProgress, now: number): string {
  const minutes = Math.floor((now - p.startedAt) / 60_000);
  const doing = p.status === null ? 'reading' : (STATUS_WORDS[p.status] ?? `query ${p.status}`);
  const days = `${p.done} of ${p.days} day${p.days === 1 ? '' : 's'} done`;
  return `reading ${p.month}'s launches from the audit log: ${doing}, ${minutes < 1 ? 'under a minute' : `${minutes} min`} so far (${days})`;
}

export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

export class CollectionProgressLine {
  private last: CollectionProgress | null = null;
  private printed = '';
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly out: ProgressStream,
    private readonly clock: () => number = Date.now,
    /** How often the minutes are looked at again while nothing else changes. */
    private readonly tickMs = 15_000,
  ) {}

  update(progress: CollectionProgress): void {
    this.last = progress;
    this.render();
    if (!this.timer) {
      this.timer = setInterval(() => this.render(), this.tickMs);
      // The line never keeps the process alive.
      this.timer.unref();
    }
  }

  /** Ends the line (a terminal's cursor goes to the next line) and stops the ticking. */
  finish(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (this.printed && this.out.isTTY) this.out.write('\n');
  }

  private render(): void {
    if (!this.last) return;
    const now = this.clock();
    const text = progressText(this.last, now);
    // Off a terminal a line costs a line: a new one when a day is done or a minute passed; the query status only until the first day is done.
    const key = this.out.isTTY ? text : `${this.last.done} ${Math.floor((now - this.last.startedAt) / 60_000)} ${this.last.done ? '' : this.last.status}`;
    if (key === this.printed) return;
    this.printed = key;
    // \r and "erase to end of line" (ECMA-48 EL, CSI K): the line is rewritten in place.
    this.out.write(this.out.isTTY ? `\r${text}\x1b[K` : `${text}\n`);
  }
}
