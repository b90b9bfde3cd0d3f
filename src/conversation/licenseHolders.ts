import type { AnalyzedTenant } from '../tenant/analyzedTenant';
import type { ViewOf } from '../cards/render';
import { plural } from '../licensing/wording';
import { subtitle } from './findingItems';
import { namedList, personNamed } from './namedList';

/**
 * "which users have a premium license?", "who has Power Apps Premium?", "how many premium
 * users do we have?": the people of the tenant's user list who hold a per-user license
 * that runs apps (R6: Power Apps Premium everywhere, Dynamics 365 Enterprise only in its
 * own apps' context), and which of them were still booked a pass this month (a license
 * assigned late shows as a pass for a while, R21). Per-user licenses belong to people, not
 * environments: the answer is the tenant's.
 */
const WHO = String.raw`(?:who|whom|which (?:users?|people|persons?|employees?)|how many (?:users?|people|persons?|of us)?|list (?:the |all )?(?:users?|people)|wer|welche (?:benutzer|nutzer|mitarbeiter)\w*|wie viele|qui|quels utilisateurs|combien)`;
const HOLDS = String.raw`(?:has|have|hold|holds|own|owns|got|gets|is assigned|are assigned|with|hat|haben|besitz\w*|a|ont|possède\w*|dispose\w*)`;
const PER_USER = String.raw`(?:(?:power apps )?premium|per[\s-]?user|dynamics 365(?: enterprise)?|d365)`;
/** Who, holding, a per-user license, in one short stretch of one sentence ("which users have a premium license?", "qui a une licence premium ?"), or "premium users". */
const HOLDERS = new RegExp(String.raw`\b${WHO}\b[^.?!]{0,20}\b${HOLDS}\b[^.?!]{0,25}\b${PER_USER}\b|\b${WHO}\b[^.?!]{0,20}\b${PER_USER}\s+(?:users?|nutzer|utilisateurs?|licen[cs]es?)\b`, 'i');
/** Not people's licenses: "premium apps", "premium connectors", "which users need premium" (who should get it: the ranking by passes). */
const NOT_HOLDERS = /\bpremium\s+(apps?|connectors?|features?)\b|\b(need|needs|should|would|brauch\w*|sollte\w*|besoin)\b/i;

/** "are any users over-licensed?", "who is double licensed?", "doppelt lizenziert": people who hold a per-user license and were still booked a pass (R6, R21), this card's second list. */
const DOUBLE_LICENSED = /\b(over[\s-]?licen[cs]ed|double[\s-]?licen[cs](ed|ing)|licen[cs]ed twice|doppelt lizenziert\w*|doppellizenz\w*|doublement licenci[ée]s?|double licence)\b/i;

export function asksWhoHoldsPerUser(said: string): boolean {
  return said.length <= 120 && ((HOLDERS.test(said) && !NOT_HOLDERS.test(said)) || DOUBLE_LICENSED.test(said));
}

export function licenseHoldersCard(tenant: AnalyzedTenant): ViewOf<'answer'> {
  const people = tenant.inventory.users;
  const base = {
    title: 'Who holds a per-user license',
    subtitle: subtitle(tenant),
    answerColor: 'Default',
    buttons: [
      { title: 'Who needs the most passes?', text: 'who needs the most passes' },
      { title: 'What should we buy?', text: 'what should we buy' },
    ],
  };
  if (!people) {
    return {
      card: 'answer',
      data: {
        ...base,
        answer: 'Not known from this data: it has no list of the tenant\'s users and their licenses. Read live (Microsoft Graph), or with the All licensed users report dropped beside the Active users report, PassLens names who holds Power Apps Premium.',
        facts: [],
        itemsTitle: '',
        items: [],
        note: '',
      },
    };
  }
  const premium = people.filter((u) => u.licenses.includes('PowerAppsPremium'));
  const d365 = people.filter((u) => !u.licenses.includes('PowerAppsPremium') && u.licenses.includes('D365Enterprise'));
  // Booked a pass this month although licensed per user: lag after assignment (R21) or a pass taken twice.
  const booked = new Map(tenant.report.users.filter((u) => u.bookedAsAppPass > 0).map((u) => [u.userPrincipalName.toLowerCase(), u.bookedAsAppPass]));
  const alsoBooked = premium.filter((u) => booked.has(u.userPrincipalName.toLowerCase()));
  const answer = `${plural(premium.length, 'person', 'people')} of the ${people.length} in the tenant's user list ${premium.length === 1 ? 'holds' : 'hold'} Power Apps Premium${d365.length ? `, and ${d365.length} Dynamics 365 Enterprise, which covers apps only in its own apps' context (R6)` : ''}.`;
  return {
    card: 'answer',
    data: {
      ...base,
      answer,
      facts: [
        { title: 'Users listed', value: String(people.length) },
        { title: 'Power Apps Premium', value: String(premium.length) },
        { title: 'Dynamics 365 Enterprise', value: String(d365.length) },
        { title: 'Premium, yet booked a pass', value: String(alsoBooked.length) },
      ],
      ...namedList(premium.map((u) => `${personNamed(u)}${booked.has(u.userPrincipalName.toLowerCase()) ? ` · ${plural(booked.get(u.userPrincipalName.toLowerCase())!, 'launch', 'launches')} booked as AppPass this month` : ''}`), 'Power Apps Premium'),
      note: alsoBooked.length
        ? 'A Premium user booked a pass may be lag: a license assigned in the last days can take up to 7 days to show (R21); if it happens again next month, open a support ticket. Licenses are the tenant\'s, not an environment\'s.'
        : 'Licenses are the tenant\'s, not an environment\'s.',
    },
  };
}
