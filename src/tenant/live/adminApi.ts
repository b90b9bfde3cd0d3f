import axios, { AxiosError, type AxiosInstance, type AxiosRequestConfig, type InternalAxiosRequestConfig } from 'axios';
import axiosRetry, { isNetworkError } from 'axios-retry';
import pLimit from 'p-limit';
import type https from 'node:https';
import { createHash } from 'node:crypto';
import { accessError, LiveApiError, type ApiName } from './errors';
import type { TokenSource } from './tokens';
import { mayWait, RETRY_AFTER_CAP_MS, throttledFor, waitBeforeRetry } from './throttle';

/**
 * HTTP to Microsoft's admin APIs, with what every client of them needs: app-only
 * tokens, paging (nextLink, @odata.nextLink, continuationtoken), 429/503 honouring
 * Retry-After up to a cap (throttle.ts, axios-retry), bounded jittered retries on 5xx and
 * resets, a timeout per call, a cap on calls in flight, and a correlation id on every call
 * of one refresh. A token goes only to the origin of its API's configured base URL, over
 * https: a next link elsewhere is not followed, and paging that loops stops; both are
 * named in `warnings` with what was read kept.
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
  /** Each API's configured base URL (LiveSettings): its origin is the only one its token is sent to. */
  baseUrls: Partial<Record<Api, string>>;
  /** The longest wait one call honours over its retries (Retry-After), in ms. */
  retryAfterCapMs?: number;
}

type Api = Exclude<ApiName, 'token'>;

interface Meta {
  api: Api;
}

/** The base URL of each API from the live settings. */
export function baseUrlsOf(settings: { bapUrl: string; powerAppsUrl: string; powerPlatformUrl: string; graphUrl: string; officeManagementUrl: string | null }): Partial<Record<Api, string>> {
  return {
    bap: settings.bapUrl,
    powerapps: settings.powerAppsUrl,
    powerplatform: settings.powerPlatformUrl,
    graph: settings.graphUrl,
    ...(settings.officeManagementUrl ? { officeManagement: settings.officeManagementUrl } : {}),
  };
}

