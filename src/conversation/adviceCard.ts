import type { AnalyzedTenant } from '../tenant/analyzedTenant';
import { ruleLine as citeRule } from '../licensing/rules';
import { money } from '../licensing/wording';
import { alternativeLine, alternativeSets, combinedSavingSentence, optionTitles } from '../licensing/advice';
import type { ViewOf } from '../cards/render';
import { subtitle } from './findingItems';

/** "What should we buy?": the actions with their savings, per-user comparisons and alternatives. */
/** How many sets of alternatives an answer shows before "Show all N". */
const TOP_CHOICES = 3;

export function adviceCard(tenant: AnalyzedTenant): ViewOf<'advice'> {
  const { advice } = tenant.report;
  const perMonth = (n: number) => `~${money(n, advice.prices)}/month`;
  // Alternatives fix the same passes: shown together as "either ... or ...", counted once in the total.
  const choices = alternativeSets(advice.actions).map((options, i) => ({
    id: `choice${i}`,
    whyId: `whyChoice${i}`,
    visible: i < TOP_CHOICES,
    options: optionTitles(options).map((title, j) => ({ title, detail: options[j].detail, saving: perMonth(options[j].monthlySaving) })),
    rules: options.map((o) => citeRule(o.rule)),
  }));
  const hidden = choices.filter((c) => !c.visible);
  return {
    card: 'advice',
    data: {
      subtitle: `List prices, per month (${money(advice.prices.perAppPass, advice.prices)} per app pass, ${money(advice.prices.perUserPremium, advice.prices)} Premium per user) · ${subtitle(tenant)}`,
      answer: combinedSavingSentence(advice.actions, perMonth),
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
