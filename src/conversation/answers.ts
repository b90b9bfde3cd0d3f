import type { AppUsage, EnvironmentReport, Finding } from '../licensing/report';
import type { Launch } from '../licensing/snapshot';
import type { AnalyzedTenant } from '../tenant/analyzedTenant';
import { ruleLine as citeRule } from '../licensing/rules';
import { compareText, matchName, normalizeName } from '../licensing/names';
import { money, plural, show } from '../licensing/wording';
import { alternativeLine, compareUserCost } from '../licensing/advice';
import { cheaperPerUser, passNeed, premiumRule } from '../licensing/passNeed';
import { LICENSE_NAMES } from '../licensing/licenseSkus';
import { findingWords, passesFreedBySettingOff, standardAppsTitle, standardAppsWords } from '../licensing/findings';
import { environmentStatus, unlicensedUsers } from '../licensing/figures';
import { KNOWN_LIMITS } from '../licensing/limits';
import { hasDynamicsInContextOnly } from '../licensing/premium';
import { fitPageSize, type CardView, type ViewOf } from '../cards/render';
import type { ChoiceButton, FindingItem } from '../cards/views';
import type { EnvironmentRef, NameSaid } from './question';
import { consumptionBars, gaugeOf, monthsLine } from '../cards/charts';

/**
 * Turns a question about the tenant into the data of a card. Pure: an analysed tenant
 * comes in, a CardView goes out, so every answer is testable without Teams.
 */

const SEVERITY_COLOR = { action: 'Attention', warning: 'Warning', info: 'Default' } as const;
const PAGE_SIZE = 6;
/** What a launch line says of passNeed's answer; an unknown says which fact is missing. */
const NEED_WORDS = {
  yes: ', needs a pass',
  no: '',
  managed: ', needs a pass if the environment is managed (R8: unknown)',
  premium: ', needs a pass if the app is premium (no classification)',
} as const;

/** The fix for unknown launches in chat: the report the admin center offers for download. */
const DROP_REPORT = 'Drop the Active users report (Power Platform admin center > Licensing > Power Apps > Download reports) into this chat for the full figures.';

function ruleLine(f: Pick<Finding, 'rule'>): string {
  return citeRule(f.rule);
}

