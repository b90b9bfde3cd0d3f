import type { Finding, Prices } from '../report';
import { money } from '../wording';
import { compareText } from '../names';
import { envFacts, finding, type EnvFacts, type FindingWords } from './finding';

/** CHEAPER_PER_USER (R14): a user whose passes cost more than a per-user license. `environments`: where the user needs passes, in any order. */

export function cheaperPerUser(env: EnvFacts, upn: string, passes: number, environments: readonly string[], prices: Prices): Finding {
  // The environment's facts only: a report listing this finding must not be inside it.
  return finding('CHEAPER_PER_USER', 'R14', 'info', env, { userPrincipalName: upn, count: passes }, [envFacts(env), upn, passes, environments, prices] satisfies Parameters<typeof cheaperPerUser>);
}

export function cheaperPerUserWords(f: Finding): FindingWords {
  const title = `${f.userPrincipalName}: per user is cheaper (${f.count ?? 0} passes)`;
  const [_env, upn, passes, environments, prices] = f.detail as Parameters<typeof cheaperPerUser>;
  const perApp = passes * prices.perAppPass;
  return {
    title,
    evidence: [`${upn} needs ${passes} passes this month in ${[...environments].sort(compareText).join(', ')}`, `${passes} x ${money(prices.perAppPass, prices)} = ${money(perApp, prices)} vs Power Apps Premium ${money(prices.perUserPremium, prices)}`],
    explanation: `${upn} needs ${passes} passes across environments (passes count per environment). A per-user license would cover every app for ${money(prices.perUserPremium, prices)} instead of ${money(perApp, prices)} a month.`,
    fix: `Assign ${upn} a Power Apps Premium license; the ${passes} passes free up next month for other users.`,
  };
}
