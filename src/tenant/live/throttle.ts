import type { AxiosError } from 'axios';
import { retryAfter } from 'axios-retry';

/**
 * How long a call to Microsoft's APIs may wait when told to slow down. Microsoft's
 * throttling answers 429 (and 503) with Retry-After, in seconds or as an HTTP date; a
 * client is to wait that long before the next call (Graph: "Microsoft Graph throttling
 * guidance"; Power Platform: "Requests limits and allocations" / service protection API
 * limits). A fault run saw `Retry-After: 3600` stall a refresh and every chat answer for
 * an hour: PassLens honours the wait only up to a cap (PASSLENS_RETRY_AFTER_CAP_SECONDS,
 * default 60 s) counted over all retries of one call, and past it the call counts as
 * throttled at once, so the part it would have read is named as not read. Readers of other
 * Microsoft APIs (the audit log) reuse this: `mayWait` to decide a retry, `throttledFor` to word it.
 */
export const RETRY_AFTER_CAP_MS = 60_000;

/** The wait a throttled answer asks for, in ms (0 when it names none): axios-retry's reading of the header. */
export function askedWaitMs(error: AxiosError): number {
  return retryAfter(error);
}

/** Whether a call that has already waited `waitedMs` may wait what this answer asks, within the cap. */
export function mayWait(error: AxiosError, waitedMs: number, capMs = RETRY_AFTER_CAP_MS): boolean {
  return waitedMs + askedWaitMs(error) <= capMs;
}

/** A throttled call's words: how long Microsoft asked for, and the cap PassLens keeps to. */
export function throttledFor(error: AxiosError, capMs = RETRY_AFTER_CAP_MS): string {
  const asked = Math.ceil(askedWaitMs(error) / 1000);
  return `Microsoft is throttling PassLens (${error.response?.status ?? 429}) and asked it to wait ${asked} s, longer than the ${Math.round(capMs / 1000)} s PassLens waits (PASSLENS_RETRY_AFTER_CAP_SECONDS)`;
}
