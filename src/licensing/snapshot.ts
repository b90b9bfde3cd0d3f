/**
 * The tenant as plain data: what every source (demo, CSV, live APIs, a saved file)
 * turns the outside world into, and the only thing the licensing rules read.
 */

/** The license types the Active users report and the usage API book a launch under. */
export type BookedLicenseType = 'AppPass' | 'PerUser' | 'PayAsYouGo' | 'M365' | 'Other';
export const BOOKED_LICENSE_TYPES: readonly BookedLicenseType[] = ['AppPass', 'PerUser', 'PayAsYouGo', 'M365', 'Other'];

/** User licenses that matter to pass consumption (R6, R7). */
export type UserLicense =
  | 'PowerAppsPremium'
  | 'PowerAppsPerApp'
  | 'D365Enterprise'
  | 'D365Professional'
  | 'M365E3'
  | 'M365E5'
  | 'O365E3'
  | 'O365E5'
  | 'Other';

/**
 * An environment's type as BAP's `properties.environmentSku` names it (R15, R16): the
 * Power Platform Terraform provider reads that field and knows Sandbox, Production, Trial,
 * Developer and Default (internal/services/environment/dto.go); Microsoft's `pac admin list
 * --type` also lists Teams (Dataverse for Teams) and SubscriptionBasedTrial.
 */
export type EnvironmentType = 'Default' | 'Production' | 'Sandbox' | 'Trial' | 'Developer' | 'Teams' | 'SubscriptionBasedTrial';

export interface Environment {
  id: string;
  name: string;
  /** R15, R16. null or absent = not known (a CSV names no type). */
  environmentType?: EnvironmentType | null;
  /** Managed Environment (R8). null = not known. */
  managed: boolean | null;
  /** Linked to a pay-as-you-go billing policy (R10). null = not known. */
  payAsYouGo: boolean | null;
  /** Per-app passes allocated to this environment (R2). null = not known. */
  allocatedPasses: number | null;
  /** What of this environment could not be read, and why (a live call failed or was refused); the rest was read. */
  dataError?: string;
}

export type PlanClassification = 'Standard' | 'Premium';

export interface ConnectorUse {
  name: string;
  tier: 'Standard' | 'Premium';
  custom: boolean;
  onPremises: boolean;
}

export interface App {
  id: string;
  name: string;
  environmentId: string;
  /** 'code': a Power Apps code app (R20), admin API `appType` "CodeApp". */
  type: 'canvas' | 'model-driven' | 'code';
  planClassification: PlanClassification | null;
  usesPremiumApi: boolean;
  usesCustomApi: boolean;
  usesOnPremiseGateway: boolean;
  /** Only pre-Oct-2019 "grandfathered" premium connectors, whose extension ended on 1 Oct 2024 (R7). Absent = not read. */
  usesOnlyGrandfatheredPremiumApis?: boolean;
  /** A code component declaring `external-service-usage` (R7). Absent = not read. */
  usesPcfExternalServiceUsage?: boolean;
  connectors: ConnectorUse[];
  /** The app's "Auto assign per app passes" setting as the admin API reports it (R9). */
  canConsumeAppPass: boolean | null;
}

export interface User {
  userPrincipalName: string;
  displayName?: string;
  id?: string;
  licenses: UserLicense[];
}

/** One row of the Active users report: a user launched an app in an environment in a month. */
export interface Launch {
  userPrincipalName: string;
  appId: string;
  appName?: string;
  environmentId: string;
  environmentName?: string;
  /** YYYY-MM, or null when the source has no date. */
  month: string | null;
  /** null: the source does not say what Microsoft charged (the audit log, src/launches/). */
  licenseType: BookedLicenseType | null;
  /** The report's IsPremium flag; null when the source has none. */
  reportedPremium: boolean | null;
  /** Where the row came from (a CSV line number), for evidence. */
  line?: number;
}

export interface SourceInfo {
  kind: 'demo' | 'csv' | 'snapshot' | 'live' | 'manual' | 'auditLog';
  description: string;
  rowsRead?: number;
  rowsUsed?: number;
  badRows?: { count: number; samples: { line: number; reason: string }[] };
  warnings?: string[];
  correlationId?: string;
}

/**
 * Everything a source knows of the tenant but its usage: what an analysis runs on
 * beside a UsageIndex (src/usage/), and what an uploaded CSV is analysed against.
 */
export interface TenantInventory {
  generatedAt: string;
  tenantName?: string;
  sources: SourceInfo[];
  environments: Environment[];
  /** null = no app inventory (e.g. CSV only): premium status then comes from the report's flag. */
  apps: App[] | null;
  /** null = no license data: per-user coverage is then inferred from PerUser bookings. */
  users: User[] | null;
  /**
   * Set when no usage source answered (the usage API refused or lists no AppPass
   * entitlement): why, in words. The usage is then empty for want of data, not for want
   * of launches, and every figure that counts launches is unknown.
   */
  usageUnknown?: string;
  /**
   * Set when the usage says who launched what but not which license Microsoft charged
   * (launches from the unified audit log): why, in words. Bookings are then unknown
   * (`bookedAsAppPass` null), what each environment needs is counted, and what Microsoft
   * is expected to book is shown as expected.
   */
  bookingsUnknown?: string;
  /**
   * With `bookingsUnknown`: Microsoft's AppPass bookings per environment id where a live
   * usage source states them (entitlement insight, src/tenant/live/entitlementUsage.ts), so
   * `bookedAsAppPass` shows Microsoft's figure instead of null; per app they stay unknown.
   */
  bookedByEnvironment?: Record<string, number>;
  /**
   * With `bookingsUnknown`: the month's launches were read in part (audit log days failed,
   * refused or not collected), in one line (auditCaveats.partRead). Passes needed are then
   * a lower bound, idle passes an upper bound, and overage known only where the need read
   * already exceeds the allocation.
   */
  launchesIncomplete?: string;
}

/** An inventory with its usage as plain launches: what demo, live and saved files give. */
export interface TenantSnapshot extends TenantInventory {
  launches: Launch[];
}
