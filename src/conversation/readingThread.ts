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
 * the thread does not end in `timeoutMs` is answered with an error and its thread replaced,
 * where a runaway read on the bot's thread would have stopped every chat; no read waits
 * more than `waitMs` in all, and a thread that cannot train in `trainingMs` is given up.
 */
/** A read's options as they cross to the thread: the names go once per tenant, by key. */
export type SentOptions = Omit<ReadOptions, 'names'>;

export interface Reading {
  /** The question a sentence asks, read with the names of `named` (the tenant's, an upload's), or with none. */
  read(said: string, named: AnalyzedTenant | null, options?: SentOptions): Promise<Question>;
  /** Whether a word of the sentence may be a name (QuestionReader.mayName). */
  mayName(said: string): Promise<boolean>;
}

/** What the bot's thread sends the reader's. */
export type ToReader =
  | { type: 'read'; id: number; said: string; names: number | null; options: SentOptions }
  | { type: 'mayName'; id: number; said: string }
  /** A tenant's names, kept under `key` until a later message says to forget them. */
  | { type: 'names'; key: number; things: NamedThing[]; forget?: number };

/** What the reader's thread answers. */
export type FromReader = { type: 'ready'; trainingMs: number } | { type: 'answer'; id: number; question?: Question; mayName?: boolean; error?: string };

/** A read the thread did not answer: stalled past its bound, waited too long, crashed its thread twice, the thread could not start, or the read failed. */
export class ReadingFailedError extends Error {
  override readonly name = 'ReadingFailedError';
}

interface Pending {
  message: ToReader & { id: number };
  named: AnalyzedTenant | null;
  resolve: (answer: FromReader & { type: 'answer' }) => void;
  reject: (e: Error) => void;
  /** The read's whole bound, from when it was asked: however many threads it waits for. */
  deadline: NodeJS.Timeout;
  /** Sent again once already, being read when its thread ended. */
  again: boolean;
}

export interface ReadingThreadOptions {
  /** How long the thread may take over one read, from when it starts on it. */
  timeoutMs?: number;
  /** How long a read may wait in all, from when it is asked: training, the reads before it, replaced threads. */
  waitMs?: number;
  /** How long a new thread may take to train. */
  trainingMs?: number;
  /** How many tenants' names the thread keeps (the tenant's, and each upload window's). */
  keptNames?: number;
  /** The thread's module: readingWorker beside this one by default; tests give ones that stall, crash or fail to start on cue. */
  entry?: string;
}

const TIMEOUT_MS = 10_000;
const WAIT_MS = 30_000;
const TRAINING_MS = 30_000;
const KEPT_NAMES = 8;
/** Threads that ended before they were trained, in a row, after which no new one starts for START_PAUSE_MS: a build that cannot load is not retried on every question. */
const START_FAILURES = 3;
const START_PAUSE_MS = 30_000;
const STOPPING = 'PassLens is stopping; the question was not read.';
const NOT_STARTED = 'The question reader could not start, so the question was not read.';

export class ReadingThread implements Reading {
  private worker: Worker | null = null;
  private trained: Promise<number> | null = null;
  /** The current thread has trained; until then no read is timed against it (its training has its own bound). */
  private trainedNow = false;
  /** The current thread is being replaced by this side (a stalled read), not ended by a fault of its own. */
  private replacing = false;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  /** A number for each tenant whose names were sent: the thread keeps the names under it. */
  private readonly keys = new WeakMap<object, number>();
  private nextKey = 0;
  /** The keys the current thread holds, the least recently read first. */
  private held: number[] = [];
  /** The reads sent to the current thread and not yet answered, in order: it reads them in turn, the first is the one it is on (whether or not anyone still waits for it). */
  private sent: number[] = [];
  /** The read the thread is on, and the timer that bounds it. */
  private watched: number | null = null;
  private watchdog: NodeJS.Timeout | undefined;
  private startFailures = 0;
  /** Why the last thread that ended before it trained did: what reads are told while no new one starts. */
  private startError: string | null = null;
  private pausedUntil = 0;
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

  async read(said: string, named: AnalyzedTenant | null, options: SentOptions = {}): Promise<Question> {
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
    this.watch();
    for (const p of [...this.pending.values()]) this.settle(p, new ReadingFailedError(STOPPING));
    await worker?.terminate();
  }

  private ask(message: ToReader & { id: number }, named: AnalyzedTenant | null): Promise<FromReader & { type: 'answer' }> {
    if (this.closed) return Promise.reject(new ReadingFailedError(STOPPING));
    if (this.worker === null && Date.now() < this.pausedUntil) return Promise.reject(new ReadingFailedError(NOT_STARTED, { cause: this.startError }));
    return new Promise((resolve, reject) => {
      const waitMs = this.options.waitMs ?? WAIT_MS;
      const pending: Pending = { message, named, resolve, reject, again: false, deadline: setTimeout(() => this.expired(pending), waitMs) };
      this.pending.set(message.id, pending);
      this.send(pending);
    });
  }

