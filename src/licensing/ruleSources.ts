import { monthName } from './months';

/**
 * Where the rules of rules.ts come from, as an admin can open them: Microsoft's pages by
 * their own title and Microsoft Learn address, public reports by title and address, and
 * the field reports that have no public page in words only. Nothing here is guessed: each
 * address below was read in the public record (comments say where), and a test keeps
 * every address https on SOURCE_HOSTS.
 *
 * Learn addresses: MicrosoftDocs/power-platform publishes its folder power-platform/ (its
 * .openpublishing.publish.config.json: build_source_folder "power-platform",
 * build_output_subfolder "power-platform") at learn.microsoft.com/power-platform/, a page
 * at its path without ".md": the docs' own issue-linking blocks pair "Content Source:
 * power-platform/admin/about-powerapps-perapp.md" with ".../power-platform/admin/
 * about-powerapps-perapp" (MicrosoftDocs/power-platform#1127) and
 * power-platform/admin/powerapps-flow-licensing-faq.md with
 * "https://learn.microsoft.com/en-us/power-platform/admin/powerapps-flow-licensing-faq"
 * (#1653), and its redirections file maps "power-platform/admin/wp-licensing-faq.md" to
 * "/power-platform/admin/powerapps-flow-licensing-faq". MicrosoftDocs/powerapps-docs'
 * folder powerapps-docs/ is published at learn.microsoft.com/power-apps/: Microsoft's pages
 * link powerapps-docs/developer/code-apps/overview.md as "/power-apps/developer/code-apps/
 * overview" (power-platform admin inventory pages) and developer/component-framework/
 * overview.md as "/power-apps/developer/component-framework/overview" (Power Pages docs).
 * Addresses carry no locale (learn.microsoft.com/en-us/...): Learn sends each reader to
 * their own language.
 */

/** Hosts a source's address may be on: Microsoft Learn, GitHub, the Power Platform community forum. */
export const SOURCE_HOSTS = ['learn.microsoft.com', 'github.com', 'community.powerplatform.com'] as const;

/** A Microsoft page (documented), or a field report: someone's test, an issue, a forum thread, a site outside Microsoft. */
export type SourceKind = 'microsoft' | 'field';

export interface SourcePage {
  kind: SourceKind;
  /** The page's own title (its `title:` front matter or heading), or what the report is, in words. */
  title: string;
  /** What a field report is, beside its title ("Power Platform community forum"); null for Microsoft's pages. */
  about: string | null;
  /** Where to open it; null for a field report with no public page. */
  url: string | null;
  /** The page's own date (`ms.date`) in the version the rule was checked against, YYYY-MM-DD; null when it has none. */
  updated: string | null;
}

/** One source of a rule: a page, and the part of it the rule rests on ("FAQ", "known issues") when not the whole page. */
export interface RuleSource extends SourcePage {
  part: string | null;
}

/**
 * An address a card can link as it is: https on SOURCE_HOSTS, made only of characters a
 * markdown link destination takes literally and cardText leaves alone (no space, no
 * parenthesis, no markup), so "[title](address)" is that link and nothing more.
 */
