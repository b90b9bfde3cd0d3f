import { utcMinute } from '../licensing/wording';
import type { EnvironmentReport, Finding, LicensingReport } from '../licensing/report';
import { whyNoLaunchesNote } from '../launches/liveLaunches';
import { launchesUnknown, neededUnknownWhy, takesPasses } from '../licensing/figures';
import type { AnalyzedTenant } from '../tenant/analyzedTenant';
import { ruleLine as citeRule } from '../licensing/rules';
import { findingWords } from '../licensing/findings';
import { appNames, findingGroups } from '../licensing/findingGroups';
import { fitPageSize, type CardView } from '../cards/render';
import type { FindingItem } from '../cards/views';
import type { SourceInfo } from '../licensing/snapshot';

/**
 * What every answer card shares: the line under its title, and findings as items of a
 * list, grouped where many say the same, paged to fit the card size limit.
 */

/**
 * Text in colour only where it costs money or breaks compliance: 'Attention' (red). Teams'
 * 'Warning' (yellow) and 'Good' (light green) read poorly on the light theme, so the rest is
 * the theme's default text colour, which Teams keeps readable on light and dark.
 */
const SEVERITY_COLOR = { action: 'Attention', warning: 'Default', info: 'Default' } as const;
/** A status colour (environmentStatus) as text colour: red stays, the rest is default text. */
export function textColor(color: string): 'Attention' | 'Default' {
  return color === 'Attention' ? 'Attention' : 'Default';
}
const PAGE_SIZE = 6;
/** How many findings an answer shows before "Show all N". */
export const TOP_FINDINGS = 3;

/** The fix for unknown launches in chat: the report the admin center offers for download. */
export const DROP_REPORT = 'Drop the Active users report (Power Platform admin center > Licensing > Power Apps > Download reports) into this chat for the full figures.';

/**
 * The answer where whether environments are over cannot be told, never "no": which ones,
 * why (launches unknown: the usage API's refusal, the audit log not read, collected or
 * refused; the allocation unknown), and how to find out. Empty when every one is known.
 */
export function overUnknownLine(report: LicensingReport, unknown: readonly EnvironmentReport[], verb = 'is over its allocation'): string {
  if (!unknown.length) return '';
  const names = (envs: readonly EnvironmentReport[]) => envs.map((e) => e.name).join(', ');
  const all = report.environments.filter(takesPasses).every((e) => unknown.includes(e));
  const noLaunches = unknown.filter(launchesUnknown);
  const noAllocation = unknown.filter((e) => !noLaunches.includes(e) && e.allocatedPasses === null);
  const noNeed = unknown.filter((e) => !noLaunches.includes(e) && !noAllocation.includes(e) && e.requiredPasses === null);
  const partRead = unknown.filter((e) => !noLaunches.includes(e) && !noAllocation.includes(e) && !noNeed.includes(e) && e.launchesComplete === false);
  const lines: string[] = [];
  if (noLaunches.length) {
    const why = whyNoLaunchesNote(report.sources) ?? (report.usageUnknown !== null ? `Launches are unknown: ${report.usageUnknown}.` : '');
    const where = all ? 'any environment' : names(noLaunches);
    lines.push(`Unknown: launches are unknown, so whether ${where} ${verb} cannot be told.${why ? ` ${why}${why.endsWith('.') ? '' : '.'}` : ''} Or ${DROP_REPORT[0].toLowerCase()}${DROP_REPORT.slice(1)}`);
  }
  if (partRead.length) {
    const days = report.launchesIncomplete ? ` (${report.launchesIncomplete.slice(0, report.launchesIncomplete.indexOf(':'))})` : '';
    lines.push(`Not known yet for ${names(partRead)}: part of the month's launches is not read${days}, and the passes needed so far (${partRead.map((e) => `at least ${e.requiredPasses} of ${e.allocatedPasses}`).join(', ')}) are within the allocation.`);
  }
  // Launches read (the audit log), the need not: the cause and its fix per environment, never "at least unknown".
  for (const e of noNeed) lines.push(`Not known yet for ${e.name}: the passes needed (${neededUnknownWhy(e)})${e.launchesComplete === false ? ", and part of the month's launches is not read" : ''}.`);
  if (noAllocation.length) lines.push(`Unknown for ${names(noAllocation)}: the allocation could not be read (admin center > Licensing > Power Apps > Manage capacity).`);
  return lines.join(' ');
}

