import type { Confidence, RuleId } from './rules';
import type { BookedLicenseType, SourceInfo, UserLicense } from './snapshot';

export type FindingCode =
  | 'STANDARD_APP_BOOKED_AS_PASS'
  | 'PREMIUM_USER_BOOKED_AS_PASS'
  | 'OVERAGE'
  | 'UNUSED_PASSES'
  | 'UNCOVERED_PREMIUM_USE'
  | 'PREMIUM_FLAG_MISMATCH'
  | 'PAYG_IGNORES_PASSES'
  | 'CHEAPER_PER_USER';

/** Display order: what costs money or breaks compliance first. */
export const FINDING_CODES: readonly FindingCode[] = [
  'OVERAGE',
  'UNCOVERED_PREMIUM_USE',
  'STANDARD_APP_BOOKED_AS_PASS',
  'PREMIUM_USER_BOOKED_AS_PASS',
  'PAYG_IGNORES_PASSES',
  'UNUSED_PASSES',
  'CHEAPER_PER_USER',
  'PREMIUM_FLAG_MISMATCH',
];

export type Severity = 'action' | 'warning' | 'info';

export interface Finding {
  code: FindingCode;
  rule: RuleId;
  confidence: Confidence;
  severity: Severity;
  environmentId: string;
  appId?: string;
  appName?: string;
  userPrincipalName?: string;
  count?: number;
  /** What was seen: rows, app settings, license facts. */
  evidence: string[];
  explanation: string;
  fix: string;
}

export type PremiumBasis = 'inventory' | 'report' | 'unknown';

export interface AppUsage {
  appId: string;
  appName: string;
  type: 'canvas' | 'model-driven' | null;
  premium: boolean | null;
  premiumBasis: PremiumBasis;
  premiumReasons: string[];
  canConsumeAppPass: boolean | null;
  users: number;
  bookedAsAppPass: number;
  requiredPasses: number | null;
  bookedAs: Partial<Record<BookedLicenseType, number>>;
}

export interface EnvironmentReport {
  id: string;
  name: string;
  month: string | null;
  managed: boolean | null;
  payAsYouGo: boolean | null;
  allocatedPasses: number | null;
  bookedAsAppPass: number;
  requiredPasses: number | null;
  overage: number | null;
  unusedPasses: number | null;
  activeUsers: number;
  launches: number;
  findings: Finding[];
  /** What the figures could not be sure of, and how to find out. */
  unknowns: string[];
  apps: AppUsage[];
}

export interface UserUsage {
  userPrincipalName: string;
  displayName?: string;
  licenses: UserLicense[] | null;
  coveredPerUser: boolean;
  coverageBasis: 'licenses' | 'report';
  passesNeeded: number;
  bookedAsAppPass: number;
}

export interface Prices {
  perAppPass: number;
  perUserPremium: number;
  payAsYouGoPerAppUser: number;
  currency: string;
}

export interface AdviceAction {
  title: string;
  detail: string;
  rule: RuleId;
  /** Estimated list-price saving or avoided purchase per month. */
  monthlySaving: number;
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

export interface Advice {
  prices: Prices;
  perUser: UserCostComparison[];
  moves: PassMove[];
  actions: AdviceAction[];
  notes: string[];
}

export interface TenantTotals {
  allocatedPasses: number | null;
  bookedAsAppPass: number;
  requiredPasses: number | null;
  overage: number;
  unusedPasses: number;
}

export interface LicensingReport {
  generatedAt: string;
  month: string | null;
  months: string[];
  sources: SourceInfo[];
  totals: TenantTotals;
  environments: EnvironmentReport[];
  users: UserUsage[];
  advice: Advice;
}
