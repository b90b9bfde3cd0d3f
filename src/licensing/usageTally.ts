import { BOOKED_LICENSE_TYPES, type App, type Environment, type TenantInventory, type User } from './snapshot';
import type { PremiumBasis } from './report';
import type { RuleId } from './rules';
import { classifyApp, isCoveredPerUser, isGuest } from './premium';
import { passNeed, premiumRule, type PassNeedFacts, type PremiumRule } from './passNeed';
import { EVIDENCE_SAMPLES, keepLowest, PairFlags, type LedgerApp, type PeriodUsage, type UsageIndex } from '../usage/usageIndex';
import { doubled } from '../usage/typedArrays';
import type { AppCatalog, MatchedEnvironments } from './inventoryMatch';

/**
 * The usage of one month counted per (user, app) pair, environment by environment: what
 * each pair was booked as, and whether it needs a pass (passNeed). The figures and the
 * findings are read off these tallies; nothing here decides a rule itself.
 */

export const LICENSE_TYPES = BOOKED_LICENSE_TYPES.length;

/** One app of the usage (each is in one environment), this month. */
export interface AppTally {
  usageApp: LedgerApp;
  /** its inventory entry, if the inventory has it */
  app: App | undefined;
  premium: boolean | null;
  basis: PremiumBasis;
  reasons: string[];
  rule: RuleId;
  /** premiumRule(app): what a premium "yes" rests on */
  premiumRule: PremiumRule;
  users: number;
  bookedAsAppPass: number;
  required: number;
  /** some pair's need for a pass waits for the app's classification */
  requiredUnknown: boolean;
  /** users as ranks in UPN order (UsageIndex.userRanks), the lowest few */
  appPassUsers: number[];
  uncovered: number;
  uncoveredUsers: number[];
  /** license bits booked by the uncovered pairs */
  uncoveredBookedAs: number;
  mismatched: number;
  /** pairs with no booking (the audit log) of this standard app with Per-app licensing on, by users with no per-user license (R9) */
  expectedByPerApp: number;
  expectedUsers: number[];
  reportedPremium: number;
  reportedStandard: number;
}

/** One environment, this month. */
export interface EnvironmentTally {
  env: Environment;
  payAsYouGo: boolean | null;
  /** taken as pay-as-you-go because the report books launches there as PayAsYouGo */
  payAsYouGoInferred: boolean;
  apps: Map<number, AppTally>;
  booked: number;
  required: number;
  /** pairs that need a pass if the environment is managed (R8), which is unknown */
  requiredIfManaged: number;
  requiredUnknownApps: number;
  /** pairs whose license the source does not say (the audit log): Microsoft's booking of them is not known */
  unbooked: number;
  /** of those, pairs of standard apps with Per-app licensing on by users with no per-user license: expected as AppPass (R9, F) */
  expectedByPerApp: number;
  /** pairs booked as AppPass or needing a pass: with 0 allocated, what Microsoft blocks (R5) */
  passPairs: number;
  /** guests (R17) whose launches need a license here, as user numbers */
  guests: Set<number>;
  activeUsers: number;
  launches: number;
  /** per-user licensed users (R6) with AppPass bookings here: user number -> bookings */
  premiumUserBookings: Map<number, number>;
  /** per app number: the lowest CSV lines of its AppPass rows */
  appPassLines: Map<number, number[]>;
}

/** Per user number: who they are in the inventory, and what the rules need to know of them. */
export interface UserFacts {
  /** whether the inventory has license data at all */
  licensesKnown: boolean;
  known: (User | undefined)[];
  /** R6: covered by a per-user license (from licenses, or inferred from PerUser bookings) */
  covered: Uint8Array;
  /** R17: a guest, by #EXT# in the UPN */
  guest: Uint8Array;
}

export function userFacts(inventory: TenantInventory, usage: UsageIndex): UserFacts {
  const count = usage.userCount();
  const known: (User | undefined)[] = new Array(count);
  const covered = new Uint8Array(count);
  if (inventory.users) {
    for (const u of inventory.users) {
      const n = usage.userNumberOf(u.userPrincipalName);
      if (n < 0) continue;
      known[n] = u;
      covered[n] = isCoveredPerUser(u.licenses) ? 1 : 0;
    }
  } else for (let n = 0; n < count; n++) covered[n] = usage.bookedPerUserSomewhere(n) ? 1 : 0;
  const guest = new Uint8Array(count);
  for (let n = 0; n < count; n++) if (isGuest(usage.user(n))) guest[n] = 1;
  return { licensesKnown: inventory.users !== null, known, covered, guest };
}

