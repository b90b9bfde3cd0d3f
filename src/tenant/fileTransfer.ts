import axios, { type AxiosResponse } from 'axios';
import type https from 'node:https';
import type { Readable } from 'node:stream';
import { checkedLookup, checkFileUrl, FileHostRefusedError, type FileHostPolicy } from './fileHosts';

/**
 * A dropped file's download and a findings file's upload, only to Microsoft's file hosts
 * (fileHosts.ts): every hop of a redirect checked as the first link was, the address
 * checked before connecting, no proxy between (a proxy would be the address checked). Each
 * transfer has a total deadline and a minimum rate, so a host that drips a byte every few
 * seconds is given up and named instead of holding the chat's turn; on shutdown every
 * transfer in flight is aborted at once.
 */
export interface TransferLimits {
  /** The whole transfer, redirects and body included. */
  deadlineMs: number;
  /** Fewer bytes than this a second, over any window of `rateWindowMs`, and the transfer is stalled. */
  minBytesPerSecond: number;
  rateWindowMs: number;
  maxRedirects: number;
}

/** 160 MB (the chat cap) at the minimum rate takes about 21 minutes; at a plain office link's 2 MB/s, 80 s. */
export const TRANSFER_LIMITS: TransferLimits = { deadlineMs: 10 * 60_000, minBytesPerSecond: 32 * 1024, rateWindowMs: 30_000, maxRedirects: 5 };

/** The file host answered with an error status: its refusal, worded as the host's, not as a PassLens permission. */
export class FileHostAnswerError extends Error {
  constructor(readonly status: number) {
    super(
      status === 401 || status === 403
        ? `The file host (OneDrive or SharePoint) answered ${status}: it refused to give the file out. Its link may have expired, or the file was moved or its sharing changed.`
        : status === 404
          ? 'The file host (OneDrive or SharePoint) answered 404: the file is no longer there.'
          : `The file host (OneDrive or SharePoint) answered ${status}.`,
    );
    this.name = 'FileHostAnswerError';
  }
}

/** A transfer given up: past its total deadline, or slower than the minimum rate. */
export class TransferStalledError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TransferStalledError';
  }
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

export class FileTransfers {
  private readonly inFlight = new Map<AbortController, string | undefined>();

  constructor(
    private readonly policy: FileHostPolicy,
    private readonly options: { limits?: Partial<TransferLimits>; httpsAgent?: https.Agent } = {},
  ) {}

  private get limits(): TransferLimits {
    return { ...TRANSFER_LIMITS, ...this.options.limits };
  }

  /**
   * A file's bytes as they arrive. `key` groups transfers (a conversation) for abort();
   * `tooLarge` sees the declared length before a byte is read.
   */
  async *download(link: string, options: { key?: string; tooLarge?: (declaredBytes: number) => Error | null } = {}): AsyncGenerator<Buffer> {
    const watch = this.watch(options.key);
    try {
      const response = await this.send(link, 'get', undefined, {}, watch);
      const stream = response.data as Readable;
      watch.onAbort((reason) => stream.destroy(reason));
      const declared = Number(response.headers['content-length']);
      const refusal = Number.isFinite(declared) ? options.tooLarge?.(declared) : null;
      if (refusal) {
        stream.destroy();
        throw refusal;
      }
      try {
        for await (const chunk of stream as AsyncIterable<Buffer>) {
          watch.received(chunk.length);
          yield chunk;
        }
      } finally {
        stream.destroy();
      }
      watch.throwIfAborted();
    } catch (e) {
      throw watch.reason() ?? e;
    } finally {
      watch.done();
    }
  }

  /** One PUT of the whole body (an upload session takes a single range: driveitem_createuploadsession, "Upload bytes to the upload session"). */
  async upload(link: string, body: Buffer, headers: Record<string, string | number>, options: { key?: string } = {}): Promise<void> {
    const watch = this.watch(options.key);
    try {
      const response = await this.send(link, 'put', body, headers, watch);
      (response.data as Readable).destroy();
    } catch (e) {
      throw watch.reason() ?? e;
    } finally {
      watch.done();
    }
  }

