import type { EnvironmentReport, TenantTotals } from './report';
import type { EnvironmentTally } from './usageTally';
import { bound, plural, show } from './wording';
import { compareText } from './names';

/**
 * An environment's figures (R2, R5, R10): overage, unused and idle passes, required
 * passes, and what could not be known with how to find out. Unknown is null, never 0.
 */
export interface EnvironmentFigures {
  overage: number | null;
  unused: number | null;
  /** passes doing nothing, for the pass moves: unused, or every pass of a pay-as-you-go environment (R10) */
  idle: number;
  required: number | null;
  /** with 0 passes allocated, the launches Microsoft blocks (R5); null when the allocation is not 0 */
  atZero: number | null;
  /** bookings unknown (the audit log): what Microsoft is expected to book, and the overage that would make; null otherwise */
  expected: { passes: number | null; overage: number | null } | null;
  unknowns: string[];
}

/**
 * `bookingsUnknown`: the launches come from the audit log, which does not say what
 * Microsoft charged. Overage is then by need (definite: required - allocated), and unused
 * and idle passes are what the expected bookings leave (R9, F), so no pass Microsoft is
 * expected to take is moved away.
 */
export function environmentFigures(t: EnvironmentTally, usageUnknown: string | null = null, bookingsUnknown = false, partial = false): EnvironmentFigures {
  const allocated = t.env.allocatedPasses;
  const payg = t.payAsYouGo === true;
  const unknowns: string[] = [];
  const name = t.env.name;
  // What failed is named; what other calls read (allocation, managed, pay-as-you-go, apps) still counts.
  if (t.env.dataError) unknowns.push(`Not everything of ${name} could be read: ${t.env.dataError}`);
  if (allocated === null) {
    unknowns.push(`Passes allocated to ${name} are unknown: give them with --allocated "${name}=N", or read them live (admin center > Licensing > Power Apps > Manage capacity).`);
  }
  if (usageUnknown !== null) {
    unknowns.push(`Passes booked and needed in ${name} are unknown: no usage source answered (see the usage note).`);
    if (t.payAsYouGo === null) unknowns.push(`Whether ${name} is linked to a pay-as-you-go billing policy is unknown.`);
    // Only a pay-as-you-go environment's passes are idle whatever the launches (R10).
    return { overage: null, unused: null, idle: payg ? (allocated ?? 0) : 0, required: null, atZero: null, expected: null, unknowns };
  }
  if (t.payAsYouGoInferred) unknowns.push(`${name} is taken as pay-as-you-go because the report books launches there as PayAsYouGo.`);
  else if (t.payAsYouGo === null) unknowns.push(`Whether ${name} is linked to a pay-as-you-go billing policy is unknown; it is treated as not pay-as-you-go.`);
  let required: number | null = payg ? 0 : t.required;
  if (!payg && t.requiredIfManaged > 0) {
    unknowns.push(
      `Whether ${name} is a Managed Environment is unknown: required passes are ${t.required} if it is not, ${t.required + t.requiredIfManaged} if it is (R8). Check admin center > Environments > ${name}.`,
    );
    required = null;
  }
  if (!payg && t.requiredUnknownApps > 0) {
    unknowns.push(`${t.requiredUnknownApps} app(s) in ${name} have no premium classification (no app inventory and no IsPremium column): load the inventory (--live or --snapshot) to count their passes.`);
    required = null;
  }
  if (t.env.environmentType === 'Trial' || t.env.environmentType === 'SubscriptionBasedTrial') {
    unknowns.push(`${name} is a trial environment: no current Microsoft rule on per-app passes in trial environments was found (R16, U).`);
  }
  // R5: with 0 passes allocated Microsoft blocks launches that need one, so none of them is overage.
  const atZero = allocated === 0 && !payg ? t.passPairs : null;
  if (bookingsUnknown) {
    const passes = payg ? 0 : required === null ? null : required + t.expectedByPerApp;
    // Part of the month read: a need within the allocation may still exceed it with the days missing, so that overage is unknown, not 0.
    const beyond = (n: number | null) => (allocated === null || n === null ? null : payg || atZero !== null ? 0 : partial && n <= allocated ? null : Math.max(0, n - allocated));
    const unused = allocated === null || passes === null ? null : payg ? 0 : Math.max(0, allocated - passes);
    // Idle at most, when part of the month is missing: no pass is moved away on it.
    const idle = allocated === null ? 0 : payg ? allocated : partial ? 0 : (unused ?? 0);
    if (partial && !payg) unknowns.push(partReadLine(name, required, unused));
    return { overage: beyond(required), unused, idle, required, atZero, expected: { passes, overage: beyond(passes) }, unknowns };
  }
  const booked = t.booked;
  const overage = allocated === null ? null : payg || atZero !== null ? 0 : Math.max(0, booked - allocated);
  const unused = allocated === null ? null : payg ? 0 : Math.max(0, allocated - booked);
  const idle = allocated === null ? 0 : payg ? allocated : Math.max(0, allocated - booked);
  return { overage, unused, idle, required, atZero, expected: null, unknowns };
}

