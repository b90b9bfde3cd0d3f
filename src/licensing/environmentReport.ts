import { BOOKED_LICENSE_TYPES, type Environment } from './snapshot';
import type { AppUsage, EnvironmentReport, ExpectedBookings, Finding, FindingCode, PassMove, Prices } from './report';
import { FINDING_CODES } from './report';
import type { RuleId } from './rules';
import { compareText } from './names';
import { EVIDENCE_SAMPLES, PairFlags, type UsageIndex } from '../usage/usageIndex';
import type { EnvironmentFigures } from './figures';
import { LICENSE_TYPES, type AppTally, type EnvironmentTally, type UserFacts } from './usageTally';
import * as F from './findings';

/** One environment's report: its figures, the findings its tallies show, its apps. */

export interface ReportContext {
  usage: UsageIndex;
  users: UserFacts;
  month: string | null;
  moves: readonly PassMove[];
  prices: Prices;
  bookedAs: Int32Array;
  /** the launches come from the audit log: Microsoft's bookings are not known (TenantInventory.bookingsUnknown) */
  bookingsUnknown: boolean;
  /** With bookingsUnknown: Microsoft's bookings per environment id where a live source states them (TenantInventory.bookedByEnvironment). */
  statedBookings: Readonly<Record<string, number>> | null;
  /** The month's launches were read in part (TenantInventory.launchesIncomplete): figures are bounds, EnvironmentReport.launchesComplete. */
  partial?: boolean;
}

export function environmentReport(t: EnvironmentTally, figures: EnvironmentFigures, c: ReportContext): EnvironmentReport {
  const env = { ...t.env, payAsYouGo: t.payAsYouGo };
  const apps = [...t.apps.values()];
  return {
    id: env.id,
    name: env.name,
    month: c.month,
    environmentType: env.environmentType ?? null,
    managed: env.managed,
    payAsYouGo: t.payAsYouGo,
    allocatedPasses: env.allocatedPasses,
    // From the audit log: Microsoft's figure only where a source states it, else unknown; never the expected bookings.
    bookedAsAppPass: c.bookingsUnknown ? (c.statedBookings?.[env.id] ?? null) : t.booked,
    requiredPasses: figures.required,
    overage: figures.overage,
    unusedPasses: figures.unused,
    ...(figures.expected ? { expected: expectedBookings(t, figures, apps) } : {}),
    // Pay-as-you-go needs no pass whatever the days missing (R10): its figures stay as they are.
    ...(c.partial && t.payAsYouGo !== true ? { launchesComplete: false as const } : {}),
    launchesAtZeroAllocation: figures.atZero,
    activeUsers: t.activeUsers,
    launches: t.launches,
    findings: environmentFindings(env, t, figures, c),
    unknowns: figures.unknowns,
    apps: apps.map((a) => appUsage(a, c.bookedAs, c.bookingsUnknown)).sort(compareApps),
  };
}

/** What Microsoft is expected to book, labelled so, with the standard apps with Per-app licensing on that it rests on (R9). */
function expectedBookings(t: EnvironmentTally, figures: EnvironmentFigures, apps: readonly AppTally[]): ExpectedBookings {
  const perApp = apps
    .filter((a) => a.expectedByPerApp > 0)
    .map((a) => ({ appId: a.app?.id ?? a.usageApp.id, appName: a.app?.name ?? a.usageApp.name, launches: a.expectedByPerApp }))
    .sort((x, y) => y.launches - x.launches || compareText(x.appName, y.appName));
  const byNeed = t.payAsYouGo === true ? 0 : figures.required;
  return { label: 'expected', passes: figures.expected!.passes, byNeed, byPerAppLicensing: t.payAsYouGo === true ? 0 : t.expectedByPerApp, overage: figures.expected!.overage, apps: t.payAsYouGo === true ? [] : perApp };
}

