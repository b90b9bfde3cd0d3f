import type { QuestionKind } from '../../../src/conversation/question';

/**
 * Phrasings the classifier never sees (it trains on src/conversation/corpus/training.json):
 * typos, politeness, questions inside a sentence, channel mentions, German and French.
 * Each names the question it asks and, resolved against the demo tenant, the
 * environment, app or user it is about, or the schedule it names.
 */
export interface Expected {
  env?: string;
  app?: string;
  upn?: string;
  schedule?: string;
  problem?: RegExp;
}

export type Phrasing = [text: string, kind: QuestionKind, expected?: Expected];

const SALES = { env: 'Contoso Sales (Prod)' };
const HR = { env: 'Contoso HR (Managed)' };
const OPS = { env: 'Operations' };
const FIELD = { env: 'Field Service (Dev)' };
const MENTION = '<at>PassLens</at> ';
const DEFAULT = { schedule: 'every Monday at 08:00 UTC' };

export const HELD_OUT: Phrasing[] = [
  // over
  ['Quick sanity check before the audit: do our bookings exceed what we paid for anywhere?', 'over'],
  ['my boss wants to know if we blew through our pass budget', 'over'],
  ['Is Field Service running beyond the passes it was given?', 'over', FIELD],
  ['Est-ce que Operations consomme trop de passes ?', 'over', OPS],
  ['hey, are we over on passes?', 'over'],
  ['are we ovr?', 'over'],
  ['are we compliant with our pass allocation?', 'over'],
  ['are we using more passes than we bought?', 'over'],
  ['Would you tell me if any environment is over allocation, please?', 'over'],
  ['Haben wir eine Überschreitung bei den Pässen?', 'over'],
  ['Avons-nous un dépassement ce mois-ci ?', 'over'],
  // environment
  ['give me the numbers for Contoso HR', 'environment', HR],
  ['hwo many pases does opertions use', 'environment', OPS],
  ['allocated vs booked for Contoso HR', 'environment', HR],
  // why
  ['We have 25 passes on Contoso Sales and 28 apps book one although only one is premium. How can that be?', 'why', SALES],
  ['what is causing all those AppPass rows for free apps?', 'why'],
  ['Wie kann es sein, dass Contoso Sales so viele Pässe bucht?', 'why', SALES],
  ['can you explain why standard apps take passes in Sales Prod?', 'why', SALES],
  ['why do non-premium apps count as passes', 'why'],
  ['why is operations booking so many passes', 'why', OPS],
  ['wyh are standrd apps booked as apppass', 'why'],
  ['25 passes are allocated to Contoso Sales, 28 apps show under AppPass and only one is premium. Are we over, and why are standard apps booked as AppPass in contoso sales?', 'why', SALES],
  // misclassified
  ['list every app whose booking does not match its premium status', 'misclassified'],
  ['which apps in Operations are booked the wrong way', 'misclassified', OPS],
  ['Quelles apps sont comptées à tort ?', 'misclassified'],
  ['show me the misclasified apps', 'misclassified'],
  ['could you list apps that are booked against their classification?', 'misclassified'],
  ['apps with a wrong premium flag please', 'misclassified'],
  // app
  ['Braucht Route Optimizer eine Premium-Lizenz?', 'app', { app: 'Route Optimizer' }],
  ['Que fait Leave Requests avec nos passes ?', 'app', { app: 'Leave Requests' }],
  // user
  ['tell me everything about kai@contoso.com', 'user', { upn: 'kai@contoso.com' }],
  ['Welche Apps öffnet Omar?', 'user', { upn: 'omar@contoso.com' }],
  // trend
  ['are things getting better or worse over time', 'trend'],
  ['show me the history of Operations since August', 'trend', OPS],
  ['Entwicklung der letzten Monate bitte', 'trend'],
  ['trend please', 'trend'],
  ['is our overage growing month over month?', 'trend'],
  ['compare the last two months', 'trend'],
  ['did turning off auto-assign reduce the passes?', 'trend'],
  ['quelle est la tendance des passes ?', 'trend'],
  // advice
  ['where can we save some money on these passes', 'advice'],
  ['give me your recommendation on licensing', 'advice'],
  ['any recommendations before we renew?', 'advice'],
  ['what shuold we by', 'advice'],
  ['how do we cut our licensing costs', 'advice'],
  ['Wie können wir bei den Lizenzen sparen?', 'advice'],
  ['comment économiser sur les licences ?', 'advice'],
  // overview
  ['a bird eye view of every environment please', 'overview'],
  ['Gesamtbild des Mandanten', 'overview'],
  ['Overview please', 'overview'],
  ['ovreview', 'overview'],
  ['give me the whole tenant at a glance', 'overview'],
  ['list all environments', 'overview'],
  ['Übersicht bitte', 'overview'],
  ["Vue d'ensemble, s'il vous plaît", 'overview'],
  // refresh
  ['those numbers are from yesterday, can you update them', 'refresh'],
  ['reload', 'refresh'],
  ['could you fetch the data again?', 'refresh'],
  ['the figures look stale, get fresh data', 'refresh'],
  ['refesh', 'refresh'],
  ['pull the latest numbers from the tenant', 'refresh'],
  // help
  ['Bonjour, comment ça marche ?', 'help'],
  ['hello there!', 'help'],
  ['hlep', 'help'],
  ['', 'help'],
  // upload help
  ['I have the licensing report export on my laptop, how do I give it to you?', 'uploadHelp'],
  ['could you analyse a csv export for me?', 'uploadHelp'],
  ['how do I upload a report file', 'uploadHelp'],
  ['which file do I need to upload?', 'uploadHelp'],
  ['how to analyse the active users csv', 'uploadHelp'],
  // clearUploads
  ['throw away the csv files I sent earlier', 'clearUploads'],
  ['discard the reports I dropped and start over', 'clearUploads'],
  ['lösche die hochgeladenen Dateien', 'clearUploads'],
  // subscribe
  ['recap for this channel each Tuesday 7am New York time', 'subscribe', { schedule: 'every Tuesday at 07:00 America/New_York' }],
  ['weekly on fridays 16:00 CET', 'subscribe', { schedule: 'every Friday at 16:00 Europe/Brussels' }],
  [`${MENTION}could you post a weekly licensing recap here every Friday at 16:00 Europe/Paris?`, 'subscribe', { schedule: 'every Friday at 16:00 Europe/Paris' }],
  ['please send this channel a weekly summary mondays at 9', 'subscribe', { schedule: 'every Monday at 09:00 UTC' }],
  ['post the digest here every Friday afternoon', 'subscribe', { schedule: 'every Friday at 15:00 UTC' }],
  ['weekly recap at 9am London time please', 'subscribe', { schedule: 'every Monday at 09:00 Europe/London' }],
  ['subscrbe this channel', 'subscribe', DEFAULT],
  ['set up a weekly digest for this team every monday 8:00 Mars/Olympus', 'subscribe', { problem: /Mars\/Olympus/ }],
  ['weekly report here every sunday 25:00', 'subscribe', { problem: /not a time of day/ }],
  [`${MENTION}I'd like a weekly licensing recap in this channel every Tuesday at 10:00 Europe/Berlin`, 'subscribe', { schedule: 'every Tuesday at 10:00 Europe/Berlin' }],
  ['Abonniere bitte diesen Kanal jeden Montag um 9 Uhr', 'subscribe', { schedule: 'every Monday at 09:00 UTC' }],
  ['wöchentliche Zusammenfassung hier, freitags 16:00 Europe/Berlin', 'subscribe', { schedule: 'every Friday at 16:00 Europe/Berlin' }],
  ['Publie un récapitulatif hebdomadaire ici chaque lundi à 9h', 'subscribe', { schedule: 'every Monday at 09:00 UTC' }],
  ["s'abonner au résumé hebdomadaire", 'subscribe', DEFAULT],
  // unsubscribe
  ['no more weekly messages in this team please', 'unsubscribe'],
  ['we no longer want the recap in this channel', 'unsubscribe'],
  ['unsubcribe', 'unsubscribe'],
  ['cancel the subscription here', 'unsubscribe'],
  ['stop posting the weekly report', 'unsubscribe'],
  // digest now
  ['post the weekly summary immediately', 'digestNow'],
  ['can I see a preview of the digest?', 'digestNow'],
  ['digets now', 'digestNow'],
  // digest status
  ['is a recap scheduled for this channel?', 'digestStatus'],
  ['is this channel subscribed to the digest?', 'digestStatus'],
  ['what schedule does the digest have?', 'digestStatus'],
  ['is the subscription still active?', 'digestStatus'],
  // check setup
  ['do you have all the Graph permissions you need?', 'checkSetup'],
  ['can you run a setup check for me?', 'checkSetup'],
  ['could you check the setup please', 'checkSetup'],
];
