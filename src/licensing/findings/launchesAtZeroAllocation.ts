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
  return {
    title,
    evidence: [
      `${env.name}: 0 passes allocated; ${plural(launches, 'launch', 'launches')} this month that need a pass or were booked as one`,
      bookedAsAppPass === null
        ? 'from the audit log, which does not say which license Microsoft charged them to'
        : `${bookedAsAppPass} booked as AppPass, ${unlicensed} with no pass, per-user license or pay-as-you-go`,
    ],
    explanation: `No passes are allocated to ${env.name}, and with allocation 0 Microsoft blocks launches that need a pass and disables the per-app setting (R5, documented). So these ${plural(launches, 'launch', 'launches')} should have been blocked: they are not overage. In the data this usually means a trial license covered the users (trials count), a license assigned recently that the export does not show yet (up to 7 days, R21), or a report from a month when passes were still allocated here.`,
    fix: `Check the users' licenses (trials, recent assignments) and the month the report covers. If they need these apps, license them per user, allocate passes to ${env.name}, or link it to a pay-as-you-go billing policy; otherwise nothing is owed.`,
  };
}
