/**
 * The usage ledger's row log: per row its app, user, month and flag numbers and its CSV
 * line, in blocks of a fixed number of rows. Growing adds a block: nothing is copied and no
 * outgrown array is left for the GC, where doubling one array per field left as much garbage
 * as the log itself (docs/performance.md).
 */
export const BLOCK_BITS = 16;
export const BLOCK_ROWS = 1 << BLOCK_BITS;

type MonthArray = Uint8Array | Uint16Array | Int32Array;

export class RowLog {
  readonly app: Int32Array[] = [];
  readonly user: Int32Array[] = [];
  /** month numbers in the narrowest array that holds them: a report has one month or a few */
  readonly month: MonthArray[] = [];
  readonly flags: Uint8Array[] = [];
  /** CSV line, 0 when the source has none */
  readonly line: Int32Array[] = [];
  rows = 0;
  private monthBytes: 1 | 2 | 4 = 1;
  // the block being filled, for the append
  private lastApp = new Int32Array(0);
  private lastUser = new Int32Array(0);
  private lastMonth: MonthArray = new Uint8Array(0);
  private lastFlags = new Uint8Array(0);
  private lastLine = new Int32Array(0);

  append(app: number, user: number, month: number, flags: number, line: number): void {
    const at = this.rows & (BLOCK_ROWS - 1);
    if (at === 0) this.addBlock();
    this.lastApp[at] = app;
    this.lastUser[at] = user;
    this.lastMonth[at] = month;
    this.lastFlags[at] = flags;
    this.lastLine[at] = line;
    this.rows++;
  }

  /** Rows in block `b` (all but the last are full). */
  rowsIn(b: number): number {
    return Math.min(BLOCK_ROWS, this.rows - b * BLOCK_ROWS);
  }

  /** Makes room for month numbers up to `n`: past 255 and 65,535 the month arrays are widened. */
  holdMonth(n: number): void {
    const bytes = n < 0x100 ? 1 : n < 0x10000 ? 2 : 4;
    if (bytes <= this.monthBytes) return;
    this.monthBytes = bytes;
    for (let b = 0; b < this.month.length; b++) this.month[b] = widened(this.month[b], bytes);
    if (this.month.length) this.lastMonth = this.month[this.month.length - 1];
  }

  private addBlock(): void {
    this.app.push((this.lastApp = new Int32Array(BLOCK_ROWS)));
    this.user.push((this.lastUser = new Int32Array(BLOCK_ROWS)));
    this.month.push((this.lastMonth = widened(new Uint8Array(BLOCK_ROWS), this.monthBytes)));
    this.flags.push((this.lastFlags = new Uint8Array(BLOCK_ROWS)));
    this.line.push((this.lastLine = new Int32Array(BLOCK_ROWS)));
  }
}

function widened(months: MonthArray, bytes: 1 | 2 | 4): MonthArray {
  if (months.BYTES_PER_ELEMENT === bytes) return months;
  const out = bytes === 2 ? new Uint16Array(months.length) : new Int32Array(months.length);
  out.set(months);
  return out;
}
