import type { App, UserLicense } from './snapshot';
import type { RuleId } from './rules';
import { isModelDriven, premiumRule } from './passNeed';

/**
 * Whether an app needs a premium license, read from the inventory's own signals
 * (R7 for connectors, R12 for model-driven apps). The reasons are kept because an
 * admin who disagrees needs to see which setting or connector made the call.
 */
export interface PremiumVerdict {
  premium: boolean;
  reasons: string[];
  rule: RuleId;
}

export function classifyApp(app: App): PremiumVerdict {
  const reasons: string[] = [];
  if (isModelDriven(app)) reasons.push('model-driven app (Dataverse)');
  if (app.type === 'code') reasons.push('code app (end users need Power Apps Premium, R20)');
  if (app.planClassification === 'Premium') reasons.push('appPlanClassification is Premium');
  if (app.usesPremiumApi) reasons.push('usesPremiumApi is true');
  if (app.usesCustomApi) reasons.push('usesCustomApi is true');
  if (app.usesOnPremiseGateway) reasons.push('usesOnPremiseGateway is true');
  // The grandfathering of pre-Oct-2019 premium connectors ended on 1 Oct 2024 (R7), while
  // such apps can still carry appPlanClassification Standard (public admin-apps payloads).
  if (app.usesOnlyGrandfatheredPremiumApis) reasons.push('usesOnlyGrandfatheredPremiumApis is true (their extension ended on 1 Oct 2024)');
  if (app.usesPcfExternalServiceUsage) reasons.push('usesPcfExternalServiceUsage is true (a code component declares external-service-usage)');
  for (const c of app.connectors) {
    if (c.custom) reasons.push(`custom connector "${c.name}"`);
    else if (c.onPremises) reasons.push(`on-premises gateway connection "${c.name}"`);
    else if (c.tier === 'Premium') reasons.push(`premium connector "${c.name}"`);
  }
  const premium = reasons.length > 0;
  if (!premium) {
    const names = app.connectors.map((c) => c.name);
    reasons.push(names.length ? `standard connectors only (${names.join(', ')})` : 'no premium, custom or on-premises connectors');
  }
  return { premium, reasons: unique(reasons), rule: premiumRule(app) };
}

/**
 * R6: licenses under which a user consumes no pass anywhere: Power Apps Premium only.
 * Dynamics 365 licenses cover apps only in the context of the licensed D365 app, which
 * no source here can tell, so a D365 user's AppPass row is a correct booking.
 */
export function isCoveredPerUser(licenses: readonly UserLicense[]): boolean {
  return licenses.includes('PowerAppsPremium');
}

/** R6: a Dynamics 365 license that covers apps in its own context only. */
export function hasDynamicsInContextOnly(licenses: readonly UserLicense[]): boolean {
  return !isCoveredPerUser(licenses) && (licenses.includes('D365Enterprise') || licenses.includes('D365Professional'));
}

/**
 * R17: Entra ID writes an invited guest's UPN as <home address with @ as _>#EXT#@<host
 * tenant> (learn.microsoft.com/entra/external-id/user-properties); the usage rows carry
 * only the UPN, not Graph's userType, so the UPN is what can tell.
 */
export function isGuest(upn: string): boolean {
  return upn.toUpperCase().includes('#EXT#');
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
