import { BOOKED_LICENSE_TYPES, type App, type Environment, type TenantSnapshot, type User, type BookedLicenseType } from './snapshot';
import type { AppUsage, EnvironmentReport, Finding, LicensingReport, Prices, UserUsage } from './report';
import { FINDING_CODES } from './report';
import { classifyApp, isCoveredPerUser } from './premium';
import { environmentKey, keepLowest, PairFlags, UsageLedger, EVIDENCE_SAMPLES, type LedgerApp } from './usageLedger';
import { normalizeName } from './names';
import { LIST_PRICES } from './prices';
import { planAdvice, planPassMoves } from './advice';
import * as F from './findings';
import type { RuleId } from './rules';

/** Everything of a snapshot but its launches, which arrive through a UsageLedger. */
export type TenantInventory = Omit<TenantSnapshot, 'launches'>;

export interface AnalysisOptions {
  /** YYYY-MM; default: the latest month in the usage. */
  month?: string | null;
  prices?: Prices;
  generatedAt?: string;
}

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
  bookedAs: Partial<Record<BookedLicenseType, number>>;
  appPassUsers: string[];
  uncovered: number;
  uncoveredUsers: string[];
  uncoveredBookedAs: Set<BookedLicenseType>;
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
  activeUsers: number;
  launches: number;
  premiumUserBookings: Map<number, number>;
  appPassLines: Map<number, number[]>;
}