/**
 * A month read in part, in one line: need "at least", idle "at most" where known; an unknown
 * said as not known yet with where its fix is (the line before it names the cause), never
 * "at least unknown".
 */
function partReadLine(name: string, required: number | null, unused: number | null): string {
  const start = `Part of the month's launches of ${name} could not be read`;
  if (required !== null && unused !== null) return `${start}: at least ${show(required)} passes are needed and at most ${show(unused)} sit idle (see the audit log's note).`;
  if (required !== null) return `${start}: at least ${plural(required, 'pass is', 'passes are')} needed; idle passes are not known yet, as the allocation is unknown (the fix is above).`;
  return `${start}, and passes needed and idle are not known yet: settle the line above first; the need then counts the days read, so it reads "at least" until the month is read in full (the days and their fix: the audit log's note).`;
}

/** The tenant's totals: an unknown in any environment makes the total unknown where it would be wrong. */
export function tenantTotals(environments: readonly EnvironmentReport[]): TenantTotals {
  // From the audit log no booking is known, yet overage (by need) and unused (by expected bookings) are.
  const expected = environments.some((e) => e.expected);
  const counted = (e: EnvironmentReport) => e.bookedAsAppPass !== null || e.expected !== undefined;
  const totals: TenantTotals = {
    allocatedPasses: environments.some((e) => e.allocatedPasses === null) ? null : sum(environments.map((e) => (e.payAsYouGo ? 0 : (e.allocatedPasses ?? 0)))),
    bookedAsAppPass: environments.some((e) => e.bookedAsAppPass === null) ? null : sum(environments.map((e) => e.bookedAsAppPass ?? 0)),
    requiredPasses: environments.some((e) => e.requiredPasses === null) ? null : sum(environments.map((e) => e.requiredPasses ?? 0)),
    // No usage source answered: overage and idle cannot be summed from unknowns.
    // Part of the month read: an overage not known yet is not 0.
    overage: environments.some((e) => !counted(e) || (e.launchesComplete === false && e.overage === null && e.payAsYouGo !== true)) ? null : sum(environments.map((e) => e.overage ?? 0)),
    unusedPasses: environments.some((e) => !counted(e)) ? null : sum(environments.map((e) => e.unusedPasses ?? 0)),
  };
  if (!expected) return totals;
  const of = (pick: (x: NonNullable<EnvironmentReport['expected']>) => number | null) =>
    environments.some((e) => !e.expected || pick(e.expected) === null) ? null : sum(environments.map((e) => pick(e.expected!) ?? 0));
  return { ...totals, expectedBookings: of((x) => x.passes), expectedOverage: of((x) => x.overage) };
}

function sum(values: number[]): number {
  return values.reduce((s, n) => s + n, 0);
}

/** No launch and no booking read for the environment: whether it is over, idle or as it should be cannot be told. */
export function launchesUnknown(e: Pick<EnvironmentReport, 'requiredPasses' | 'bookedAsAppPass' | 'expected'>): boolean {
  // From the audit log (expected set) the launches are read even where the need is not known.
  return e.requiredPasses === null && e.bookedAsAppPass === null && !e.expected;
}

/**
 * Why the passes an environment needs are not known, with where to find out, in a few words
 * (environmentFigures' causes: an app with no premium classification, or whether the
 * environment is managed, R8); the full line is among its unknowns.
 */
export function neededUnknownWhy(e: Pick<EnvironmentReport, 'name' | 'managed' | 'apps'>): string {
  const why: string[] = [];
  if (e.apps.some((a) => a.premium === null && a.users !== 0)) why.push('apps with no premium classification: load the app inventory');
  if (e.managed === null) why.push(`whether ${e.name} is a Managed Environment: admin center > Environments`);
  return why.join('; ') || 'see its unknowns';
}

/**
 * Whether per-app passes count in an environment: pay-as-you-go ignores them (R10), and a
 * developer environment cannot be given add-on capacity ("You can't increase capacity by
 * applying add-ons", learn.microsoft.com power-platform/developer/plan.md, R16): its
 * launches are covered by the Developer Plan, or by premium licenses when it is managed.
 */
export function takesPasses(e: Pick<EnvironmentReport, 'payAsYouGo' | 'environmentType'>): boolean {
  return e.payAsYouGo !== true && e.environmentType !== 'Developer';
}

/** What an environment that cannot take passes needs instead, in one line (R10, R16). */
export function insteadOfPasses(e: Pick<EnvironmentReport, 'name' | 'payAsYouGo' | 'environmentType' | 'managed'>): string {
  if (e.payAsYouGo === true) return `${e.name} is pay-as-you-go: it ignores passes and bills each user per app (R10).`;
  return `${e.name} is a developer environment: passes cannot be allocated there; its makers need the free Developer Plan${e.managed ? ', and as a Managed Environment its users need Power Apps Premium' : ''}, and real work belongs in a production environment (R16).`;
}

