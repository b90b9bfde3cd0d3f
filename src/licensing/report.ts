import type { Confidence, RuleId } from './rules';
import type { App, BookedLicenseType, EnvironmentType, SourceInfo, UserLicense } from './snapshot';

export type FindingCode =
  | 'STANDARD_APP_BOOKED_AS_PASS'
  | 'STANDARD_APP_EXPECTED_AS_PASS'
  | 'PREMIUM_USER_BOOKED_AS_PASS'
  | 'OVERAGE'
  | 'UNUSED_PASSES'
  | 'UNCOVERED_PREMIUM_USE'
  | 'PREMIUM_FLAG_MISMATCH'
  | 'PAYG_IGNORES_PASSES'
  | 'CHEAPER_PER_USER'
  | 'LAUNCHES_AT_ZERO_ALLOCATION'
  | 'TEAMS_ENVIRONMENT'
  | 'DEVELOPER_ENVIRONMENT'
  | 'GUEST_USERS'
  | 'CODE_APP_USE';

/** Display order: what costs money or breaks compliance first. */
export const FINDING_CODES: readonly FindingCode[] = [
  'OVERAGE',
  'LAUNCHES_AT_ZERO_ALLOCATION',
  'UNCOVERED_PREMIUM_USE',
  'CODE_APP_USE',
  'GUEST_USERS',
  'STANDARD_APP_BOOKED_AS_PASS',
  'STANDARD_APP_EXPECTED_AS_PASS',
  'PREMIUM_USER_BOOKED_AS_PASS',
  'PAYG_IGNORES_PASSES',
  'UNUSED_PASSES',
  'CHEAPER_PER_USER',
  'PREMIUM_FLAG_MISMATCH',
  'TEAMS_ENVIRONMENT',
  'DEVELOPER_ENVIRONMENT',
];

export type Severity = 'action' | 'warning' | 'info';

/**
 * A finding as plain data: what was seen (code, rule, subject, count) and, in `detail`,
 * the facts its words are written from. The words (evidence, explanation, fix) are
 * written by findingWords (src/licensing/findings/words.ts) when an output shows them.
 */
export interface Finding<Detail = unknown> {
  code: FindingCode;
  rule: RuleId;
  confidence: Confidence;
  severity: Severity;
  environmentId: string;
  appId?: string;
  appName?: string;
  userPrincipalName?: string;
  count?: number;
  detail: Detail;
}

export type PremiumBasis = 'inventory' | 'report' | 'unknown';

export interface AppUsage {
  appId: string;
  appName: string;
  type: App['type'] | null;
  premium: boolean | null;
  premiumBasis: PremiumBasis;
  premiumReasons: string[];
  canConsumeAppPass: boolean | null;
  /** null when no usage source answered (LicensingReport.usageUnknown). */
  users: number | null;
  bookedAsAppPass: number | null;
  requiredPasses: number | null;
  bookedAs: Partial<Record<BookedLicenseType, number>>;
}

/**
 * What Microsoft is expected to book where no report gives its booking (launches from the
 * audit log, which does not say what was charged): the launches that need a pass, plus
 * standard apps with "Per-app licensing" on launched by users with no per-user license
 * (R9, field reports). Always labelled expected; never Microsoft's `bookedAsAppPass`.
 */
export interface ExpectedBookings {
  label: 'expected';
  /** byNeed + byPerAppLicensing; null when the need is unknown */
  passes: number | null;
  /** the launches that need a pass (= requiredPasses): definite */
  byNeed: number | null;
  /** standard apps with Per-app licensing on, users with no per-user license (R9, F) */
  byPerAppLicensing: number;
  /** max(0, passes - allocated): an expected overage, not a definite one */
  overage: number | null;
  /** The standard apps with Per-app licensing on: the reason for byPerAppLicensing. */
  apps: { appId: string; appName: string; launches: number }[];
}

