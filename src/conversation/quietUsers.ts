import type { AnalyzedTenant } from '../tenant/analyzedTenant';
import type { EnvironmentReport } from '../licensing/report';
import type { ViewOf } from '../cards/render';
import { monthName } from '../licensing/months';
import { plural } from '../licensing/wording';
import { subtitle } from './findingItems';
import { namedList, personNamed } from './namedList';

/**
 * "Who hasn't opened any app this month", "which users never launched an app": the people
 * the tenant's user list names who launched no app in the data's month. PassLens knows who
 * launched which app (the usage, the audit log or the Active users report) and, read live
 * or from the All licensed users report, who the tenant's users are; the difference is
 * who launched nothing. Without the user list it cannot be told, and the card says so.
 */

/** A sentence about people that says no app was launched ("hasn't opened any app", "never launched", "keine App geöffnet", "n'a ouvert aucune appli"). */
const NO_LAUNCH =
  /\b(has ?n'?t|have ?n'?t|did ?n'?t|does ?n'?t|do ?n'?t|never|not|no longer)\s+(yet\s+|even\s+|ever\s+|once\s+)?(open\w*|launch\w*|used?|using|run|ran|start\w*|touch\w*)\b[^.?!]{0,20}\b(apps?|applications?|anything|any)\b|\b(no|zero|not a single|not one)\s+apps?\b|\b(keine\w*|nie)\b[^.?!]{0,20}\b(apps?|anwendung\w*)\b[^.?!]{0,20}\b(ge(öffnet|startet|nutzt)|benutzt)\b|\b(aucune?)\s+(app\w*)\b|\bjamais\b[^.?!]{0,20}\b(ouvert|lanc\w*|utilis\w*)\b/i;
/** People: "who", "which users", "wer", "qui", "quels utilisateurs". */
const PEOPLE = /\b(who|whom|users?|people|person|persons|employees?|colleagues?|anyone|somebody|someone|wer|benutzer\w*|nutzer\w*|mitarbeiter\w*|qui|utilisateurs?|personnes?)\b/i;
/** About passes or environments ("passes nobody used", "environments with no apps"): idle passes, not people. */
const NOT_PEOPLE = /\b(pass(es)?|p[äa]sse|environments?|envs?|umgebung\w*|environnements?)\b/i;

export function asksWhoLaunchedNothing(said: string): boolean {
  return NO_LAUNCH.test(said) && PEOPLE.test(said) && !NOT_PEOPLE.test(said);
}

export function quietUsersCard(tenant: AnalyzedTenant, env: EnvironmentReport | null): ViewOf<'answer'> {
  const { report } = tenant;
  const where = env ? ` in ${env.name}` : '';
  const month = report.month;
  const people = tenant.inventory.users;
  const base = { title: `Who launched no app${where}`, subtitle: subtitle(tenant), answerColor: 'Default', buttons: [{ title: 'Who uses the most apps?', text: 'who uses the most apps' }] };
  const cannot = 'PassLens sees who launched which Power Apps app in the environments it reads. It cannot tell who signed in, used other Microsoft 365 apps, or opened an app in an environment it does not read.';
  if (!month || report.usageUnknown) {
    return { card: 'answer', data: { ...base, answer: `Not known: the launches were not read${report.usageUnknown ? ` (${report.usageUnknown})` : ''}, so who launched nothing cannot be told.`, facts: [], itemsTitle: '', items: [], note: cannot } };
  }
  if (!people) {
    return {
      card: 'answer',
      data: {
        ...base,
        answer: `Not known from this data: it lists the people who launched an app in ${monthName(month)}, not the tenant's other users. With the tenant's user list (read live from Microsoft Graph, or the All licensed users report dropped beside the Active users report) PassLens names who launched none.`,
        facts: [{ title: 'Launched an app', value: String(report.users.length) }],
        itemsTitle: '',
        items: [],
        note: cannot,
      },
    };
  }
  const launched = (upn: string) => tenant.ledger.launchesOf(upn).some((l) => (l.month === month || l.month === null) && (!env || l.environmentId === env.id));
  const quiet = people.filter((u) => !launched(u.userPrincipalName)).sort((a, b) => (a.displayName ?? a.userPrincipalName).localeCompare(b.displayName ?? b.userPrincipalName));
  const answer = quiet.length
    ? `${plural(quiet.length, 'person', 'people')} of the ${people.length} in the tenant's user list launched no app${where} in ${monthName(month)}.`
    : `Everyone in the tenant's user list (${people.length}) launched at least one app${where} in ${monthName(month)}.`;
  return {
    card: 'answer',
    data: {
      ...base,
      answer,
      facts: [
        { title: 'Users listed', value: String(people.length) },
        { title: 'Launched an app', value: String(people.length - quiet.length) },
        { title: 'Launched none', value: String(quiet.length) },
      ],
      ...namedList(quiet.map(personNamed), 'Who'),
      note: `${report.launchesIncomplete ? `Launches read in part (${report.launchesIncomplete}): someone listed may have launched an app on a day not read. ` : ''}${cannot}`,
    },
  };
}