export function analyze(inventory: TenantInventory, ledger: UsageLedger, options: AnalysisOptions = {}): LicensingReport {
  const prices = options.prices ?? LIST_PRICES;
  const months = ledger.months();
  const month = options.month ?? months.at(-1) ?? null;
  const envOf = resolveEnvironments(inventory.environments, ledger);
  const appsByEnv = indexApps(inventory.apps);
  const licensesByUser = new Map((inventory.users ?? []).map((u) => [u.userPrincipalName.toLowerCase(), u] as const));
  // Per user number, filled as met: 0 unknown yet, 1 covered per user (R6), 2 not covered.
  const covered = new Uint8Array(ledger.userCount());
  const coverage = (userIndex: number): boolean => {
    if (covered[userIndex] === 0) {
      const yes = inventory.users ? isCoveredPerUser(licensesByUser.get(ledger.user(userIndex))?.licenses ?? []) : ledger.bookedPerUserSomewhere(userIndex);
      covered[userIndex] = yes ? 1 : 2;
    }
    return covered[userIndex] === 1;
  };
  // Per user number: passes needed and AppPass bookings across environments (R3: passes count per environment).
  const passesNeeded = new Int32Array(ledger.userCount());
  const bookedByUser = new Int32Array(ledger.userCount());
  const seenInEnv = new Int32Array(ledger.userCount()).fill(-1);
  /** user -> environment -> passes, only for users who need passes (for CHEAPER_PER_USER). */
  const passesByEnv = new Map<number, Map<string, number>>();
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
  envOf.environments.forEach((env, envOrdinal) => {
    const w = work.get(env.id)!;
    const own = periodsByEnv.get(env);
    if (!own) return;
    for (const p of own) for (const [app, lines] of p.appPassLines) w.appPassLines.set(app, lines);
    // First pass: what the report says of each app, so report-based premium status is settled before counting.
    ledger.forEachPair(own, (_user, appIndex, flags) => {
      const a = appWork(w, appIndex);
      if (PairFlags.reportedPremium(flags)) a.reportedPremium++;
      if (PairFlags.reportedStandard(flags)) a.reportedStandard++;
      if (PairFlags.booked(flags, 'PayAsYouGo') && w.payAsYouGo === null) {
        w.payAsYouGo = true;
        w.payAsYouGoInferred = true;
      }
    });
    for (const a of w.apps.values()) settlePremium(a);
    const payg = w.payAsYouGo === true;
    const managed = env.managed;
    ledger.forEachPair(own, (userIndex, appIndex, flags) => {
      const a = w.apps.get(appIndex)!;
      const covered = coverage(userIndex);
      w.launches++;
      if (seenInEnv[userIndex] !== envOrdinal) {
        if (seenInEnv[userIndex] === -1) activeUserIndexes.push(userIndex);
        seenInEnv[userIndex] = envOrdinal;
        w.activeUsers++;
      }
      a.users++;
      for (const t of BOOKED_LICENSE_TYPES) if (PairFlags.booked(flags, t)) a.bookedAs[t] = (a.bookedAs[t] ?? 0) + 1;
      const appPass = PairFlags.booked(flags, 'AppPass');
      if (appPass) {
        w.booked++;
        a.bookedAsAppPass++;
        bookedByUser[userIndex]++;
        keepLowest(a.appPassUsers, ledger.user(userIndex), EVIDENCE_SAMPLES, compareText);
        if (covered) w.premiumUserBookings.set(userIndex, (w.premiumUserBookings.get(userIndex) ?? 0) + 1);
      }
      if (a.basis === 'inventory' && a.premium !== null) {
        if ((a.premium && PairFlags.reportedStandard(flags)) || (!a.premium && PairFlags.reportedPremium(flags))) a.mismatched++;
      }
      if (payg || covered) return;
      if (a.premium === null && managed !== true) {
        a.requiredUnknown = true;
        return;
      }
      if (a.premium === false && managed === null) {
        w.requiredIfManaged++;
        return;
      }
      if (managed !== true && a.premium !== true) return;
      w.required++;
      a.required++;
      passesNeeded[userIndex]++;
      let byEnv = passesByEnv.get(userIndex);
      if (!byEnv) passesByEnv.set(userIndex, (byEnv = new Map()));
      byEnv.set(env.id, (byEnv.get(env.id) ?? 0) + 1);
      const licensed = appPass || PairFlags.booked(flags, 'PerUser') || PairFlags.booked(flags, 'PayAsYouGo');
      if (!licensed) {
        a.uncovered++;
        keepLowest(a.uncoveredUsers, ledger.user(userIndex), EVIDENCE_SAMPLES, compareText);
        for (const t of PairFlags.bookedTypes(flags)) a.uncoveredBookedAs.add(t);
      }
    });
    w.requiredUnknownApps = [...w.apps.values()].filter((a) => a.requiredUnknown).length;
  });

  function appWork(w: EnvWork, appIndex: number): AppWork {
    let a = w.apps.get(appIndex);
    if (!a) {
      const ledgerApp = ledger.app(appIndex);
      const app = findApp(appsByEnv, w.env.id, ledgerApp);
      a = {
        ledgerApp,
        app,
        premium: null,
        basis: 'unknown',
        reasons: [],
        rule: app?.type === 'model-driven' ? 'R12' : 'R7',
        users: 0,
        bookedAsAppPass: 0,
        required: 0,
        requiredUnknown: false,
        bookedAs: {},
        appPassUsers: [],
        uncovered: 0,
        uncoveredUsers: [],
        uncoveredBookedAs: new Set(),
        mismatched: 0,
        reportedPremium: 0,
        reportedStandard: 0,
      };
      w.apps.set(appIndex, a);
    }
    return a;
  }

  // Figures first, so findings can point idle passes at the environments short of them.
  const figures = [...work.values()].map((w) => ({ w, ...figuresOf(w) }));
  const moves = planPassMoves(
    figures.map(({ w, overage, idle }) => ({ id: w.env.id, name: w.env.name, overage: overage ?? 0, idle })),
  );

  const envReports: EnvironmentReport[] = figures.map(({ w, overage, unused, required, unknowns }) => {
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
            users: a.appPassUsers,
            lines: w.appPassLines.get(a.ledgerApp.index) ?? [],
          }),
        );
      }
      if (a.uncovered > 0) {
        const rule: RuleId = a.premium === true ? a.rule : 'R8';
        findings.push(F.uncoveredPremiumUse(env, { appId: id, appName: name, reasons: a.reasons, rule }, a.uncovered, a.uncoveredUsers, BOOKED_LICENSE_TYPES.filter((t) => a.uncoveredBookedAs.has(t))));
      }
      if (a.mismatched > 0 && a.premium !== null) {
        findings.push(F.premiumFlagMismatch(env, { appId: id, appName: name, premium: a.premium, reasons: a.reasons, rule: a.rule }, a.mismatched));
      }
    }
    for (const [userIndex, count] of w.premiumUserBookings) {
      const upn = ledger.user(userIndex);
      const licenses = licensesByUser.get(upn)?.licenses ?? [];
      findings.push(F.premiumUserBookedAsPass(env, upn, count, inventory.users ? 'licenses' : 'report', licenses));
    }
    const payg = w.payAsYouGo === true;
    const allocated = w.env.allocatedPasses;
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
      managed: env.managed,
      payAsYouGo: w.payAsYouGo,
      allocatedPasses: allocated,
      bookedAsAppPass: w.booked,
      requiredPasses: required,
      overage,
      unusedPasses: unused,
      activeUsers: w.activeUsers,
      launches: w.launches,
      findings,
      unknowns,
      apps: [...w.apps.values()].map((a) => appUsage(a)).sort((x, y) => compareText(x.appName, y.appName) || compareText(x.appId, y.appId)),
    };
  });

  // CHEAPER_PER_USER is tenant-wide (R14: passes count in every environment); it is listed
  // under the environment where the user needs the most passes.
  const userReports: UserUsage[] = [];
  const reportById = new Map(envReports.map((e) => [e.id, e]));
  for (const userIndex of activeUserIndexes) {
    const upn = ledger.user(userIndex);
    const passes = passesNeeded[userIndex];
    const known = licensesByUser.get(upn);
    userReports.push({
      userPrincipalName: upn,
      displayName: known?.displayName,
      licenses: inventory.users ? (known?.licenses ?? []) : null,
      coveredPerUser: coverage(userIndex),
      coverageBasis: inventory.users ? 'licenses' : 'report',
      passesNeeded: passes,
      bookedAsAppPass: bookedByUser[userIndex],
    });
    if (passes * prices.perAppPass > prices.perUserPremium) {
      const byEnv = passesByEnv.get(userIndex)!;
      const [topEnv] = [...byEnv].sort((a, b) => b[1] - a[1] || compareText(nameOf(a[0]), nameOf(b[0])));
      const report = reportById.get(topEnv[0])!;
      const envNames = [...byEnv.keys()].map(nameOf).sort(compareText);
      report.findings.push(F.cheaperPerUser(report, upn, passes, envNames, prices));
    }
  }
  function nameOf(envId: string): string {
    return work.get(envId)!.env.name;
  }

  for (const r of envReports) r.findings.sort(compareFindings);
  envReports.sort((a, b) => compareText(a.name, b.name) || compareText(a.id, b.id));
  userReports.sort((a, b) => b.passesNeeded - a.passesNeeded || compareText(a.userPrincipalName, b.userPrincipalName));

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
    advice: planAdvice(envReports, userReports, moves, prices),
  };
}