export interface EnvironmentReport {
  id: string;
  name: string;
  month: string | null;
  /** BAP environmentSku (R15, R16); null = not known. */
  environmentType: EnvironmentType | null;
  managed: boolean | null;
  payAsYouGo: boolean | null;
  allocatedPasses: number | null;
  /** This and every other figure that counts launches is null when no usage source answered. Microsoft's figure: null from the audit log. */
  bookedAsAppPass: number | null;
  requiredPasses: number | null;
  /** booked - allocated; from the audit log (no bookings) requiredPasses - allocated: definite, by need. */
  overage: number | null;
  /** allocated - booked; from the audit log allocated - expected bookings. */
  unusedPasses: number | null;
  /** Only when the launches come from the audit log: what Microsoft is expected to book. */
  expected?: ExpectedBookings;
  /**
   * Only when the month's launches were read in part (audit log days missing,
   * LicensingReport.launchesIncomplete says which): false. Then requiredPasses and the
   * expected passes are lower bounds ("at least"), unusedPasses an upper bound ("at most"),
   * and overage (and the expected overage) is a lower bound where the need read already
   * exceeds the allocation, else null: not known.
   */
  launchesComplete?: false;
  /**
   * With 0 passes allocated, launches that need a pass (or were booked as one): Microsoft
   * blocks these (R5), so they are not overage. null when the allocation is not 0.
   */
  launchesAtZeroAllocation: number | null;
  activeUsers: number | null;
  launches: number | null;
  findings: Finding[];
  /** What the figures could not be sure of, and how to find out. */
  unknowns: string[];
  apps: AppUsage[];
  /** From the Users requiring licenses in Managed Environments report, when one was read: its users, each counted once. */
  usersRequiringLicenses?: { users: number; rows: number; sample: string[] };
}

export interface UserUsage {
  userPrincipalName: string;
  displayName?: string;
  licenses: UserLicense[] | null;
  coveredPerUser: boolean;
  coverageBasis: 'licenses' | 'report';
  passesNeeded: number;
  /** passesNeeded by environment id (passes count per environment): what "who needs the most passes in Sales" ranks. */
  passesByEnvironment: Record<string, number>;
  bookedAsAppPass: number;
}

export interface Prices {
  perAppPass: number;
  perUserPremium: number;
  /** Power Apps Premium at the volume tier (2,000+ new licenses, R14). */
  perUserPremiumVolume: number;
  payAsYouGoPerAppUser: number;
  currency: string;
}

export interface AdviceAction {
  title: string;
  detail: string;
  rule: RuleId;
  /** Estimated list-price saving or avoided purchase per month; never more than costRemoved. */
  monthlySaving: number;
  /** The monthly list-price cost the action takes away (the passes it concerns), the bound of its saving. */
  costRemoved: number;
  /**
   * Actions with the same key are alternatives (they fix the same passes: one environment's,
   * or one user's), so only one of them counts towards a total saving.
   */
  alternativesOf: string;
  environmentId?: string;
  userPrincipalName?: string;
}

export interface PassMove {
  fromEnvironmentId: string;
  fromEnvironmentName: string;
  toEnvironmentId: string;
  toEnvironmentName: string;
  passes: number;
  /** true when the move covers the whole overage of the target. */
  coversOverage: boolean;
}

export interface UserCostComparison {
  userPrincipalName: string;
  passesNeeded: number;
  perAppCost: number;
  perUserCost: number;
  cheaper: 'per-user' | 'per-app' | 'equal';
}

/**
 * R13: what an environment's passes cost against moving off them, at the configured
 * prices, per month. Only for environments with passes allocated and known needs.
 */
export interface PassAlternative {
  environmentId: string;
  environmentName: string;
  allocatedPasses: number;
  /** the allocation at the per-app price */
  passesCost: number;
  /** launches needing a license this month, metered per user and app (R10) */
  payAsYouGoCost: number;
  /** managed: the Microsoft 365 exemption in a managed pay-as-you-go environment is unknown (R10), so the meter may bill more */
  payAsYouGoUpperBound: boolean;
  /** the month's launches were read in part (EnvironmentReport.launchesComplete false): the meter may bill more than this */
  payAsYouGoLowerBound?: true;
  usersNeedingPasses: number;
  premiumCost: number;
  premiumVolumeCost: number;
}

export interface Advice {
  prices: Prices;
  perUser: UserCostComparison[];
  moves: PassMove[];
  /** moving off passes, per environment (R13) */
  alternatives: PassAlternative[];
  actions: AdviceAction[];
  notes: string[];
}

export interface TenantTotals {
  allocatedPasses: number | null;
  bookedAsAppPass: number | null;
  requiredPasses: number | null;
  overage: number | null;
  unusedPasses: number | null;
  /** Only when the launches come from the audit log: the environments' expected bookings and expected overage, summed. */
  expectedBookings?: number | null;
  expectedOverage?: number | null;
}

export interface LicensingReport {
  generatedAt: string;
  month: string | null;
  months: string[];
  sources: SourceInfo[];
  /** Why launches are unknown (no usage source answered), or null when usage was read. */
  usageUnknown: string | null;
  /** Why Microsoft's bookings are unknown though launches are known (the audit log does not say what was charged); absent otherwise. */
  bookingsUnknown?: string;
  /** Why the month's launches are read in part, in one line ("26 of 30 days of 2026-11 not read: ..."); absent when read in full. Each environment then has launchesComplete: false. */
  launchesIncomplete?: string;
  totals: TenantTotals;
  environments: EnvironmentReport[];
  users: UserUsage[];
  advice: Advice;
}
