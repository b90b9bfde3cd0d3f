import type { AnalyzedTenant } from '../tenant/analyzedTenant';
import type { EnvironmentReport } from '../licensing/report';
import type { ViewOf } from '../cards/render';
import { money, plural } from '../licensing/wording';
import { MONTH_NAMES } from '../licensing/months';
import { subtitle } from './findingItems';
import { bestOfEach } from '../licensing/advice';
import { insteadOfPasses, takesPasses } from '../licensing/figures';

/**
 * "Do we need to buy before February?": a direct yes or no with the reason, then the
 * advice. Passes are needed where this month's launches need more than is allocated
 * (requiredPasses, not the bookings: a standard app booked as a pass needs none), after
 * the idle passes of other environments are moved there. Only environments that can take
 * passes count: a pay-as-you-go or developer environment gets one line on what it needs.
 */

export function buyBeforeCard(tenant: AnalyzedTenant, month: number | undefined, env: EnvironmentReport | null): ViewOf<'answer'> {
  const { advice } = tenant.report;
  const scope = env ? [env] : tenant.report.environments;
  const envs = scope.filter(takesPasses);
  // Launches there are covered otherwise: say how, never count them as passes to buy.
  const otherwise = scope.filter((e) => !takesPasses(e) && (e.requiredPasses ?? 0) > 0).map(insteadOfPasses);
  const short = envs.map((e) => ({ e, missing: e.requiredPasses !== null && e.allocatedPasses !== null ? Math.max(0, e.requiredPasses - e.allocatedPasses) : null }));
  const unknown = short.filter((s) => s.missing === null).map((s) => s.e.name);
  const missing = short.reduce((n, s) => n + (s.missing ?? 0), 0);
  const shortIn = short
    .filter((s) => s.missing)
    .map((s) => `${s.e.name} ${s.missing}`)
    .join(', ');
  const idle = env ? 0 : tenant.report.environments.filter((e) => !e.payAsYouGo).reduce((n, e) => n + (e.unusedPasses ?? 0), 0);
  const booked = envs.reduce((n, e) => n + Math.max(0, e.overage ?? 0), 0);
  const toBuy = Math.max(0, missing - idle);
  const when = month ? ` before ${MONTH_NAMES[month - 1]}` : '';
  const no = month ? `No, not before ${MONTH_NAMES[month - 1]}` : 'No';
  const answer =
    env && !takesPasses(env)
      ? `${no}: ${insteadOfPasses(env)}`
      : toBuy > 0
      ? `Yes${month ? `, before ${MONTH_NAMES[month - 1]}` : ''}: this month's launches need ${plural(missing, 'pass', 'passes')} more than allocated (${shortIn})${idle ? `, and moving the ${idle} idle ones covers only part` : ''}; buy ${toBuy} (or the per-user licenses the advice names).`
      : unknown.length && !missing
        ? `I cannot tell${when}: the allocation or the launches of ${unknown.join(', ')} are unknown.`
        : missing > 0
          ? `${no}: ${plural(missing, 'pass', 'passes')} short (${shortIn}), but ${idle} sit idle elsewhere; move them instead of buying.`
          : booked > 0
            ? `${no}: you book ${plural(booked, 'pass', 'passes')} over the allocation, but they are standard apps booked because of their "Per-app licensing" setting: what launches need fits in what you have. Fix the setting instead.`
            : `${no}: every environment needs no more passes than it has allocated.`;
  return {
    card: 'answer',
    data: {
      title: `Do we need to buy passes${when}${env ? ` for ${env.name}` : ''}?`,
      subtitle: subtitle(tenant),
      answer,
      answerColor: toBuy > 0 ? 'Attention' : 'Default',
      facts: [
        { title: 'Passes needed beyond the allocation', value: String(missing) },
        { title: 'Idle passes to move', value: String(idle) },
        { title: 'Booked over the allocation', value: String(booked) },
      ],
      itemsTitle: 'What to do first',
      // Actions that can all be taken: the best of each set of alternatives.
      items: [
        ...(env ? [] : otherwise),
        ...bestOfEach(advice.actions)
          .filter((a) => !env || !a.environmentId || a.environmentId === env.id)
          .slice(0, 3)
          .map((a) => `${a.title} (~${money(a.monthlySaving, advice.prices)}/month)`),
      ],
      note: 'Passes are not a hard cap: launches over the allocation still run, and Microsoft says only that occasional and reasonable overages are tolerated (R5). This answer reads this month\'s launches.',
      buttons: [{ title: 'What should we buy?', text: 'What should we buy?' }],
    },
  };
}
