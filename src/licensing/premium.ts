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
  if (app.planClassification === 'Premium') reasons.push('appPlanClassification is Premium');
  if (app.usesPremiumApi) reasons.push('usesPremiumApi is true');
  if (app.usesCustomApi) reasons.push('usesCustomApi is true');
  if (app.usesOnPremiseGateway) reasons.push('usesOnPremiseGateway is true');
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

/** R6: licenses under which a user consumes no pass anywhere. D365 Professional covers only its own app. */
export function isCoveredPerUser(licenses: readonly UserLicense[]): boolean {
  return licenses.includes('PowerAppsPremium') || licenses.includes('D365Enterprise');
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
