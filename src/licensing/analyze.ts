import { BOOKED_LICENSE_TYPES, type App, type Environment, type TenantInventory, type TenantSnapshot, type User } from './snapshot';
import type { AppUsage, EnvironmentReport, Finding, FindingCode, LicensingReport, Prices, UserUsage } from './report';
import { FINDING_CODES } from './report';
import { classifyApp, isCoveredPerUser, isGuest } from './premium';
import { premiumRule } from './passNeed';
import { environmentKey, keepLowest, PairFlags, EVIDENCE_SAMPLES, type LedgerApp, type UsageIndex } from '../usage/usageIndex';
import { UsageLedger } from '../usage/usageLedger';
import { doubled } from '../usage/typedArrays';
import { compareText, normalizeName } from './names';
import { LIST_PRICES } from './prices';
import { planAdvice, planPassMoves } from './advice';
import * as F from './findings';
import type { RuleId } from './rules';

export type { TenantInventory };

export interface AnalysisOptions {
  /** YYYY-MM; default: the latest month in the usage. */
  month?: string | null;
  prices?: Prices;
  generatedAt?: string;
}

const TYPES = BOOKED_LICENSE_TYPES.length;

export function analyzeSnapshot(snapshot: TenantSnapshot, options: AnalysisOptions = {}): LicensingReport {
  return analyze(snapshot, new UsageLedger().addAll(snapshot.launches), options);
}

interface AppWork {
  ledgerApp: LedgerApp;
  app: App | undefined;
  premium: boolean | null;
  basis: AppUsage['premiumBasis'];
  reasons: string[];
  rule: RuleId;
  users: number;
  bookedAsAppPass: number;
  required: number;
  requiredUnknown: boolean;
  /** users as ranks in UPN order (UsageLedger.userRanks) */
  appPassUsers: number[];
  uncovered: number;
  uncoveredUsers: number[];
  /** license bits booked by the uncovered pairs */
  uncoveredBookedAs: number;
  mismatched: number;
  reportedPremium: number;
  reportedStandard: number;
}

interface EnvWork {
  env: Environment;
  payAsYouGo: boolean | null;
  payAsYouGoInferred: boolean;
  apps: Map<number, AppWork>;
  booked: number;
  required: number;
  /** pairs whose need for a pass depends on a fact we lack. */
  requiredIfManaged: number;
  requiredUnknownApps: number;
  /** pairs booked as AppPass or needing a pass: with 0 allocated, what Microsoft blocks (R5) */
  passPairs: number;
  /** guests (R17) whose launches need a license here, as user numbers */
  guests: Set<number>;
  activeUsers: number;
  launches: number;
  premiumUserBookings: Map<number, number>;
  appPassLines: Map<number, number[]>;
}


