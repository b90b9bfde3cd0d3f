/**
 * The licensing rules of shared/design/licensing.md as data. Every statement the
 * product makes cites one of these, so an admin can tell documented facts from
 * field reports and from what nobody has documented.
 */

export type Confidence = 'documented' | 'field' | 'uncertain';

export type RuleId =
  | 'R1' | 'R2' | 'R3' | 'R4' | 'R5' | 'R6' | 'R7'
  | 'R8' | 'R9' | 'R10' | 'R11' | 'R12' | 'R13' | 'R14';

export interface Rule {
  id: RuleId;
  title: string;
  statement: string;
  confidence: Confidence;
  source: string;
}

const LEARN = 'https://learn.microsoft.com/power-platform/admin/';

export const RULES: Record<RuleId, Rule> = {
  R1: {
    id: 'R1',
    title: 'One pass, one app',
    statement: 'Since 1 October 2021 one per-app license is one app pass: one user may run one app or one website in it.',
    confidence: 'documented',
    source: `${LEARN}about-powerapps-perapp`,
  },
  R2: {
    id: 'R2',
    title: 'Passes belong to an environment',
    statement: 'Passes are allocated to an environment (Power Platform admin center > Licensing / Capacity add-ons), never assigned to users, and only cover that environment.',
    confidence: 'documented',
    source: `${LEARN}about-powerapps-perapp; ${LEARN}capacity-add-on`,
  },
  R3: {
    id: 'R3',
    title: 'Consumed on first launch',
    statement: 'A pass is consumed when a user first launches an app, not when it is shared. The unit is user x app x environment, counted per month.',
    confidence: 'documented',
    source: 'MicrosoftDocs/power-platform#1127; pay-as-you-go-meters',
  },
  R4: {
    id: 'R4',
    title: 'Monthly reset',
    statement: 'Consumption resets at the end of each month; the Active users report lists only users who launched an app in the month.',
    confidence: 'documented',
    source: `${LEARN}view-license-consumption-issues`,
  },
  R5: {
    id: 'R5',
    title: 'Not a hard cap',
    statement: 'Launches beyond the allocation still work: "occasional and reasonable overages will be tolerated, customers exceeding purchased capacity should adjust their purchase quantity". Overage is a compliance gap, not an error.',
    confidence: 'documented',
    source: 'Power Apps licensing guide, quoted in MicrosoftDocs/power-platform#99; forum tests',
  },
  R6: {
    id: 'R6',
    title: 'Per-user licenses need no pass',
    statement: 'A user with Power Apps Premium (per user) or a qualifying Dynamics 365 Enterprise license consumes no pass. Dynamics 365 Professional covers only apps inside its own Dynamics 365 app.',
    confidence: 'documented',
    source: `${LEARN}about-powerapps-perapp (FAQ); ${LEARN}managed-environment-licensing`,
  },
  R7: {
    id: 'R7',
    title: 'Microsoft 365 rights cover standard apps only',
    statement: 'Microsoft 365 (E3/E5) rights cover canvas apps that use standard connectors only: no premium, custom or on-premises-gateway connectors and no Dataverse.',
    confidence: 'documented',
    source: `${LEARN}pricing-billing-skus`,
  },
  R8: {
    id: 'R8',
    title: 'Managed Environments need standalone licenses',
    statement: 'In a Managed Environment every user running any app, standard ones included, needs a standalone license (per user, per app or Dynamics 365 Enterprise); Microsoft 365 rights do not count there.',
    confidence: 'documented',
    source: `${LEARN}managed-environment-licensing`,
  },
  R9: {
    id: 'R9',
    title: 'Auto-assign books standard apps as passes',
    statement: 'Each app has the setting "Auto assign per app passes" (Settings > Pass assignment). With passes allocated it can be on for standard apps too; the admin API then reports canConsumeAppPass = true on a Standard app, and its launches are booked as AppPass.',
    confidence: 'field',
    source: 'Forum tests; api.powerapps.com admin apps payloads (canConsumeAppPass with appPlanClassification Standard)',
  },
  R10: {
    id: 'R10',
    title: 'Pay-as-you-go ignores passes',
    statement: 'An environment linked to a pay-as-you-go billing policy ignores its app passes. PAYG meters each active user per app per month, and exempts Microsoft 365 users on standard apps and per-user-licensed users.',
    confidence: 'documented',
    source: `${LEARN}pay-as-you-go-issues-faq; ${LEARN}pay-as-you-go-meters`,
  },
  R11: {
    id: 'R11',
    title: 'Undocumented booking',
    statement: 'Whether a non-managed environment books a Microsoft 365 user\'s standard-app launch against a pass when auto-assign is on is not documented. Check R8 (managed) and R9 (auto-assign) first.',
    confidence: 'uncertain',
    source: 'Not documented by Microsoft',
  },
  R12: {
    id: 'R12',
    title: 'Model-driven apps are premium',
    statement: 'Model-driven apps always need a premium license (Dataverse). A model-driven app with embedded canvas apps counts as one app.',
    confidence: 'documented',
    source: 'MicrosoftDocs/power-platform#1901',
  },
  R13: {
    id: 'R13',
    title: 'Per-app passes are end of sale',
    statement: 'The per-app SKU left the price lists on 2 January 2026 (end of sale, not end of life; renewals continue). Compare per-user and pay-as-you-go before planning to buy more passes.',
    confidence: 'field',
    source: 'licensing.guide; partner notes',
  },
  R14: {
    id: 'R14',
    title: 'Per user beats per app above four apps',
    statement: 'At list prices (per app $5, Premium per user $20, PAYG $10 per user per app, per month) a user who needs more than four passes is cheaper on a per-user license; at four the cost is equal.',
    confidence: 'documented',
    source: 'Microsoft Power Apps pricing page (list prices, editable in configuration)',
  },
};
