import { alternativeLine, alternativeSets, combinedSaving, combinedSavingSentence, optionTitles } from '../licensing/advice';
import type { Advice, AdviceAction, EnvironmentReport, Finding, LicensingReport } from '../licensing/report';
import { confidenceLabel, ruleCitation, RULES } from '../licensing/rules';
import { bound, money, show } from '../licensing/wording';
import type { MonthFigures, MonthlyFigures } from '../licensing/months';
import { findingWords } from '../licensing/findings';
import { appNames, findingGroups, type FindingGroup } from '../licensing/findingGroups';
import { environmentStatus } from '../licensing/figures';
import { cardText, oneLine } from '../cards/cardText';
import { expectedBookingsLine } from '../licensing/expectedBookings';

/** Terminal and Markdown renderings of a report: the same facts as the cards, in the same order. */


/** The environment's status, the label the cards and the digest show (environmentStatus). */
function headline(e: EnvironmentReport): string {
  return environmentStatus(e).label;
}

function flags(e: EnvironmentReport): string {
  const managed = e.managed === null ? 'managed: unknown' : e.managed ? 'managed' : 'not managed';
  const payg = e.payAsYouGo === null ? 'PAYG: unknown' : e.payAsYouGo ? 'pay-as-you-go' : 'no PAYG';
  return `${managed}, ${payg}`;
}

/** The managed report's evidence in one line: its users once each, though it lists a user per launch (R8). */
export function usersRequiringLicensesLine(u: NonNullable<EnvironmentReport['usersRequiringLicenses']>): string {
  const more = u.users > u.sample.length ? `, and ${u.users - u.sample.length} more` : '';
  return `Users requiring licenses in this Managed Environment (admin center report, R8): ${u.users} unique ${u.users === 1 ? 'user' : 'users'} (${u.rows} rows: the report repeats a user per launch, counted once here): ${u.sample.join(', ')}${more}`;
}

function findingTitle(f: Finding): string {
  const subject = f.appName ?? f.userPrincipalName;
  return `${f.code}${subject ? ` — ${subject}` : ''}${f.count !== undefined ? ` (${f.count})` : ''}`;
}

/**
 * An environment's findings as the CLI lists them, in the report's order: many standard
 * apps of one rule are one entry naming the apps, grouped as on the cards (findingGroups).
 */
function findingEntries(e: EnvironmentReport): { f: Finding; title: string; explanation: string; fix: string; apps?: string }[] {
  const groupOf = new Map(findingGroups(e.findings, e).flatMap((g) => g.findings.map((f) => [f, g] as const)));
  const listed = new Set<FindingGroup>();
  return e.findings.flatMap((f) => {
    const group = groupOf.get(f)!;
    if (!group.together) {
      const { explanation, fix } = findingWords(f);
      return [{ f, title: findingTitle(f), explanation, fix }];
    }
    if (listed.has(group)) return [];
    listed.add(group);
    const { title, explanation, fix } = group.together;
    return [{ f, title: `${f.code} — ${title}`, explanation, fix, apps: appNames(group.findings) }];
  });
}

/**
 * Lines given out in pieces, an environment at a time, that add up to one join with
 * line breaks, so a large report is never one string of hundreds of megabytes
 * (docs/performance.md). Each line is oneLine'd: a name from the tenant or a file can
 * neither send a terminal escape (colours, a window title, a hyperlink) nor start a
 * line of its own ("== Fake Env [managed]").
 */
class Lines {
  private lines: string[] = [];

  push(...lines: string[]): void {
    for (const line of lines) this.lines.push(oneLine(line));
  }

  /** The lines so far, each ending in a line break; '' when none. */
  take(): string {
    const piece = this.lines.length ? `${this.lines.join('\n')}\n` : '';
    this.lines = [];
    return piece;
  }
}

/** One month's figures in a line: "2026-09: booked 31, needed 8, overage 6, idle unknown". */
function monthLine(m: MonthFigures): string {
  return `${m.month}: booked ${show(m.bookedAsAppPass)}, needed ${show(m.requiredPasses)}, overage ${show(m.overage)}, idle ${show(m.unusedPasses)}`;
}

/** Per environment, its months side by side, when there is more than one. */
function monthsOf(monthly: MonthlyFigures | undefined, e: EnvironmentReport): MonthFigures[] {
  if (!monthly || monthly.months.length < 2) return [];
  return monthly.environments.find((m) => m.id === e.id)?.months ?? [];
}

