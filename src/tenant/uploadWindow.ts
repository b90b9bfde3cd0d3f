import { createReadStream } from 'node:fs';
import { mkdir, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pLimit from 'p-limit';
import { peekHeader, reportKindOf, type ReportKind } from './csv/adminReports';
import { asUtf8 } from './csv/textEncoding';
import { CsvFormatError } from './csv/activeUsersCsv';
import type { ReadReport, ReportFile } from './reportSet';
import type { AnalyzedTenant } from './analyzedTenant';
import type { TenantService } from './tenantService';
import { capBytes, MAX_UPLOAD_BYTES, MAX_UPLOAD_ROWS, UploadTooLargeError } from './uploadLimits';
import { createUploadRoot, deleteUploadRoot } from './uploadFolders';

export { removeAbandonedRoots } from './uploadFolders';

/**
 * Reports dropped into one conversation one after another, analysed as one: each drop
 * answers with everything dropped there within the window (15 minutes since the last
 * drop). The files wait on disk, not in memory (a set may hold several 160 MB files), in a
 * private directory (0700, files 0600) that is deleted when the window ends, on "new
 * upload", on close and exit, and, for a process that died, by the next one to start.
 * Each drop reads the whole set again through readReportSet: a report dropped again
 * replaces the earlier one before anything is counted, and the set stays within the caps
 * of one drop (uploadLimits.ts).
 */

export const UPLOAD_WINDOW_MS = 15 * 60 * 1000;
/** Files one conversation's set holds: two years of months and the other two reports. */
export const MAX_SET_FILES = 26;
/** Bytes on disk one conversation's set holds: two files at the chat cap. */
export const MAX_SET_BYTES = 2 * MAX_UPLOAD_BYTES;
/** All chats' files on this instance's disk together: three full sets (App Service's local temp space is a few GB). */
export const MAX_HELD_BYTES = 3 * MAX_SET_BYTES;

/** Enough of a file's start for its header row, in UTF-16 too. */
const HEADER_BYTES = 1 << 18;

/** A dropped file kept for the window, and what it was read as. */
export interface KeptReport {
  name: string;
  /** On disk under a number, never under the name the file came with. */
  path: string;
  bytes: number;
  kind: ReportKind;
  /** Active users: the months its rows fall in (known once read). */
  months: string[];
  droppedAt: Date;
}

/** A file of a drop left out, and why (the error as the reader or the download raised it). */
export interface Refusal {
  name: string;
  error: Error;
}

export interface DropOutcome {
  /** Everything combined so far; null when nothing could be (every file refused, nothing earlier). */
  analysis: AnalyzedTenant | null;
  /** The files in the analysis, in the order dropped. */
  used: KeptReport[];
  /** Earlier files a file of this drop replaced (same name, or the same report for the same months). */
  replaced: (Pick<KeptReport, 'name' | 'kind' | 'months' | 'droppedAt'> & { by: string })[];
  refused: Refusal[];
  /** The set this drop began (nothing earlier), and whether an earlier one had ended for want of a drop within the window. */
  startedAt: Date;
  expiredEarlier: boolean;
  /** When the set is forgotten unless another file comes. */
  endsAt: Date;
}

/** Every chat's files together would fill this instance's share of disk: the others' windows end within minutes. */
export class UploadsBusyError extends Error {
  constructor() {
    super(`PassLens is holding as many uploaded reports as this instance keeps on disk (all chats together). Drop it again in ${UPLOAD_WINDOW_MS / 60_000} minutes, when earlier uploads' windows have ended, or run "npx passlens analyze --csv FILE" on your machine.`);
    this.name = 'UploadsBusyError';
  }
}

/** A conversation's set as its chat sees it while the window is open. */
export interface OpenSet {
  uploadId: string;
  files: string[];
  startedAt: Date;
  endsAt: Date;
}

/** Too many rows, files or bytes for one conversation's set: what to do is to start over with fewer. */
export class UploadSetTooLargeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UploadSetTooLargeError';
  }
}

interface UploadSet {
  dir: string;
  files: KeptReport[];
  startedAt: Date;
  lastDropAt: Date;
  /** Every analysis of the set kept for its buttons, the latest last (reused when a drop adds nothing): "new upload" forgets them too. */
  uploadIds: string[];
  timer: NodeJS.Timeout | null;
  nextNumber: number;
}

/**
 * A report dropped again replaces the earlier one: the same file name, or the same report for
 * the same months. Two Active users reports of different months combine even under one name,
 * since a download's name need not carry its month.
 */
