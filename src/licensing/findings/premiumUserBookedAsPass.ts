import type { Finding } from '../report';
import { plural } from '../wording';
import { LICENSE_NAMES } from '../licenseSkus';
import { finding, type EnvFacts, type FindingWords } from './finding';

/** PREMIUM_USER_BOOKED_AS_PASS (R6): passes booked for a user whose per-user license needs none. */

export function premiumUserBookedAsPass(env: EnvFacts, upn: string, count: number, basis: 'licenses' | 'report', licenses: string[]): Finding {
  return finding('PREMIUM_USER_BOOKED_AS_PASS', 'R6', 'action', env, { userPrincipalName: upn, count }, [env, upn, count, basis, licenses] satisfies Parameters<typeof premiumUserBookedAsPass>);
}

export function premiumUserBookedAsPassWords(f: Finding): FindingWords {
  const title = `${f.userPrincipalName} holds ${plural(f.count ?? 0, 'pass', 'passes')} despite a per-user license`;
  const [env, upn, count, basis, licenses] = f.detail as Parameters<typeof premiumUserBookedAsPass>;
  return {
    title,
    evidence: [
      `${plural(count, 'launch', 'launches')} by ${upn} booked as AppPass in ${env.name}`,
      basis === 'licenses'
        ? `Licenses: ${licenses.map((l) => LICENSE_NAMES[l as keyof typeof LICENSE_NAMES] ?? l).join(', ')}`
        : `The report books ${upn} under PerUser for other apps, so a per-user license exists (no license data loaded to confirm)`,
    ],
    explanation:
      basis === 'licenses'
        ? `${upn} has Power Apps Premium (per user), which needs no pass, yet ${plural(count, 'pass is', 'passes are')} booked for them in ${env.name}. First rule out lag (R21): a per-user license can take up to 7 days to show in exports (24 hours with group-based assignment), and launches before it showed are booked as passes. If the license was in place all month, this is double licensing.`
        : `${upn} is booked under PerUser for other apps, yet ${plural(count, 'pass is', 'passes are')} booked for them in ${env.name}. If that per-user license is Power Apps Premium, first rule out lag (R21: up to 7 days in exports, 24 hours with group-based assignment), then this is double licensing; if it is Dynamics 365, it covers only its own app's context (R6) and these bookings are correct.`,
    fix: 'Check when the per-user license was assigned (passes are taken at the first launch in a month). If it was before the month began, the passes free up next month; if it happens again next month, open a support ticket with this evidence.',
  };
}
