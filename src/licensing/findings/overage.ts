import type { Finding, Prices } from '../report';
import { money, plural } from '../wording';
import { finding, type EnvFacts, type FindingWords } from './finding';
import { PER_APP_SETTING, perAppSettingWhere } from './standardAppBookedAsPass';

/**
 * OVERAGE (R5): more launches booked as AppPass than passes allocated; or, from the audit
 * log (basis 'need', no bookings known), more launches that need a pass than passes allocated.
 */

export function overage(env: EnvFacts, booked: number, allocated: number, misbooked: number, movesIn: { from: string; passes: number }[], prices: Prices, basis: 'booked' | 'need' = 'booked'): Finding {
  const over = booked - allocated;
  return finding('OVERAGE', 'R5', 'action', env, { count: over }, [env, booked, allocated, misbooked, movesIn, prices, basis] satisfies Parameters<typeof overage>);
}

export function overageWords(f: Finding): FindingWords {
  const title = `Over by ${plural(f.count ?? 0, 'pass', 'passes')}`;
  const [env, booked, allocated, misbooked, movesIn, prices, basis] = f.detail as Parameters<typeof overage>;
  const over = booked - allocated;
  const byNeed = basis === 'need';
  const evidence = [byNeed ? `${env.name}: ${allocated} passes allocated; the audit log shows ${booked} launches this month that need a pass` : `${env.name}: ${allocated} passes allocated, ${booked} launches booked as AppPass`];
  const steps: string[] = [];
  if (misbooked > 0 && env.managed !== true) {
    evidence.push(`${misbooked} of the ${booked} are standard apps booked as AppPass because their per-app setting is on`);
    const when = env.managed === null ? ', after confirming this is not a Managed Environment (R8)' : '';
    steps.push(`switch ${PER_APP_SETTING} off${perAppSettingWhere(env)} on the standard apps${when} (frees ${misbooked}${misbooked >= over ? ', which ends the overage' : ''})`);
  }
  for (const m of movesIn) steps.push(`move ${plural(m.passes, 'idle pass', 'idle passes')} from ${m.from}`);
  steps.push(`license the heaviest users per user or move this environment to pay-as-you-go (R14), or allocate ${plural(over, 'more pass', 'more passes')} (${money(over * prices.perAppPass, prices)}/month at list price, where your channel still sells them: end of sale for new customers in some channels since January 2026, R13)`);
  return {
    title,
    evidence,
    explanation: `${byNeed ? `${env.name} has ${booked} launches that need a pass (from the audit log) against ${allocated} allocated passes: ${over} over, whatever Microsoft books, since its bookings only add to what is needed (R9).` : `${env.name} has ${booked} launches booked as AppPass against ${allocated} allocated passes: ${over} over.`} Passes are not a hard cap, so the launches worked; Microsoft tolerates occasional overage but expects you to adjust your purchase.`,
    fix: `Do the first that applies: ${steps.join('; or ')}.`,
  };
}
