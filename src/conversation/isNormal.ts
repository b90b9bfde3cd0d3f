import type { AnalyzedTenant } from '../tenant/analyzedTenant';
import type { EnvironmentReport } from '../licensing/report';
import type { ViewOf } from '../cards/render';
import { plural } from '../licensing/wording';
import { groupFindings, overUnknownLine, subtitle } from './findingItems';
import type { QuestionKind } from './question';
import { launchesUnknown, takesPasses } from '../licensing/figures';

/**
 * "Is this normal?" after an answer: the last answer's environment (or the tenant)
 * against what the rules expect: bookings that match what launches need, within the
 * allocation, with little sitting idle, and no finding that needs action. What is not
 * normal comes first, with the findings behind it.
 */

/** More idle than this share of the allocation is capacity paid for and not used. */
const IDLE_SHARE = 0.25;

export function isNormalCard(tenant: AnalyzedTenant, env: EnvironmentReport | null, about?: QuestionKind): ViewOf<'answer'> {
  // Pass figures only where passes count: not pay-as-you-go (R10) nor developer (R16).
  const envs = (env ? [env] : tenant.report.environments).filter(takesPasses);
  const sum = (f: (e: EnvironmentReport) => number | null) => envs.reduce((n, e) => n + (f(e) ?? 0), 0);
  // Launches unknown: nothing can be judged normal or not; never "0 booked, 0 needed".
  const unknown = overUnknownLine(tenant.report, envs.filter(launchesUnknown), 'is as it should be');
  if (unknown) {
    return {
      card: 'answer',
      data: { title: `Is this normal in ${env ? env.name : 'your tenant'}?`, subtitle: subtitle(tenant), answer: unknown, answerColor: 'Default', facts: [], itemsTitle: '', items: [], note: '', buttons: [{ title: 'What should we buy?', text: 'What should we buy?' }] },
    };
  }
  const [booked, needed, allocated, idle, over] = [sum((e) => e.bookedAsAppPass), sum((e) => e.requiredPasses), sum((e) => e.allocatedPasses), sum((e) => e.unusedPasses), sum((e) => Math.max(0, e.overage ?? 0))];
  const findings = (env ? [env] : tenant.report.environments).flatMap((e) => e.findings);
  const action = findings.filter((f) => f.severity === 'action');
  const warning = findings.filter((f) => f.severity === 'warning');
  const where = env ? env.name : 'your tenant';
  const answer =
    booked > needed
      ? `No: ${where} books ${plural(booked, 'pass', 'passes')} where launches need ${needed}${over ? `, ${over} over the allocation` : ''}; the difference is bookings the rules say need no pass.`
      : over > 0
        ? `No: ${where} is over its allocation by ${over}, and the launches do need those passes.`
        : allocated > 0 && idle / allocated > IDLE_SHARE
          ? `No: ${idle} of ${allocated} passes (${Math.round((100 * idle) / allocated)}%) sit idle in ${where}; they could move where passes are short, or be dropped at renewal.`
          : action.length
            ? `No: ${plural(action.length, 'finding')} in ${where} need action.`
            : warning.length
              ? `Mostly: bookings in ${where} match what launches need; ${plural(warning.length, 'finding')} are worth a look.`
              : `Yes: in ${where} bookings match what launches need and nothing needs action.`;
  return {
    card: 'answer',
    data: {
      title: `Is this normal${about === 'over' ? ' to be over' : ''} in ${where}?`,
      subtitle: subtitle(tenant),
      answer,
      answerColor: answer.startsWith('Yes') ? 'Good' : answer.startsWith('Mostly') ? 'Warning' : 'Attention',
      facts: [
        { title: 'Passes booked', value: String(booked) },
        { title: 'Passes launches need', value: String(needed) },
        { title: 'Allocated, of them idle', value: `${allocated}, ${idle} idle` },
      ],
      itemsTitle: 'What is not as it should be',
      items: groupFindings([...action, ...warning], env ?? undefined)
        .slice(0, 3)
        .map((f) => `${f.title} (${f.ruleLine})`),
      note: '',
      buttons: [{ title: 'What should we buy?', text: 'What should we buy?' }],
    },
  };
}