export function analyze(inventory: TenantInventory, ledger: UsageIndex, options: AnalysisOptions = {}): LicensingReport {
  const prices = options.prices ?? LIST_PRICES;
  const months = ledger.months();
  const month = options.month ?? months.at(-1) ?? null;
  const envOf = resolveEnvironments(inventory.environments, ledger);
  const appsByEnv = indexApps(inventory.apps);
  const userCount = ledger.userCount();
  const tally = new UserTally(userCount, ledger.userRanks());
  const passesByEnv = new PassesByEnvironment(tally);
  // The inventory's entry for each user number, and whether it covers them per user (R6),
  // settled once per inventory user: the hot loop then reads one byte per pair.
  const knownUsers: (User | undefined)[] = new Array(userCount);
  const covered = new Uint8Array(userCount);
  if (inventory.users) {
    for (const u of inventory.users) {
      const n = ledger.userNumberOf(u.userPrincipalName);
      if (n < 0) continue;
      knownUsers[n] = u;
      covered[n] = isCoveredPerUser(u.licenses) ? 1 : 0;
    }
  } else for (let n = 0; n < userCount; n++) covered[n] = ledger.bookedPerUserSomewhere(n) ? 1 : 0;
  // R17: guests by their UPN, settled once per user.
  const guest = new Uint8Array(userCount);
  for (let n = 0; n < userCount; n++) if (isGuest(ledger.user(n))) guest[n] = 1;
  const activeUserIndexes: number[] = [];

  const work = new Map<string, EnvWork>();
  for (const env of envOf.environments) {
    work.set(env.id, {
      env,
      payAsYouGo: env.payAsYouGo,
      payAsYouGoInferred: false,
      apps: new Map(),
      booked: 0,
      required: 0,
      requiredIfManaged: 0,
      requiredUnknownApps: 0,
      passPairs: 0,
      guests: new Set(),
      activeUsers: 0,
      launches: 0,
      premiumUserBookings: new Map(),
      appPassLines: new Map(),
    });
  }
  const periods = ledger.periodsOf(month);
  const periodsByEnv = new Map<Environment, typeof periods>();
  for (const p of periods) {
    const env = envOf.byLedgerKey.get(p.environmentKey)!;
    periodsByEnv.set(env, [...(periodsByEnv.get(env) ?? []), p]);
  }
  // Per ledger app (each is in one environment): its work, found by number in the hot loop.
  const appWorks: (AppWork | undefined)[] = new Array(ledger.apps().length);
  // Per ledger app and license type, the pairs booked under it: one array for all apps, not one each.
  const bookedAs = new Int32Array(ledger.apps().length * TYPES);
  envOf.environments.forEach((env, envOrdinal) => {
    const w = work.get(env.id)!;
    const own = periodsByEnv.get(env);
    if (!own) return;
    for (const p of own) for (const [app, lines] of p.appPassLines) w.appPassLines.set(app, lines);
    const { app: appOf, user: userOf, flags: flagsOf, start, end } = ledger.pairsOf(own);
    // First pass: what the report says of each app, so report-based premium status is settled before counting.
    for (let i = start; i < end; i++) {
      const a = appWork(w, appOf[i]);
      const flags = flagsOf[i];
      if (PairFlags.reportedPremium(flags)) a.reportedPremium++;
      if (PairFlags.reportedStandard(flags)) a.reportedStandard++;
      if (flags & PairFlags.PAY_AS_YOU_GO && w.payAsYouGo === null) {
        w.payAsYouGo = true;
        w.payAsYouGoInferred = true;
      }
    }
    for (const a of w.apps.values()) settlePremium(a);
    const payg = w.payAsYouGo === true;
    const managed = env.managed;
    for (let i = start; i < end; i++) {
      const userIndex = userOf[i];
      const flags = flagsOf[i];
      const a = appWorks[appOf[i]]!;
      const isCovered = covered[userIndex] === 1;
      const u = userIndex * UserTally.SIZE;
      w.launches++;
      if (tally.at[u + UserTally.SEEN_IN_ENV] !== envOrdinal) {
        if (tally.at[u + UserTally.SEEN_IN_ENV] === -1) activeUserIndexes.push(userIndex);
        tally.at[u + UserTally.SEEN_IN_ENV] = envOrdinal;
        w.activeUsers++;
      }
      a.users++;
      const bookedAt = appOf[i] * TYPES;
      for (let t = 0; t < TYPES; t++) if (flags & (1 << t)) bookedAs[bookedAt + t]++;
      const appPass = (flags & PairFlags.APP_PASS) !== 0;
      if (appPass) {
        w.passPairs++;
        w.booked++;
        a.bookedAsAppPass++;
        tally.at[u + UserTally.BOOKED]++;
        keepLowest(a.appPassUsers, tally.at[u + UserTally.RANK], EVIDENCE_SAMPLES);
        if (isCovered) w.premiumUserBookings.set(userIndex, (w.premiumUserBookings.get(userIndex) ?? 0) + 1);
      }
      if (a.basis === 'inventory' && a.premium !== null) {
        if ((a.premium && PairFlags.reportedStandard(flags)) || (!a.premium && PairFlags.reportedPremium(flags))) a.mismatched++;
      }
      if (payg || isCovered) continue;
      if (a.premium === null && managed !== true) {
        a.requiredUnknown = true;
        continue;
      }
      if (a.premium === false && managed === null) {
        w.requiredIfManaged++;
        continue;
      }
      if (managed !== true && a.premium !== true) continue;
      if (!appPass) w.passPairs++;
      w.required++;
      a.required++;
      tally.at[u + UserTally.PASSES]++;
      passesByEnv.count(userIndex, envOrdinal);
      const licensed = flags & (PairFlags.APP_PASS | PairFlags.PER_USER | PairFlags.PAY_AS_YOU_GO);
      if (!licensed) {
        // R17: a guest with no license here may hold one in their home tenant.
        if (guest[userIndex] === 1) w.guests.add(userIndex);
        a.uncovered++;
        keepLowest(a.uncoveredUsers, tally.at[u + UserTally.RANK], EVIDENCE_SAMPLES);
        a.uncoveredBookedAs |= flags;
      }
    }
    w.requiredUnknownApps = [...w.apps.values()].filter((a) => a.requiredUnknown).length;
  });

  function appWork(w: EnvWork, appIndex: number): AppWork {
    let a = appWorks[appIndex];
    if (!a) {
      const ledgerApp = ledger.app(appIndex);
      const app = findApp(appsByEnv, w.env.id, ledgerApp);
      a = {
        ledgerApp,
        app,
        premium: null,
        basis: 'unknown',
        reasons: [],
        rule: premiumRule(app),
        users: 0,
        bookedAsAppPass: 0,
        required: 0,
        requiredUnknown: false,
        appPassUsers: [],
        uncovered: 0,
        uncoveredUsers: [],
        uncoveredBookedAs: 0,
        mismatched: 0,
        reportedPremium: 0,
        reportedStandard: 0,
      };
      appWorks[appIndex] = a;
      w.apps.set(appIndex, a);
    }
    return a;
  }
  const upns = (ranks: readonly number[]): string[] => ranks.map((r) => ledger.userOfRank(r));

  // Figures first, so findings can point idle passes at the environments short of them.
  const figures = [...work.values()].map((w) => ({ w, ...figuresOf(w) }));
  const moves = planPassMoves(
    figures.map(({ w, overage, idle }) => ({ id: w.env.id, name: w.env.name, overage: overage ?? 0, idle })),
  );

  const envReports: EnvironmentReport[] = figures.map(({ w, overage, unused, required, atZero, unknowns }) => {
    const env = { ...w.env, payAsYouGo: w.payAsYouGo };
    const findings: Finding[] = [];
    const misbooked: number[] = [];
    for (const a of w.apps.values()) {
      const id = a.app?.id ?? a.ledgerApp.id;
      const name = a.app?.name ?? a.ledgerApp.name;
      if (a.bookedAsAppPass > 0 && a.premium === false && (a.basis === 'inventory' || a.basis === 'report')) {
        misbooked.push(a.bookedAsAppPass);
        findings.push(
          F.standardAppBookedAsPass(env, {
            appId: id,
            appName: name,
            count: a.bookedAsAppPass,
            canConsumeAppPass: a.app?.canConsumeAppPass ?? null,
            premiumBasis: a.basis,
            reasons: a.reasons,
            users: upns(a.appPassUsers),
            lines: w.appPassLines.get(a.ledgerApp.index) ?? [],
          }),
        );
      }
      if (a.uncovered > 0) {
        const rule: RuleId = a.premium === true ? a.rule : 'R8';
        findings.push(F.uncoveredPremiumUse(env, { appId: id, appName: name, reasons: a.reasons, rule }, a.uncovered, upns(a.uncoveredUsers), PairFlags.bookedTypes(a.uncoveredBookedAs)));
      }
      if (a.mismatched > 0 && a.premium !== null) {
        findings.push(F.premiumFlagMismatch(env, { appId: id, appName: name, premium: a.premium, reasons: a.reasons, rule: a.rule }, a.mismatched, 'report'));
      } else if (a.premium === true && a.app?.usesOnlyGrandfatheredPremiumApis && a.app.planClassification === 'Standard' && a.users > 0) {
        // The inventory's own label still says Standard: it updates only when the app is published (R21).
        findings.push(F.premiumFlagMismatch(env, { appId: id, appName: name, premium: true, reasons: a.reasons, rule: 'R7' }, a.users, 'label'));
      }
      if (a.app?.type === 'code' && a.users > 0) {
        findings.push(F.codeAppUse(env, { appId: id, appName: name }, a.users, a.bookedAsAppPass, PairFlags.bookedTypes(a.uncoveredBookedAs)));
      }
    }
    for (const [userIndex, count] of w.premiumUserBookings) {
      const upn = ledger.user(userIndex);
      const licenses = knownUsers[userIndex]?.licenses ?? [];
      findings.push(F.premiumUserBookedAsPass(env, upn, count, inventory.users ? 'licenses' : 'report', licenses));
    }
    const payg = w.payAsYouGo === true;
    const allocated = w.env.allocatedPasses;
    if (atZero !== null && atZero > 0) {
      const uncovered = [...w.apps.values()].reduce((n, a) => n + a.uncovered, 0);
      findings.push(F.launchesAtZeroAllocation(env, atZero, w.booked, uncovered));
    }
    if (w.guests.size > 0) findings.push(F.guestUsers(env, w.guests.size, [...w.guests].map((u) => ledger.user(u)).sort(compareText).slice(0, EVIDENCE_SAMPLES)));
    if (env.environmentType === 'Teams' && w.launches > 0) {
      const premiumApps = [...w.apps.values()].filter((a) => a.premium === true).map((a) => a.app?.name ?? a.ledgerApp.name);
      findings.push(F.teamsEnvironment(env, w.launches, premiumApps));
    }
    if (env.environmentType === 'Developer' && (w.launches > 0 || (allocated ?? 0) > 0)) findings.push(F.developerEnvironment(env, w.launches, w.activeUsers));
    if (!payg && overage !== null && overage > 0 && allocated !== null) {
      const movesIn = moves.filter((m) => m.toEnvironmentId === env.id).map((m) => ({ from: m.fromEnvironmentName, passes: m.passes }));
      findings.push(F.overage(env, w.booked, allocated, misbooked.reduce((s, n) => s + n, 0), movesIn, prices));
    }
    const movesOut = moves.filter((m) => m.fromEnvironmentId === env.id).map((m) => ({ to: m.toEnvironmentName, passes: m.passes }));
    if (!payg && unused !== null && unused > 0 && allocated !== null) findings.push(F.unusedPasses(env, unused, allocated, w.booked, movesOut));
    if (payg && allocated !== null && allocated > 0) findings.push(F.paygIgnoresPasses(env, allocated, movesOut));
    return {
      id: env.id,
      name: env.name,
      month,
      environmentType: env.environmentType ?? null,
      managed: env.managed,
      payAsYouGo: w.payAsYouGo,
      allocatedPasses: allocated,
      bookedAsAppPass: w.booked,
      requiredPasses: required,
      overage,
      unusedPasses: unused,
      launchesAtZeroAllocation: atZero,
      activeUsers: w.activeUsers,
      launches: w.launches,
      findings,
      unknowns,
      apps: [...w.apps.values()].map((a) => appUsage(a, bookedAs)).sort((x, y) => compareText(x.appName, y.appName) || compareText(x.appId, y.appId)),
    };
  });

  // CHEAPER_PER_USER is tenant-wide (R14: passes count in every environment); it is listed
  // under the environment where the user needs the most passes.
  const userReports: UserUsage[] = [];
  const reportById = new Map(envReports.map((e) => [e.id, e]));
  // Most passes first, then by UPN: one number per user, (most passes - passes, UPN rank),
  // so a plain numeric sort orders them without a compare function or any string.
  const passesOf = (userIndex: number) => tally.at[userIndex * UserTally.SIZE + UserTally.PASSES];
  let mostPasses = 0;
  for (const u of activeUserIndexes) mostPasses = Math.max(mostPasses, passesOf(u));
  const inOrder = Float64Array.from(activeUserIndexes, (u) => (mostPasses - passesOf(u)) * userCount + tally.at[u * UserTally.SIZE + UserTally.RANK]).sort();
  for (const key of inOrder) {
    const userIndex = ledger.userAtRank(key % userCount);
    const upn = ledger.user(userIndex);
    const passes = passesOf(userIndex);
    const known = knownUsers[userIndex];
    userReports.push({
      userPrincipalName: upn,
      displayName: known?.displayName,
      licenses: inventory.users ? (known?.licenses ?? []) : null,
      coveredPerUser: covered[userIndex] === 1,
      coverageBasis: inventory.users ? 'licenses' : 'report',
      passesNeeded: passes,
      bookedAsAppPass: tally.at[userIndex * UserTally.SIZE + UserTally.BOOKED],
    });
    if (passes * prices.perAppPass > prices.perUserPremium) {
      let top: Environment | null = null;
      let topPasses = 0;
      const envNames: string[] = [];
      for (const [ordinal, n] of passesByEnv.of(userIndex)) {
        const e = envOf.environments[ordinal];
        envNames.push(e.name);
        if (!top || n > topPasses || (n === topPasses && compareText(e.name, top.name) < 0)) [top, topPasses] = [e, n];
      }
      const report = reportById.get(top!.id)!;
      report.findings.push(F.cheaperPerUser(report, upn, passes, envNames, prices));
    }
  }

  // R13: distinct users needing a pass per environment, for the cost of moving them to Premium.
  const usersPerOrdinal = passesByEnv.usersPerEnvironment(envOf.environments.length);
  const usersNeedingPasses = new Map(envOf.environments.map((e, ordinal) => [e.id, usersPerOrdinal[ordinal]]));
  for (const r of envReports) r.findings.sort(compareFindings);
  envReports.sort((a, b) => compareText(a.name, b.name) || compareText(a.id, b.id));

  const totals = {
    allocatedPasses: envReports.some((e) => e.allocatedPasses === null) ? null : sum(envReports.map((e) => (e.payAsYouGo ? 0 : (e.allocatedPasses ?? 0)))),
    bookedAsAppPass: sum(envReports.map((e) => e.bookedAsAppPass)),
    requiredPasses: envReports.some((e) => e.requiredPasses === null) ? null : sum(envReports.map((e) => e.requiredPasses ?? 0)),
    overage: sum(envReports.map((e) => e.overage ?? 0)),
    unusedPasses: sum(envReports.map((e) => e.unusedPasses ?? 0)),
  };

  return {
    generatedAt: options.generatedAt ?? inventory.generatedAt,
    month,
    months,
    sources: inventory.sources,
    totals,
    environments: envReports,
    users: userReports,
    advice: planAdvice(envReports, userReports, moves, prices, usersNeedingPasses),
  };
}

