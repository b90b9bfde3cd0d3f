import type { AppUsage, EnvironmentReport } from '../licensing/report';
import type { AnalyzedTenant } from '../tenant/analyzedTenant';
import { matchName, normalizeName } from '../licensing/names';
import type { CardView } from '../cards/render';
import type { EnvironmentRef, NameSaid } from './question';
import { choiceCard, errorCard, type Choice } from './choiceCard';

/** Which environment, app or user a question means: by the ids a button carries, or by the name said. */

/** The environment a question is about: by id (a button), by a full name in the sentence, or by a forgiving match of the name said. */
export function resolveEnvironment(tenant: AnalyzedTenant, ref: EnvironmentRef): EnvironmentReport | CardView {
  if ('id' in ref) {
    return tenant.report.environments.find((e) => e.id === ref.id) ?? errorCard('That environment is no longer in the data', 'The button names an environment that the last refresh did not find.', 'Ask "overview" to see the current environments.');
  }
  return environmentMentioned(tenant, ref.said) ?? matchOrChoose(ref.name, 'an environment', tenant.report.environments, (e) => [e.name, e.id], (e) => ({ title: e.name, verb: 'environment', environmentId: e.id }), { title: 'All environments', verb: 'ask', text: 'overview' });
}

/** The app a question is about, across environments: by ids (a button) or by a forgiving match of the name said. */
export function resolveApp(tenant: AnalyzedTenant, ref: { environmentId: string; appId: string } | NameSaid): { env: EnvironmentReport; app: AppUsage } | CardView {
  const all = tenant.report.environments.flatMap((env) => env.apps.map((app) => ({ env, app })));
  if ('appId' in ref) {
    return all.find((x) => x.env.id === ref.environmentId && x.app.appId === ref.appId) ?? errorCard('That app is no longer in the data', 'It may have been deleted or had no launches this month.', 'Ask "overview" for the current picture.');
  }
  if (!ref.name) return errorCard('Which app?', 'I understood that you asked about an app, but not which one.', 'Name it, for example "explain app Timesheet".');
  return matchOrChoose(ref.name, 'an app', all, (x) => [x.app.appName, x.app.appId], (x) => ({ title: `${x.app.appName} (${x.env.name})`, verb: 'app', environmentId: x.env.id, appId: x.app.appId }), { title: 'Misclassified apps', verb: 'ask', text: 'which apps are misclassified' });
}

/** The user a question is about, as a UPN: the address said, or a forgiving match of a display name. */
export function resolveUser(tenant: AnalyzedTenant, ref: { upn: string } | NameSaid): string | CardView {
  if ('upn' in ref) return ref.upn.toLowerCase();
  const people = new Map<string, string>();
  for (const u of tenant.inventory.users ?? []) people.set(u.userPrincipalName.toLowerCase(), u.displayName ?? u.userPrincipalName);
  for (const u of tenant.report.users) if (!people.has(u.userPrincipalName)) people.set(u.userPrincipalName, u.displayName ?? u.userPrincipalName);
  if (!ref.name) return errorCard('Which user?', 'I understood that you asked about a person, but not who.', 'Give their address, for example "what does jane@contoso.com consume".');
  const found = matchOrChoose(ref.name, 'a user', [...people], ([upn, display]) => [display, upn], ([upn, display]) => ({ title: `${display} (${upn})`, verb: 'user', upn }), { title: 'Who needs the most passes', verb: 'ask', text: 'who needs the most passes' });
  return Array.isArray(found) ? found[0] : found;
}

/**
 * The one item a name means, or a choice card with the ambiguous or the closest items
 * and "all of them".
 * Words around the name that are no question word ("hwo ... opertions") may stay in
 * what was said: when the whole fails, the longest run of its words that names exactly
 * one item wins.
 */
function matchOrChoose<T>(name: string, kind: string, items: readonly T[], namesOf: (item: T) => string[], choice: (item: T) => Choice, all: Choice): T | CardView {
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
    // The candidates, then all of them (a card holds five buttons).
    [...(m.kind === 'ambiguous' ? m.candidates : m.suggestions).slice(0, 4).map(choice), all],
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
