import type { AnalyzedTenant } from '../tenant/analyzedTenant';
import type { EnvironmentReport } from '../licensing/report';
import type { ViewOf } from '../cards/render';
import { monthName } from '../licensing/months';
import { plural } from '../licensing/wording';
import { subtitle } from './findingItems';
import { namedList } from './namedList';

/**
 * "show me apps nobody used", "which apps have no users", "unused apps": the apps of the
 * inventory that nobody launched in the data's month. The launches say which apps were
 * used; the app inventory (read live) says which exist; the difference is the quiet ones.
 * A report dropped without the inventory names only apps someone launched, and the card
 * says so.
 */
const UNUSED_APPS =
  /\b(unused|idle|dead|abandoned|orphan\w*)\s+apps?\b|\bapps?\b[^.?!]{0,30}\b(nobody|no one|no-one|noone)\b|\bapps?\b[^.?!]{0,20}\b(not|never)\s+(been\s+)?(used|opened|launched|run)\b|\bapps?\s+(with|having|that have|have|has)\s+(no|zero)\s+(users?|launch\w*)\b|\bapps?\b[^.?!]{0,30}\b(niemand|keiner|ungenutzt|unbenutzt)\b|\b(applis?|applications?)\b[^.?!]{0,30}\b(personne|inutilis\w*|jamais)\b/i;

export function asksWhichAppsUnused(said: string): boolean {
  return UNUSED_APPS.test(said);
}

export function quietAppsCard(tenant: AnalyzedTenant, env: EnvironmentReport | null): ViewOf<'answer'> {
  const { report } = tenant;
  const where = env ? ` in ${env.name}` : '';
  const month = report.month;
  const base = { title: `Apps nobody launched${where}`, subtitle: subtitle(tenant), answerColor: 'Default', buttons: [{ title: 'Apps with the most users', text: 'which app has the most users' }] };
  // R3: whether a pass is held by sharing or taken at launch is not settled; the card does not promise either.
  const note = 'Launches in the data\'s month only: an app used last month and not this one is listed. Whether sharing an app already holds a pass is not settled: Microsoft\'s page says sharing consumes per-app capacity; field reports and the Active users report show passes taken at launch (R3).';
  if (!month || report.usageUnknown) {
    return { card: 'answer', data: { ...base, answer: `Not known: the launches were not read${report.usageUnknown ? ` (${report.usageUnknown})` : ''}, so which apps nobody launched cannot be told.`, facts: [], itemsTitle: '', items: [], note } };
  }
  const apps = tenant.inventory.apps;
  if (!apps) {
    return {
      card: 'answer',
      data: {
        ...base,
        answer: `Not known from this data: it names the apps someone launched in ${monthName(month)}, not the others. Read live, the app inventory names every app, and PassLens lists those nobody launched.`,
        facts: [],
        itemsTitle: '',
        items: [],
        note,
      },
    };
  }
  const envs = env ? [env] : report.environments;
  const names = new Map(report.environments.map((e) => [e.id, e.name]));
  const launched = new Set(envs.flatMap((e) => e.apps.filter((a) => (a.users ?? 0) > 0).map((a) => `${e.id}/${a.appId}`)));
  const inScope = new Set(envs.map((e) => e.id));
  const listed = apps.filter((a) => inScope.has(a.environmentId));
  const quiet = listed.filter((a) => !launched.has(`${a.environmentId}/${a.id}`)).sort((a, b) => a.name.localeCompare(b.name));
  const answer = quiet.length
    ? `${plural(quiet.length, 'app')} of the ${listed.length} in the inventory${where} had no launch in ${monthName(month)}.`
    : `Every app in the inventory${where} (${listed.length}) was launched in ${monthName(month)}.`;
  return {
    card: 'answer',
    data: {
      ...base,
      answer,
      facts: [
        { title: 'Apps in the inventory', value: String(listed.length) },
        { title: 'Launched', value: String(listed.length - quiet.length) },
        { title: 'Launched by nobody', value: String(quiet.length) },
      ],
      ...namedList(quiet.map((a) => `${a.name}${env ? '' : ` (${names.get(a.environmentId) ?? 'an environment not read'})`}${a.canConsumeAppPass ? ' · "Per-app licensing" on' : ''}`), 'Which'),
      note: `${report.launchesIncomplete ? `Launches read in part (${report.launchesIncomplete}): an app listed may have been launched on a day not read. ` : ''}${note}`,
    },
  };
}