export function replacesEarlier(later: Pick<ReadReport, 'name' | 'kind' | 'months'>, earlier: Pick<KeptReport, 'name' | 'kind' | 'months'>): boolean {
  const differentMonths = later.kind === 'activeUsers' && earlier.kind === 'activeUsers' && later.months.length > 0 && earlier.months.length > 0 && !earlier.months.some((m) => later.months.includes(m));
  if (later.name.toLowerCase() === earlier.name.toLowerCase()) return !differentMonths;
  if (later.kind !== earlier.kind) return false;
  // The other two reports describe the tenant as it is when downloaded: the later one is the newer.
  if (earlier.kind !== 'activeUsers') return true;
  if (!earlier.months.length) return !later.months.length;
  return earlier.months.every((m) => later.months.includes(m));
}

export class UploadWindows {
  private readonly sets = new Map<string, UploadSet>();
  private readonly turns = new Map<string, ReturnType<typeof pLimit>>();
  /** Conversations whose set ended for want of a drop, so the next drop can say it starts anew. */
  private readonly ended = new Set<string>();
  /** One set is read at a time across conversations: the caps hold for the process, not per chat. */
  private readonly reading = pLimit(1);
  /** Bytes of every chat's files on disk, those being downloaded included. */
  private heldBytes = 0;
  private root: Promise<string> | null = null;
  /** How long a set waits for the next file. */
  readonly windowMs: number;

  constructor(
    private readonly tenant: Pick<TenantService, 'analyzeReports' | 'upload' | 'forgetUpload'>,
    private readonly options: { windowMs?: number; now?: () => Date; parent?: string; limits?: { bytes: number; rows: number }; maxHeldBytes?: number } = {},
  ) {
    this.windowMs = options.windowMs ?? UPLOAD_WINDOW_MS;
  }

  /**
   * Adds the files of one drop to the conversation's set and analyses the set. A file that
   * cannot be downloaded or read, or that would take the set past a cap, is refused and
   * the rest combine; nothing kept earlier is lost.
   */
  drop(conversation: string, files: readonly ReportFile[]): Promise<DropOutcome> {
    return this.inTurn(conversation, async () => {
      const { set, expiredEarlier } = await this.openSet(conversation);
      const refused: Refusal[] = [];
      let fresh: KeptReport[] = [];
      for (const file of files) {
        try {
          fresh.push(await this.keep(set, [...set.files, ...fresh], file));
        } catch (e) {
          refused.push({ name: file.name, error: e as Error });
        }
      }
      const limits = this.limits();
      for (;;) {
        if (!fresh.length && set.files.length) {
          const latest = set.uploadIds.at(-1);
          const kept = latest ? this.tenant.upload(latest) : null;
          if (kept) {
            this.touch(conversation, set);
            return this.outcome(set, kept, [], refused, expiredEarlier);
          }
        }
        if (!fresh.length && !set.files.length) {
          await this.forget(conversation);
          return { analysis: null, used: [], replaced: [], refused, startedAt: set.startedAt, expiredEarlier, endsAt: this.endOf(set) };
        }
        const candidates = [...set.files, ...fresh];
        const replacedBy = new Map<KeptReport, string>();
        let reading: KeptReport | null = null, lastStarted: KeptReport | null = null;
        const reports = candidates.map((kept) => ({
          kept,
          file: { name: kept.name, bytes: kept.bytes, chunks: diskChunks(kept.path, () => (reading = lastStarted = kept), () => (reading = reading === kept ? null : reading)) },
        }));
        try {
          const result = await this.reading(() =>
            this.tenant.analyzeReports(
              reports.map((r) => r.file),
              {
                limits,
                replaces: (later, earlier) => {
                  const kept = reports.find((r) => r.file === earlier)!.kept;
                  const replaces = replacesEarlier(later, kept);
                  if (replaces) replacedBy.set(kept, later.name);
                  return replaces;
                },
              },
            ),
          );
          const used = candidates.filter((k) => !replacedBy.has(k));
          used.forEach((k, i) => (k.months = result.files[i]?.months ?? k.months));
          const replaced = candidates.filter((k) => replacedBy.has(k)).map((k) => ({ name: k.name, kind: k.kind, months: k.months, droppedAt: k.droppedAt, by: replacedBy.get(k)! }));
          await Promise.all(candidates.filter((k) => replacedBy.has(k)).map((k) => this.discard(k)));
          set.files = used;
          set.uploadIds.push(result.upload.uploadId);
          this.touch(conversation, set);
          return this.outcome(set, result.upload, replaced, refused, expiredEarlier);
        } catch (e) {
          // The file being read when an error comes is its culprit; a file's own fault found at its end (CsvFormatError: a header and no rows) is the last one read's; anything else, the set's.
          const culprit = (reading ?? (e instanceof CsvFormatError ? lastStarted : null)) as KeptReport | null;
          if (e instanceof UploadTooLargeError && fresh.length && set.files.length) {
            // Past the row cap together: this drop's files go, the earlier set stays as it was.
            const earlier = set.files.map((k) => k.name).join(', ');
            for (const k of fresh) refused.push({ name: k.name, error: new UploadSetTooLargeError(setTooLarge(`Together with ${earlier} dropped before, it would make more than ${limits.rows.toLocaleString('en')} rows`)) });
            await Promise.all(fresh.map((k) => this.discard(k)));
            fresh = [];
          } else if (culprit && fresh.includes(culprit)) {
            refused.push({ name: culprit.name, error: e as Error });
            await this.discard(culprit);
            fresh = fresh.filter((k) => k !== culprit);
          } else {
            // Not this drop's files (the tenant could not be read): they go, the earlier set stays.
            await Promise.all(fresh.map((k) => this.discard(k)));
            if (set.files.length) this.touch(conversation, set);
            else await this.forget(conversation);
            throw e;
          }
        }
      }
    });
  }