function figuresOf(w: EnvWork): { overage: number | null; unused: number | null; idle: number; required: number | null; unknowns: string[] } {
  const allocated = w.env.allocatedPasses;
  const payg = w.payAsYouGo === true;
  const unknowns: string[] = [];
  const name = w.env.name;
  if (w.env.dataError) {
    unknowns.push(`${name} could not be read: ${w.env.dataError} Its figures are left out; the other environments are complete.`);
    return { overage: null, unused: null, idle: 0, required: null, unknowns };
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
  const booked = w.booked;
  const overage = allocated === null ? null : payg ? 0 : Math.max(0, booked - allocated);
  const unused = allocated === null ? null : payg ? 0 : Math.max(0, allocated - booked);
  const idle = allocated === null ? 0 : payg ? allocated : Math.max(0, allocated - booked);
  return { overage, unused, idle, required, unknowns };
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

function appUsage(a: AppWork): AppUsage {
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
    bookedAs: a.bookedAs,
  };
}

interface ResolvedEnvironments {
  environments: Environment[];
  byLedgerKey: Map<string, Environment>;
}

/** Usage rows name environments by id or by display name; the inventory knows both. */
function resolveEnvironments(inventoryEnvs: readonly Environment[], ledger: UsageLedger): ResolvedEnvironments {
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
  byId: Map<string, App>;
  byName: Map<string, App>;
}

function indexApps(apps: readonly App[] | null): Map<string, AppIndex> {
  const index = new Map<string, AppIndex>();
  for (const app of apps ?? []) {
    const key = environmentKey(app.environmentId);
    let i = index.get(key);
    if (!i) index.set(key, (i = { byId: new Map(), byName: new Map() }));
    i.byId.set(app.id.toLowerCase(), app);
    i.byName.set(normalizeName(app.name), app);
  }
  return index;
}

function findApp(index: Map<string, AppIndex>, envId: string, app: LedgerApp): App | undefined {
  const i = index.get(environmentKey(envId));
  return i?.byId.get(app.id.toLowerCase()) ?? i?.byName.get(normalizeName(app.name));
}

function compareFindings(a: Finding, b: Finding): number {
  return (
    FINDING_CODES.indexOf(a.code) - FINDING_CODES.indexOf(b.code) ||
    (b.count ?? 0) - (a.count ?? 0) ||
    compareText(a.appName ?? a.userPrincipalName ?? '', b.appName ?? b.userPrincipalName ?? '') ||
    compareText(a.appId ?? '', b.appId ?? '')
  );
}

export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sum(values: number[]): number {
  return values.reduce((s, n) => s + n, 0);
}

export type { User };