export function openable(url: string): boolean {
  if (!/^https:\/\/[A-Za-z0-9.\-/:?=#]+$/.test(url)) return false;
  return (SOURCE_HOSTS as readonly string[]).includes(new URL(url).host);
}

/** Every address is checked when the module loads: one that could not be linked as it is never reaches a card. */
function checked(url: string): string {
  if (!openable(url)) throw new Error(`${url} is not an https address on ${SOURCE_HOSTS.join(', ')} made of plain characters`);
  return url;
}

const learn = (title: string, path: string, updated: string): SourcePage => ({ kind: 'microsoft', title, about: null, url: checked(`https://learn.microsoft.com/${path}`), updated });
const field = (title: string, about: string | null, url: string | null = null): SourcePage => ({ kind: 'field', title, about, url: url === null ? null : checked(url), updated: null });

/**
 * The pages. Titles and dates are the front matter of the version read (MicrosoftDocs
 * repositories, the `ms.date` the design notes checked on 2026-11-30 where they give one).
 */
export const PAGES = {
  // power-platform/admin/about-powerapps-perapp.md, ms.date 05/29/2025.
  perAppPlans: learn('About Power Apps per app plans', 'power-platform/admin/about-powerapps-perapp', '2025-05-29'),
  // power-platform/admin/powerapps-flow-licensing-faq.md, ms.date 03/31/2025 (title also in #1653's linking block).
  licensingFaqs: learn('Power Platform licensing FAQs', 'power-platform/admin/powerapps-flow-licensing-faq', '2025-03-31'),
  // power-platform/admin/capacity-add-on.md, ms.date 04/29/2025.
  capacityAddOns: learn('Capacity add-ons for Power Apps and Power Automate', 'power-platform/admin/capacity-add-on', '2025-04-29'),
  // power-platform/admin/view-license-consumption-issues.md, ms.date 04/01/2026.
  licenseConsumption: learn('View license consumption for Power Apps (preview)', 'power-platform/admin/view-license-consumption-issues', '2026-04-01'),
  // power-platform/admin/managed-environment-licensing.md, ms.date 08/31/2026 (titled "Licensing" until May 2026).
  managedLicensing: learn('Licensing requirements for managed environments', 'power-platform/admin/managed-environment-licensing', '2026-08-31'),
  // power-platform/admin/powerapps-licensing-faq.md, ms.date 08/31/2026.
  powerAppsFaqs: learn('Power Apps licensing FAQs', 'power-platform/admin/powerapps-licensing-faq', '2026-08-31'),
  // power-platform/admin/pricing-billing-skus.md, ms.date 08/25/2026 (R7 read its 05/29/2025 table, unchanged in title).
  licensingOverview: learn('Licensing overview for Microsoft Power Platform', 'power-platform/admin/pricing-billing-skus', '2026-08-25'),
  // power-platform/admin/auto-claim-licensing.md, ms.date 02/21/2025.
  autoClaim: learn('Auto-claim policies for Power Apps licenses', 'power-platform/admin/auto-claim-licensing', '2025-02-21'),
  // power-platform/admin/pay-as-you-go-meters.md, ms.date 02/07/2025.
  paygMeters: learn('Pay-as-you-go meters', 'power-platform/admin/pay-as-you-go-meters', '2025-02-07'),
  // power-platform/admin/pay-as-you-go-issues-faq.md, ms.date 12/02/2024.
  paygFaq: learn('Issues and FAQs about pay-as-you-go plans', 'power-platform/admin/pay-as-you-go-issues-faq', '2024-12-02'),
  // power-platform/developer/plan.md, ms.date 05/28/2025 (the design notes read its 04/18/2023 version).
  developerPlan: learn('About the Power Apps Developer Plan', 'power-platform/developer/plan', '2025-05-28'),
  // powerapps-docs/developer/component-framework/overview.md, ms.date 01/09/2026.
  componentFramework: learn('Power Apps component framework overview', 'power-apps/developer/component-framework/overview', '2026-01-09'),
  // powerapps-docs/developer/code-apps/overview.md, ms.date 08/12/2026.
  codeApps: learn('Power Apps code apps overview', 'power-apps/developer/code-apps/overview', '2026-08-12'),
  // MicrosoftDocs/power-platform#1127 (2022): a tester finds passes taken at first launch, not at sharing; Microsoft answers that consumption reporting will clarify.
  firstLaunchIssue: field('Per-app licensing needs clarification on when license is consumed', 'a tester\'s GitHub issue on the per-app page', 'https://github.com/MicrosoftDocs/power-platform/issues/1127'),
  // MicrosoftDocs/power-platform#99 (2020): quotes the licensing guide of the time, "occasional and reasonable overages will be tolerated".
  overageIssue: field('What happens when logins per month are exceeded?', 'GitHub issue quoting an old licensing guide', 'https://github.com/MicrosoftDocs/power-platform/issues/99'),
  // The thread the design notes cite as "community thread 07d203ef" (thread id 07d203ef-c958-...): one pass allocated, every app got "Auto assign per app passes" on, 10 users ran 5 premium apps.
  forumThread: field(
    'How to restrict "Power App Per App Plan" pass assginment to specific premium apps in an environment',
    'an admin\'s tests, Power Platform community forum',
    'https://community.powerplatform.com/forums/thread/details/?threadid=07d203ef-c958-45cd-b8a8-de3d2e3b14e1',
  ),
  adminApiExamples: field('app records of the Power Apps admin API, in public examples', null),
  licensingGuideSite: field('licensing.guide', 'a licensing site outside Microsoft'),
  partnerNotes: field('notes from Microsoft partners', null),
} satisfies Record<string, SourcePage>;

/** A page as a rule's source, with the part of it the rule rests on. */
export function from(page: SourcePage, part: string | null = null): RuleSource {
  return { ...page, part };
}

/** "updated May 2025", from the page's own date. */
export function updatedWords(updated: string): string {
  return `updated ${monthName(updated.slice(0, 7))}`;
}