  /** "new upload": forgets the conversation's set and deletes its files; the names it held. */
  clear(conversation: string): Promise<string[]> {
    return this.inTurn(conversation, async () => {
      const names = this.held(conversation);
      for (const id of this.sets.get(conversation)?.uploadIds ?? []) this.tenant.forgetUpload(id);
      await this.forget(conversation);
      return names;
    });
  }

  /** One drop or clear at a time per conversation, in the order they came. */
  private inTurn<T>(conversation: string, run: () => Promise<T>): Promise<T> {
    let turn = this.turns.get(conversation);
    if (!turn) this.turns.set(conversation, (turn = pLimit(1)));
    const limit = turn;
    return limit(run).finally(() => {
      if (limit.activeCount === 0 && limit.pendingCount === 0 && this.turns.get(conversation) === limit) this.turns.delete(conversation);
    });
  }

  /** The names of the files the conversation's set holds now (none once its window ended). */
  held(conversation: string): string[] {
    return this.open(conversation)?.files ?? [];
  }

  /** The conversation's set while its window is open: its latest analysis (TenantService.upload), its files and since when; typed questions answer from it. */
  open(conversation: string): OpenSet | null {
    const set = this.sets.get(conversation);
    const uploadId = set?.uploadIds.at(-1);
    if (!set || !uploadId || !set.files.length || this.isOver(set)) return null;
    return { uploadId, files: set.files.map((k) => k.name), startedAt: set.startedAt, endsAt: this.endOf(set) };
  }

  /** Deletes every set's files (on shutdown). */
  async close(): Promise<void> {
    for (const key of [...this.sets.keys()]) await this.forget(key);
    if (this.root) {
      const root = await this.root.catch(() => null);
      if (root) await deleteUploadRoot(root);
      this.root = null;
    }
  }

  private limits(): { bytes: number; rows: number } {
    return this.options.limits ?? { bytes: MAX_UPLOAD_BYTES, rows: MAX_UPLOAD_ROWS };
  }

  private now(): Date {
    return this.options.now ? this.options.now() : new Date();
  }

  private endOf(set: UploadSet): Date {
    return new Date(set.lastDropAt.getTime() + this.windowMs);
  }

  private isOver(set: UploadSet): boolean {
    return this.now().getTime() >= this.endOf(set).getTime();
  }

  private async openSet(conversation: string): Promise<{ set: UploadSet; expiredEarlier: boolean }> {
    const existing = this.sets.get(conversation);
    if (existing && !this.isOver(existing)) {
      // The window cannot end under a drop in progress: touch() sets the timer again when it is done.
      if (existing.timer) clearTimeout(existing.timer);
      existing.timer = null;
      return { set: existing, expiredEarlier: false };
    }
    const remembered = this.ended.delete(conversation);
    const expiredEarlier = Boolean(existing?.files.length) || remembered;
    if (existing) await this.forget(conversation);
    const root = await this.rootDir();
    const dir = join(root, String(this.sets.size + 1) + '-' + Math.random().toString(36).slice(2, 10));
    await mkdir(dir, { mode: 0o700 });
    const now = this.now();
    const set: UploadSet = { dir, files: [], startedAt: now, lastDropAt: now, uploadIds: [], timer: null, nextNumber: 1 };
    this.sets.set(conversation, set);
    return { set, expiredEarlier };
  }

