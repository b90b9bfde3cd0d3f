import axios, { AxiosError, type AxiosInstance, type AxiosRequestConfig, type InternalAxiosRequestConfig } from 'axios';
import axiosRetry, { exponentialDelay, isNetworkError } from 'axios-retry';
import pLimit from 'p-limit';
import type https from 'node:https';
import { accessError, LiveApiError, type ApiName } from './errors';
import type { TokenSource } from './tokens';

/**
 * HTTP to Microsoft's admin APIs, with what every client of them needs: app-only
 * tokens, paging (nextLink, @odata.nextLink, continuationtoken), 429/503 honouring
 * Retry-After (axios-retry), bounded jittered retries on 5xx and resets, a timeout per
 * call, a cap on calls in flight, and a correlation id on every call of one refresh.
 */
export interface AdminApiOptions {
  tokens: TokenSource;
  concurrency: number;
  timeoutMs: number;
  correlationId: string;
  httpsAgent?: https.Agent;
  retries?: number;
  /** Base of the exponential backoff, in ms (doubled per retry, plus up to 20% jitter). */
  backoffMs?: number;
  log?: (message: string, fields: Record<string, unknown>) => void;
}

type Api = Exclude<ApiName, 'token'>;

interface Meta {
  api: Api;
}

export class AdminApi {
  private readonly http: AxiosInstance;
  /** Calls sent (retries included), and the most ever in flight at once. */
  calls = 0;
  maxInFlight = 0;
  private inFlight = 0;

  constructor(private readonly options: AdminApiOptions) {
    const limit = pLimit(options.concurrency);
    const base = axios.getAdapter(axios.defaults.adapter);
    this.http = axios.create({
      timeout: options.timeoutMs,
      httpsAgent: options.httpsAgent,
      // 'json' makes a body that does not parse an error (ERR_BAD_RESPONSE), not a silent string.
      responseType: 'json',
      headers: { Accept: 'application/json', 'x-ms-client-request-id': options.correlationId },
      transitional: { silentJSONParsing: false, forcedJSONParsing: true, clarifyTimeoutError: true },
      // Every attempt, retries included, takes one of the `concurrency` slots; the wait before a retry does not.
      adapter: (config) =>
        limit(async () => {
          this.calls++;
          this.inFlight++;
          this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
          try {
            return await base(config);
          } finally {
            this.inFlight--;
          }
        }),
    });
    this.http.interceptors.request.use(async (config: InternalAxiosRequestConfig) => {
      const meta = (config as unknown as { meta: Meta }).meta;
      config.headers.set('Authorization', `Bearer ${await options.tokens.token(meta.api)}`);
      return config;
    });
    axiosRetry(this.http, {
      retries: options.retries ?? 5,
      shouldResetTimeout: true,
      retryCondition: (error) => {
        const status = error.response?.status;
        return isNetworkError(error) || error.code === 'ETIMEDOUT' || error.code === 'ECONNABORTED' || status === 429 || (status !== undefined && status >= 500) || error.code === AxiosError.ERR_BAD_RESPONSE;
      },
      // At least Retry-After when the service sends one (seconds or an HTTP date), else 2^n x base, plus jitter.
      retryDelay: (retryCount, error) => exponentialDelay(retryCount, error, options.backoffMs ?? 250),
      onRetry: (retryCount, error, config) => {
        options.log?.('retrying', { correlationId: options.correlationId, url: redactQuery(config.url ?? ''), status: error.response?.status ?? error.code, retryCount });
      },
    });
  }

  async get<T>(api: Api, url: string): Promise<T> {
    try {
      const response = await this.http.get<T>(url, { meta: { api } } as AxiosRequestConfig);
      return response.data;
    } catch (e) {
      throw this.explain(api, url, e);
    }
  }

  /**
   * Every page of a list. The next page is `nextLink` (BAP, Power Apps), `@odata.nextLink`
   * (Graph) or the same URL with the `continuationToken` parameter, whose value the Power
   * Platform licensing API returns in the lower-case `continuationtoken` property
   * (REST reference, entitlement-insight/get-tenant-users).
   */
  async *pages<T>(api: Api, url: string): AsyncGenerator<T[]> {
    let next: string | null = url;
    let guard = 0;
    while (next) {
      const body: unknown = await this.get<unknown>(api, next);
      const page = body as { value?: T[]; nextLink?: string; '@odata.nextLink'?: string; continuationtoken?: string } | T[] | null;
      // 204 No Content (documented for the licensing routes) is an empty list.
      if (page === null || typeof page !== 'object') return;
      if (Array.isArray(page)) {
        yield page;
        return;
      }
      yield page.value ?? [];
      const link = page.nextLink ?? page['@odata.nextLink'];
      if (link) next = link;
      else if (page.continuationtoken) next = withParam(url, 'continuationToken', page.continuationtoken);
      else next = null;
      if (++guard > 100_000) throw new LiveApiError(`Paging of ${redactQuery(url)} did not end.`, api, null, 'Report this to whoever runs PassLens.');
    }
  }

  async all<T>(api: Api, url: string): Promise<T[]> {
    const out: T[] = [];
    for await (const page of this.pages<T>(api, url)) out.push(...page);
    return out;
  }

  private explain(api: Api, url: string, e: unknown): Error {
    if (e instanceof LiveApiError) return e;
    if (!axios.isAxiosError(e)) return e as Error;
    const status = e.response?.status;
    const body = e.response?.data as { error?: { code?: string; message?: string } | string } | undefined;
    const code = typeof body?.error === 'object' ? body.error.code : typeof body?.error === 'string' ? body.error : undefined;
    if (status === 401 || status === 403) return accessError(api, status, code ?? '');
    const where = redactQuery(url);
    if (status === 404) return new LiveApiError(`${where} answered 404${code ? ` (${code})` : ''}.`, api, 404, 'Nothing to do: Microsoft has no such data for this tenant.', code ?? null);
    if (e.code === AxiosError.ERR_BAD_RESPONSE && (!status || status < 300)) return new LiveApiError(`${where} answered with malformed JSON.`, api, null, 'Ask again later; if it persists, report it with the time of the refresh.');
    if (status) return new LiveApiError(`${where} answered ${status}${code ? ` (${code})` : ''} after retries.`, api, status, 'Ask again in a few minutes; if it persists, check the Microsoft 365 service health page.', code ?? null);
    return new LiveApiError(`${where} could not be reached (${e.code ?? 'network error'}) after retries.`, api, null, 'Check the network from PassLens to Microsoft\'s endpoints and ask again.');
  }
}

function withParam(url: string, name: string, value: string): string {
  const u = new URL(url);
  u.searchParams.set(name, value);
  return u.toString();
}

/** Paging tokens and ids in query strings are noise in logs and errors; the path says enough. */
export function redactQuery(url: string): string {
  const i = url.indexOf('?');
  return i < 0 ? url : url.slice(0, i);
}