/** Which findings an environment's tallies show, each made by its builder in ./findings/. */
function environmentFindings(env: Environment, t: EnvironmentTally, { overage, unused, atZero }: EnvironmentFigures, c: ReportContext): Finding[] {
  const upns = (ranks: readonly number[]): string[] => ranks.map((r) => c.usage.userOfRank(r));
  const findings: Finding[] = [];
  let misbooked = 0;
  for (const a of t.apps.values()) {
    const appId = a.app?.id ?? a.usageApp.id;
    const appName = a.app?.name ?? a.usageApp.name;
    if (a.bookedAsAppPass > 0 && a.premium === false && (a.basis === 'inventory' || a.basis === 'report')) {
      misbooked += a.bookedAsAppPass;
      const { bookedAsAppPass: count, basis: premiumBasis, reasons } = a;
      const lines = t.appPassLines.get(a.usageApp.index) ?? [];
      findings.push(F.standardAppBookedAsPass(env, { appId, appName, count, canConsumeAppPass: a.app?.canConsumeAppPass ?? null, premiumBasis, reasons, users: upns(a.appPassUsers), lines }));
    }
    if (a.expectedByPerApp > 0 && t.payAsYouGo !== true) {
      findings.push(F.standardAppExpectedAsPass(env, { appId, appName, count: a.expectedByPerApp, users: upns(a.expectedUsers) }));
    }
    if (a.uncovered > 0) {
      const rule: RuleId = a.premium === true ? a.rule : 'R8';
      findings.push(F.uncoveredPremiumUse(env, { appId, appName, reasons: a.reasons, rule }, a.uncovered, upns(a.uncoveredUsers), PairFlags.bookedTypes(a.uncoveredBookedAs)));
    }
    if (a.mismatched > 0 && a.premium !== null) {
      findings.push(F.premiumFlagMismatch(env, { appId, appName, premium: a.premium, reasons: a.reasons, rule: a.rule }, a.mismatched, 'report'));
    } else if (a.premium === true && a.app?.usesOnlyGrandfatheredPremiumApis && a.app.planClassification === 'Standard' && a.users > 0) {
      // The inventory's own label still says Standard: it updates only when the app is published (R21).
      findings.push(F.premiumFlagMismatch(env, { appId, appName, premium: true, reasons: a.reasons, rule: 'R7' }, a.users, 'label'));
    }
    if (a.app?.type === 'code' && a.users > 0) {
      findings.push(F.codeAppUse(env, { appId, appName }, a.users, a.bookedAsAppPass, PairFlags.bookedTypes(a.uncoveredBookedAs)));
    }
  }
  for (const [user, count] of t.premiumUserBookings) {
    const licenses = c.users.known[user]?.licenses ?? [];
    findings.push(F.premiumUserBookedAsPass(env, c.usage.user(user), count, c.users.licensesKnown ? 'licenses' : 'report', licenses));
  }
  const payg = t.payAsYouGo === true;
  const allocated = env.allocatedPasses;
  if (atZero !== null && atZero > 0) {
    const uncovered = [...t.apps.values()].reduce((n, a) => n + a.uncovered, 0);
    findings.push(c.bookingsUnknown ? F.launchesAtZeroAllocation(env, atZero, null, null) : F.launchesAtZeroAllocation(env, atZero, t.booked, uncovered));
  }
  if (t.guests.size > 0) findings.push(F.guestUsers(env, t.guests.size, [...t.guests].map((u) => c.usage.user(u)).sort(compareText).slice(0, EVIDENCE_SAMPLES)));
  if (env.environmentType === 'Teams' && t.launches > 0) {
    const premiumApps = [...t.apps.values()].filter((a) => a.premium === true).map((a) => a.app?.name ?? a.usageApp.name);
    findings.push(F.teamsEnvironment(env, t.launches, premiumApps));
  }
  if (env.environmentType === 'Developer' && (t.launches > 0 || (allocated ?? 0) > 0)) findings.push(F.developerEnvironment(env, t.launches, t.activeUsers));
  if (!payg && overage !== null && overage > 0 && allocated !== null) {
    const movesIn = c.moves.filter((m) => m.toEnvironmentId === env.id).map((m) => ({ from: m.fromEnvironmentName, passes: m.passes }));
    findings.push(c.bookingsUnknown ? F.overage(env, t.required, allocated, 0, movesIn, c.prices, 'need') : F.overage(env, t.booked, allocated, misbooked, movesIn, c.prices));
  }
  const movesOut = c.moves.filter((m) => m.fromEnvironmentId === env.id).map((m) => ({ to: m.toEnvironmentName, passes: m.passes }));
  // Part of the month read: idle is only an upper bound, not a reason to lower the allocation (the figures say "at most").
  if (!payg && unused !== null && unused > 0 && allocated !== null && !c.partial) {
    findings.push(c.bookingsUnknown ? F.unusedPasses(env, unused, allocated, allocated - unused, movesOut, 'expected') : F.unusedPasses(env, unused, allocated, t.booked, movesOut));
  }
  if (payg && allocated !== null && allocated > 0) findings.push(F.paygIgnoresPasses(env, allocated, movesOut));
  return findings;
}

function appUsage(a: AppTally, bookedAs: Int32Array, bookingsUnknown: boolean): AppUsage {
  const record: AppUsage['bookedAs'] = {};
  const at = a.usageApp.index * LICENSE_TYPES;
  for (let k = 0; k < LICENSE_TYPES; k++) if (bookedAs[at + k]) record[BOOKED_LICENSE_TYPES[k]] = bookedAs[at + k];
  return {
    appId: a.app?.id ?? a.usageApp.id,
    appName: a.app?.name ?? a.usageApp.name,
    type: a.app?.type ?? null,
    premium: a.premium,
    premiumBasis: a.basis,
    premiumReasons: a.reasons,
    canConsumeAppPass: a.app?.canConsumeAppPass ?? null,
    users: a.users,
    bookedAsAppPass: bookingsUnknown ? null : a.bookedAsAppPass,
    requiredPasses: a.requiredUnknown ? null : a.required,
    bookedAs: record,
  };
}

function compareApps(x: AppUsage, y: AppUsage): number {
  return compareText(x.appName, y.appName) || compareText(x.appId, y.appId);
}

const CODE_RANK = Object.fromEntries(FINDING_CODES.map((code, i) => [code, i])) as Record<FindingCode, number>;

/** Display order: by code (FINDING_CODES), the largest first, then by subject. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    CODE_RANK[a.code] - CODE_RANK[b.code] ||
    (b.count ?? 0) - (a.count ?? 0) ||
    compareText(a.appName ?? a.userPrincipalName ?? '', b.appName ?? b.userPrincipalName ?? '') ||
    compareText(a.appId ?? '', b.appId ?? '')
  );
}