  /** Downloads one file into the set's directory, counted against the caps, and tells its report from the header. */
  private async keep(set: UploadSet, held: readonly KeptReport[], file: ReportFile): Promise<KeptReport> {
    if (held.length >= MAX_SET_FILES) throw new UploadSetTooLargeError(setTooLarge(`This chat's set already holds ${MAX_SET_FILES} files`));
    const setBytes = held.reduce((sum, k) => sum + k.bytes, 0);
    const path = join(set.dir, `${set.nextNumber++}.report`);
    let bytes = 0;
    const handle = await open(path, 'wx+', 0o600);
    try {
      for await (const chunk of capBytes(file.chunks, this.limits().bytes)) {
        const data = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
        if (setBytes + bytes + data.length > MAX_SET_BYTES) throw new UploadSetTooLargeError(setTooLarge(`Together with the files before it, this file would make more than ${MAX_SET_BYTES / 1024 / 1024} MB`));
        if (this.heldBytes + data.length > (this.options.maxHeldBytes ?? MAX_HELD_BYTES)) throw new UploadsBusyError();
        // Counted before the write, so a failed write is taken back with the rest below.
        bytes += data.length;
        this.heldBytes += data.length;
        await handle.write(data);
      }
      // The header decides the report now, so a file that is none of the three is refused before the set is read again.
      const start = Buffer.alloc(Math.min(bytes, HEADER_BYTES));
      await handle.read(start, 0, start.length, 0);
      await handle.close();
      const { fields } = await peekHeader(asUtf8(oneChunk(start)), file.name);
      return { name: file.name, path, bytes, kind: reportKindOf(fields, file.name), months: [], droppedAt: this.now() };
    } catch (e) {
      await handle.close().catch(() => undefined);
      await rm(path, { force: true });
      this.heldBytes -= bytes;
      throw e;
    }
  }

  private touch(conversation: string, set: UploadSet): void {
    set.lastDropAt = this.now();
    if (set.timer) clearTimeout(set.timer);
    const armedAt = set.lastDropAt;
    set.timer = setTimeout(() => {
      // In the conversation's turn, so a drop that has begun finishes with its files; a drop since then has armed its own timer.
      void this.inTurn(conversation, async () => {
        if (this.sets.get(conversation) !== set || set.lastDropAt !== armedAt) return;
        // Remembered for the next drop's card only; a bounded few, the oldest forgotten first.
        this.ended.add(conversation);
        for (const old of this.ended) if (this.ended.size > 1000) this.ended.delete(old);
        await this.forget(conversation, set);
      });
    }, this.windowMs);
    set.timer.unref();
  }

  private outcome(set: UploadSet, analysis: AnalyzedTenant, replaced: DropOutcome['replaced'], refused: Refusal[], expiredEarlier: boolean): DropOutcome {
    return { analysis, used: [...set.files], replaced, refused, startedAt: set.startedAt, expiredEarlier, endsAt: this.endOf(set) };
  }

  private async forget(conversation: string, only?: UploadSet): Promise<void> {
    const set = this.sets.get(conversation);
    if (!set || (only && set !== only)) return;
    this.sets.delete(conversation);
    if (set.timer) clearTimeout(set.timer);
    this.heldBytes -= set.files.reduce((sum, k) => sum + k.bytes, 0);
    await rm(set.dir, { recursive: true, force: true });
  }

  /** A file of a set that is no longer needed (replaced, refused): off the disk and out of the count. */
  private async discard(k: KeptReport): Promise<void> {
    this.heldBytes -= k.bytes;
    await rm(k.path, { force: true });
  }

  private rootDir(): Promise<string> {
    this.root ??= (async () => {
      return createUploadRoot(this.options.parent ?? tmpdir());
    })().catch((e: unknown) => {
      // Tried again at the next drop: a folder created or a disk freed meanwhile lets uploads work again.
      this.root = null;
      throw e;
    });
    return this.root;
  }
}

function setTooLarge(what: string): string {
  return `${what}, more than PassLens combines in chat. Say "new upload" and drop fewer months, or run "npx passlens analyze --csv FILE --csv FILE ..." on your machine: it reads any size.`;
}

async function* oneChunk(bytes: Buffer): AsyncIterable<Buffer> {
  yield bytes;
}

function diskChunks(path: string, onStart: () => void, onEnd: () => void): AsyncIterable<Buffer> {
  return (async function* () {
    onStart();
    yield* createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>;
    onEnd();
  })();
}
