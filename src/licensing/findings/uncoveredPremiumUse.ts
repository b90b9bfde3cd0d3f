import type { Finding } from '../report';
import type { RuleId } from '../rules';
import { plural } from '../wording';
import { finding, sampleText, type EnvFacts, type FindingWords } from './finding';
import { PER_APP_SETTING, perAppSettingWhere } from './standardAppBookedAsPass';

/** UNCOVERED_PREMIUM_USE (R7/R12/R8): launches that need a pass and have no pass, per-user license or pay-as-you-go. */

export function uncoveredPremiumUse(env: EnvFacts, app: { appId: string; appName: string; reasons: string[]; rule: RuleId }, count: number, users: string[], bookedAs: string[]): Finding {
  return finding('UNCOVERED_PREMIUM_USE', app.rule, 'action', env, { appId: app.appId, appName: app.appName, count }, [env, app, count, users, bookedAs] satisfies Parameters<typeof uncoveredPremiumUse>);
}

export function uncoveredPremiumUseWords(f: Finding): FindingWords {
  const title = `"${f.appName}": ${plural(f.count ?? 0, 'user')} with no pass or license`;
  const [env, app, count, users, bookedAs] = f.detail as Parameters<typeof uncoveredPremiumUse>;
  return {
    title,
    evidence: [
      `${plural(count, 'user')} launched "${app.appName}" booked as ${bookedAs.join('/')} with no pass, per-user license or pay-as-you-go`,
      sampleText('Users', users, count),
      `Passes allocated to ${env.name}: ${env.allocatedPasses ?? 'unknown'}`,
    ],
    explanation: `${app.rule === 'R8' ? `${env.name} is a Managed Environment, where every app needs a standalone license (R8)` : `"${app.appName}" is premium (${app.reasons.join('; ')})`}, so Microsoft 365 rights do not cover it, yet ${plural(count, 'user')} used it without a pass or per-user license.${env.allocatedPasses === 0 ? ` With no passes allocated to ${env.name}, Microsoft blocks such launches (R5), so these launches point to trials, license lag or a report from another month (see the finding on launches at zero allocation).` : ' This is unlicensed use.'}`,
    fix: `License these users per user, or allocate ${plural(count, 'pass', 'passes')} to ${env.name} with ${PER_APP_SETTING} on for the app${perAppSettingWhere(env)}, or link ${env.name} to a pay-as-you-go billing policy.`,
  };
}