/** Per user number, across environments; one plain typed array per fact. */
export class UserTallies {
  /** the ordinal of the environment last counted for the user, -1 for none yet */
  readonly lastEnvironment: Int32Array;
  /** passes needed over all environments (R3) */
  readonly passes: Int32Array;
  /** AppPass bookings over all environments */
  readonly booked: Int32Array;
  /** users with usage this month, in the order first seen */
  readonly active: number[] = [];
  readonly passesByEnvironment: PassesByEnvironment;

  constructor(users: number) {
    this.lastEnvironment = new Int32Array(users).fill(-1);
    this.passes = new Int32Array(users);
    this.booked = new Int32Array(users);
    this.passesByEnvironment = new PassesByEnvironment(users);
  }
}

export interface UsageTally {
  /** in the order of MatchedEnvironments.environments */
  environments: EnvironmentTally[];
  users: UserTallies;
  /** per app number and license type, the pairs booked under it: one array for all apps */
  bookedAs: Int32Array;
}

export function tallyUsage(usage: UsageIndex, month: string | null, matched: MatchedEnvironments, catalog: AppCatalog, facts: UserFacts): UsageTally {
  const users = new UserTallies(usage.userCount());
  const ranks = usage.userRanks();
  const appTallies: (AppTally | undefined)[] = new Array(usage.apps().length);
  const bookedAs = new Int32Array(usage.apps().length * LICENSE_TYPES);
  const periodsByEnv = new Map<Environment, PeriodUsage[]>();
  for (const p of usage.periodsOf(month)) {
    const env = matched.byUsageKey.get(p.environmentKey)!;
    periodsByEnv.set(env, [...(periodsByEnv.get(env) ?? []), p]);
  }
  const appTally = (t: EnvironmentTally, appIndex: number): AppTally => {
    let a = appTallies[appIndex];
    if (!a) {
      const usageApp = usage.app(appIndex);
      const app = catalog.find(t.env.id, usageApp);
      a = { usageApp, app, premium: null, basis: 'unknown', reasons: [], rule: premiumRule(app), premiumRule: premiumRule(app), users: 0, bookedAsAppPass: 0, required: 0, requiredUnknown: false, appPassUsers: [], uncovered: 0, uncoveredUsers: [], uncoveredBookedAs: 0, mismatched: 0, expectedByPerApp: 0, expectedUsers: [], reportedPremium: 0, reportedStandard: 0 };
      appTallies[appIndex] = a;
      t.apps.set(appIndex, a);
    }
    return a;
  };

  const environments = matched.environments.map((env, envOrdinal): EnvironmentTally => {
    const t: EnvironmentTally = { env, payAsYouGo: env.payAsYouGo, payAsYouGoInferred: false, apps: new Map(), booked: 0, required: 0, requiredIfManaged: 0, requiredUnknownApps: 0, unbooked: 0, expectedByPerApp: 0, passPairs: 0, guests: new Set(), activeUsers: 0, launches: 0, premiumUserBookings: new Map(), appPassLines: new Map() };
    const own = periodsByEnv.get(env);
    if (!own) return t;
    for (const p of own) for (const [app, lines] of p.appPassLines) t.appPassLines.set(app, lines);
    const { app: appOf, user: userOf, flags: flagsOf, start, end } = usage.pairsOf(own);
    // First pass: what the report says of each app, so report-based premium status is settled before counting.
    for (let i = start; i < end; i++) {
      const a = appTally(t, appOf[i]);
      const flags = flagsOf[i];
      if (PairFlags.reportedPremium(flags)) a.reportedPremium++;
      if (PairFlags.reportedStandard(flags)) a.reportedStandard++;
      if (flags & PairFlags.PAY_AS_YOU_GO && t.payAsYouGo === null) {
        t.payAsYouGo = true;
        t.payAsYouGoInferred = true;
      }
    }
    for (const a of t.apps.values()) settlePremium(a);
    // One facts object for the environment, updated per pair: the hot loop makes no objects.
    const need: PassNeedFacts = { coveredPerUser: false, payAsYouGo: t.payAsYouGo, managed: env.managed, premium: null, premiumRule: 'R7' };
    for (let i = start; i < end; i++) {
      const user = userOf[i];
      const flags = flagsOf[i];
      const a = appTallies[appOf[i]]!;
      const covered = facts.covered[user] === 1;
      t.launches++;
      if (users.lastEnvironment[user] !== envOrdinal) {
        if (users.lastEnvironment[user] === -1) users.active.push(user);
        users.lastEnvironment[user] = envOrdinal;
        t.activeUsers++;
      }
      a.users++;
      const bookedAt = appOf[i] * LICENSE_TYPES;
      for (let k = 0; k < LICENSE_TYPES; k++) if (flags & (1 << k)) bookedAs[bookedAt + k]++;
      const appPass = (flags & PairFlags.APP_PASS) !== 0;
      const booked = (flags & PairFlags.BOOKED) !== 0;
      if (!booked) t.unbooked++;
      if (appPass) {
        t.passPairs++;
        t.booked++;
        a.bookedAsAppPass++;
        users.booked[user]++;
        keepLowest(a.appPassUsers, ranks[user], EVIDENCE_SAMPLES);
        if (covered) t.premiumUserBookings.set(user, (t.premiumUserBookings.get(user) ?? 0) + 1);
      }
      if (a.basis === 'inventory' && a.premium !== null) {
        if ((a.premium && PairFlags.reportedStandard(flags)) || (!a.premium && PairFlags.reportedPremium(flags))) a.mismatched++;
      }
      // A PerUser or PayAsYouGo row is Microsoft's statement that this launch was covered (R6, R10): a
      // Dynamics 365 user booked so needs no pass, whatever the licenses say of the app's context.
      need.coveredPerUser = covered || (flags & PairFlags.PER_USER) !== 0;
      need.payAsYouGo = (flags & PairFlags.PAY_AS_YOU_GO) !== 0 ? true : t.payAsYouGo;
      need.premium = a.premium;
      need.premiumRule = a.premiumRule;
      const answer = passNeed(need);
      if (answer.need === 'unknown') {
        if (answer.missing === 'premium') a.requiredUnknown = true;
        else t.requiredIfManaged++;
        continue;
      }
      if (answer.need === 'no') {
        // R9 (F): with Per-app licensing on, Microsoft is reported to book a standard app's launch as AppPass.
        if (!booked && answer.rule === 'R7' && a.app?.canConsumeAppPass === true) {
          t.expectedByPerApp++;
          a.expectedByPerApp++;
          keepLowest(a.expectedUsers, ranks[user], EVIDENCE_SAMPLES);
        }
        continue;
      }
      if (!appPass) t.passPairs++;
      t.required++;
      a.required++;
      users.passes[user]++;
      users.passesByEnvironment.count(user, envOrdinal);
      const licensed = flags & (PairFlags.APP_PASS | PairFlags.PER_USER | PairFlags.PAY_AS_YOU_GO);
      // Unbooked (the audit log): what Microsoft charged is not known, so the launch is not called uncovered.
      if (!licensed && booked) {
        // R17: a guest with no license here may hold one in their home tenant.
        if (facts.guest[user] === 1) t.guests.add(user);
        a.uncovered++;
        keepLowest(a.uncoveredUsers, ranks[user], EVIDENCE_SAMPLES);
        a.uncoveredBookedAs |= flags;
      }
    }
    t.requiredUnknownApps = [...t.apps.values()].filter((a) => a.requiredUnknown).length;
    return t;
  });
  return { environments, users, bookedAs };
}

function settlePremium(a: AppTally): void {
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

/**
 * Per user, the passes needed in each environment (R14): a chain of entries in typed
 * arrays, not a Map per user, since every pair needing a pass comes through here.
 * Environments are visited one after another, so a user's current environment is always
 * the head of their chain.
 */
export class PassesByEnvironment {
  private readonly head: Int32Array;
  private env = new Int32Array(1024);
  private passes = new Int32Array(1024);
  private next = new Int32Array(1024);
  private size = 0;

  constructor(users: number) {
    this.head = new Int32Array(users).fill(-1);
  }

  count(user: number, envOrdinal: number): void {
    const h = this.head[user];
    if (h >= 0 && this.env[h] === envOrdinal) {
      this.passes[h]++;
      return;
    }
    if (this.size === this.env.length) [this.env, this.passes, this.next] = [doubled(this.env), doubled(this.passes), doubled(this.next)];
    const n = this.size++;
    this.env[n] = envOrdinal;
    this.passes[n] = 1;
    this.next[n] = h;
    this.head[user] = n;
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
    for (let n = this.head[user]; n >= 0; n = this.next[n]) out.push([this.env[n], this.passes[n]]);
    return out.reverse();
  }
}
