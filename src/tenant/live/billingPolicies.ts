import { AdminApi } from './adminApi';
import { LiveApiError } from './errors';
import type { LiveSettings } from '../../config';
import { API_VERSIONS, billingPoliciesUrl } from './endpoints';
import { describe } from './failedCalls';

interface BillingPolicies {
  /** environment ids (lower case) linked to an Enabled policy */
  linked: Set<string>;
  enabled: Set<string>;
  /** false when an Enabled policy's environment list could not be read (not a 404) */
  complete: boolean;
}

/**
 * Pay-as-you-go: only `Enabled` billing policies bill; a 404 on one policy's environment
 * list means it has none (REST reference, billing-policy and billing-policy-environment;
 * Terraform provider, services/licensing). null when the list itself could not be read.
 */
export async function readBillingPolicies(api: AdminApi, settings: LiveSettings, warnings: string[]): Promise<BillingPolicies | null> {
  let policies: { id: string; status?: string }[];
  try {
    policies = await api.all<{ id: string; status?: string }>('powerplatform', billingPoliciesUrl(settings));
  } catch (e) {
    if (!(e instanceof LiveApiError)) throw e;
    warnings.push(`Billing policies could not be read: ${describe(e)} An environment BAP shows linked to a policy is pay-as-you-go unknown; the others are not linked.`);
    return null;
  }
  const enabled = policies.filter((p) => (p.status ?? '').toLowerCase() === 'enabled');
  const result: BillingPolicies = { linked: new Set(), enabled: new Set(enabled.map((p) => p.id.toLowerCase())), complete: true };
  await Promise.all(
    enabled.map(async (policy) => {
      try {
        const envs = await api.all<{ environmentId?: string }>('powerplatform', `${settings.powerPlatformUrl}/licensing/billingPolicies/${encodeURIComponent(policy.id)}/environments?${API_VERSIONS.licensing}`);
        for (const e of envs) if (e.environmentId) result.linked.add(e.environmentId.toLowerCase());
      } catch (e) {
        if (!(e instanceof LiveApiError)) throw e;
        if (e.status === 404) return;
        result.complete = false;
        warnings.push(`The environments of billing policy ${policy.id} could not be read: ${describe(e)} Environments not otherwise known to be linked are pay-as-you-go unknown.`);
      }
    }),
  );
  return result;
}

export function payAsYouGoOf(envId: string, bapPolicyId: string | null, policies: BillingPolicies | null): boolean | null {
  if (policies) {
    if (policies.linked.has(envId.toLowerCase())) return true;
    if (bapPolicyId && policies.enabled.has(bapPolicyId.toLowerCase())) return true;
    if (policies.complete) return false;
  }
  // The Power Platform API could not say: BAP's expanded billingPolicy shows a link, not whether the policy is Enabled.
  return bapPolicyId ? null : false;
}