export function* renderText(report: LicensingReport, monthly?: MonthlyFigures): Generator<string> {
  const out = new Lines();
  out.push(`PassLens report for ${report.month ?? 'the whole period'}  (generated ${report.generatedAt})`);
  out.push(`Sources: ${report.sources.map((s) => s.description).join('; ')}`);
  for (const s of report.sources) {
    if (s.badRows?.count) {
      out.push(`  ${s.badRows.count} bad row(s) skipped: ${s.badRows.samples.slice(0, 5).map((b) => `line ${b.line}: ${b.reason}`).join('; ')}`);
    }
    for (const w of s.warnings ?? []) out.push(`  note: ${w}`);
  }
  out.push('');
  for (const e of report.environments) {
    out.push(`== ${e.name}  [${flags(e)}]  ${headline(e)}`);
    out.push(`   allocated ${show(e.allocatedPasses)} | booked as AppPass ${show(e.bookedAsAppPass)} | required ${bound(e.requiredPasses, 'at least', e)} | overage ${e.overage ? bound(e.overage, 'at least', e) : show(e.overage)} | unused ${e.unusedPasses ? bound(e.unusedPasses, 'at most', e) : show(e.unusedPasses)}`);
    if (e.expected) out.push(`   ${expectedBookingsLine(e.expected, e)}`);
    const months = monthsOf(monthly, e);
    if (months.length) out.push(`   per month: ${months.map(monthLine).join(' | ')}`);
    for (const u of e.unknowns) out.push(`   ? ${u}`);
    if (e.usersRequiringLicenses) out.push(`   ! ${usersRequiringLicensesLine(e.usersRequiringLicenses)}`);
    for (const { f, title, explanation, fix, apps } of findingEntries(e)) {
      out.push(`   - ${title}  [${ruleCitation(f.rule)}]`);
      if (apps) out.push(`     Apps: ${apps}`);
      out.push(`     ${explanation}`);
      out.push(`     Fix: ${fix}`);
    }
    out.push('');
    yield out.take();
  }
  if (report.advice.actions.length) {
    const perMonth = (n: number) => `~${money(n, report.advice.prices)}/month`;
    const { shown, leftOut } = adviceChoices(report.advice, perMonth);
    out.push('What saves the most:', `  ${combinedSavingSentence(report.advice.actions, perMonth)}`);
    for (const options of shown) {
      optionTitles(options).forEach((title, j) => out.push(`${j ? '    ' : '  * '}${title} (${ruleCitation(options[j].rule)}; ${perMonth(options[j].monthlySaving)}): ${options[j].detail}`));
    }
    if (leftOut) out.push(`  ${leftOut}`);
  }
  if (report.advice.alternatives.length) {
    out.push('Moving off passes, per month (R13):');
    for (const a of report.advice.alternatives) out.push(`  - ${alternativeLine(a, report.advice.prices)}`);
  }
  for (const n of report.advice.notes) out.push(`  note: ${n}`);
  yield out.take();
}

/** How many sets of alternatives the text and markdown list; the total counts them all. */
const TOP_CHOICES = 5;

/**
 * The sets of alternatives the CLI lists (alternativeSets, as the cards), and what the
 * total counts beyond them, so the listed savings and the total visibly add up.
 */
function adviceChoices(advice: Advice, perMonth: (amount: number) => string): { shown: AdviceAction[][]; leftOut: string } {
  const sets = alternativeSets(advice.actions);
  const rest = sets.slice(TOP_CHOICES).map((options) => options[0]);
  const leftOut = rest.length ? `The total also counts ${rest.length} more ${rest.length === 1 ? 'place' : 'places'} not listed here (${perMonth(combinedSaving(rest))} together); --format json has every action.` : '';
  return { shown: sets.slice(0, TOP_CHOICES), leftOut };
}

/** Names and words with names in them, shown as written (the same escaping as the cards). */
const literal = (text: string): string => cardText(text, 'markdown');