export function subtitle(tenant: AnalyzedTenant): string {
  const month = tenant.report.month ?? 'the whole period';
  const sources = tenant.report.sources.map((s) => s.description).join('; ');
  return `${tenant.inventory.tenantName ?? 'Your tenant'} · ${month} · ${sources} · data from ${tenant.fetchedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

function findingItem(f: Finding): FindingItem {
  const words = findingWords(f);
  return {
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
 * Many findings of one kind (27 standard apps booked through auto-assign) read better as
 * one item that names the apps than as 27 near-identical paragraphs.
 */
export function groupFindings(findings: readonly Finding[], env?: EnvironmentReport): FindingItem[] {
  const items: FindingItem[] = [];
  const groups = new Map<string, Finding[]>();
  for (const f of findings) {
    const key = `${f.code}|${f.rule}`;
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  for (const group of groups.values()) {
    const [first] = group;
    if (group.length < 4 || first.code !== 'STANDARD_APP_BOOKED_AS_PASS') {
      items.push(...group.map(findingItem));
      continue;
    }
    const launches = group.reduce((s, f) => s + (f.count ?? 0), 0);
    const names = group.map((f) => f.appName);
    const shown = names.slice(0, 12).join(', ') + (names.length > 12 ? `, and ${names.length - 12} more` : '');
    const words = env ? standardAppsWords(first.rule, env, group.length) : null;
    items.push({
      title: standardAppsTitle(group.length, launches),
      color: SEVERITY_COLOR[first.severity],
      ruleLine: ruleLine(first),
      explanation: words?.explanation ?? findingWords(first).explanation,
      fix: words?.fix ?? findingWords(first).fix,
      evidence: `Apps: ${shown}`,
      appId: '',
      environmentId: first.environmentId,
    });
  }
  return items;
}

/** The environment card's answer: the status (environmentStatus) said in a sentence. */
function environmentAnswer(e: EnvironmentReport): { text: string; color: string } {
  const status = environmentStatus(e);
  const { color } = status;
  const misbooked = passesFreedBySettingOff(e.findings).passes;
  if (status.state === 'payg') return { text: `Pay-as-you-go: the ${plural(e.allocatedPasses ?? 0, 'pass', 'passes')} allocated here are ignored; usage is billed per user per app.`, color };
  if (status.state === 'launches-unknown') return { text: `${show(e.allocatedPasses)} passes allocated; how many are booked or needed is unknown, because no usage source answered. ${DROP_REPORT}`, color };
  if (status.state === 'allocation-unknown') return { text: `${e.bookedAsAppPass} launches booked as AppPass; the allocation is unknown, so overage cannot be told.`, color };
  if (status.state === 'blocked-at-zero') return { text: `No passes are allocated here, so Microsoft blocks launches that need one (R5): ${plural(e.launchesAtZeroAllocation ?? 0, 'launch', 'launches')} that did run are not overage but a sign of trials, license lag or a report from another month.`, color };
  if (status.state === 'over') {
    const tail =
      misbooked > 0
        ? ` ${misbooked} of them are standard apps booked because their "Per-app licensing" setting is on; only ${show(e.requiredPasses)} ${e.requiredPasses === 1 ? 'launch needs' : 'launches need'} a pass.`
        : e.managed
          ? ` In a Managed Environment these bookings are correct.`
          : '';
    return { text: `Yes, over by ${e.overage}: ${e.bookedAsAppPass} launches booked as AppPass against ${e.allocatedPasses} passes. Launches still work (passes are not a hard cap).${tail}`, color };
  }
  const used = `${e.bookedAsAppPass} of ${e.allocatedPasses} passes used${e.unusedPasses ? `, ${e.unusedPasses} idle` : ''}`;
  if (status.state === 'unlicensed') return { text: `Within allocation (${used}), but ${plural(unlicensedUsers(e), 'user')} ran premium apps with no pass, per-user license or pay-as-you-go.`, color };
  if (status.state === 'idle') return { text: `Within allocation: ${used}.`, color };
  return { text: `Exactly at allocation: ${used}.`, color };
}

function flagsLine(e: EnvironmentReport): string {
  const managed = e.managed === null ? 'Managed Environment: unknown' : e.managed ? 'Managed Environment' : 'not a Managed Environment';
  const payg = e.payAsYouGo === null ? 'pay-as-you-go: unknown' : e.payAsYouGo ? 'pay-as-you-go' : 'no pay-as-you-go';
  return `${managed} · ${payg} · ${e.activeUsers === null ? 'launches unknown' : `${e.activeUsers} active users · ${e.launches} user-app launches this month`}`;
}

export function overviewCard(tenant: AnalyzedTenant): ViewOf<'overview'> {
  const { report } = tenant;
  const scale = Math.max(1, ...report.environments.map((e) => Math.max(e.allocatedPasses ?? 0, e.bookedAsAppPass ?? 0)));
  const over = report.environments.filter((e) => (e.overage ?? 0) > 0);
  const headline = report.usageUnknown !== null
    ? `Launches are unknown (${report.usageUnknown}), so booked, needed, overage and idle passes cannot be told. ${DROP_REPORT}`
    : over.length
      ? `Over in ${plural(over.length, 'environment')}: ${over.map((e) => `${e.name} by ${e.overage}`).join(', ')}. Tolerated, not blocked (R5), but worth fixing.`
      : 'No environment is over its allocation.';
  const sourceNotes = report.sources.flatMap((s) => [
    ...(s.badRows?.count ? [`${s.badRows.count} row(s) of ${s.description} could not be read: ${s.badRows.samples.slice(0, 5).map((b) => `line ${b.line} (${b.reason})`).join(', ')}.`] : []),
    ...(s.warnings ?? []),
  ]);
  return {
    card: 'overview',
    data: {
      title: 'Per-app passes, environment by environment',
      subtitle: subtitle(tenant),
      headline,
      headlineColor: report.usageUnknown !== null ? 'Warning' : over.length ? 'Attention' : 'Good',
      totals: {
        allocated: show(report.totals.allocatedPasses),
        booked: show(report.totals.bookedAsAppPass),
        required: show(report.totals.requiredPasses),
        overage: show(report.totals.overage),
        unused: show(report.totals.unusedPasses),
      },
      sourceNotes,
      // Adaptive Cards allow 5 actions in a set: the environments most in need; every row also opens its own.
      environmentActions: [...report.environments]
        .sort((a, b) => (b.overage ?? 0) - (a.overage ?? 0) || b.findings.length - a.findings.length || compareText(a.name, b.name))
        .slice(0, 5)
        .map((e) => ({ id: e.id, name: e.name })),
      chart: consumptionBars(report.environments),
      environments: report.environments.map((e) => {
        const booked = e.bookedAsAppPass;
        const status = environmentStatus(e);
        return {
          id: e.id,
          name: e.name,
          status: status.label,
          statusColor: status.color,
          figures: `${show(e.allocatedPasses)} allocated · ${show(booked)} booked · ${show(e.requiredPasses)} needed · ${plural(e.findings.length, 'finding')}`,
          bar: allocationBar(e.allocatedPasses, booked, scale, Boolean(e.payAsYouGo)),
        };
      }),
    },
  };
}

/**
 * Allocated vs booked as one bar, in column widths out of 100: booked within the
 * allocation, booked beyond it, allocated but idle, and the rest of the common scale.
 * Pay-as-you-go passes are all idle (R10).
 */
export function allocationBar(allocated: number | null, booked: number | null, scale: number, payAsYouGo: boolean): { used: number; over: number; idle: number; rest: number } {
  // Unknown launches: neither use nor idle can be drawn.
  if (booked === null) return { used: 0, over: 0, idle: 0, rest: 100 };
  // Unknown allocation: the booking is drawn, but neither overage nor idle can be told.
  const a = allocated ?? booked;
  const within = payAsYouGo ? 0 : Math.min(booked, a);
  const parts = { used: within, over: payAsYouGo ? booked : Math.max(0, booked - a), idle: payAsYouGo ? a : Math.max(0, a - booked) };
  const width = (n: number) => (n > 0 ? Math.max(1, Math.round((n / scale) * 100)) : 0);
  const used = width(parts.used);
  const over = width(parts.over);
  const idle = width(parts.idle);
  return { used, over, idle, rest: Math.max(0, 100 - used - over - idle) };
}

export function environmentCard(tenant: AnalyzedTenant, e: EnvironmentReport, page = 0): ViewOf<'environment'> {
  const items = groupFindings(e.findings, e);
  const answer = environmentAnswer(e);
  const topApp = e.findings.find((f) => f.appId && (f.code === 'UNCOVERED_PREMIUM_USE' || f.code === 'PREMIUM_FLAG_MISMATCH'))
    ?? (() => {
      const premium = e.apps.filter((a) => a.premium && (a.bookedAsAppPass ?? 0) > 0).sort((a, b) => (b.bookedAsAppPass ?? 0) - (a.bookedAsAppPass ?? 0))[0];
      return premium ? { appId: premium.appId, appName: premium.appName } : undefined;
    })();
  const build = (pageItems: readonly FindingItem[], pageIndex: number, pageCount: number): ViewOf<'environment'> => ({
    card: 'environment',
    data: {
      id: e.id,
      name: e.name,
      subtitle: subtitle(tenant),
      answer: answer.text,
      answerColor: answer.color,
      figures: {
        allocated: show(e.allocatedPasses),
        booked: show(e.bookedAsAppPass),
        required: show(e.requiredPasses),
        gapLabel: (e.overage ?? 0) > 0 ? 'Overage' : 'Idle',
        gap: (e.overage ?? 0) > 0 ? String(e.overage) : show(e.unusedPasses),
        gapColor: (e.overage ?? 0) > 0 ? 'Attention' : 'Good',
      },
      flags: flagsLine(e),
      gauge: gaugeOf(e),
      months: monthsLine(tenant.monthly.environments.find((m) => m.id === e.id)?.months ?? []),
      unknowns: e.unknowns,
      findingsTitle: items.length ? `Why, and what to do (${plural(e.findings.length, 'finding')})` : 'Nothing to fix here.',
      findings: pageItems,
      more: pageCount > 1 ? `Page ${pageIndex + 1} of ${pageCount}` : '',
      pageActions: [
        ...(pageIndex > 0 ? [{ title: 'Previous', environmentId: e.id, page: pageIndex - 1 }] : []),
        ...(pageIndex < pageCount - 1 ? [{ title: 'More findings', environmentId: e.id, page: pageIndex + 1 }] : []),
      ],
      appActions: topApp?.appId ? [{ title: `Explain ${topApp.appName}`, environmentId: e.id, appId: topApp.appId }] : [],
    },
  });
  const size = fitPageSize(items, PAGE_SIZE, (p) => build(p, 0, 2));
  const pageCount = Math.max(1, Math.ceil(items.length / size));
  const index = Math.min(Math.max(0, page), pageCount - 1);
  return build(items.slice(index * size, index * size + size), index, pageCount);
}

/** The app card's verdict: passNeed's answer for a user with no per-user license, in words; an unknown says which fact is missing. */
function appVerdict(e: EnvironmentReport, app: AppUsage): string {
  const need = passNeed({ coveredPerUser: false, payAsYouGo: e.payAsYouGo, managed: e.managed, premium: app.premium, premiumRule: premiumRule(app) });
  const unclassified = 'no app inventory and no IsPremium flag for this app';
  if (need.need === 'yes') {
    if (need.rule !== 'R8') return `Premium: every user needs a pass or a per-user license (${need.rule}).`;
    return `${app.premium === false ? 'Standard, but in' : 'In'} a Managed Environment every user needs a standalone license (R8).${app.premium === null ? ` Premium status unknown: ${unclassified}.` : ''}`;
  }
  if (need.need === 'unknown') {
    return need.missing === 'premium'
      ? `Premium status unknown: ${unclassified}.`
      : `Standard: Microsoft 365 users need no pass for it (R7), unless ${e.name} is a Managed Environment, where every user needs a standalone license (R8). Whether it is managed is unknown: check admin center > Environments.`;
  }
  if (need.rule === 'R10') {
    const who = app.premium === null ? `Premium status unknown: ${unclassified}` : app.premium ? 'each user without a per-user license is billed per app per month' : 'Microsoft 365 users of a standard app are not billed';
    return `Pay-as-you-go: ${e.name} ignores per-app passes (R10); ${who}.`;
  }
  return 'Standard: Microsoft 365 users need no pass for it (R7).';
}

export function appCard(tenant: AnalyzedTenant, e: EnvironmentReport, app: AppUsage): ViewOf<'app'> {
  const findings = e.findings.filter((f) => f.appId === app.appId);
  const verdict = appVerdict(e, app);
  const bookedAs = Object.entries(app.bookedAs)
    .map(([t, n]) => `${t} ${n}`)
    .join(', ');
  return {
    card: 'app',
    data: {
      name: app.appName,
      subtitle: `${e.name} · ${app.type ?? 'type unknown'} · ${app.appId}`,
      verdict,
      verdictColor: app.premium ? 'Warning' : 'Good',
      classification: app.premium === null ? 'unknown' : `${app.premium ? 'Premium' : 'Standard'} (from the ${app.premiumBasis})`,
      reasons: app.premiumReasons.join('; ') || 'none',
      autoAssign: app.canConsumeAppPass === null ? 'unknown' : app.canConsumeAppPass ? 'on (canConsumeAppPass = true)' : 'off',
      users: show(app.users),
      booked: show(app.bookedAsAppPass),
      required: show(app.requiredPasses),
      bookedAs: bookedAs || 'none',
      findings: findings.map(findingItem),
      environmentId: e.id,
      environmentName: e.name,
    },
  };
}

export function userCard(tenant: AnalyzedTenant, upn: string): ViewOf<'user'> | null {
  const u = tenant.report.users.find((x) => x.userPrincipalName === upn.toLowerCase());
  const known = tenant.inventory.users?.find((x) => x.userPrincipalName.toLowerCase() === upn.toLowerCase());
  if (!u && !known) return null;
  const prices = tenant.report.advice.prices;
  const passes = u?.passesNeeded ?? 0;
  const licenses = u?.licenses ?? known?.licenses ?? null;
  const covered = u?.coveredPerUser ?? false;
  const launches: Launch[] = tenant.ledger.launchesOf(upn).filter((l) => l.month === tenant.report.month || l.month === null);
  const byEnv = new Map<string, string[]>();
  for (const l of launches) {
    const env = tenant.report.environments.find((e) => e.id === l.environmentId);
    const app = env?.apps.find((a) => a.appId === l.appId);
    const name = env?.name ?? l.environmentName ?? l.environmentId;
    const need = passNeed({ coveredPerUser: covered, payAsYouGo: env?.payAsYouGo ?? null, managed: env?.managed ?? null, premium: app?.premium ?? null, premiumRule: premiumRule(app) });
    byEnv.set(name, [...(byEnv.get(name) ?? []), `${app?.appName ?? l.appName ?? l.appId}: booked as ${l.licenseType}${NEED_WORDS[need.need === 'unknown' ? need.missing : need.need]}`]);
  }
  const c = compareUserCost(upn, passes, prices);
  const findings = tenant.report.environments.flatMap((e) => e.findings).filter((f) => f.userPrincipalName === upn.toLowerCase());
  return {
    card: 'user',
    data: {
      name: known?.displayName ?? u?.displayName ?? upn,
      upn: upn.toLowerCase(),
      verdict: covered
        ? 'Licensed per user: needs no pass anywhere (R6).'
        : licenses && hasDynamicsInContextOnly(licenses)
          ? `Dynamics 365 covers apps only in the context of its licensed Dynamics 365 app, in the same environment (R6): outside it ${passes === 0 ? 'a pass or Premium is needed' : `these ${plural(passes, 'pass', 'passes')} are correct bookings, not double licensing`}.`
        : passes === 0
          ? 'Needs no pass this month.'
          : `Needs ${plural(passes, 'pass', 'passes')} this month${cheaperPerUser(passes, prices) ? ': a per-user license would be cheaper (R14).' : '.'}`,
      licenses: licenses === null ? 'unknown (no license data loaded)' : licenses.map((l) => LICENSE_NAMES[l]).join(', ') || 'none',
      passesNeeded: String(passes),
      booked: String(u?.bookedAsAppPass ?? 0),
      comparison: covered ? 'already per user' : `${money(c.perAppCost, prices)} per app vs ${money(c.perUserCost, prices)} per user`,
      environments: [...byEnv].map(([name, apps]) => ({ name, apps })),
      findings: findings.map(findingItem),
    },
  };
}

export function findingsCard(tenant: AnalyzedTenant, filter: 'misclassified' | 'over', environmentId: string | null, page = 0): ViewOf<'findings'> {
  const envs = tenant.report.environments.filter((e) => !environmentId || e.id === environmentId);
  const codes = filter === 'misclassified' ? ['STANDARD_APP_BOOKED_AS_PASS', 'PREMIUM_FLAG_MISMATCH'] : ['OVERAGE', 'LAUNCHES_AT_ZERO_ALLOCATION', 'UNCOVERED_PREMIUM_USE', 'PAYG_IGNORES_PASSES'];
  const items = envs.flatMap((e) =>
    groupFindings(e.findings.filter((f) => codes.includes(f.code)), e).map((item) => ({ ...item, title: `${e.name}: ${item.title}` })),
  );
  const title = filter === 'misclassified' ? 'Apps booked against their classification' : 'Are we over?';
  const scope = environmentId ? envs[0]?.name : 'all environments';
  const build = (pageItems: readonly FindingItem[], pageIndex: number, pageCount: number): ViewOf<'findings'> => ({
    card: 'findings',
    data: {
      title,
      subtitle: `${scope} · ${subtitle(tenant)}`,
      empty:
        filter === 'misclassified'
          ? 'No app is booked against its classification: every AppPass booking is for a premium app, and the report agrees with the inventory.'
          : 'No. Every environment is within its allocation and all premium use is licensed.',
      findings: pageItems,
      more: pageCount > 1 ? `Page ${pageIndex + 1} of ${pageCount}` : '',
      pageActions: [
        ...(pageIndex > 0 ? [{ title: 'Previous', filter, environmentId: environmentId ?? '', page: pageIndex - 1 }] : []),
        ...(pageIndex < pageCount - 1 ? [{ title: 'More', filter, environmentId: environmentId ?? '', page: pageIndex + 1 }] : []),
      ],
    },
  });
  const size = fitPageSize(items, PAGE_SIZE, (p) => build(p, 0, 2));
  const pageCount = Math.max(1, Math.ceil(items.length / size));
  const index = Math.min(Math.max(0, page), pageCount - 1);
  return build(items.slice(index * size, index * size + size), index, pageCount);
}

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

export const EXAMPLE_QUESTIONS = [
  'Are we over?',
  'How many passes does Sales Prod use?',
  'Why are standard apps booked as AppPass in Contoso Sales?',
  'Which apps are misclassified?',
  'Explain app Timesheet',
  'What does jane@contoso.com consume?',
  'What should we buy?',
  'Refresh',
  'Check setup',
];

/** The help card, as a welcome when PassLens is installed or as the answer to "help". */
export function helpCard(occasion: 'welcome' | 'asked'): ViewOf<'help'> {
  const welcome = occasion === 'welcome';
  return {
    card: 'help',
    data: {
      title: welcome ? 'Hi, I am PassLens' : 'What I can answer',
      intro:
        'I read your tenant\'s environments, per-app pass allocations, apps and licenses, and explain per environment how passes are consumed: where you are over, where passes sit idle, and which apps are booked against their classification, each with the rule behind it, how sure that rule is, and the fix.',
      examples: EXAMPLE_QUESTIONS,
      csvHint: 'You can also drop the Active users CSV (admin center > Licensing > Power Apps > Download reports) into our personal chat and I will analyse it; reports dropped within 15 minutes of each other (other months, All licensed users) are analysed together.',
      limits: KNOWN_LIMITS.map((l) => `${l.text} (${l.rule})`),
      digestHint: 'In a channel, mention me and ask for the weekly digest in your own words ("@PassLens keep this channel posted every Friday at 16:00 Europe/Berlin"); "status", "digest now" and "unsubscribe" manage it. I also understand the common questions in German and French.',
      buttons: [
        { title: 'Are we over?', text: 'Are we over?' },
        { title: 'Misclassified apps', text: 'Which apps are misclassified?' },
        { title: 'What should we buy?', text: 'What should we buy?' },
        { title: 'Overview', text: 'overview' },
      ],
    },
  };
}

/** How to have PassLens analyse the Active users CSV. */
export function uploadHelpCard(): ViewOf<'help'> {
  return {
    card: 'help',
    data: {
      title: 'Analysing the Active users CSV',
      limits: [],
      intro: 'I can analyse the Active users report as Microsoft exports it, per environment, exactly as I answer for the tenant itself.',
      examples: [
        'In the Power Platform admin center, open Licensing > Power Apps and choose Download reports.',
        'Download the Active users report (a .csv file) and keep it unchanged.',
        'Drop the file into our personal chat: I answer with the overview of that file, and its buttons answer from it for an hour.',
        'Drop the other months, the All licensed users report or the Managed Environments report within 15 minutes of the last one and I analyse them together; say "new upload" to start over.',
      ],
      csvHint: 'On your own machine, "npx passlens analyze --csv FILE" gives the same analysis as text, JSON or Markdown.',
      digestHint: 'A typed question is about your tenant again, not about the file.',
      buttons: [{ title: 'Overview of the tenant', text: 'overview' }],
    },
  };
}

export function errorCard(title: string, message: string, action: string, details: string[] = []): ViewOf<'error'> {
  return { card: 'error', data: { title, message, action, details } };
}

export type Choice = Pick<ChoiceButton, 'title' | 'verb'> & Partial<ChoiceButton>;

export function choiceCard(title: string, message: string, choices: Choice[]): ViewOf<'choice'> {
  return {
    card: 'choice',
    data: { title, message, choices: choices.slice(0, 5).map((c) => ({ environmentId: '', appId: '', upn: '', text: '', ...c })) },
  };
}

/** The environment a question is about: by id (a button), by a full name in the sentence, or by a forgiving match of the name said. */
export function resolveEnvironment(tenant: AnalyzedTenant, ref: EnvironmentRef): EnvironmentReport | CardView {
  if ('id' in ref) {
    return tenant.report.environments.find((e) => e.id === ref.id) ?? errorCard('That environment is no longer in the data', 'The button names an environment that the last refresh did not find.', 'Ask "overview" to see the current environments.');
  }
  return environmentMentioned(tenant, ref.said) ?? matchOrChoose(ref.name, 'an environment', tenant.report.environments, (e) => [e.name, e.id], (e) => ({ title: e.name, verb: 'environment', environmentId: e.id }));
}

/** The app a question is about, across environments: by ids (a button) or by a forgiving match of the name said. */
export function resolveApp(tenant: AnalyzedTenant, ref: { environmentId: string; appId: string } | NameSaid): { env: EnvironmentReport; app: AppUsage } | CardView {
  const all = tenant.report.environments.flatMap((env) => env.apps.map((app) => ({ env, app })));
  if ('appId' in ref) {
    return all.find((x) => x.env.id === ref.environmentId && x.app.appId === ref.appId) ?? errorCard('That app is no longer in the data', 'It may have been deleted or had no launches this month.', 'Ask "overview" for the current picture.');
  }
  if (!ref.name) return errorCard('Which app?', 'I understood that you asked about an app, but not which one.', 'Name it, for example "explain app Timesheet".');
  return matchOrChoose(ref.name, 'an app', all, (x) => [x.app.appName, x.app.appId], (x) => ({ title: `${x.app.appName} (${x.env.name})`, verb: 'app', environmentId: x.env.id, appId: x.app.appId }));
}

/** The user a question is about, as a UPN: the address said, or a forgiving match of a display name. */
export function resolveUser(tenant: AnalyzedTenant, ref: { upn: string } | NameSaid): string | CardView {
  if ('upn' in ref) return ref.upn.toLowerCase();
  const people = new Map<string, string>();
  for (const u of tenant.inventory.users ?? []) people.set(u.userPrincipalName.toLowerCase(), u.displayName ?? u.userPrincipalName);
  for (const u of tenant.report.users) if (!people.has(u.userPrincipalName)) people.set(u.userPrincipalName, u.displayName ?? u.userPrincipalName);
  if (!ref.name) return errorCard('Which user?', 'I understood that you asked about a person, but not who.', 'Give their address, for example "what does jane@contoso.com consume".');
  const found = matchOrChoose(ref.name, 'a user', [...people], ([upn, display]) => [display, upn], ([upn, display]) => ({ title: `${display} (${upn})`, verb: 'user', upn }));
  return Array.isArray(found) ? found[0] : found;
}

/**
 * The one item a name means, or a choice card with the ambiguous or the closest items.
 * Words around the name that are no question word ("hwo ... opertions") may stay in
 * what was said: when the whole fails, the longest run of its words that names exactly
 * one item wins.
 */
function matchOrChoose<T>(name: string, kind: string, items: readonly T[], namesOf: (item: T) => string[], choice: (item: T) => Choice): T | CardView {
  const m = matchName(name, items, namesOf);
  if (m.kind === 'match') return m.item;
  const said = name.split(' ');
  for (let length = said.length - 1; length > 0; length--) {
    for (let start = 0; start + length <= said.length; start++) {
      const part = matchName(said.slice(start, start + length).join(' '), items, namesOf);
      if (part.kind === 'match') return part.item;
    }
  }
  const kinds = kind.replace(/^an? /, '') + 's';
  return choiceCard(
    m.kind === 'ambiguous' ? `"${name}" matches several ${kinds}` : `I don't know ${kind} called "${name}"`,
    m.kind === 'ambiguous' ? 'Which one did you mean?' : 'Did you mean one of these?',
    (m.kind === 'ambiguous' ? m.candidates : m.suggestions).map(choice),
  );
}

/**
 * The environment a whole sentence talks about ("... booked as AppPass in contoso
 * sales?"): the one whose name's words, without the bracketed part, all appear in it.
 * The longest such name wins; none or a tie gives null.
 */
export function environmentMentioned(tenant: AnalyzedTenant, text: string): EnvironmentReport | null {
  const words = new Set(normalizeName(text).split(' '));
  const hits = tenant.report.environments
    .map((e) => ({ e, core: normalizeName(e.name.replace(/\([^)]*\)/g, ' ')).split(' ').filter(Boolean) }))
    .filter(({ core }) => core.length > 0 && core.every((w) => words.has(w)))
    .sort((a, b) => b.core.length - a.core.length);
  if (!hits.length || (hits.length > 1 && hits[0].core.length === hits[1].core.length)) return null;
  return hits[0].e;
}