  /**
   * Sends a read to the thread, the names it is read with first where the thread has not got
   * them; a read that cannot be sent (its names or options cannot cross) fails alone.
   */
  private send(pending: Pending): void {
    try {
      const worker = this.start();
      const { message, named } = pending;
      if (message.type === 'read' && named) message.names = this.namesKey(worker, named);
      worker.postMessage(message);
      this.sent.push(message.id);
      worker.ref();
      this.watch();
    } catch (e) {
      this.settle(pending, new ReadingFailedError('The question could not be passed to the question reader.', { cause: e instanceof Error ? e.message : String(e) }));
    }
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
    // Listed before anything is noted as sent: a list that throws leaves the thread's names as they were.
    const things = namedThings(named);
    const forget = this.held.length >= (this.options.keptNames ?? KEPT_NAMES) ? this.held[0] : undefined;
    // Messages on one port arrive in order: the names before the read that needs them.
    worker.postMessage({ type: 'names', key, things, forget } satisfies ToReader);
    if (forget !== undefined) this.held.shift();
    this.held.push(key);
    return key;
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const entry = this.options.entry ?? join(__dirname, `readingWorker${extname(__filename)}`);
    // Under tsx (the tests, the bench) the thread's module is TypeScript: it loads through tsx's CommonJS hook, found from here, not from the working directory; built, it is plain JavaScript.
    const typescript = entry.endsWith('.ts');
    const worker = typescript ? new Worker(`require(${JSON.stringify(require.resolve('tsx/cjs'))}); require(${JSON.stringify(entry)});`, { eval: true }) : new Worker(entry);
    this.worker = worker;
    this.held = [];
    this.sent = [];
    this.trainedNow = false;
    this.replacing = false;
    const trainingMs = this.options.trainingMs ?? TRAINING_MS;
    /** Why this thread could not start, if it could not: its own, never another thread's. */
    let why: string | null = null;
    this.trained = new Promise<number>((resolve, reject) => {
      const training = setTimeout(() => {
        why = `it had not trained after ${trainingMs / 1000} s`;
        void worker.terminate();
      }, trainingMs);
      worker.on('message', (m: FromReader) => {
        if (m.type !== 'ready') return this.worker === worker ? this.answered(m) : undefined;
        clearTimeout(training);
        if (this.worker !== worker) return;
        this.trainedNow = true;
        this.startFailures = 0;
        resolve(m.trainingMs);
        this.watch();
      });
      worker.once('error', (e) => {
        why ??= e.message;
      });
      worker.once('exit', (code) => {
        clearTimeout(training);
        why ??= `it stopped (exit code ${code})`;
        reject(new ReadingFailedError(`The question reader could not start: ${why}.`));
        this.ended(worker, why);
      });
    });
    // Nobody may be waiting on start-up's training: its failure is told to the reads, not thrown here.
    this.trained.catch(() => undefined);
    worker.unref();
    return worker;
  }

  private answered(m: FromReader & { type: 'answer' }): void {
    while (this.sent.length && this.sent.shift() !== m.id);
    const pending = this.pending.get(m.id);
    // A read given up meanwhile (its whole wait was over): the thread has only now got past it.
    if (!pending) return this.watch();
    if (m.error !== undefined) this.settle(pending, new ReadingFailedError('Reading the question failed on an error of PassLens\'s own; it is logged.', { cause: m.error }));
    else this.settle(pending, null, m);
  }

  /** The bound of the read the thread is on, timed from when a trained thread got to it. */
  private watch(): void {
    const head = this.worker && this.trainedNow ? this.sent[0] : undefined;
    if ((head ?? null) === this.watched) return;
    clearTimeout(this.watchdog);
    this.watched = head ?? null;
    this.watchdog = head === undefined ? undefined : setTimeout(() => this.stalled(head), this.options.timeoutMs ?? TIMEOUT_MS);
  }

  /** A read the thread did not end in its bound: it fails (if anyone still waits for it), and its thread, which may be looping on it, is replaced. */
  private stalled(id: number): void {
    this.replacing = true;
    const stalled = this.pending.get(id);
    if (stalled) this.settle(stalled, new ReadingFailedError(`Reading the question took longer than ${(this.options.timeoutMs ?? TIMEOUT_MS) / 1000} s, so it was stopped.`));
    void this.worker?.terminate();
  }

  /** A read that waited its whole bound; if the thread is on it, it is replaced as for a stall. */
  private expired(pending: Pending): void {
    if (pending.message.id === this.watched) return this.stalled(pending.message.id);
    this.settle(pending, new ReadingFailedError(`The question waited more than ${(this.options.waitMs ?? WAIT_MS) / 1000} s to be read, so it was given up.`));
  }

  /**
   * A thread ended. Before it trained: it could not start, and the reads waiting fail with why
   * (after START_FAILURES such threads in a row, none starts for a while). Replaced for a stalled
   * read: the others go to a new thread as they are. Crashed: the read it was on goes once more
   * and fails if it ends a second thread too; the others had not been started.
   */
  private ended(worker: Worker, why: string): void {
    if (this.worker !== worker) return;
    this.worker = null;
    this.watch();
    const held = [...this.pending.values()];
    const reading = this.pending.get(this.sent[0]);
    if (!this.trainedNow) {
      this.startError = why;
      if (++this.startFailures >= START_FAILURES) this.pausedUntil = Date.now() + START_PAUSE_MS;
      for (const pending of held) this.settle(pending, new ReadingFailedError(NOT_STARTED, { cause: why }));
      return;
    }
    if (!this.replacing && reading) {
      if (reading.again) this.settle(reading, new ReadingFailedError('The question reader stopped twice while reading this question.'));
      else reading.again = true;
    }
    for (const pending of held) if (this.pending.has(pending.message.id)) this.send(pending);
  }

  private settle(pending: Pending, error: Error | null, answer?: FromReader & { type: 'answer' }): void {
    if (!this.pending.delete(pending.message.id)) return;
    clearTimeout(pending.deadline);
    if (error) pending.reject(error);
    else pending.resolve(answer!);
    this.watch();
    // An idle thread does not keep the process alive.
    if (this.pending.size === 0) this.worker?.unref();
  }
}

let shared: ReadingThread | null = null;

/** One reading thread per process, started on first use. */
export function sharedReadingThread(): ReadingThread {
  return (shared ??= new ReadingThread());
}