function figuresOf(w: EnvWork): { overage: number | null; unused: number | null; idle: number; required: number | null; atZero: number | null; unknowns: string[] } {
  const allocated = w.env.allocatedPasses;
  const payg = w.payAsYouGo === true;
  const unknowns: string[] = [];
  const name = w.env.name;
  if (w.env.dataError) {
    unknowns.push(`${name} could not be read: ${w.env.dataError} Its figures are left out; the other environments are complete.`);
    return { overage: null, unused: null, idle: 0, required: null, atZero: null, unknowns };
  }
  if (allocated === null) {
    unknowns.push(`Passes allocated to ${name} are unknown: give them with --allocated "${name}=N", or read them live (admin center > Licensing > Power Apps > Manage capacity).`);
  }
  if (w.payAsYouGoInferred) unknowns.push(`${name} is taken as pay-as-you-go because the report books launches there as PayAsYouGo.`);
  else if (w.payAsYouGo === null) unknowns.push(`Whether ${name} is linked to a pay-as-you-go billing policy is unknown; it is treated as not pay-as-you-go.`);
  let required: number | null = payg ? 0 : w.required;
  if (!payg && w.requiredIfManaged > 0) {
    unknowns.push(
      `Whether ${name} is a Managed Environment is unknown: required passes are ${w.required} if it is not, ${w.required + w.requiredIfManaged} if it is (R8). Check admin center > Environments > ${name}.`,
    );
    required = null;
  }
  if (!payg && w.requiredUnknownApps > 0) {
    unknowns.push(`${w.requiredUnknownApps} app(s) in ${name} have no premium classification (no app inventory and no IsPremium column): load the inventory (--live or --snapshot) to count their passes.`);
    required = null;
  }
  if (w.env.environmentType === 'Trial' || w.env.environmentType === 'SubscriptionBasedTrial') {
    unknowns.push(`${name} is a trial environment: no current Microsoft rule on per-app passes in trial environments was found (R16, U).`);
  }
  const booked = w.booked;
  // R5: with 0 passes allocated Microsoft blocks launches that need one, so none of them is overage.
  const atZero = allocated === 0 && !payg ? w.passPairs : null;
  const overage = allocated === null ? null : payg || atZero !== null ? 0 : Math.max(0, booked - allocated);
  const unused = allocated === null ? null : payg ? 0 : Math.max(0, allocated - booked);
  const idle = allocated === null ? 0 : payg ? allocated : Math.max(0, allocated - booked);
  return { overage, unused, idle, required, atZero, unknowns };
}

