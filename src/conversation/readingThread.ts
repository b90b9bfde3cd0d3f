import { Worker } from 'node:worker_threads';
import { extname, join } from 'node:path';
import type { AnalyzedTenant } from '../tenant/analyzedTenant';
import type { Question } from './question';
import type { ReadOptions } from './understanding';
import { namedThings, type NamedThing } from './tenantNames';

/**
 * The question reader on a thread of its own (readingWorker.ts), so that reading a
 * sentence never holds the event loop every other conversation's turn waits on. A read
 * costs 15-18 us with its tables in the cache, but 78-111 us on the bot's thread, where
 * the other turns push them out between two reads; each such 10 us of a turn's own work
 * was 2% more latency for every concurrent conversation (docs/performance.md). On its own
 * thread the reader keeps its caches and its garbage, and the bot's thread only passes a
 * sentence and a question. It also bounds what no sentence should be able to do: a read
 * that does not end in `timeoutMs` is answered with an error and its thread replaced,
 * where a runaway read on the bot's thread would have stopped every chat.
 */
export interface Reading {
  /** The question a sentence asks, read with the names of `named` (the tenant's, an upload's), or with none. */
  read(said: string, named: AnalyzedTenant | null, options?: Omit<ReadOptions, 'names'>): Promise<Question>;
  /** Whether a word of the sentence may be a name (QuestionReader.mayName). */
  mayName(said: string): Promise<boolean>;
}

/** What the bot's thread sends the reader's. */
export type ToReader =
  | { type: 'read'; id: number; said: string; names: number | null; options: Omit<ReadOptions, 'names'> }
  | { type: 'mayName'; id: number; said: string }
  /** A tenant's names, kept under `key` until a later message says to forget them. */
  | { type: 'names'; key: number; things: NamedThing[]; forget?: number };

/** What the reader's thread answers. */
export type FromReader = { type: 'ready'; trainingMs: number } | { type: 'answer'; id: number; question?: Question; mayName?: boolean; error?: string };

/** A read the thread did not answer: stalled past its bound, crashed its thread twice, or failed. */
export class ReadingFailedError extends Error {
  override readonly name = 'ReadingFailedError';
}

interface Pending {
  message: ToReader & { id: number };
  named: AnalyzedTenant | null;
  resolve: (answer: FromReader & { type: 'answer' }) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout | undefined;
  /** Sent again once already, being read when its thread ended. */
  again: boolean;
}

export interface ReadingThreadOptions {
  /** How long a read may take, training of a new thread included. */
  timeoutMs?: number;
  /** How many tenants' names the thread keeps (the tenant's, and each upload window's). */
  keptNames?: number;
  /** The thread's module: readingWorker beside this one by default; tests give one that stalls or crashes on cue. */
  entry?: string;
}

const TIMEOUT_MS = 10_000;
const KEPT_NAMES = 8;

export class ReadingThread implements Reading {
  private worker: Worker | null = null;
  private trained: Promise<number> | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  /** A number for each tenant whose names were sent: the thread keeps the names under it. */
  private readonly keys = new WeakMap<object, number>();
  private nextKey = 0;
  /** The keys the current thread holds, the least recently read first. */
  private held: number[] = [];
  private closed = false;

  constructor(private readonly options: ReadingThreadOptions = {}) {}

  /** The thread, started and trained: its training time in ms (it trains at start-up, as the reader did on the bot's thread). */
  get ready(): Promise<number> {
    if (this.closed) return Promise.reject(new ReadingFailedError('PassLens is stopping; the question reader is closed.'));
    const worker = this.start();
    // Awaited, the training keeps the process alive (start-up awaits it before anything else holds the event loop).
    worker.ref();
    return this.trained!.finally(() => {
      if (this.pending.size === 0) worker.unref();
    });
  }

  async read(said: string, named: AnalyzedTenant | null, options: Omit<ReadOptions, 'names'> = {}): Promise<Question> {
    const answer = await this.ask({ type: 'read', id: ++this.nextId, said, names: null, options }, named);
    return answer.question!;
  }

  async mayName(said: string): Promise<boolean> {
    return (await this.ask({ type: 'mayName', id: ++this.nextId, said }, null)).mayName === true;
  }

