import axios, { AxiosError, type AxiosInstance, type AxiosRequestConfig, type AxiosResponse, type InternalAxiosRequestConfig } from 'axios';
import axiosRetry, { isNetworkError } from 'axios-retry';
import type https from 'node:https';
import type { TokenSource } from '../tenant/live/tokens';
import { redactQuery } from '../tenant/live/adminApi';
import { LiveApiError } from '../tenant/live/errors';
import { mayWait, RETRY_AFTER_CAP_MS, throttledFor, waitBeforeRetry } from '../tenant/live/throttle';

/**
 * HTTP to one audit log API (Graph's audit log queries, or the Office 365 Management
 * Activity API), with its app-only token sent only to that API's origin: the next-page
 * links and content URIs come from the service's answers, so a link to any other origin
 * is refused rather than followed with the token. Throttling is retried after the wait
 * the service asks for, within the admin APIs' cap over all retries of one call
 * (PASSLENS_RETRY_AFTER_CAP_SECONDS, throttle.ts); past it the period fails at once as
 * throttled. Graph answers 429 with Retry-After (Graph throttling guidance); the Office 365
 * Management Activity API answers 403 with code AF429 and documents no Retry-After
 * (troubleshooting-the-office-365-management-activity-api.md, "Requesting content blobs and
 * throttling"), so there the growing backoff is the wait the cap counts.
 */

export type AuditApi = 'graph' | 'officeManagement';

export class AuditReadError extends Error {
  constructor(
    message: string,
    /** Microsoft's HTTP status, when it answered. */
    readonly status: number | null,
    /** Microsoft's error code (`error.code`), when it sent one. */
    readonly code: string | null,
    /** What to do, in words an admin can act on. */
    readonly fix: string,
    /** true: the app may not read the audit log (a permission or consent is missing). */
    readonly refused = false,
  ) {
    super(message);
    this.name = 'AuditReadError';
  }
}

export interface AuditHttpOptions {
  api: AuditApi;
  /** Base URL of the API; its origin is the only one the token goes to. */
  baseUrl: string;
  tokens: TokenSource;
  timeoutMs: number;
  httpsAgent?: https.Agent;
  retries?: number;
  backoffMs?: number;
  /** The longest one call waits over its retries (PASSLENS_RETRY_AFTER_CAP_SECONDS), in ms. */
  retryAfterCapMs?: number;
  log?: (message: string, fields: Record<string, unknown>) => void;
}

/** Microsoft's error code in a body: `{error: {code}}` (Graph and the Management Activity API reference, "Errors"). */
export function errorCode(data: unknown): string | null {
  const error = (data as { error?: { code?: unknown } | string } | null)?.error;
  if (typeof error === 'string') return error;
  return typeof error?.code === 'string' ? error.code : null;
}

const isThrottled = (error: AxiosError): boolean => {
  const status = error.response?.status;
  return status === 429 || (status === 403 && errorCode(error.response?.data) === 'AF429');
};

export class AuditHttp {
  private readonly http: AxiosInstance;
  readonly origin: string;
  calls = 0;
  private readonly capMs: number;
  private readonly backoffMs: number;

  constructor(private readonly options: AuditHttpOptions) {
    this.origin = new URL(options.baseUrl).origin;
    const cap = (this.capMs = options.retryAfterCapMs ?? RETRY_AFTER_CAP_MS);
    const backoffMs = (this.backoffMs = options.backoffMs ?? 500);
    this.http = axios.create({
      timeout: options.timeoutMs,
      httpsAgent: options.httpsAgent,
      responseType: 'json',
      headers: { Accept: 'application/json' },
      transitional: { silentJSONParsing: false, forcedJSONParsing: true, clarifyTimeoutError: true },
      // Redirects would carry the token elsewhere; the APIs document none.
      maxRedirects: 0,
    });
    this.http.interceptors.request.use(async (config: InternalAxiosRequestConfig) => {
      this.calls++;
      config.headers.set('Authorization', `Bearer ${await options.tokens.token(options.api)}`);
      return config;
    });
    axiosRetry(this.http, {
      retries: options.retries ?? 5,
      shouldResetTimeout: true,
      retryCondition: (error) => {
        const status = error.response?.status;
        if (isThrottled(error)) return mayWait(error, cap, backoffMs);
        return isNetworkError(error) || error.code === 'ETIMEDOUT' || error.code === 'ECONNABORTED' || (status !== undefined && status >= 500);
      },
      retryDelay: (count, error) => waitBeforeRetry(count, error, backoffMs, cap),
      onRetry: (count, error, config) => options.log?.('audit log call retried', { api: options.api, url: redactQuery(config.url ?? ''), status: error.response?.status ?? error.code, count }),
    });
  }

  /** The URL resolved against the base, refused unless it is on the API's own origin. */
  resolve(url: string): string {
    const absolute = new URL(url, `${this.options.baseUrl}/`).toString();
    if (new URL(absolute).origin !== this.origin) {
      throw new AuditReadError(`The audit log answered with a link to ${new URL(absolute).origin}, not ${this.origin}; PassLens does not send its token there.`, null, null, 'Report this to whoever runs PassLens.');
    }
    return absolute;
  }

  async request<T>(method: 'GET' | 'POST', url: string, body?: unknown, signal?: AbortSignal): Promise<AxiosResponse<T>> {
    const target = this.resolve(url);
    try {
      return await this.http.request<T>({ method, url: target, data: body, signal, headers: body === undefined ? {} : { 'Content-Type': 'application/json' } } as AxiosRequestConfig);
    } catch (e) {
      throw this.explain(target, e);
    }
  }

  private explain(url: string, e: unknown): Error {
    if (e instanceof AuditReadError) return e;
    // The token could not be had: the sign-in's own words and fix.
    if (e instanceof LiveApiError) return new AuditReadError(e.message, e.status, e.code, e.action);
    if (!axios.isAxiosError(e)) return e as Error;
    if (axios.isCancel(e) || e.code === 'ERR_CANCELED') return new AuditReadError('The collection was stopped.', null, null, 'Run the collection again.');
    const status = e.response?.status ?? null;
    const code = errorCode(e.response?.data);
    const where = redactQuery(url);
    if (isThrottled(e)) {
      const words = mayWait(e, this.capMs, this.backoffMs) ? `is throttling PassLens (${status}${code ? ` ${code}` : ''}) after retries` : throttledFor(e, this.capMs, code);
      return new AuditReadError(`${where}: ${words}.`, status, code, 'Nothing to do: PassLens reads this period again at the next collection.');
    }
    if (status !== null) {
      const message = (e.response?.data as { error?: { message?: string } } | undefined)?.error?.message;
      return new AuditReadError(`${where} answered ${status}${code ? ` (${code})` : ''}${message ? `: ${String(message).slice(0, 200)}` : ''}.`, status, code, 'Ask again in a few minutes; if it persists, check the Microsoft 365 service health page.');
    }
    return new AuditReadError(`${where} could not be reached (${e.code ?? 'network error'}) after retries.`, null, e.code ?? null, "Check the network from PassLens to Microsoft's endpoints and ask again.");
  }
}
