import type { AnalyzedTenant } from '../tenant/analyzedTenant';
import type { EnvironmentReport } from '../licensing/report';
import type { CardView, ViewOf } from '../cards/render';
import { userCard } from './userCard';
import { bound, plural } from '../licensing/wording';
import { DROP_REPORT, overUnknownLine, subtitle } from './findingItems';
import type { RankedBy, RankedSubject } from './question';
import { asksWhoLaunchedNothing } from './quietUsers';
import { asksWhichAppsUnused } from './quietApps';
import { asksWhoHoldsPerUser } from './licenseHolders';

/**
 * Superlatives and rankings: "who uses the most apps", "which environment wastes the
 * most passes", "which app has the most users". The subject and what is counted are
 * read from the sentence's words; the card answers with the top one first.
 */

const ABOUT_PEOPLE = /\b(who|whom|whose|users?|person|people|guy|someone|anyone|anybody|somebody|employees?|colleagues?|wer|jemand|benutzer[ns]?|nutzer[ns]?|mitarbeiter\w*|qui|quelqu'un|utilisateurs?|personnes?)\b/i;
const ABOUT_ENVIRONMENTS = /\b(environments?|envs?|where|umgebung(en)?|wo|environnements?|où)\b/i;
const ABOUT_APPS = /\b(apps?|applis?|applications?|anwendung(en)?|programmes?)\b/i;
/** "which app has the most users": apps are what is asked for, though users are what is counted. */
const WHICH_APP = /\b(which|what|welche\w*|quel(le)?s?)\s+(apps?|applis?|applications?|anwendung\w*)\b/i;
/** "the guy with most apps", "the user who needs the most passes": one person, the top of the list. */
const ONE_PERSON = /\b(the|that)\s+(guy|person|user|one|colleague|employee|woman|man)\s+(with|who|that)\b|\b(der|die)\s+(typ|person|benutzer|nutzer\w*|kollegin|kollege)\s+mit\b|\b(celui|celle|la personne|l'utilisateur)\s+(qui|avec)\b/i;
const IDLE = /wast|unused|idle|spare|left\s?over|not used|ungenutzt|verschwend|brach|inutilis|gaspill|non utilis/i;
const OVER = /\bover\b|overage|exceed|too many|überschr|\bdrüber|dépass|au-dessus/i;

/** What a ranking sentence ranks and by what; `subject` when the kind already says it ("what does the guy with most apps consume"). */
export function rankingAsked(said: string, subject?: RankedSubject): { subject: RankedSubject; by: RankedBy; top?: boolean } {
  // Apps by idleness: the ones nobody launched (quietApps.ts), though "no users" names people.
  if (!subject && asksWhichAppsUnused(said)) return { subject: 'apps', by: 'idle' };
  // People by the per-user license they hold (licenseHolders.ts).
  if (subject !== 'apps' && asksWhoHoldsPerUser(said)) return { subject: 'users', by: 'licensed' };
  const about: RankedSubject = subject ?? (WHICH_APP.test(said) ? 'apps' : ABOUT_PEOPLE.test(said) ? 'users' : ABOUT_ENVIRONMENTS.test(said) ? 'environments' : ABOUT_APPS.test(said) ? 'apps' : 'environments');
  // People by idleness: who launched no app at all (quietUsers.ts).
  if (about === 'users') return { subject: about, by: asksWhoLaunchedNothing(said) ? 'idle' : ABOUT_APPS.test(said) ? 'apps' : 'passes', ...(ONE_PERSON.test(said) ? { top: true } : {}) };
  if (about === 'apps') return { subject: about, by: 'users' };
  return { subject: about, by: IDLE.test(said) ? 'idle' : OVER.test(said) ? 'over' : 'passes' };
}

interface Row {
  name: string;
  value: number;
  line: string;
  /** How a question names the row unambiguously (a user's address), for its button. */
  ask?: string;
}

const TOP = 5;

/** The list, top first. */
function ranked(tenant: AnalyzedTenant, subject: RankedSubject, by: RankedBy, env: EnvironmentReport | null): Row[] {
  return rowsOf(tenant, subject, by, env ? [env] : tenant.report.environments).sort((a, b) => b.value - a.value || (a.name < b.name ? -1 : 1));
}

/** "What does the guy with most apps consume": that person's own card, saying why it is them; the ranking when no one used anything. */
export function topUserCard(tenant: AnalyzedTenant, by: RankedBy, env: EnvironmentReport | null): CardView {
  const top = ranked(tenant, 'users', by, env)[0];
  const card = top && top.value > 0 && top.ask ? userCard(tenant, top.ask) : null;
  if (!card) return rankingCard(tenant, 'users', by, env);
  const most = by === 'apps' ? 'Uses the most apps' : 'Needs the most passes';
  return { ...card, data: { ...card.data, verdict: `${most}${env ? ` in ${env.name}` : ''} (${top.line}). ${card.data.verdict}` } };
}

export function rankingCard(tenant: AnalyzedTenant, subject: RankedSubject, by: RankedBy, env: EnvironmentReport | null): ViewOf<'answer'> {
  const rows = ranked(tenant, subject, by, env);
  const where = env ? ` in ${env.name}` : '';
  const what = WHAT[subject][by] ?? WHAT[subject].passes!;
  const top = rows[0];
  const listed = rows.slice(0, TOP).filter((r) => r.value > 0);
  // A figure unknown is never "no": which environments, why and how to find out.
  const unknown = subject === 'environments' ? unknownLine(tenant, by, env ? [env] : tenant.report.environments) : '';
  const answer =
    !top || top.value === 0
      ? unknown || `No ${what.none}${where} this month.`
      : `${top.name}${rows[1]?.value === top.value ? ` (tied with ${rows[1].name})` : ''}: ${top.line}.${unknown ? ` ${unknown}` : ''}`;
  return {
    card: 'answer',
    data: {
      title: `${what.title}${where}`,
      subtitle: subtitle(tenant),
      answer,
      answerColor: by === 'over' && top && top.value > 0 ? 'Attention' : 'Default',
      facts: [
        { title: `${subject === 'users' ? 'Users' : subject === 'apps' ? 'Apps' : 'Environments'} counted`, value: String(rows.length) },
        { title: 'Total', value: unknown ? 'unknown' : String(rows.reduce((n, r) => n + r.value, 0)) },
      ],
      // "Top 1" when one row of the five has anything to count, not "Top 5" above one line.
      itemsTitle: `Top ${listed.length}`,
      items: listed.map((r) => `${r.name}: ${r.line}`),
      note: by === 'idle' ? 'Idle passes are allocated but not needed by this month\'s launches: they can move to an environment that is over.' : '',
      buttons: subject === 'users' && top ? [{ title: `What does ${top.name} consume?`, text: `what does ${top.ask ?? top.name} consume` }] : [{ title: 'What should we buy?', text: 'What should we buy?' }],
    },
  };
}

/** The environments whose ranked figure is unknown, said as unknown with the why and the fix (overUnknownLine); '' when all are known. */
function unknownLine(tenant: AnalyzedTenant, by: RankedBy, envs: readonly EnvironmentReport[]): string {
  const figure = (e: EnvironmentReport) => figureOf(e, by);
  const verb = by === 'idle' ? 'has idle passes' : by === 'over' ? 'is over its allocation' : 'booked passes';
  const unknown = envs.filter((e) => e.payAsYouGo !== true && figure(e) === null);
  // From the audit log the launches are read but Microsoft's bookings are not (launchUsage): unknown with where they are, never "no environment booked a pass".
  const fromLog = by === 'passes' ? unknown.filter((e) => e.expected) : [];
  const logLine = fromLog.length ? `Unknown for ${fromLog.map((e) => e.name).join(', ')}: how many passes Microsoft booked is not in the audit log (it says who launched which app, not which license was charged). ${DROP_REPORT}` : '';
  return [logLine, overUnknownLine(tenant.report, unknown.filter((e) => !fromLog.includes(e)), verb)].filter(Boolean).join(' ');
}

/** The environment figure a ranking by `by` orders on: idle passes, overage, or passes booked. */
function figureOf(e: EnvironmentReport, by: RankedBy): number | null {
  return by === 'idle' ? e.unusedPasses : by === 'over' ? e.overage : e.bookedAsAppPass;
}

const WHAT: Record<RankedSubject, Partial<Record<RankedBy, { title: string; none: string }>>> = {
  users: { apps: { title: 'Who uses the most apps', none: 'user launched an app' }, passes: { title: 'Who needs the most passes', none: 'user needs a pass' } },
  apps: { users: { title: 'Apps with the most users', none: 'app was launched' }, passes: { title: 'Apps with the most users', none: 'app was launched' } },
  environments: {
    idle: { title: 'Where passes sit idle', none: 'environment has idle passes' },
    over: { title: 'Where you are over the allocation', none: 'environment is over its allocation' },
    passes: { title: 'Environments by passes booked', none: 'environment booked a pass' },
  },
};

function rowsOf(tenant: AnalyzedTenant, subject: RankedSubject, by: RankedBy, envs: readonly EnvironmentReport[]): Row[] {
  if (subject === 'environments') {
    return envs.map((e) => {
      const value = figureOf(e, by) ?? 0;
      const line = by === 'idle' ? `${bound(value, 'at most', e, (n) => plural(n, 'pass', 'passes'))} idle of ${e.allocatedPasses ?? 'unknown'} allocated` : by === 'over' ? `over by ${value} (${e.bookedAsAppPass ?? 'unknown'} booked, ${e.allocatedPasses ?? 'unknown'} allocated)` : `${plural(value, 'pass', 'passes')} booked, ${e.requiredPasses ?? 'unknown'} needed`;
      return { name: e.name, value, line };
    });
  }
  if (subject === 'apps') return envs.flatMap((e) => e.apps.map((a) => ({ name: `${a.appName} (${e.name})`, value: a.users ?? 0, line: `${plural(a.users ?? 0, 'user')}, ${plural(a.bookedAsAppPass ?? 0, 'launch', 'launches')} booked as AppPass` })));
  const inScope = new Set(envs.map((e) => e.id));
  const everywhere = envs.length === tenant.report.environments.length;
  // In one environment: its users alone, with the passes they need there (passes count per environment).
  return tenant.report.users.flatMap((u) => {
    const apps = new Set(tenant.ledger.launchesOf(u.userPrincipalName).filter((l) => (l.month === tenant.report.month || l.month === null) && inScope.has(l.environmentId)).map((l) => `${l.environmentId}/${l.appId}`)).size;
    if (!everywhere && apps === 0) return [];
    const passes = everywhere ? u.passesNeeded : envs.reduce((n, e) => n + (u.passesByEnvironment[e.id] ?? 0), 0);
    const name = u.displayName ?? u.userPrincipalName;
    return by === 'apps'
      ? [{ name, value: apps, line: `${plural(apps, 'app')} launched, ${plural(passes, 'pass', 'passes')} needed`, ask: u.userPrincipalName }]
      : [{ name, value: passes, line: `${plural(passes, 'pass', 'passes')} needed across ${plural(apps, 'app')}`, ask: u.userPrincipalName }];
  });
}