  /** Aborts the transfers of one key (a conversation's "new upload"), or every one (shutdown). */
  abort(key?: string): number {
    let n = 0;
    for (const [controller, k] of this.inFlight) {
      if (key === undefined || k === key) {
        controller.abort(new TransferStalledError(key === undefined ? 'PassLens is shutting down: the download was stopped.' : 'The download was stopped: a new upload was asked for.'));
        n++;
      }
    }
    return n;
  }

  get active(): number {
    return this.inFlight.size;
  }

  private async send(link: string, method: 'get' | 'put', body: Buffer | undefined, headers: Record<string, string | number>, watch: Watch): Promise<AxiosResponse> {
    let current = link;
    for (let hop = 0; ; hop++) {
      const { url, local } = checkFileUrl(current, this.policy);
      const response = await axios
        .request({
        url: url.toString(),
        method,
        data: body,
        headers,
        responseType: 'stream',
        maxRedirects: 0,
        proxy: false,
        validateStatus: () => true,
        lookup: checkedLookup(this.policy, local),
        httpsAgent: this.options.httpsAgent,
        signal: watch.signal,
        maxBodyLength: Infinity,
        maxContentLength: Infinity,
      } as Parameters<typeof axios.request>[0])
        .catch((e: unknown) => {
          // The address refused in the lookup reaches here wrapped by axios.
          const cause = (e as { cause?: unknown }).cause;
          throw cause instanceof FileHostRefusedError ? cause : e;
        });
      const status = response.status;
      if (REDIRECTS.has(status) && typeof response.headers.location === 'string') {
        (response.data as Readable).destroy();
        if (hop >= this.limits.maxRedirects) throw new FileHostRefusedError(`The file host redirected more than ${this.limits.maxRedirects} times.`);
        // A PUT only follows a redirect that keeps the method and body (307, 308).
        if (method === 'put' && status !== 307 && status !== 308) throw new FileHostAnswerError(status);
        current = new URL(response.headers.location, url).toString();
        continue;
      }
      if (status >= 400 || status < 200 || REDIRECTS.has(status)) {
        // The body is never read: nothing the host sent reaches a card or a log.
        (response.data as Readable).destroy();
        throw new FileHostAnswerError(status);
      }
      return response;
    }
  }

  private watch(key: string | undefined): Watch {
    const controller = new AbortController();
    this.inFlight.set(controller, key);
    return new Watch(controller, this.limits, () => this.inFlight.delete(controller));
  }
}

/** One transfer's deadline and rate, and the reason it was aborted. */
class Watch {
  private windowBytes = 0;
  private readonly timers: NodeJS.Timeout[];

  constructor(
    private readonly controller: AbortController,
    limits: TransferLimits,
    private readonly release: () => void,
  ) {
    const deadline = setTimeout(() => this.stop(`The file took longer than ${Math.round(limits.deadlineMs / 1000)} s to transfer: PassLens gave up on it.`), limits.deadlineMs);
    const rate = setInterval(() => {
      const need = (limits.minBytesPerSecond * limits.rateWindowMs) / 1000;
      if (this.windowBytes < need) {
        this.stop(`The file host sent ${this.windowBytes} bytes in ${Math.round(limits.rateWindowMs / 1000)} s, slower than ${Math.round(limits.minBytesPerSecond / 1024)} KB/s: PassLens gave up on it.`);
      }
      this.windowBytes = 0;
    }, limits.rateWindowMs);
    deadline.unref();
    rate.unref();
    this.timers = [deadline, rate];
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  received(bytes: number): void {
    this.windowBytes += bytes;
  }

  onAbort(run: (reason: Error) => void): void {
    if (this.controller.signal.aborted) run(this.reason()!);
    else this.controller.signal.addEventListener('abort', () => run(this.reason()!), { once: true });
  }

  reason(): Error | null {
    return this.controller.signal.aborted ? (this.controller.signal.reason as Error) : null;
  }

  throwIfAborted(): void {
    const reason = this.reason();
    if (reason) throw reason;
  }

  done(): void {
    for (const t of this.timers) clearTimeout(t);
    this.release();
  }

  private stop(message: string): void {
    if (!this.controller.signal.aborted) this.controller.abort(new TransferStalledError(message));
  }
}
