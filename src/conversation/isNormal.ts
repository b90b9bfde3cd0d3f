import type { AnalyzedTenant } from '../tenant/analyzedTenant';
import type { EnvironmentReport } from '../licensing/report';
import type { ViewOf } from '../cards/render';
import { plural } from '../licensing/wording';
import { groupFindings, subtitle } from './findingItems';
import type { QuestionKind } from './question';

/**
 * "Is this normal?" after an answer: the last answer's environment (or the tenant)
 * against what the rules expect, where bookings match what launches need, within the
 * allocation, and against the tenant's other environments. What is not normal comes
 * with its findings, the rule behind each.
 */

export function isNormalCard(tenant: AnalyzedTenant, env: EnvironmentReport | null, about?: QuestionKind): ViewOf<'answer'> {
  const envs = env ? [env] : tenant.report.environments;
  const attention = envs.filter((e) => e.findings.some((f) => f.severity === 'action'));
  const items = groupFindings(attention.flatMap((e) => e.findings.filter((f) => f.severity === 'action')), env ?? undefined)
    .slice(0, 3)
    .map((f) => `${f.title} (${f.ruleLine})`);
  const booked = envs.reduce((n, e) => n + (e.bookedAsAppPass ?? 0), 0);
  const needed = envs.reduce((n, e) => n + (e.requiredPasses ?? 0), 0);
  const others = env ? tenant.report.environments.filter((e) => e.id !== env.id && e.findings.some((f) => f.severity === 'action')).length : 0;
  const where = env ? env.name : 'your tenant';
  const answer = !attention.length
    ? `Yes: in ${where} bookings match what launches need${env?.unusedPasses ? `, with ${env.unusedPasses} idle` : ''}; nothing needs action.`
    : booked > needed
      ? `No: ${where} books ${plural(booked, 'pass', 'passes')} where launches need ${needed}; the difference is bookings the rules say need no pass.`
      : `No: ${env ? where : plural(attention.length, 'environment')} ${env || attention.length === 1 ? 'has' : 'have'} ${plural(attention.flatMap((e) => e.findings.filter((f) => f.severity === 'action')).length, 'finding')} that need action.`;
  return {
    card: 'answer',
    data: {
      title: `Is this normal${about === 'over' ? ' to be over' : ''} in ${where}?`,
      subtitle: subtitle(tenant),
      answer,
      answerColor: attention.length ? 'Attention' : 'Default',
      facts: [
        { title: 'Passes booked', value: String(booked) },
        { title: 'Passes launches need', value: String(needed) },
        env ? { title: 'Other environments needing action', value: String(others) } : { title: 'Environments needing action', value: `${attention.length} of ${envs.length}` },
      ],
      itemsTitle: 'What is not normal',
      items,
      note: '',
      buttons: [{ title: 'What should we buy?', text: 'What should we buy?' }],
    },
  };
}