function ruleLine(f: Pick<Finding, 'rule'>): string {
  return citeRule(f.rule);
}

export function subtitle(tenant: AnalyzedTenant): string {
  const month = tenant.report.month ?? 'the whole period';
  // Plain words on the card (no tenant id, API name or record counts); the full descriptions are in sourceEvidence.
  const sources = [...new Set(tenant.report.sources.map((s) => PLAIN_SOURCE[s.kind] ?? s.description))].join('; ');
  return `${tenant.inventory.tenantName ?? 'Your tenant'} · ${month} · ${sources} · data from ${utcMinute(tenant.fetchedAt)}`;
}

const PLAIN_SOURCE: Partial<Record<SourceInfo['kind'], string>> = { live: 'live tenant', auditLog: 'launches from the audit log' };

/** Behind "Why we think so": each source in full, with what it cannot see. */
export function sourceEvidence(sources: readonly SourceInfo[]): string[] {
  return sources.flatMap((s) => [`Source: ${s.description}.`, ...(s.warnings ?? [])]);
}

export function findingItem(f: Finding, index = 0): FindingItem {
  const words = findingWords(f);
  return {
    whyId: `why${index}`,
    title: words.title,
    color: SEVERITY_COLOR[f.severity],
    ruleLine: ruleLine(f),
    explanation: words.explanation,
    fix: words.fix,
    evidence: words.evidence.slice(0, 3).join(' · '),
    appId: f.appId ?? '',
    environmentId: f.environmentId,
  };
}

/**
 * An environment's findings as card items, what to do first on top: findings that cost
 * money or break compliance, then those to check, then notes; many that say the same are
 * one item naming the apps (findingGroups).
 */
export function groupFindings(findings: readonly Finding[], env?: EnvironmentReport): FindingItem[] {
  const order = { action: 0, warning: 1, info: 2 } as const;
  const byUrgency = findingGroups(findings, env).sort((a, b) => order[a.findings[0].severity] - order[b.findings[0].severity]);
  const items = byUrgency.flatMap(({ findings: group, together }) =>
    together ? [{ ...findingItem(group[0]), ...together, whyId: '', evidence: `Apps: ${appNames(group)}`, appId: '' }] : group.map((f) => findingItem(f)),
  );
  return numbered(items);
}

/** Each item's "Why we think so" part gets an id of its own on the card, for the toggle. */
export function numbered(items: readonly FindingItem[]): FindingItem[] {
  return items.map((item, i) => ({ ...item, whyId: `why${i}` }));
}


/**
 * One page of a list of findings: the largest page size (at most six) at which every
 * page fits the card size limit, and the page asked for, kept within the pages there are.
 */
export function pageOfFindings<V extends CardView>(items: readonly FindingItem[], page: number, build: (pageItems: readonly FindingItem[], pageIndex: number, pageCount: number) => V): V {
  const size = fitPageSize(items, PAGE_SIZE, (p) => build(p, 0, 2));
  const pageCount = Math.max(1, Math.ceil(items.length / size));
  const index = Math.min(Math.max(0, page), pageCount - 1);
  return build(items.slice(index * size, index * size + size), index, pageCount);
}

/** A button of a list of findings: another page (a number), or back to the answer with the top findings (''). */
export interface PageStep {
  title: string;
  page: number | '';
}

/**
 * The findings an answer shows: with no page, the top three and "Show all N"; with a page,
 * that page of the whole list, with Previous, Next and "Back to the summary" (the buttons
 * replace the card in place, so Back returns to the answer it was).
 */
export function findingsShown<V extends CardView>(items: readonly FindingItem[], page: number | undefined, build: (shown: readonly FindingItem[], steps: PageStep[], note: string) => V): V {
  if (page === undefined) return build(items.slice(0, TOP_FINDINGS), items.length > TOP_FINDINGS ? [{ title: `Show all ${items.length}`, page: 0 }] : [], '');
  return pageOfFindings(items, page, (shown, index, count) =>
    build(
      shown,
      [...(index > 0 ? [{ title: 'Previous', page: index - 1 }] : []), ...(index < count - 1 ? [{ title: 'Next', page: index + 1 }] : []), { title: 'Back to the summary', page: '' as const }],
      count > 1 ? `All ${items.length}, page ${index + 1} of ${count}` : `All ${items.length}`,
    ),
  );
}
