import type { LiveSettings } from '../../config';

/** api-versions as the public references use them (see each call). */
export const API_VERSIONS = {
  bap: 'api-version=2020-10-01',
  powerapps: 'api-version=2016-11-01',
  licensing: 'api-version=2022-03-01-preview',
  insight: 'api-version=2024-10-01',
};
const V = API_VERSIONS;

/** Environment list: learn.microsoft.com/power-platform/admin/list-environments; `billingPolicy` only when expanded (Terraform provider, services/environment). */
export function environmentsUrl(settings: LiveSettings): string {
  return `${settings.bapUrl}/providers/Microsoft.BusinessAppPlatform/scopes/admin/environments?${V.bap}&$expand=properties.capacity,properties.addons,properties.billingPolicy`;
}
/** REST reference, licensing/currency-allocation: 404 when nothing is allocated. */
export function allocationsUrl(settings: LiveSettings, envId: string): string {
  return `${settings.powerPlatformUrl}/licensing/environments/${encodeURIComponent(envId)}/allocations?${V.licensing}`;
}
/** Admin apps of an environment: Microsoft.PowerApps.Administration.PowerShell Get-AdminPowerApp; pnp/cli-microsoft365 `pa app list --asAdmin`. */
export function appsUrl(settings: LiveSettings, envId: string): string {
  return `${settings.powerAppsUrl}/providers/Microsoft.PowerApps/scopes/admin/environments/${encodeURIComponent(envId)}/apps?${V.powerapps}`;
}
/** REST reference, licensing/billing-policy/list-billing-policies. */
export function billingPoliciesUrl(settings: LiveSettings): string {
  return `${settings.powerPlatformUrl}/licensing/billingPolicies?${V.licensing}`;
}
/** REST reference, licensing/entitlement/get-many-environment-entitlements: a bare array. */
export function entitlementsUrl(settings: LiveSettings, envId: string): string {
  return `${settings.powerPlatformUrl}/licensing/environments/${encodeURIComponent(envId)}/entitlements?${V.insight}`;
}
/** REST reference, licensing/entitlement-insight/get-tenant-users: tenant-wide, one call (and its pages) per entitlement. */
export function insightUrl(settings: LiveSettings, entitlementId: string, month: string, pageSize = 1000): string {
  const [y, m] = month.split('-').map(Number);
  const to = new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
  return `${settings.powerPlatformUrl}/licensing/entitlements/${encodeURIComponent(entitlementId)}/users?${V.insight}&fromDate=${month}-01&toDate=${to}&pageSize=${pageSize}`;
}
/** Graph: subscribedsku-list (LicenseAssignment.Read.All) and user-list (User.Read.All). */
export function subscribedSkusUrl(settings: LiveSettings): string {
  return `${settings.graphUrl}/v1.0/subscribedSkus`;
}
export function graphUsersUrl(settings: LiveSettings, top = 999): string {
  return `${settings.graphUrl}/v1.0/users?$select=id,userPrincipalName,displayName,assignedLicenses&$top=${top}`;
}