function settlePremium(a: AppWork): void {
  if (a.app) {
    const verdict = classifyApp(a.app);
    a.premium = verdict.premium;
    a.reasons = verdict.reasons;
    a.rule = verdict.rule;
    a.basis = 'inventory';
  } else if (a.reportedPremium + a.reportedStandard > 0) {
    // Any premium row wins: the flag can lag behind a connector added mid-month, never the other way round.
    a.premium = a.reportedPremium > 0;
    a.reasons = [`the report marks it IsPremium = ${a.premium}`];
    a.basis = 'report';
  }
}

function appUsage(a: AppWork, bookedAs: Int32Array): AppUsage {
  return {
    appId: a.app?.id ?? a.ledgerApp.id,
    appName: a.app?.name ?? a.ledgerApp.name,
    type: a.app?.type ?? null,
    premium: a.premium,
    premiumBasis: a.basis,
    premiumReasons: a.reasons,
    canConsumeAppPass: a.app?.canConsumeAppPass ?? null,
    users: a.users,
    bookedAsAppPass: a.bookedAsAppPass,
    requiredPasses: a.requiredUnknown ? null : a.required,
    bookedAs: bookedAsRecord(bookedAs, a.ledgerApp.index),
  };
}

function bookedAsRecord(counts: Int32Array, app: number): AppUsage['bookedAs'] {
  const out: AppUsage['bookedAs'] = {};
  for (let t = 0; t < TYPES; t++) if (counts[app * TYPES + t]) out[BOOKED_LICENSE_TYPES[t]] = counts[app * TYPES + t];
  return out;
}

