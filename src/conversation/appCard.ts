import type { AppUsage, EnvironmentReport } from '../licensing/report';
import type { AnalyzedTenant } from '../tenant/analyzedTenant';
import { passNeed, premiumRule } from '../licensing/passNeed';
import { plural, show } from '../licensing/wording';
import type { ViewOf } from '../cards/render';
import { findingItem } from './findingItems';
import { perAppSettingEvidence, perAppSettingWhere } from '../licensing/findings/standardAppBookedAsPass';

/** The app card's verdict: passNeed's answer for a user with no per-user license, in words; an unknown says which fact is missing. */
function appVerdict(e: EnvironmentReport, app: AppUsage): string {
  const need = passNeed({ coveredPerUser: false, payAsYouGo: e.payAsYouGo, managed: e.managed, premium: app.premium, premiumRule: premiumRule(app) });
  const unclassified = 'no app inventory and no IsPremium flag for this app';
  if (need.need === 'yes') {
    if (need.rule !== 'R8') return `Premium: every user needs a pass or a per-user license (${need.rule}).`;
    return `${app.premium === false ? 'Standard, but in' : 'In'} a Managed Environment every user needs a standalone license (R8).${app.premium === null ? ` Premium status unknown: ${unclassified}.` : ''}`;
  }
  if (need.need === 'unknown') {
    return need.missing === 'premium'
      ? `Premium status unknown: ${unclassified}.`
      : `Standard: Microsoft 365 users need no pass for it (R7), unless ${e.name} is a Managed Environment, where every user needs a standalone license (R8). Whether it is managed is unknown: check admin center > Environments.`;
  }
  if (need.rule === 'R10') {
    const who = app.premium === null ? `Premium status unknown: ${unclassified}` : app.premium ? 'each user without a per-user license is billed per app per month' : 'Microsoft 365 users of a standard app are not billed';
    return `Pay-as-you-go: ${e.name} ignores per-app passes (R10); ${who}.`;
  }
  return 'Standard: Microsoft 365 users need no pass for it (R7).';
}

export function appCard(tenant: AnalyzedTenant, e: EnvironmentReport, app: AppUsage): ViewOf<'app'> {
  const findings = e.findings.filter((f) => f.appId === app.appId);
  const verdict = appVerdict(e, app);
  const bookedAs = Object.entries(app.bookedAs)
    .map(([t, n]) => `${t} ${n}`)
    .join(', ');
  const items = findings.map(findingItem);
  return {
    card: 'app',
    data: {
      name: app.appName,
      subtitle: `${e.name} · ${app.type ?? 'type unknown'}`,
      verdict,
      verdictColor: 'Default',
      classification: app.premium === null ? 'unknown' : app.premium ? 'Premium' : 'Standard',
      // The row's title is the setting's one name, "Per-app licensing" (R9, about-powerapps-perapp: PER_APP_SETTING); the default environment's older label is in the evidence line.
      autoAssign: app.canConsumeAppPass === null ? 'unknown' : app.canConsumeAppPass ? 'on' : 'off',
      usage: `${app.users === null ? 'unknown' : plural(app.users, 'user')} · ${show(app.bookedAsAppPass)} booked as AppPass · ${show(app.requiredPasses)} need a pass`,
      evidence: [
        `Classified from the ${app.premiumBasis}: ${app.premiumReasons.join('; ') || 'no reason recorded'}.`,
        `${perAppSettingEvidence(app.canConsumeAppPass, perAppSettingWhere(e))}.`,
        `Bookings by license type: ${bookedAs || 'none'}.`,
        `App id ${app.appId}.`,
      ],
      findings: items,
      whyIds: ['whyApp', ...items.map((f) => f.whyId)],
      environmentId: e.id,
      environmentName: e.name,
    },
  };
}