export class AdminApi {
  private readonly http: AxiosInstance;
  /** Calls sent (retries included), and the most ever in flight at once. */
  calls = 0;
  maxInFlight = 0;
  /** Paging stopped short (a link to another origin, a loop): what was read is kept, and this says what was not. */
  readonly warnings: string[] = [];
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
      // The last line of defence: whatever built the URL, a token never leaves its API's origin.
      const refusal = this.originRefusal(meta.api, config.url ?? '');
      if (refusal) throw new LiveApiError(`${refusal}: PassLens sent no request there.`, meta.api, null, 'Check PASSLENS_*_URL; report it if a Microsoft answer pointed there.', 'TokenOriginRefused');
      config.headers.set('Authorization', `Bearer ${await options.tokens.token(meta.api)}`);
      return config;
    });
    const capMs = options.retryAfterCapMs ?? RETRY_AFTER_CAP_MS;
    const backoffMs = options.backoffMs ?? 250;
    axiosRetry(this.http, {
      retries: options.retries ?? 5,
      shouldResetTimeout: true,
      retryCondition: (error) => {
        const status = error.response?.status;
        // Past the cap the call is throttled now: waiting an hour would stall every answer that needs the tenant.
        if ((status === 429 || status === 503) && !mayWait(error, capMs, backoffMs)) return false;
        return isNetworkError(error) || error.code === 'ETIMEDOUT' || error.code === 'ECONNABORTED' || status === 429 || (status !== undefined && status >= 500) || error.code === AxiosError.ERR_BAD_RESPONSE;
      },
      // At least Retry-After when the service sends one (seconds or an HTTP date), else 2^n x base, plus jitter.
      retryDelay: (retryCount, error) => waitBeforeRetry(retryCount, error, backoffMs, capMs),
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
    const seenLinks = new Set<string>();
    const seenPages = new Set<string>();
    let pages = 0;
    let items = 0;
    while (next) {
      seenLinks.add(next);
      const body: unknown = await this.get<unknown>(api, next);
      const page = body as { value?: T[]; nextLink?: string; '@odata.nextLink'?: string; continuationtoken?: string } | T[] | null;
      // 204 No Content (documented for the licensing routes) is an empty list.
      if (page === null || typeof page !== 'object') return;
      if (Array.isArray(page)) {
        yield page;
        return;
      }
      const value = page.value ?? [];
      pages++;
      items += value.length;
      const link = page.nextLink ?? page['@odata.nextLink'];
      const following: string | null = link ? link : page.continuationtoken ? withParam(url, 'continuationToken', page.continuationtoken) : null;
      // The same items again under another link is a loop as surely as the same link.
      const fingerprint = value.length ? createHash('sha1').update(JSON.stringify(value)).digest('base64') : null;
      const repeated = fingerprint !== null && seenPages.has(fingerprint);
      if (fingerprint) seenPages.add(fingerprint);
      if (!repeated) yield value;
      if (!following) return;
      const where = redactQuery(url);
      const stop = repeated
        ? 'a page repeated one already read'
        : seenLinks.has(following)
          ? 'its next link pointed back to a page already read'
          : pages > items + EMPTY_PAGES_ALLOWED
            ? `${pages} pages held ${items} item(s): more pages than the items can explain`
            : this.originRefusal(api, following);
      if (stop) {
        this.warnings.push(`Paging of ${where} stopped after ${pages} page(s): ${stop}. The ${items} item(s) read are used; the rest are not read.`);
        this.options.log?.('paging stopped', { correlationId: this.options.correlationId, url: where, pages, reason: stop });
        return;
      }
      next = following;
    }
  }

  /** Why a token for `api` may not go to `url`: another origin than the API's base URL, or not https; null when it may. */
  private originRefusal(api: Api, url: string): string | null {
    const base = this.options.baseUrls[api];
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      return 'the link is not a URL';
    }
    if (target.protocol !== 'https:') return `a link over ${target.protocol.replace(':', '')} (${target.origin}) was not followed: a token goes over https only`;
    if (!base || new URL(base).origin !== target.origin) return `a link to ${target.origin} was not followed: the token is for ${base ? new URL(base).origin : 'no configured host'} only`;
    return null;
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
    if ((status === 429 || status === 503) && !mayWait(e, this.options.retryAfterCapMs ?? RETRY_AFTER_CAP_MS, this.options.backoffMs ?? 250)) {
      return new LiveApiError(`${where}: ${throttledFor(e, this.options.retryAfterCapMs ?? RETRY_AFTER_CAP_MS)}.`, api, status, 'Say "refresh" after that wait; what the other calls read is shown meanwhile.', code ?? 'Throttled');
    }
    if (status === 404) return new LiveApiError(`${where} answered 404${code ? ` (${code})` : ''}.`, api, 404, 'Nothing to do: Microsoft has no such data for this tenant.', code ?? null);
    if (e.code === AxiosError.ERR_BAD_RESPONSE && (!status || status < 300)) return new LiveApiError(`${where} answered with malformed JSON.`, api, null, 'Ask again later; if it persists, report it with the time of the refresh.');
    if (status) return new LiveApiError(`${where} answered ${status}${code ? ` (${code})` : ''} after retries.`, api, status, 'Ask again in a few minutes; if it persists, check the Microsoft 365 service health page.', code ?? null);
    return new LiveApiError(`${where} could not be reached (${e.code ?? 'network error'}) after retries.`, api, null, 'Check the network from PassLens to Microsoft\'s endpoints and ask again.');
  }
}

/** Pages without items a list may have (a last empty page with a link) before paging counts as a loop. */
const EMPTY_PAGES_ALLOWED = 2;

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
