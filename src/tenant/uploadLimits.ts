import { CsvFormatError } from './csv/activeUsersCsv';

/**
 * How large a file dropped into chat may be. The bot analyses it in its own memory, next
 * to the tenant's inventory and the uploads it keeps for their buttons; the caps keep a
 * cap-size upload's peak under 600 MB RSS, one file or several drops back to back (measured
 * by bench/uploadMemory.ts; figures in docs/security.md and docs/performance.md). The CLI reads
 * files of any size on the admin's own machine.
 */
export const MAX_UPLOAD_BYTES = 160 * 1024 * 1024;
export const MAX_UPLOAD_ROWS = 1_000_000;
/**
 * The shortest row the reader accepts (a UPN such as a@b.c, a license type, an app and an
 * environment name, three commas, a line end), for the most rows a file's bytes can hold:
 * a hand-made file without the id columns must not hold more than room was made for.
 */
export const MIN_ROW_BYTES = 16;
/** Rows held by all kept uploads together, the one being read included; the oldest goes first to make room. */
export const KEPT_UPLOAD_ROWS = 1_000_000;
/** Rows' worth of kept uploads whose release is worth a full collection before the next read (tenant/memoryReclaim.ts). */
export const RECLAIM_AFTER_ROWS = 250_000;

/** The most rows files of these sizes can hold, within the row cap: what kept uploads make room for before a read. */
export function rowsAtMost(bytes: readonly number[], cap = MAX_UPLOAD_ROWS): number {
  return Math.min(cap, Math.ceil(bytes.reduce((sum, b) => sum + b, 0) / MIN_ROW_BYTES));
}

export class UploadTooLargeError extends CsvFormatError {
  constructor(what: string) {
    super(
      `${what}: PassLens reads files up to ${MAX_UPLOAD_BYTES / 1024 / 1024} MB and ${MAX_UPLOAD_ROWS.toLocaleString('en')} rows in chat. ` +
        'Run "npx passlens analyze --csv FILE" on your machine for a file this size: it reads any size, with the same analysis.',
    );
    this.name = 'UploadTooLargeError';
  }
}

/** The download, counted as it streams: past the cap it stops with UploadTooLargeError instead of reading on. */
export async function* capBytes<C extends Uint8Array | string>(chunks: AsyncIterable<C>, max = MAX_UPLOAD_BYTES): AsyncGenerator<C> {
  let total = 0;
  for await (const chunk of chunks) {
    total += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
    if (total > max) throw new UploadTooLargeError(`The file is larger than ${max / 1024 / 1024} MB`);
    yield chunk;
  }
}
