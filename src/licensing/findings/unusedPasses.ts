import type { Finding } from '../report';
import { plural } from '../wording';
import { finding, type EnvFacts, type FindingWords } from './finding';

/** UNUSED_PASSES (R2): passes allocated to an environment and not used this month. */

/** `booked`: launches booked as AppPass; with basis 'expected' (the audit log), the launches expected to be booked. */
export function unusedPasses(env: EnvFacts, unused: number, allocated: number, booked: number, movesOut: { to: string; passes: number }[], basis: 'booked' | 'expected' = 'booked'): Finding {
  return finding('UNUSED_PASSES', 'R2', 'info', env, { count: unused }, [env, unused, allocated, booked, movesOut, basis] satisfies Parameters<typeof unusedPasses>);
}

export function unusedPassesWords(f: Finding): FindingWords {
  const title = plural(f.count ?? 0, 'idle pass', 'idle passes');
  const [env, unused, allocated, booked, movesOut, basis] = f.detail as Parameters<typeof unusedPasses>;
  const expected = basis === 'expected';
  return {
    title: expected ? `${title} (expected)` : title,
    evidence: [expected ? `${env.name}: ${allocated} passes allocated, ${booked} launches expected to be booked as AppPass this month (from the audit log; expected, not booked)` : `${env.name}: ${allocated} passes allocated, ${booked} launches booked as AppPass this month`],
    explanation: `${plural(unused, 'pass', 'passes')} allocated to ${env.name} ${expected ? `${unused === 1 ? 'is' : 'are'} expected to stay unused` : `${unused === 1 ? 'was' : 'were'} not used`} this month. A pass covers only the environment it is allocated to.`,
    fix: movesOut.length
      ? `Move them where they are short: ${movesOut.map((m) => `${m.passes} to ${m.to}`).join(', ')} (admin center > Licensing > Power Apps > Manage capacity).`
      : 'No environment is short of passes: lower the allocation here or reduce the quantity at renewal.',
  };
}