interface ResolvedEnvironments {
  environments: Environment[];
  byLedgerKey: Map<string, Environment>;
}

/** Usage rows name environments by id or by display name; the inventory knows both. */
function resolveEnvironments(inventoryEnvs: readonly Environment[], ledger: UsageIndex): ResolvedEnvironments {
  const environments = inventoryEnvs.map((e) => ({ ...e }));
  const byId = new Map(environments.map((e) => [environmentKey(e.id), e]));
  const byName = new Map(environments.map((e) => [normalizeName(e.name), e]));
  const byLedgerKey = new Map<string, Environment>();
  for (const le of ledger.environments()) {
    let env = byId.get(le.key) ?? (le.name ? byName.get(normalizeName(le.name)) : undefined) ?? byName.get(normalizeName(le.id));
    if (!env) {
      env = { id: le.id, name: le.name ?? le.id, managed: null, payAsYouGo: null, allocatedPasses: null };
      environments.push(env);
      byId.set(le.key, env);
      byName.set(normalizeName(env.name), env);
    }
    byLedgerKey.set(le.key, env);
  }
  return { environments, byLedgerKey };
}

interface AppIndex {
  apps: App[];
  byId: Map<string, App>;
  /** built on the first miss by id: normalizing every name of a large inventory costs more than all id lookups */
  byName: Map<string, App> | null;
}

