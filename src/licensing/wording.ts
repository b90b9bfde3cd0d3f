import type { Prices } from './report';

/** How figures are said in findings, cards, the CLI and the digest: one wording everywhere. */

/** "1 pass", "3 passes". */
/** A moment as the cards say it: "2026-11-03 14:00 UTC". */
export function utcMinute(d: Date): string {
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** A figure that may be unknown (null): never shown as 0. */
export function show(n: number | null): string {
  return n === null ? 'unknown' : String(n);
}

/**
 * A figure of a month read in part (EnvironmentReport.launchesComplete false): need is
 * "at least", idle "at most"; as `show` when the month was read in full. `said` words a
 * known figure ("3 passes", "3 (+1)").
 */
export function bound(n: number | null, kind: 'at least' | 'at most', e: { launchesComplete?: false }, said: (n: number) => string = String): string {
  if (n === null) return 'unknown';
  return e.launchesComplete === false ? `${kind} ${said(n)}` : said(n);
}

/** A change that may be unknown: "+3", "-2", "0". */
export function signed(n: number | null): string {
  return n === null ? 'unknown' : n > 0 ? `+${n}` : String(n);
}

/** "$5", "$2.50", "$4,920", "EUR 5": thousands grouped, as an admin reads a bill. */
export function money(amount: number, prices: Prices): string {
  const symbol = prices.currency === 'USD' ? '$' : `${prices.currency} `;
  return `${symbol}${amount.toLocaleString('en-US', Number.isInteger(amount) ? {} : { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}
