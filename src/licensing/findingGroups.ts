import type { Finding } from './report';
import { findingWords, standardAppsExpectedWords, standardAppsTitle, standardAppsWords, type EnvFacts, type FindingWords } from './findings';

/**
 * Findings that say the same thing many times, said once: 27 standard apps booked through
 * auto-assign read better as one finding that names the apps than as 27 near-identical
 * paragraphs. The cards (groupFindings) and the CLI (reportText) both list findings
 * through this, so they group alike.
 */
export interface FindingGroup {
  /** The findings of one code and rule, in the report's order. */
  findings: readonly Finding[];
  /** The words of the one finding they make together; null when each is listed on its own. */
  together: Omit<FindingWords, 'evidence'> | null;
}

/** The findings by code and rule, in the order each was first seen. */
export function findingGroups(findings: readonly Finding[], env?: EnvFacts): FindingGroup[] {
  const groups = new Map<string, Finding[]>();
  for (const f of findings) {
    const key = `${f.code}|${f.rule}`;
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  return [...groups.values()].map((group) => ({ findings: group, together: togetherWords(group, env) }));
}

function togetherWords(group: readonly Finding[], env: EnvFacts | undefined): FindingGroup['together'] {
  const [first] = group;
  const launches = group.reduce((n, f) => n + (f.count ?? 0), 0);
  // Expected bookings are said of an environment, so they need it to be said together.
  if (first.code === 'STANDARD_APP_EXPECTED_AS_PASS' && group.length >= 4 && env) return standardAppsExpectedWords(env, group.length, launches);
  // Two or more standard apps of one rule share their explanation and fix: one finding names them all, so no paragraph is said twice.
  if (first.code === 'STANDARD_APP_BOOKED_AS_PASS' && group.length >= 2) {
    const { explanation, fix } = (env && standardAppsWords(first.rule, env, group.length)) ?? findingWords(first);
    return { title: standardAppsTitle(group.length, launches), explanation, fix };
  }
  return null;
}

/** A group's app names, the first twelve and how many more. */
export function appNames(group: readonly Finding[]): string {
  const names = group.map((f) => f.appName);
  return names.slice(0, 12).join(', ') + (names.length > 12 ? `, and ${names.length - 12} more` : '');
}