function indexApps(apps: readonly App[] | null): Map<string, AppIndex> {
  const index = new Map<string, AppIndex>();
  for (const app of apps ?? []) {
    const key = environmentKey(app.environmentId);
    let i = index.get(key);
    if (!i) index.set(key, (i = { apps: [], byId: new Map(), byName: null }));
    i.apps.push(app);
    i.byId.set(app.id.toLowerCase(), app);
  }
  return index;
}

function findApp(index: Map<string, AppIndex>, envId: string, app: LedgerApp): App | undefined {
  const i = index.get(environmentKey(envId));
  if (!i) return undefined;
  const byId = i.byId.get(app.id.toLowerCase());
  if (byId) return byId;
  i.byName ??= new Map(i.apps.map((a) => [normalizeName(a.name), a]));
  return i.byName.get(normalizeName(app.name));
}

const CODE_RANK = Object.fromEntries(FINDING_CODES.map((c, i) => [c, i])) as Record<FindingCode, number>;

function compareFindings(a: Finding, b: Finding): number {
  return (
    CODE_RANK[a.code] - CODE_RANK[b.code] ||
    (b.count ?? 0) - (a.count ?? 0) ||
    compareText(a.appName ?? a.userPrincipalName ?? '', b.appName ?? b.userPrincipalName ?? '') ||
    compareText(a.appId ?? '', b.appId ?? '')
  );
}

