/**
 * Who may see licensing data: only the admins listed in PASSLENS_ADMINS, and only from
 * the configured tenant. Locally, with no bot identity and no admins listed, the
 * Playground user may see the demo tenant.
 */
export interface AccessPolicy {
  /** AAD object ids and UPNs, lower-cased. */
  admins: string[];
  openLocally: boolean;
  tenantId: string | null;
  /** Member lookups (UPN-listed admins) are asked only of this connector origin. */
  teamsServiceUrl?: string;
}

/** What each policy decided per serviceUrl: a chat's activities all carry the same one, and two URL parses were a share of a warm turn. */
const decided = new WeakMap<AccessPolicy, Map<string, boolean>>();

/** Whether an activity's serviceUrl is the configured Teams connector (same origin). */
export function isTeamsService(policy: AccessPolicy, serviceUrl: string | undefined): boolean {
  if (!serviceUrl) return false;
  let known = decided.get(policy);
  if (!known) decided.set(policy, (known = new Map()));
  let same = known.get(serviceUrl);
  if (same === undefined) {
    try {
      same = new URL(serviceUrl).origin === new URL(policy.teamsServiceUrl ?? 'https://smba.trafficmanager.net/').origin;
    } catch {
      same = false;
    }
    // Bounded: serviceUrl comes from the activity, which anyone can send locally.
    if (known.size >= 100) known.clear();
    known.set(serviceUrl, same);
  }
  return same;
}

export interface Caller {
  tenantId?: string;
  aadObjectId?: string;
  /** Asked only when a UPN is listed and the object id did not match (a call to Teams). */
  lookupUpn: () => Promise<string | undefined>;
}

export type AccessDecision =
  | { allowed: true }
  | { allowed: false; reason: 'other-tenant' | 'not-admin'; title: string; message: string; action: string };

export async function decideAccess(policy: AccessPolicy, caller: Caller): Promise<AccessDecision> {
  if (policy.tenantId && caller.tenantId?.toLowerCase() !== policy.tenantId.toLowerCase()) {
    return {
      allowed: false,
      reason: 'other-tenant',
      title: 'PassLens answers only its own organisation',
      message: 'This conversation comes from another Microsoft 365 tenant than the one PassLens is set up for, so I cannot show licensing data here.',
      action: 'Install PassLens in your own tenant (see its README).',
    };
  }
  if (policy.openLocally) return { allowed: true };
  const id = caller.aadObjectId?.toLowerCase();
  if (id && policy.admins.includes(id)) return { allowed: true };
  if (policy.admins.some((a) => a.includes('@'))) {
    const upn = (await caller.lookupUpn())?.toLowerCase();
    if (upn && policy.admins.includes(upn)) return { allowed: true };
  }
  return {
    allowed: false,
    reason: 'not-admin',
    title: 'Licensing data is for admins only',
    message: 'PassLens shows per-app pass and license data only to the admins listed in its configuration, because it names people and their licenses.',
    action: 'Ask your Power Platform admin (who set up PassLens) to add you to PASSLENS_ADMINS.',
  };
}
