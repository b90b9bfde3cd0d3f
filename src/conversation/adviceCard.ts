import type { AnalyzedTenant } from '../tenant/analyzedTenant';
import { ruleLine as citeRule } from '../licensing/rules';
import { money, plural } from '../licensing/wording';
import { alternativeLine, combinedSaving } from '../licensing/advice';
import type { AdviceAction } from '../licensing/report';
import type { ViewOf } from '../cards/render';
import { subtitle } from './findingItems';

/** "What should we buy?": the actions with their savings, per-user comparisons and alternatives. */
/** How many sets of alternatives an answer shows before "Show all N". */
const TOP_CHOICES = 3;

export function adviceCard(tenant: AnalyzedTenant): ViewOf<'advice'> {
  const { advice } = tenant.report;
  const perMonth = (n: number) => `~${money(n, advice.prices)}/month`;
  // Alternatives fix the same passes: shown together as "either ... or ...", counted once in the total.
  const sets = new Map<string, AdviceAction[]>();
  for (const a of advice.actions) sets.set(a.alternativesOf, [...(sets.get(a.alternativesOf) ?? []), a]);
  const ordered = [...sets.values()].map((options) => options.sort((x, y) => y.monthlySaving - x.monthlySaving)).sort((x, y) => y[0].monthlySaving - x[0].monthlySaving);
  const choices = ordered.map((options, i) => ({
    id: `choice${i}`,
    whyId: `whyChoice${i}`,
    visible: i < TOP_CHOICES,
    options: options.map((o, j) => ({
      title: options.length === 1 ? o.title : `${j === 0 ? 'Either' : 'or'} ${o.title.charAt(0).toLowerCase()}${o.title.slice(1)}`,
      detail: o.detail,
      saving: perMonth(o.monthlySaving),
    })),
    rules: options.map((o) => citeRule(o.rule)),
  }));
  const total = combinedSaving(advice.actions);
  const hidden = choices.filter((c) => !c.visible);
  return {
    card: 'advice',
    data: {
      subtitle: `List prices, per month (${money(advice.prices.perAppPass, advice.prices)} per app pass, ${money(advice.prices.perUserPremium, advice.prices)} Premium per user) · ${subtitle(tenant)}`,
      answer: choices.length
        ? `Save up to ${perMonth(total)} before buying anything, taking the best option in each of ${plural(choices.length, 'place')}${choices.some((c) => c.options.length > 1) ? ' (where there are alternatives, only one counts)' : ''}.`
        : '',
      choices,
      moreTitle: hidden.length ? `Show all ${choices.length}` : '',
      moreIds: hidden.map((c) => c.id),
      whyIds: ['whyAdvice', ...choices.map((c) => c.whyId)],
      perUser: advice.perUser
        .filter((c) => c.cheaper !== 'per-app')
        .slice(0, 10)
        .map((c) => `${c.userPrincipalName}: ${c.passesNeeded} passes = ${money(c.perAppCost, advice.prices)} vs ${money(c.perUserCost, advice.prices)} per user (${c.cheaper === 'equal' ? 'equal' : 'per user is cheaper'})`),
      alternatives: advice.alternatives.slice(0, 6).map((a) => alternativeLine(a, advice.prices)),
      notes: advice.notes,
    },
  };
}