export type EnvironmentState = 'payg' | 'launches-unknown' | 'blocked-at-zero' | 'allocation-unknown' | 'part-read' | 'over' | 'expected-over' | 'unlicensed' | 'idle' | 'at-allocation';

export interface EnvironmentStatus {
  state: EnvironmentState;
  /** a few words for a list: "over by 3", "2 idle" */
  label: string;
  /** Adaptive Card color: Attention costs money or breaks compliance, Warning needs a fact or a look */
  color: 'Attention' | 'Warning' | 'Good';
}

/**
 * An environment's status in a few words, the one label the overview card, the
 * environment card's answer, the CLI and the digest show. The first that applies wins:
 * pay-as-you-go (passes ignored, R10), launches unknown, launches at 0 allocated (blocked,
 * R5), allocation unknown, over (R5; from the audit log by need), expected over (the audit
 * log's expected bookings, R9), unlicensed premium use, idle passes (R2), at allocation.
 */
export function environmentStatus(e: EnvironmentReport): EnvironmentStatus {
  if (e.payAsYouGo) return { state: 'payg', label: 'PAYG: passes ignored', color: 'Warning' };
  if (e.bookedAsAppPass === null && !e.expected) return { state: 'launches-unknown', label: 'launches unknown', color: 'Warning' };
  if (e.launchesAtZeroAllocation) return { state: 'blocked-at-zero', label: `0 allocated: ${e.launchesAtZeroAllocation} should have been blocked`, color: 'Warning' };
  // Part of the month read: an overage is "at least"; a need within the allocation so far is not "not over".
  if (e.overage === null && e.launchesComplete === false && e.allocatedPasses !== null) {
    if (e.expected?.overage) return { state: 'expected-over', label: `expected over by ${bound(e.expected.overage, 'at least', e)}`, color: 'Warning' };
    // A few words, as the other labels: a longer one squeezes the overview's name column; the cause and its fix are in the answer and the unknowns.
    if (e.requiredPasses === null) return { state: 'part-read', label: 'needed not known yet', color: 'Warning' };
    return { state: 'part-read', label: `at least ${e.requiredPasses} needed, at most ${show(e.unusedPasses)} idle`, color: 'Warning' };
  }
  if (e.overage === null) return { state: 'allocation-unknown', label: 'allocation unknown', color: 'Warning' };
  if (e.overage > 0) return { state: 'over', label: `over by ${bound(e.overage, 'at least', e)}`, color: 'Attention' };
  // From the audit log: Per-app licensing on standard apps is expected to take more passes (R9, F).
  if (e.expected?.overage) return { state: 'expected-over', label: `expected over by ${bound(e.expected.overage, 'at least', e)}`, color: 'Warning' };
  const unlicensed = unlicensedUsers(e);
  if (unlicensed > 0) return { state: 'unlicensed', label: `${plural(unlicensed, 'user')} unlicensed`, color: 'Attention' };
  if (e.unusedPasses) return { state: 'idle', label: `${bound(e.unusedPasses, 'at most', e)} idle`, color: 'Good' };
  return { state: 'at-allocation', label: 'at allocation', color: 'Good' };
}

/**
 * What "are we over?" rests on, over some environments: those over (by booking; from the
 * audit log by need), those only expected over (R9), those with launches needing a pass at
 * 0 allocated (R5: blocked, so not overage), and those where overage cannot be told (launches
 * or allocation unknown): never counted as "not over".
 */
export function overParts(envs: readonly EnvironmentReport[]) {
  return {
    over: envs.filter((e) => (e.overage ?? 0) > 0),
    expectedOver: envs.filter((e) => !(e.overage ?? 0) && (e.expected?.overage ?? 0) > 0),
    atZero: envs.filter((e) => (e.launchesAtZeroAllocation ?? 0) > 0),
    unknown: envs.filter((e) => e.overage === null && e.payAsYouGo !== true),
  };
}

/**
 * The environments most in need first: the largest overage, then the largest expected
 * overage (the audit log, R9), then launches at 0 allocated (R5), then the most findings,
 * then by name; so an environment expected over is never left below "Show all".
 */
export function needFirst(a: EnvironmentReport, b: EnvironmentReport): number {
  return (
    (b.overage ?? 0) - (a.overage ?? 0) ||
    (b.expected?.overage ?? 0) - (a.expected?.overage ?? 0) ||
    (b.launchesAtZeroAllocation ?? 0) - (a.launchesAtZeroAllocation ?? 0) ||
    b.findings.length - a.findings.length ||
    compareText(a.name, b.name)
  );
}

/** Users of premium apps with no pass, per-user license or pay-as-you-go (UNCOVERED_PREMIUM_USE). */
export function unlicensedUsers(e: Pick<EnvironmentReport, 'findings'>): number {
  return e.findings.filter((f) => f.code === 'UNCOVERED_PREMIUM_USE').reduce((n, f) => n + (f.count ?? 0), 0);
}
