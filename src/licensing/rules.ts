import { from, PAGES, type RuleSource } from './ruleSources';

/**
 * The licensing rules of shared/design/licensing.md (checked against Microsoft's docs on
 * 2026-11-30) as data: statement and confidence as that table states them, and the sources
 * it names as pages an admin can open (ruleSources.ts). Every statement the product makes
 * cites one of these, so an admin can tell documented facts from field reports and from
 * what nobody has documented.
 */

/** D = documented by Microsoft, F = field reports, U = uncertain (not documented). */
export type ConfidenceLevel = 'documented' | 'field' | 'uncertain';

/**
 * One part of a rule's confidence. A rule whose parts are known differently well is
 * split: R3's unit is documented, *when* a pass is taken is a field report. `about` names
 * the part; a rule of one part has `about` only when the table qualifies it.
 */
export interface ConfidencePart {
  level: ConfidenceLevel;
  about: string | null;
}

/** One part, or the split the table gives, in the table's order. */
export type Confidence = readonly ConfidencePart[];

export type RuleId =
  | 'R1' | 'R2' | 'R3' | 'R4' | 'R5' | 'R6' | 'R7' | 'R8' | 'R9' | 'R10' | 'R11'
  | 'R12' | 'R13' | 'R14' | 'R15' | 'R16' | 'R17' | 'R18' | 'R19' | 'R20' | 'R21';

export interface Rule {
  id: RuleId;
  title: string;
  statement: string;
  confidence: Confidence;
  /** Where it comes from, as an admin can open it (ruleSources.ts); none for a rule nobody has documented (R11). */
  sources: readonly RuleSource[];
}

const LETTER: Record<ConfidenceLevel, string> = { documented: 'D', field: 'F', uncertain: 'U' };
const WORDS: Record<ConfidenceLevel, string> = {
  documented: 'documented by Microsoft',
  field: 'field reports, not documented',
  uncertain: 'uncertain, not documented',
};

/** The table's short form: "D", "U", "D (unit) / F (first launch)". */
export function confidenceLabel(c: Confidence): string {
  return c.map((p) => `${LETTER[p.level]}${p.about ? ` (${p.about})` : ''}`).join(' / ');
}

/** For people: "documented by Microsoft (unit); field reports, not documented (first launch)". */
export function confidenceWords(c: Confidence): string {
  // A part with no subject beside parts with one is the rule at large ("documented by Microsoft in the main; uncertain, not documented (noted)"), never two bare verdicts that read as a contradiction.
  return c.map((p) => `${WORDS[p.level]}${p.about ? ` (${p.about})` : c.length > 1 ? ' in the main' : ''}`).join('; ');
}

/** The weakest level of a confidence: what an answer resting on all of the rule can claim. */
export function weakestLevel(c: Confidence): ConfidenceLevel {
  return c.some((p) => p.level === 'uncertain') ? 'uncertain' : c.some((p) => p.level === 'field') ? 'field' : 'documented';
}

const D: Confidence = [{ level: 'documented', about: null }];
const U: Confidence = [{ level: 'uncertain', about: null }];
const split = (...parts: [ConfidenceLevel, string | null][]): Confidence => parts.map(([level, about]) => ({ level, about }));