export function* renderMarkdown(report: LicensingReport, monthly?: MonthlyFigures): Generator<string> {
  const out = new Lines();
  out.push(`# PassLens report, ${report.month ?? 'whole period'}`, '');
  out.push(`Sources: ${report.sources.map((s) => literal(s.description)).join('; ')}`, '');
  // The audit log's caveats travel with every answer from it (src/launches/auditCaveats.ts).
  for (const s of report.sources.filter((x) => x.kind === 'auditLog')) for (const w of s.warnings ?? []) out.push(`> ${literal(w)}`, '');
  out.push('| Environment | Allocated | Booked as AppPass | Required | Overage | Unused |', '|---|---:|---:|---:|---:|---:|');
  for (const e of report.environments) {
    out.push(`| ${literal(e.name)} | ${show(e.allocatedPasses)} | ${show(e.bookedAsAppPass)} | ${show(e.requiredPasses)} | ${show(e.overage)} | ${show(e.unusedPasses)} |`);
  }
  if (monthly && monthly.months.length > 1) {
    out.push('', '## Per month', '', `| Environment | ${monthly.months.map((m) => `${m} booked / needed / overage / idle`).join(' | ')} |`, `|---|${monthly.months.map(() => '---:').join('|')}|`);
    for (const e of report.environments) {
      const months = monthsOf(monthly, e);
      out.push(`| ${literal(e.name)} | ${monthly.months.map((m) => months.find((f) => f.month === m)).map((f) => (f ? [f.bookedAsAppPass, f.requiredPasses, f.overage, f.unusedPasses].map(show).join(' / ') : '')).join(' | ')} |`);
    }
  }
  for (const e of report.environments) {
    if (!e.findings.length && !e.unknowns.length && !e.expected) continue;
    out.push('', `## ${literal(e.name)}`, '', `${flags(e)}; ${headline(e)}.`, '');
    if (e.expected) out.push(literal(expectedBookingsLine(e.expected, e)), '');
    for (const u of e.unknowns) out.push(`> ${literal(u)}`, '');
    if (e.usersRequiringLicenses) out.push(`**${literal(usersRequiringLicensesLine(e.usersRequiringLicenses))}**`, '');
    for (const { f, title, explanation, fix, apps } of findingEntries(e)) {
      out.push(`- **${literal(title)}** (${f.rule}: ${RULES[f.rule].title}; ${confidenceLabel(f.confidence)})  `);
      if (apps) out.push(`  Apps: ${literal(apps)}  `);
      out.push(`  ${literal(explanation)}  `);
      out.push(`  *Fix:* ${literal(fix)}`);
    }
    yield out.take();
  }
  if (report.advice.actions.length) {
    const perMonth = (n: number) => `about ${money(n, report.advice.prices)} a month`;
    const { shown, leftOut } = adviceChoices(report.advice, perMonth);
    out.push('', '## What saves the most', '', literal(combinedSavingSentence(report.advice.actions, perMonth)), '');
    for (const options of shown) {
      optionTitles(options).forEach((title, j) => out.push(`${j ? '   - ' : '1. '}${literal(title)} (${ruleCitation(options[j].rule)}; ${perMonth(options[j].monthlySaving)}): ${literal(options[j].detail)}`));
    }
    if (leftOut) out.push('', literal(leftOut));
  }
  yield out.take();
}

/** The CLI's JSON: the documented shape, plus month, unknowns and evidence. */
export function toJson(report: LicensingReport, withApps: boolean, monthly?: MonthlyFigures): unknown {
  return { ...jsonHead(report), environments: report.environments.map((e) => jsonEnvironment(e, withApps)), advice: report.advice, ...jsonMonthly(monthly) };
}

/** Several months' figures, only when there are several: one month's output stays as it was. */
function jsonMonthly(monthly: MonthlyFigures | undefined): { monthly?: MonthlyFigures } {
  return monthly && monthly.months.length > 1 ? { monthly } : {};
}

function jsonHead(report: LicensingReport) {
  const { generatedAt, month, sources, usageUnknown, bookingsUnknown, totals } = report;
  return { generatedAt, month, sources, usageUnknown, ...(bookingsUnknown !== undefined ? { bookingsUnknown } : {}), totals };
}

function jsonEnvironment({ apps, findings, ...e }: EnvironmentReport, withApps: boolean) {
  return {
    ...e,
    findings: findings.map(jsonFinding),
    ...(withApps ? { apps } : {}),
  };
}

/** The documented fields of a finding, by name, with its words. */
function jsonFinding(f: Finding) {
  const { code, rule, confidence, appId, appName, userPrincipalName, count } = f;
  const { evidence, explanation, fix } = findingWords(f);
  return { code, rule, confidence, appId, appName, userPrincipalName, count, evidence, explanation, fix };
}

/** toJson's text exactly as JSON.stringify(..., null, 2) writes it, in pieces (see Lines). */
export function* jsonChunks(report: LicensingReport, withApps: boolean, monthly?: MonthlyFigures): Generator<string> {
  const indented = (value: unknown, by: string) => JSON.stringify(value, null, 2).replace(/\n/g, `\n${by}`);
  const head = JSON.stringify(jsonHead(report), null, 2);
  yield `${head.slice(0, -2)},\n  "environments": [`;
  for (let i = 0; i < report.environments.length; i++) {
    yield `${i ? ',' : ''}\n    ${indented(jsonEnvironment(report.environments[i], withApps), '    ')}`;
  }
  const months = jsonMonthly(monthly).monthly;
  yield `${report.environments.length ? '\n  ' : ''}],\n  "advice": ${indented(report.advice, '  ')}${months ? `,\n  "monthly": ${indented(months, '  ')}` : ''}\n}\n`;
}
