import type { AxiosError } from 'axios';
import { exponentialDelay, namespace, retryAfter } from 'axios-retry';

/**
 * How long a call to Microsoft's APIs may wait when told to slow down. Microsoft's
 * throttling answers 429 (and 503) with Retry-After, in seconds or as an HTTP date; a
 * client is to wait that long before the next call (Graph: "Microsoft Graph throttling
 * guidance"; Power Platform: "Requests limits and allocations" / service protection API
 * limits). A fault run saw `Retry-After: 3600` stall a refresh and every chat answer for
 * an hour: PassLens honours the wait only up to a cap (PASSLENS_RETRY_AFTER_CAP_SECONDS,
 * default 60 s) counted over all retries of one call, and past it the call counts as
 * throttled at once, so the part it would have read is named as not read. Every axios-retry
 * client of Microsoft's APIs (admin APIs, audit log readers) uses `mayWait` to decide a
 * throttled retry, `waitBeforeRetry` as its delay (which keeps the count) and `throttledFor`
 * to word a refusal.
 */
export const RETRY_AFTER_CAP_MS = 60_000;

/** The config key on which one call keeps what it has waited: axios-retry retries with the same config. */
const WAITED = 'passlensWaitedMs';

type Counted = { [WAITED]?: number; [namespace]?: { retryCount?: number } };

/** The wait a throttled answer asks for, in ms (0 when it names none): axios-retry's reading of the header. */
export function askedWaitMs(error: AxiosError): number {
  return retryAfter(error);
}

/** What this call has waited before its retries so far. */
export function waitedMs(error: AxiosError): number {
  return (error.config as Counted | undefined)?.[WAITED] ?? 0;
}

/**
 * The wait before the next retry, without jitter: Retry-After when Microsoft names one, else
 * 2^n x `backoffMs` (axios-retry's exponentialDelay). The Office 365 Management Activity API's
 * throttling (403 AF429) documents no Retry-After, so there the growing backoff is the wait.
 */
function nextWaitMs(error: AxiosError, backoffMs: number): number {
  const n = ((error.config as Counted | undefined)?.[namespace]?.retryCount ?? 0) + 1;
  return Math.max(askedWaitMs(error), 2 ** n * backoffMs);
}

/** Whether this call may make its next wait and stay within the cap, counting what it has waited already. */
export function mayWait(error: AxiosError, capMs = RETRY_AFTER_CAP_MS, backoffMs = 0): boolean {
  return waitedMs(error) + nextWaitMs(error, backoffMs) <= capMs;
}

/** axios-retry's retryDelay: at least Retry-After, else 2^n x base, plus jitter, never past the cap; the wait is counted on the call. */
export function waitBeforeRetry(retryCount: number, error: AxiosError, backoffMs: number, capMs = RETRY_AFTER_CAP_MS): number {
  const delay = Math.max(0, Math.min(exponentialDelay(retryCount, error, backoffMs), capMs - waitedMs(error)));
  if (error.config) (error.config as Counted)[WAITED] = waitedMs(error) + delay;
  return delay;
}

/** A throttled call's words: how long Microsoft asked for (or what PassLens waited already), and the cap PassLens keeps to. */
export function throttledFor(error: AxiosError, capMs = RETRY_AFTER_CAP_MS, code?: string | null): string {
  const asked = Math.ceil(askedWaitMs(error) / 1000);
  const cap = Math.round(capMs / 1000);
  const waited = Math.round(waitedMs(error) / 1000);
  const answered = `${error.response?.status ?? 429}${code ? ` ${code}` : ''}`;
  return asked > 0
    ? `Microsoft is throttling PassLens (${answered}) and asked it to wait ${asked} s${waited ? ` more after ${waited} s, in all` : ','} longer than the ${cap} s PassLens waits (PASSLENS_RETRY_AFTER_CAP_SECONDS)`
    : `Microsoft is still throttling PassLens (${answered}) after it waited ${waited} s of the ${cap} s it waits (PASSLENS_RETRY_AFTER_CAP_SECONDS)`;
}
