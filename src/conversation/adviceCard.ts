import type { AnalyzedTenant } from '../tenant/analyzedTenant';
import { ruleLine as citeRule } from '../licensing/rules';
import { money } from '../licensing/wording';
import { alternativeLine } from '../licensing/advice';
import type { ViewOf } from '../cards/render';
import { subtitle } from './findingItems';

/** "What should we buy?": the actions with their savings, per-user comparisons and alternatives. */
export function adviceCard(tenant: AnalyzedTenant): ViewOf<'advice'> {
  const { advice } = tenant.report;
  return {
    card: 'advice',
    data: {
      subtitle: `List prices, per month (${money(advice.prices.perAppPass, advice.prices)} per app pass, ${money(advice.prices.perUserPremium, advice.prices)} Premium per user) · ${subtitle(tenant)}`,
      actions: advice.actions.slice(0, 8).map((a) => ({
        title: a.title,
        detail: a.detail,
        saving: `~${money(a.monthlySaving, advice.prices)}/month`,
        ruleLine: citeRule(a.rule),
      })),
      perUser: advice.perUser
        .filter((c) => c.cheaper !== 'per-app')
        .slice(0, 10)
        .map((c) => `${c.userPrincipalName}: ${c.passesNeeded} passes = ${money(c.perAppCost, advice.prices)} vs ${money(c.perUserCost, advice.prices)} per user (${c.cheaper === 'equal' ? 'equal' : 'per user is cheaper'})`),
      alternatives: advice.alternatives.slice(0, 6).map((a) => alternativeLine(a, advice.prices)),
      notes: advice.notes,
    },
  };
}
