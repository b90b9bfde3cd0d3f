import { analyze, analyzeEnvironments, type AnalysisOptions } from './analyze';
import type { TenantInventory } from './snapshot';
import type { EnvironmentReport, LicensingReport } from './report';
import type { UsageIndex } from '../usage/usageIndex';

/**
 * Several months side by side: the report of each month (the analysis as it is, once per
 * month, since passes reset at month end, R4), kept as figures only. This is what trend
 * answers, charts and the state between digests hold: numbers per environment and month,
 * never rows or user names.
 */

/** One environment's figures in one month; null where the analysis could not know (an unknown allocation, no usage source). */
export interface MonthFigures {
  month: string;
  allocatedPasses: number | null;
  bookedAsAppPass: number | null;
  requiredPasses: number | null;
  overage: number | null;
  unusedPasses: number | null;
  activeUsers: number | null;
  /** Launches of standard apps booked as AppPass that no Managed Environment explains (R9 auto-assign, R11): what switching auto-assign off should bring down. */
  standardAppsBookedAsPass: number;
}

/** A month with no figure read: every figure unknown (null), never 0. */
export function unknownMonth(month: string): MonthFigures {
  return { month, allocatedPasses: null, bookedAsAppPass: null, requiredPasses: null, overage: null, unusedPasses: null, activeUsers: null, standardAppsBookedAsPass: 0 };
}

export interface EnvironmentMonths {
  id: string;
  name: string;
  months: MonthFigures[];
}

export interface MonthlyFigures {
  months: string[];
  environments: EnvironmentMonths[];
}

export function monthFiguresOf(e: Pick<EnvironmentReport, 'allocatedPasses' | 'bookedAsAppPass' | 'requiredPasses' | 'overage' | 'unusedPasses' | 'activeUsers' | 'findings'>, month: string): MonthFigures {
  // `?? null`: a figure another source leaves out stays unknown, never 0.
  return {
    month,
    allocatedPasses: e.allocatedPasses ?? null,
    bookedAsAppPass: e.bookedAsAppPass ?? null,
    requiredPasses: e.requiredPasses ?? null,
    overage: e.overage ?? null,
    unusedPasses: e.unusedPasses ?? null,
    activeUsers: e.activeUsers ?? null,
    standardAppsBookedAsPass: e.findings.filter((f) => f.code === 'STANDARD_APP_BOOKED_AS_PASS' && f.rule !== 'R8').reduce((n, f) => n + (f.count ?? 0), 0),
  };
}

/**
 * The report of the asked month (default: the latest) and every month's figures up to it.
 * Each month is analysed once, the asked one included, so two months cost two analyses.
 */
export function analyzeMonths(inventory: TenantInventory, ledger: UsageIndex, options: AnalysisOptions & { betweenMonths?: () => void } = {}): { report: LicensingReport; monthly: MonthlyFigures } {
  const all = ledger.months();
  const asked = options.month ?? all.at(-1) ?? null;
  const months = asked === null ? [] : all.filter((m) => m <= asked);
  const byEnv = new Map<string, EnvironmentMonths>();
  const keep = (environments: readonly EnvironmentReport[], month: string) => {
    for (const e of environments) {
      let env = byEnv.get(e.id);
      if (!env) byEnv.set(e.id, (env = { id: e.id, name: e.name, months: [] }));
      env.months.push(monthFiguresOf(e, month));
    }
  };
  // The earlier months first, and only as far as their figures need (no users, no advice):
  // at most one report is held at a time (docs/performance.md).
  for (const month of months) {
    if (month === asked) continue;
    keep(analyzeEnvironments(inventory, ledger, { ...options, month }).environments, month);
    // An earlier month's garbage goes before the next month adds its own (TenantService: a large upload).
    options.betweenMonths?.();
  }
  const report = analyze(inventory, ledger, { ...options, month: asked });
  if (asked !== null && months.includes(asked)) keep(report.environments, asked);
  for (const env of byEnv.values()) env.months.sort((a, b) => a.month.localeCompare(b.month));
  // Environments in the order of the asked month's report, which puts what costs money first.
  const order = new Map(report.environments.map((e, i) => [e.id, i]));
  const environments = [...byEnv.values()].sort((a, b) => (order.get(a.id) ?? Infinity) - (order.get(b.id) ?? Infinity));
  return { report, monthly: { months, environments } };
}

/** How one figure moved between two months: null when either month does not know it. */
export function change(from: number | null, to: number | null): number | null {
  return from === null || to === null ? null : to - from;
}

/** The months' names, January first: a month said as 1-12 in words. */
export const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'] as const;

/**
 * The month ("2026-10") a month said means: of the year said, else its latest at or
 * before `now` ("October" in December 2026 is October 2026; "January" is January 2026).
 */
export function monthMeant(month: number, year: number | undefined, now: Date): string {
  const y = year ?? (month <= now.getUTCMonth() + 1 ? now.getUTCFullYear() : now.getUTCFullYear() - 1);
  return `${y}-${String(month).padStart(2, '0')}`;
}

/** A month as people say it: "September 2026". */
export function monthName(month: string): string {
  const [year, m] = month.split('-').map(Number);
  return `${MONTH_NAMES[m - 1]} ${year}`;
}