export const RULES: Record<RuleId, Rule> = {
  R1: {
    id: 'R1',
    title: 'One pass, one app',
    statement:
      'Since 1 Oct 2021 one per-app license = one pass = one user may run one app or one Power Pages website in one environment (before: 2 apps + 1 portal; licenses bought before that date still show as 3 passes each for their term). Allocations are counted in passes, not licenses.',
    confidence: D,
    sources: [from(PAGES.perAppPlans, 'FAQ'), from(PAGES.licensingFaqs)],
  },
  R2: {
    id: 'R2',
    title: 'Passes belong to an environment',
    statement:
      'Passes are allocated to an environment (admin center: Licensing > Capacity add-ons), never assigned to users; a pass only covers its environment. Passes can be moved between environments.',
    confidence: D,
    sources: [from(PAGES.perAppPlans), from(PAGES.capacityAddOns)],
  },
  R3: {
    id: 'R3',
    title: 'User x app x environment, taken at first launch',
    statement:
      'The unit is user x app x environment (the same app in two environments takes two passes). When a pass is taken: Microsoft\'s per-app page still says "sharing an app consumes per-app capacity"; field tests and the monthly Active users report show it taken at a user\'s first launch in the month. PassLens says both.',
    confidence: split(['documented', 'unit'], ['field', 'first launch']),
    sources: [from(PAGES.perAppPlans), from(PAGES.firstLaunchIssue), from(PAGES.licenseConsumption)],
  },
  R4: {
    id: 'R4',
    title: 'Monthly reset',
    statement:
      'Pass consumption resets at the end of each month; the Active users report shows per user and app which license covered the launch (pass, pay-as-you-go, subscribed license) over a monthly look-back window. "Licenses used" on the Summary tab counts per-user licenses over 90 days: it is not a pass count.',
    confidence: D,
    sources: [from(PAGES.licenseConsumption), from(PAGES.managedLicensing)],
  },
  R5: {
    id: 'R5',
    title: 'Overage works; allocation 0 blocks',
    statement:
      'Passes are not a hard cap in practice: launches beyond the allocation work (forum tests: 1 pass, 10 users, 5 apps; 35 passes, 180 users). The only Microsoft wording found is an old general overage sentence ("occasional and reasonable overages will be tolerated"). Allocation 0 is different: launches are blocked and the per-app setting is disabled.',
    confidence: split(['field', 'overage'], ['documented', 'zero blocks']),
    sources: [from(PAGES.overageIssue), from(PAGES.forumThread), from(PAGES.perAppPlans, 'known issues')],
  },
  R6: {
    id: 'R6',
    title: 'Per-user licenses; Dynamics 365 only in context',
    statement:
      'A user with Power Apps Premium (per user) consumes no pass. Dynamics 365 licenses cover apps only in the context of, and in the same environment as, the licensed D365 app; outside it a pass or Premium is needed, so such AppPass rows are correct bookings, not double licensing. D365 Professional: only inside its own app. In Managed Environments, Power Automate Premium also qualifies.',
    confidence: D,
    sources: [from(PAGES.perAppPlans, 'FAQ'), from(PAGES.powerAppsFaqs), from(PAGES.managedLicensing)],
  },
  R7: {
    id: 'R7',
    title: 'Microsoft 365 rights cover standard apps only',
    statement:
      'Microsoft 365 rights cover canvas apps with standard connectors only: no premium or custom connectors, no on-premises gateway, no custom APIs, no Dataverse (exception: Dataverse for Teams apps used inside Teams), no model-driven apps, no code component that declares `external-service-usage`. Apps of the pre-Oct-2019 "grandfathered" premium connectors lost that extension on 1 Oct 2024.',
    confidence: D,
    sources: [from(PAGES.licensingOverview), from(PAGES.powerAppsFaqs), from(PAGES.licensingFaqs), from(PAGES.componentFramework)],
  },
  R8: {
    id: 'R8',
    title: 'Managed Environments need standalone licenses',
    statement:
      'In a Managed Environment every user running any app, standard ones included, needs Power Apps Premium, Power Automate Premium, D365 Enterprise, a per-app pass allocated there, or the pay-as-you-go per-app meter; trials count. Microsoft shows notices from June 2026 and blocks unlicensed users from February 2027. That such launches are booked as AppPass when passes are allocated is an inference (F). Auto-claim policies (created automatically in Managed Environment tenants since Dec 2023) may hand users a Premium license at launch instead.',
    confidence: split(['documented', 'requirement, dates'], ['field', 'booking']),
    sources: [from(PAGES.managedLicensing), from(PAGES.autoClaim)],
  },
  R9: {
    id: 'R9',
    title: 'The "Per-app licensing" setting',
    statement:
      'Each canvas app has a "Per-app licensing" setting (in the default environment it is "Pass assignment > Auto assign per app passes"). It is disabled while no passes are allocated; once passes are allocated it is on by default for apps created after 1 Oct 2020, premium or standard alike. The admin API shows `canConsumeAppPass: true`; that this is the same switch is not documented. Standard apps with it on booked as AppPass is a field report. Do not switch it off in a Managed Environment (R8: those users would be unlicensed).',
    confidence: split(['documented', 'default on'], ['field', 'booking, API field']),
    sources: [from(PAGES.perAppPlans), from(PAGES.forumThread), from(PAGES.adminApiExamples)],
  },
  R10: {
    id: 'R10',
    title: 'Pay-as-you-go ignores passes',
    statement:
      'Pay-as-you-go: an environment linked to a billing policy ignores its passes (they can be moved elsewhere). The meter is $10 per active user per app per month and does not count users with a per-user license (Premium or D365 per user) nor M365 users on standard-connector apps. Guests run without licenses there. Unknown: passes when the Power Apps meter is not selected in the policy; the M365 exemption in a managed PAYG environment.',
    confidence: split(['documented', null], ['uncertain', 'noted']),
    sources: [from(PAGES.paygMeters), from(PAGES.paygFaq)],
  },
  R11: {
    id: 'R11',
    title: 'Undocumented booking',
    statement:
      'Whether a non-managed environment books an E5 user\'s standard-app launch against a pass when per-app licensing is on is not documented. PassLens says so, and names the two things to check, in this order: whether the environment is managed (R8), then the app\'s "Per-app licensing" setting (R9).',
    confidence: U,
    sources: [],
  },
  R12: {
    id: 'R12',
    title: 'Model-driven apps are premium',
    statement: 'Model-driven apps use Dataverse and are premium by default; a model-driven app with embedded canvas apps counts as one app.',
    confidence: D,
    sources: [from(PAGES.powerAppsFaqs), from(PAGES.licensingFaqs)],
  },
  R13: {
    id: 'R13',
    title: 'Per-app passes: end of sale in some channels',
    statement:
      'The per-app SKU is no longer sold to new customers through some channels from 2 Jan 2026 (D). Channel details (F): existing EA customers renew and true up; MPSA until the agreement ends + 60 days; CSP put it back on its price lists in April 2026. So PassLens compares moving off passes (Premium, pay-as-you-go), not only buying more.',
    confidence: split(['documented', 'end of sale'], ['field', 'channels']),
    sources: [from(PAGES.licensingOverview), from(PAGES.licensingGuideSite), from(PAGES.partnerNotes)],
  },
  R14: {
    id: 'R14',
    title: 'Per user beats per app above four apps',
    statement:
      'List prices (USD per month, editable): per app $5 per user per app; Premium $20 per user ($12 at 2,000+ new licenses); pay-as-you-go $10 per user per app. At list price a user who needs more than 4 passes is cheaper per user (equal at 4; at the $12 tier: more than 2). Pay-as-you-go vs Premium breaks even at 2 apps.',
    confidence: split(['documented', 'list prices, 2025-03']),
    sources: [from(PAGES.licensingFaqs), from(PAGES.paygMeters)],
  },
  R15: {
    id: 'R15',
    title: 'Dataverse for Teams',
    statement:
      'Dataverse for Teams apps: M365 rights cover them only inside Teams; premium connectors there need a pass or Premium; after an upgrade to full Dataverse every user needs a standalone license.',
    confidence: D,
    sources: [from(PAGES.licensingFaqs), from(PAGES.powerAppsFaqs)],
  },
  R16: {
    id: 'R16',
    title: 'Environments by type',
    statement:
      'Environments by type: passes can be allocated to the default environment; developer environments are for dev/test and add-ons cannot raise their capacity (a managed developer environment needs premium licenses). Trial environments: no current rule found.',
    confidence: split(['documented', null], ['uncertain', 'trial']),
    sources: [from(PAGES.perAppPlans), from(PAGES.developerPlan)],
  },
  R17: {
    id: 'R17',
    title: 'Guests',
    statement:
      'Guests need a license from the host or their home tenant (with Dataverse: from the tenant holding the data); in pay-as-you-go environments they run without one.',
    confidence: D,
    sources: [from(PAGES.licensingFaqs), from(PAGES.paygFaq)],
  },
  R18: {
    id: 'R18',
    title: 'Power Pages',
    statement:
      'Power Pages: a pass covers one website in its environment; Premium covers unlimited sites; D365 Enterprise only in-context sites; Power Pages subscriptions cannot be used in pay-as-you-go environments.',
    confidence: D,
    sources: [from(PAGES.licensingFaqs), from(PAGES.paygMeters)],
  },
  R19: {
    id: 'R19',
    title: 'Flows in an app\'s context',
    statement: 'Flows run in an app\'s context are covered by that app\'s license; a pass does not let a user own other premium flows.',
    confidence: D,
    sources: [from(PAGES.perAppPlans, 'FAQ'), from(PAGES.licensingFaqs)],
  },
  R20: {
    id: 'R20',
    title: 'Code apps',
    statement: 'Code apps need Power Apps Premium for end users; whether a pass covers one is not documented.',
    confidence: split(['documented', null], ['uncertain', null]),
    sources: [from(PAGES.codeApps)],
  },
  R21: {
    id: 'R21',
    title: 'License changes lag',
    statement:
      'License changes lag: a newly assigned per-user license can take up to 7 days to show in exports, group-based assignment up to 24 hours; a Premium user booked as AppPass right after assignment may be lag, not double licensing. Premium labels update only after the app is published.',
    confidence: D,
    sources: [from(PAGES.licensingOverview), from(PAGES.autoClaim), from(PAGES.powerAppsFaqs)],
  },
};

/** "R8 · Managed Environments need standalone licenses · D (requirement, dates) / F (booking)" */
export function ruleLine(rule: RuleId): string {
  return `${rule} · ${RULES[rule].title} · ${confidenceWords(RULES[rule].confidence)}`;
}

/** The short citation for terminals and digests: "R3, D (unit) / F (first launch)". */
export function ruleCitation(rule: RuleId): string {
  return `${rule}, ${confidenceLabel(RULES[rule].confidence)}`;
}
