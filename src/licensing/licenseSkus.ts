import type { UserLicense } from './snapshot';

/**
 * Microsoft 365 SKU part numbers (Graph subscribedSkus) to the licenses the rules know.
 * Matched by part number, never by hard-coded SKU id (ids differ between clouds).
 */
const EXACT: Record<string, UserLicense> = {
  POWERAPPS_PER_USER: 'PowerAppsPremium',
  POWERAPPS_PER_USER_GCC: 'PowerAppsPremium',
  POWERAPPS_PER_APP_NEW: 'PowerAppsPerApp',
  POWERAPPS_PER_APP: 'PowerAppsPerApp',
  SPE_E5: 'M365E5',
  SPE_E3: 'M365E3',
  // Office 365 E5/E3, not Microsoft 365 (Microsoft's "Product names and service plan identifiers for licensing" table).
  ENTERPRISEPREMIUM: 'O365E5',
  ENTERPRISEPREMIUM_NOPSTNCONF: 'O365E5',
  ENTERPRISEPACK: 'O365E3',
};

export function licenseOfSku(partNumber: string): UserLicense {
  const p = partNumber.toUpperCase();
  if (EXACT[p]) return EXACT[p];
  // Dynamics 365 Professional plans cover only their own app (R6); Enterprise plans cover Power Apps.
  // Whole words only: PROJECT_OPERATIONS is an Enterprise plan, not a Professional one.
  if (/^(DYN365|D365)_(.*_)?(PRO|PROFESSIONAL|TEAM_MEMBERS)(_|$)/.test(p)) return 'D365Professional';
  if (/^DYN365_(ENTERPRISE|SALES|CUSTOMER_SERVICE|FIELD_SERVICE|FINANCE|SCM|PROJECT_OPERATIONS)/.test(p)) return 'D365Enterprise';
  return 'Other';
}

/** How a license is named to a person. */
export const LICENSE_NAMES: Record<UserLicense, string> = {
  PowerAppsPremium: 'Power Apps Premium',
  // Per-app plans are allocated to environments: on a user the SKU covers nothing.
  PowerAppsPerApp: 'Power Apps per app (assigned to the user: a mis-assignment, per-app passes belong to environments)',
  D365Enterprise: 'Dynamics 365 Enterprise',
  D365Professional: 'Dynamics 365 Professional',
  M365E3: 'Microsoft 365 E3',
  M365E5: 'Microsoft 365 E5',
  O365E3: 'Office 365 E3',
  O365E5: 'Office 365 E5',
  Other: 'other',
};
