import type { Finding } from '../report';
import { plural } from '../wording';
import { finding, type EnvFacts, type FindingWords } from './finding';

/** LAUNCHES_AT_ZERO_ALLOCATION (R5): launches that need a pass where none is allocated. */

/** `bookedAsAppPass` and `unlicensed` are null when the launches come from the audit log, which does not say what was charged. */
export function launchesAtZeroAllocation(env: EnvFacts, launches: number, bookedAsAppPass: number | null, unlicensed: number | null): Finding {
  return finding('LAUNCHES_AT_ZERO_ALLOCATION', 'R5', 'warning', env, { count: launches }, [env, launches, bookedAsAppPass, unlicensed] satisfies Parameters<typeof launchesAtZeroAllocation>);
}

export function launchesAtZeroAllocationWords(f: Finding): FindingWords {
  const title = `0 passes allocated: ${plural(f.count ?? 0, 'launch', 'launches')} should have been blocked`;
  const [env, launches, bookedAsAppPass, unlicensed] = f.detail as Parameters<typeof launchesAtZeroAllocation>;
  const fromLog = bookedAsAppPass === null;
  return {
    title,
    evidence: [
      `${env.name}: 0 passes allocated; ${plural(launches, 'launch', 'launches')} this month that ${launches === 1 ? 'needs a pass or was' : 'need a pass or were'} booked as one`,
      bookedAsAppPass === null
        ? 'from the audit log, which does not say which license Microsoft charged them to'
        : `${bookedAsAppPass} booked as AppPass, ${unlicensed} with no pass, per-user license or pay-as-you-go`,
    ],
    explanation: `No passes are allocated to ${env.name}, and with allocation 0 Microsoft blocks launches that need a pass and disables the per-app setting (R5, documented). So ${launches === 1 ? 'this launch' : `these ${launches} launches`} should have been blocked: ${launches === 1 ? 'it is' : 'they are'} not overage. In the data this usually means a trial license covered the users (trials count), a license assigned recently that ${fromLog ? 'the license data' : 'the export'} does not show yet (up to 7 days, R21), or ${fromLog ? 'passes allocated here earlier in the month' : 'a report from a month when passes were still allocated here'}.`,
    // From the audit log there is no report: its month is not what to check (verifier point 7).
    fix: `Check the users' licenses (trials, recent assignments)${fromLog ? ' and whether passes were allocated here earlier this month' : ' and the month the report covers'}. If they need these apps, license them per user, allocate passes to ${env.name}, or link it to a pay-as-you-go billing policy; otherwise nothing is owed.`,
  };
}