/**
 * Per user number, what the rules tally across environments, side by side in one
 * array: the hot loop reads and writes several of them for every pair, and with one
 * array per fact each pair cost as many cache misses.
 */
class UserTally {
  static readonly SIZE = 8;
  /** the ordinal of the environment last counted for the user, -1 for none yet */
  static readonly SEEN_IN_ENV = 0;
  /** passes needed, over all environments (R3) */
  static readonly PASSES = 1;
  /** AppPass bookings, over all environments */
  static readonly BOOKED = 2;
  /** place in UPN order */
  static readonly RANK = 3;
  /** head of the user's PassesByEnvironment chain, -1 for none */
  static readonly CHAIN = 4;
  readonly at: Int32Array;

  constructor(users: number, ranks: Int32Array) {
    this.at = new Int32Array(users * UserTally.SIZE);
    for (let u = 0; u < users; u++) {
      const at = u * UserTally.SIZE;
      this.at[at + UserTally.SEEN_IN_ENV] = -1;
      this.at[at + UserTally.RANK] = ranks[u];
      this.at[at + UserTally.CHAIN] = -1;
    }
  }
}

/**
 * Per user, the passes needed in each environment (for CHEAPER_PER_USER): a chain of
 * entries in typed arrays, not a Map per user, since every pair needing a pass comes
 * through here. Environments are visited one after another, so a user's current
 * environment is always the head of their chain.
 */
class PassesByEnvironment {
  private env = new Int32Array(1024);
  private passes = new Int32Array(1024);
  private next = new Int32Array(1024);
  private size = 0;

  constructor(private readonly tally: UserTally) {}

  count(user: number, envOrdinal: number): void {
    const headAt = user * UserTally.SIZE + UserTally.CHAIN;
    const h = this.tally.at[headAt];
    if (h >= 0 && this.env[h] === envOrdinal) {
      this.passes[h]++;
      return;
    }
    if (this.size === this.env.length) [this.env, this.passes, this.next] = [doubled(this.env), doubled(this.passes), doubled(this.next)];
    const n = this.size++;
    this.env[n] = envOrdinal;
    this.passes[n] = 1;
    this.next[n] = h;
    this.tally.at[headAt] = n;
  }

  /** Per environment ordinal, the users needing a pass there: one chain entry is one (user, environment). */
  usersPerEnvironment(environments: number): Int32Array {
    const users = new Int32Array(environments);
    for (let n = 0; n < this.size; n++) users[this.env[n]]++;
    return users;
  }

  /** [environment ordinal, passes] of a user, in the order the environments were visited. */
  of(user: number): [number, number][] {
    const out: [number, number][] = [];
    for (let n = this.tally.at[user * UserTally.SIZE + UserTally.CHAIN]; n >= 0; n = this.next[n]) out.push([this.env[n], this.passes[n]]);
    return out.reverse();
  }
}


function sum(values: number[]): number {
  return values.reduce((s, n) => s + n, 0);
}

export type { User };
