import type { EnvironmentReport, Prices } from './report';
import { passesFreedBySettingOff } from './findings';
import { LIST_PRICES } from './prices';

/**
 * What the per-app passes cost (the R14 prices, configurable): each environment's
 * allocation at the per-app price, per month and per year, and the part of it this month's
 * launches do not need by the rules. The need is the analysis's own (requiredPasses,
 * figures.ts), never counted again here; a pay-as-you-go environment needs none of its
 * passes (it ignores them, R10). Unknown is null, never 0, and a total is null when a row
 * it sums is: the rows always add up to the totals.
 */

export const MONTHS_A_YEAR = 12;

/** The figures of one environment or of the tenant (the sum of its environments'). */
export interface SpendFigures {
  allocated: number | null;
  /** allocated x the per-app price; null when the allocation is not known */
  perMonth: number | null;
  /** Of the allocation, the passes this month's launches need by the rules; null when not known. */
  needed: number | null;
  /** allocated - needed: never more than the allocation, so its cost never more than perMonth */
  notNeeded: number | null;
  notNeededPerMonth: number | null;
  /** The month's launches read in part (EnvironmentReport.launchesComplete false): needed is at least, notNeeded at most. */
  partRead: boolean;
}

export interface EnvironmentSpend extends SpendFigures {
  environmentId: string;
  environmentName: string;
  /** Why passes are not needed, from the analysis: pay-as-you-go, idle, standard apps booked by the setting, per-user licensed users booked. */
  reasons: NotNeededReason[];
}

export type NotNeededReason = { kind: 'payAsYouGo' } | { kind: 'idle'; passes: number } | { kind: 'perAppSetting' } | { kind: 'perUserLicensed' };

export interface TenantSpend extends SpendFigures {
  environments: EnvironmentSpend[];
  /** The price of one pass per user per month, and whether it is Microsoft's list price (not configured otherwise). */
  pricePerPass: number;
  listPrice: boolean;
}

/** Each environment's spend, and the tenant's: the sum of its rows, null when one of them is not known. */
export function passSpend(environments: readonly EnvironmentReport[], prices: Prices): TenantSpend {
  const rows = environments.map((e) => environmentSpend(e, prices));
  const total = (pick: (r: EnvironmentSpend) => number | null) => (rows.some((r) => pick(r) === null) ? null : rows.reduce((n, r) => n + (pick(r) ?? 0), 0));
  return {
    environments: rows,
    allocated: total((r) => r.allocated),
    perMonth: total((r) => r.perMonth),
    needed: total((r) => r.needed),
    notNeeded: total((r) => r.notNeeded),
    notNeededPerMonth: total((r) => r.notNeededPerMonth),
    partRead: rows.some((r) => r.partRead),
    pricePerPass: prices.perAppPass,
    listPrice: prices.perAppPass === LIST_PRICES.perAppPass && prices.currency === LIST_PRICES.currency,
  };
}

export function environmentSpend(e: EnvironmentReport, prices: Prices): EnvironmentSpend {
  const allocated = e.allocatedPasses;
  // Pay-as-you-go ignores passes (R10): whatever its launches, none of its passes is needed.
  const required = e.payAsYouGo === true ? 0 : e.requiredPasses;
  // None allocated: nothing paid for, so nothing of it unneeded, whatever the launches.
  const needed = allocated === 0 ? 0 : allocated === null || required === null ? null : Math.min(required, allocated);
  const notNeeded = allocated === null || needed === null ? null : allocated - needed;
  return {
    environmentId: e.id,
    environmentName: e.name,
    allocated,
    perMonth: allocated === null ? null : allocated * prices.perAppPass,
    needed,
    notNeeded,
    notNeededPerMonth: notNeeded === null ? null : notNeeded * prices.perAppPass,
    partRead: e.launchesComplete === false && e.payAsYouGo !== true,
    reasons: notNeeded ? reasonsOf(e) : [],
  };
}

function reasonsOf(e: EnvironmentReport): NotNeededReason[] {
  if (e.payAsYouGo === true) return [{ kind: 'payAsYouGo' }];
  const reasons: NotNeededReason[] = [];
  if (e.unusedPasses) reasons.push({ kind: 'idle', passes: e.unusedPasses });
  if (passesFreedBySettingOff(e.findings).passes > 0) reasons.push({ kind: 'perAppSetting' });
  if (e.findings.some((f) => f.code === 'PREMIUM_USER_BOOKED_AS_PASS')) reasons.push({ kind: 'perUserLicensed' });
  return reasons;
}