  /** Stops the thread; reads still waiting fail. */
  async close(): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    this.worker = null;
    for (const p of this.pending.values()) this.settle(p, new ReadingFailedError('PassLens is stopping; the question was not read.'));
    await worker?.terminate();
  }

  private ask(message: ToReader & { id: number }, named: AnalyzedTenant | null): Promise<FromReader & { type: 'answer' }> {
    if (this.closed) return Promise.reject(new ReadingFailedError('PassLens is stopping; the question was not read.'));
    return new Promise((resolve, reject) => {
      const pending: Pending = { message, named, resolve, reject, timer: undefined, again: false };
      this.pending.set(message.id, pending);
      this.send(pending);
    });
  }

  /** Sends a read to the thread, the names it is read with first where the thread has not got them. */
  private send(pending: Pending): void {
    this.arm(pending);
    const worker = this.start();
    worker.ref();
    const { message, named } = pending;
    if (message.type === 'read' && named) message.names = this.namesKey(worker, named);
    worker.postMessage(message);
  }

  private namesKey(worker: Worker, named: AnalyzedTenant): number {
    let key = this.keys.get(named);
    if (key === undefined) this.keys.set(named, (key = ++this.nextKey));
    const at = this.held.indexOf(key);
    if (at >= 0) {
      // Read again: the last to be forgotten.
      this.held.splice(at, 1);
      this.held.push(key);
      return key;
    }
    this.held.push(key);
    const forget = this.held.length > (this.options.keptNames ?? KEPT_NAMES) ? this.held.shift() : undefined;
    // Messages on one port arrive in order: the names before the read that needs them.
    worker.postMessage({ type: 'names', key, things: namedThings(named), forget } satisfies ToReader);
    return key;
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const entry = this.options.entry ?? join(__dirname, `readingWorker${extname(__filename)}`);
    // Under tsx (the tests, the bench) the thread's module is TypeScript: it loads through tsx's CommonJS hook, as this one did; built, it is plain JavaScript.
    const typescript = entry.endsWith('.ts');
    const worker = new Worker(typescript ? `require('tsx/cjs'); require(${JSON.stringify(entry)});` : entry, { eval: typescript });
    this.worker = worker;
    this.held = [];
    this.trained = new Promise<number>((resolve, reject) => {
      worker.on('message', (m: FromReader) => {
        if (m.type === 'ready') resolve(m.trainingMs);
        else this.answered(m);
      });
      worker.once('error', (e) => reject(new ReadingFailedError(`The question reader could not start: ${e.message}`)));
      worker.once('exit', (code) => {
        reject(new ReadingFailedError(`The question reader stopped (exit code ${code}) before it was trained.`));
        this.ended(worker);
      });
    });
    // Nobody may be waiting on start-up's training: its failure is told to the reads, not thrown here.
    this.trained.catch(() => undefined);
    worker.unref();
    return worker;
  }

  private answered(m: FromReader & { type: 'answer' }): void {
    const pending = this.pending.get(m.id);
    if (!pending) return;
    if (m.error !== undefined) this.settle(pending, new ReadingFailedError('Reading the question failed on an error of PassLens\'s own; it is logged.', { cause: m.error }));
    else this.settle(pending, null, m);
  }

  /** The bound of a read, from when it is sent to a thread. */
  private arm(pending: Pending): void {
    clearTimeout(pending.timer);
    pending.timer = setTimeout(() => this.stalled(pending), this.options.timeoutMs ?? TIMEOUT_MS);
  }

  /**
   * A read past its bound: it fails, and its thread, which may be looping on it, is replaced.
   * The reads queued behind it lost their time to it: their bound starts again.
   */
  private stalled(stalled: Pending): void {
    this.settle(stalled, new ReadingFailedError(`Reading the question took longer than ${(this.options.timeoutMs ?? TIMEOUT_MS) / 1000} s, so it was stopped.`));
    for (const pending of this.pending.values()) this.arm(pending);
    void this.worker?.terminate();
  }

  /**
   * A thread ended (it crashed, or was replaced): the reads it held go to a new one, so one
   * sentence that kills a thread loses nobody else's question. The thread reads in order,
   * so the oldest read it held is the one it was reading: that one goes once more, and fails
   * if it ends a second thread too; the others had not been started.
   */
  private ended(worker: Worker): void {
    if (this.worker !== worker) return;
    this.worker = null;
    const held = [...this.pending.values()].sort((a, b) => a.message.id - b.message.id);
    for (const [i, pending] of held.entries()) {
      if (this.closed) this.settle(pending, new ReadingFailedError('PassLens is stopping; the question was not read.'));
      else if (i === 0 && pending.again) this.settle(pending, new ReadingFailedError('The question reader stopped twice while reading this question.'));
      else {
        if (i === 0) pending.again = true;
        this.send(pending);
      }
    }
  }

  private settle(pending: Pending, error: Error | null, answer?: FromReader & { type: 'answer' }): void {
    clearTimeout(pending.timer);
    this.pending.delete(pending.message.id);
    if (error) pending.reject(error);
    else pending.resolve(answer!);
    // An idle thread does not keep the process alive.
    if (this.pending.size === 0) this.worker?.unref();
  }
}

let shared: ReadingThread | null = null;

/** One reading thread per process, started on first use. */
export function sharedReadingThread(): ReadingThread {
  return (shared ??= new ReadingThread());
}
