import type { Launch } from '../licensing/snapshot';
import type { AnalyzedTenant } from '../tenant/analyzedTenant';
import { money, plural } from '../licensing/wording';
import { compareUserCost } from '../licensing/advice';
import { cheaperPerUser, passNeed, premiumRule } from '../licensing/passNeed';
import { LICENSE_NAMES } from '../licensing/licenseSkus';
import { hasDynamicsInContextOnly } from '../licensing/premium';
import type { ViewOf } from '../cards/render';
import { findingItem } from './findingItems';

/** "What does jane@contoso.com consume?": a user's licenses, launches and passes needed. */

/** What a launch line says of passNeed's answer; an unknown says which fact is missing. */
const NEED_WORDS = {
  yes: ', needs a pass',
  no: '',
  managed: ', needs a pass if the environment is managed (R8: unknown)',
  premium: ', needs a pass if the app is premium (no classification)',
} as const;


export function userCard(tenant: AnalyzedTenant, upn: string): ViewOf<'user'> | null {
  const u = tenant.report.users.find((x) => x.userPrincipalName === upn.toLowerCase());
  const known = tenant.inventory.users?.find((x) => x.userPrincipalName.toLowerCase() === upn.toLowerCase());
  if (!u && !known) return null;
  const prices = tenant.report.advice.prices;
  const passes = u?.passesNeeded ?? 0;
  const licenses = u?.licenses ?? known?.licenses ?? null;
  const covered = u?.coveredPerUser ?? false;
  const launches: Launch[] = tenant.ledger.launchesOf(upn).filter((l) => l.month === tenant.report.month || l.month === null);
  const byEnv = new Map<string, string[]>();
  for (const l of launches) {
    const env = tenant.report.environments.find((e) => e.id === l.environmentId);
    const app = env?.apps.find((a) => a.appId === l.appId);
    const name = env?.name ?? l.environmentName ?? l.environmentId;
    const need = passNeed({ coveredPerUser: covered || l.licenseType === 'PerUser', payAsYouGo: l.licenseType === 'PayAsYouGo' ? true : (env?.payAsYouGo ?? null), managed: env?.managed ?? null, premium: app?.premium ?? null, premiumRule: premiumRule(app) });
    byEnv.set(name, [...(byEnv.get(name) ?? []), `${app?.appName ?? l.appName ?? l.appId}: ${l.licenseType === null ? 'launched (the audit log does not say which license)' : `booked as ${l.licenseType}`}${NEED_WORDS[need.need === 'unknown' ? need.missing : need.need]}`]);
  }
  const c = compareUserCost(upn, passes, prices);
  const findings = tenant.report.environments.flatMap((e) => e.findings).filter((f) => f.userPrincipalName === upn.toLowerCase());
  return {
    card: 'user',
    data: {
      name: known?.displayName ?? u?.displayName ?? upn,
      upn: upn.toLowerCase(),
      verdict: covered
        ? 'Licensed per user: needs no pass anywhere (R6).'
        : licenses && hasDynamicsInContextOnly(licenses)
          ? `Dynamics 365 covers apps only in the context of its licensed Dynamics 365 app, in the same environment (R6): outside it ${passes === 0 ? 'a pass or Premium is needed' : `these ${plural(passes, 'pass', 'passes')} are correct bookings, not double licensing`}.`
        : passes === 0
          ? 'Needs no pass this month.'
          : `Needs ${plural(passes, 'pass', 'passes')} this month${cheaperPerUser(passes, prices) ? ': a per-user license would be cheaper (R14).' : '.'}`,
      licenses: licenses === null ? 'unknown (no license data loaded)' : licenses.map((l) => LICENSE_NAMES[l]).join(', ') || 'none',
      passesNeeded: String(passes),
      booked: String(u?.bookedAsAppPass ?? 0),
      comparison: covered ? 'already per user' : `${money(c.perAppCost, prices)} per app vs ${money(c.perUserCost, prices)} per user`,
      environments: [...byEnv].map(([name, apps]) => ({ name, apps })),
      findings: findings.map(findingItem),
      whyIds: findings.map((_, i) => `why${i}`),
    },
  };
}
