import type { QuestionKind } from './question';
import type { Mention } from './tenantNames';
import { PLACEHOLDER, type SentenceRead } from './sentence';
import { OF_THE_MONTH } from './questionSources';
import { asksWhichAppsUnused } from './quietApps';
import { asksWhoHoldsPerUser } from './licenseHolders';
import { asksWhoLaunchedNothing } from './quietUsers';

/**
 * The kind of question a sentence asks, from what the classifier had in mind (its kinds
 * ranked) and what the sentence holds besides words: the tenant's names, a weekly slot,
 * a month, several sentences of which one is the question.
 */

/** Kinds the corpus trains besides the questions: "and HR?", "what about last month?" continue the last answer. */
export type TrainedKind = QuestionKind | 'followUp';
export interface Ranked {
  intent: string;
  score: number;
}
export interface Classified {
  kind: TrainedKind | null;
  ranked: Ranked[];
  /** Which sentence of several was the question. */
  sentence?: number;
}

/** Below this the classifier is guessing: the answer is "did you mean ...". */
export const CONFIDENT = 0.5;
/** A kind scored below this is not worth offering. */
export const WORTH_OFFERING = 0.1;
export const SENTENCES = /(?<=[.?!])\s+/;
export const NAME_TYPES = new RegExp(`\\b(${PLACEHOLDER.environment}|${PLACEHOLDER.app}|${PLACEHOLDER.user})\\b`, 'g');

/** The digest's own questions: a day in them is the digest's day, not a new schedule. */
const SCHEDULE_KINDS = new Set<QuestionKind>(['subscribe', 'unsubscribe', 'digestNow', 'digestStatus']);

/** Kinds that take no name of the tenant's: with one in the sentence, the question is another. */
const NAMELESS = new Set<TrainedKind>(['help', 'uploadHelp', 'clearUploads', 'overview', 'subscribe', 'unsubscribe', 'digestNow', 'digestStatus', 'checkSetup']);
/** Kinds asked of the whole tenant unless the question names where: in a text of several sentences, the names of the question sentence count. */
const OF_THE_QUESTION = new Set<QuestionKind>(['over', 'why', 'misclassified', 'advice', 'buyBefore', 'ranking', 'trend', 'isNormal', 'exportFindings', 'refresh', 'spend']);
/** "every monday", "jeden Mittwoch um 7", "tous les vendredis à 17h", "fridays 9am": a weekly slot. */
const EVERY_DAY = new RegExp(`\\b(every|each|jeden|jede|chaque|tous les|toutes les)\\s+${PLACEHOLDER.day}\\b|\\b${PLACEHOLDER.day}\\b[^.?!]{0,16}\\b${PLACEHOLDER.time}\\b`, 'i');
/** Words that stop a digest: with them, a weekly slot is the one to stop, and a digest is one to stop. */
const STOP = /\b(stop|cancel|unsubscribe|no more|no longer|end|kill|disable|deactivate|(switch|turn)\w*\s+(\w+\s+){0,3}?off|abbestellen|abmelden|beenden|stopp|kein\w*|abschalten|ausschalten|deaktivier\w*|arr[eê]te\w*|d[ée]sabonne|d[ée]sactive\w*|annule|plus de|ne\s+(\S+\s+){1,2}?plus)\b/i;
/** "are we subscribed here?", "did someone set up the weekly summary?", "ist hier ein Bericht eingerichtet?": whether the digest is on, not an order to set it up. */
const STATUS_ASKED = /^\W*(are we|are you (already )?posting|is (this|the|a|our|there|it)|did (someone|anyone|somebody|we|you)|has (someone|anyone|somebody)|have we|do we|does this|am i|sind wir|ist (hier|der|die|das|ein|eine)|hat (jemand|dieser)|haben wir|gibt es|bekommt|sommes-nous|est-ce qu|y a-t-il|a-t-on|re[cç]oit-on|ce canal)\b/i;
/** The digest's own kinds: a question about auto-assign or one that stops something is none of them. */
const DIGEST_KINDS = new Set<TrainedKind>(['subscribe', 'digestNow', 'digestStatus']);
/** "auto-assign", "auto assign", "autoassign", German "automatische Zuweisung", French "attribution automatique". */
export const AUTO_ASSIGN = /auto.?assign|automatische\w*\s+zuweisung|attribution\s+automatique/i;
/** "did it help", "has it gone down since", "hat es etwas gebracht": whether a change worked, a question of the trend. */
/** A change made, not one considered: "did", "has", "since", "we switched", "hat", "a-t-elle". */
const DONE = /\b(did|has|have|had|since|after|we (switched|turned|disabled|changed)|hat|haben|seit|nachdem|a-t-(il|elle)|ont|depuis|apr[eè]s)\b/i;
const CHANGED = /\b(since|seit|depuis|gone down|went down|dropped|reduc\w*|lower\w*|help\w*|work\w*|difference|gebracht|geholfen|gewirkt|gesunken|weniger|r[ée]duit|baiss\w*|march[ée]|servi)\b/i;
/** A question about apps, several: "which apps", "welche Apps", "quelles applis". */
const MANY_APPS = /\b(apps|applications|applis|anwendungen)\b/i;
/** "since September", "seit Juni", "depuis avril", "more than in August", "compared to October": how things went from then on. */
const SINCE_MONTH = new RegExp(`\\b(since|seit|depuis)\\s+(the\\s+)?${PLACEHOLDER.month}\\b|\\b(than|compared\\s+(to|with)|versus|vs\\.?|als|verglichen\\s+mit|im\\s+vergleich\\s+zu|que|qu'en|par\\s+rapport\\s+[àa]|compar[ée]\\s+[àa])\\s+(in\\s+|im\\s+|en\\s+|the\\s+)?${PLACEHOLDER.month}\\b`, 'i');
/** "before February", "by January", "vor März", "avant février": a deadline, what to buy by then. */
const BEFORE_MONTH = new RegExp(`\\b(before|by|until|till|vor|bis|avant)\\s+(the\\s+end\\s+of\\s+|end\\s+of\\s+|ende\\s+|fin\\s+)?${PLACEHOLDER.month}\\b`, 'i');
const TIMED = new Set<TrainedKind>(['trend', 'buyBefore', 'followUp']);
/** A stretch of time that is not this month ("the last quarter", "over the past 3 months", "dieses Jahr", "ces derniers mois"): how things went. */
const PERIOD = /\b(last|past|previous|this)\s+(\d+\s+|few\s+|three\s+|six\s+)?(quarter|months|year|weeks)\b|\bover time\b|\bletzte\w*\s+(\w+\s+)?(quartal|monate[n]?|jahr)\b|\bdieses jahr\b|\bderniers mois\b|\bce trimestre\b|\bcette ann[ée]e\b|\bdepuis le d[ée]but de l'ann[ée]e\b/i;
/** A sentence that asks for a cause ("Warum sind wir drüber?", "Pourquoi on dépasse ?", "what's causing the overage"): the reasons, not the figures. */
const WHY_ASKED = /^\W*(why|how come|warum|wieso|weshalb|pourquoi)\b|\b(what'?s|what is|what)\s+(causing|behind|driving)\b|\bwhat causes\b|\b(wie kommt es|woher kommt|was verursacht)\b|\b(d'o[uù] vient|qu'est-ce qui (cause|explique|provoque))\b/i;
/** "this", "that", "it", "there", "she": the question points back at what the sentences before it named. */
export const POINTING_BACK = /\b(this|that|it|its|there|they|them|these|those|he|him|his|she|her|dies\w*|das|dort|da|er|ihm|ihn|ihr|ce|cet|cette|ça|cela|là|y|il|elle|lui)\b/i;

/** The names the question sentence holds, or all when it points back at the others; all in a text of one sentence. */
function mentionsAsked(sentence: SentenceRead, said: string, asked: number | undefined): Mention[] {
  if (asked === undefined) return sentence.mentions;
  const parts = said.split(SENTENCES);
  if (parts.length !== sentence.typed.split(SENTENCES).length || !parts[asked]) return sentence.mentions;
  const from = said.indexOf(parts[asked]);
  const to = from + parts[asked].length;
  if (POINTING_BACK.test(parts[asked])) return sentence.mentions;
  return sentence.mentions.filter((m) => m.from >= from && m.from < to);
}

/**
 * A question about one environment in a text that names several ("10 to HR and 40 to
 * Operations, while Sales is over"): about none alone, so the next kind the classifier
 * had in mind, when there is one.
 */
function ofOne(kind: TrainedKind | null, ranked: readonly { intent: string; score: number }[], sentence: SentenceRead): TrainedKind | null {
  const environments = new Set(sentence.mentions.filter((m) => m.kind === 'environment').map((m) => m.candidates[0].id));
  if (kind !== 'environment' || environments.size < 2 || sentence.mentions.some((m) => m.kind !== 'environment')) return kind;
  const next = ranked.find((c) => c.intent !== 'environment' && c.intent !== 'followUp' && c.score >= WORTH_OFFERING);
  return next ? (next.intent as TrainedKind) : kind;
}

/**
 * "and HR?", "what about last month?": a follow-up names something. Without a name or a
 * month ("und was empfiehlst du?") the sentence asks the next kind the classifier had in mind,
 * if it had one worth offering: "what about dev?" (no name: "dev" is the domain's word)
 * had "user" next at 0.003 and answered the top user; it now continues the last answer.
 */
function continued(kind: TrainedKind | null, ranked: readonly { intent: string; score: number }[], sentence: SentenceRead): TrainedKind | null {
  if (kind !== 'followUp' || sentence.mentions.length || sentence.month || sentence.email) return kind;
  const next = ranked.find((c) => c.intent !== 'followUp' && c.score >= WORTH_OFFERING);
  return next ? (next.intent as TrainedKind) : kind;
}

/**
 * The kind, knowing the names: a sentence that names an environment, app or person does
 * not ask for help or the digest's status; the next kind the classifier had in mind that
 * takes a name, else the question about the first name said.
 */
function named(kind: TrainedKind | null, ranked: readonly { intent: string; score: number }[], sentence: SentenceRead): TrainedKind | null {
  const first = sentence.email ? 'user' : sentence.mentions[0]?.kind;
  if (!kind || !NAMELESS.has(kind) || !first) return kind;
  const next = ranked.find((c) => !NAMELESS.has(c.intent as TrainedKind) && c.intent !== 'followUp' && c.score >= WORTH_OFFERING);
  return (next?.intent as TrainedKind | undefined) ?? first;
}

/**
 * "is Sales Prod over in January": a question answered for the data's month, asked with
 * confidence, stays that question with a month said (the card says whose month its
 * figures are), rather than the months side by side the classifier also had in mind.
 */
function ofTheMonthSurely(read: Classified): boolean {
  return OF_THE_MONTH.has(read.kind as QuestionKind) && (read.ranked[0]?.score ?? 0) >= CONFIDENT;
}

/** The kind a classified sentence asks. */
export function kindAsked(read: Classified, sentence: SentenceRead, said: string): TrainedKind | null {
  const { ranked } = read;
  // Of several sentences, the one the question was read from.
  const asked = read.sentence === undefined ? said : (said.split(SENTENCES)[read.sentence] ?? said);
  // The patterns of a day or a month are tried only where the sentence has one (most have neither: a read's hot path); they ignore case, and so does this.
  const typed = sentence.typed.toLowerCase();
  const day = typed.includes(PLACEHOLDER.day);
  const month = typed.includes(PLACEHOLDER.month);
  // A day of the week is a schedule ("recap for this channel each Tuesday 7am"): a digest to set up, when the classifier has it in mind at all.
  const scheduled =
    (day && EVERY_DAY.test(sentence.typed) && !(read.kind === 'unsubscribe' && STOP.test(said)) && !(read.kind === 'digestStatus' && STATUS_ASKED.test(asked))) ||
    (sentence.typed.includes(PLACEHOLDER.day) && !SCHEDULE_KINDS.has(read.kind as QuestionKind) && ranked.slice(0, 3).some((c) => c.intent === 'subscribe' && c.score >= WORTH_OFFERING));
  // A month said ("since April", "before February") is a question of time: the trend or what to buy by then, when the classifier has one in mind.
  const timed =
    month && SINCE_MONTH.test(sentence.typed) && read.kind !== 'buyBefore' && read.kind !== 'subscribe'
      ? { intent: 'trend' }
      : month && BEFORE_MONTH.test(sentence.typed) && ['trend', 'over', 'advice', 'buyBefore'].includes(read.kind ?? '')
        ? { intent: 'buyBefore' }
        : sentence.month && !TIMED.has(read.kind as TrainedKind) && !ofTheMonthSurely(read)
          ? ranked.slice(0, 3).find((c) => TIMED.has(c.intent as TrainedKind) && c.score >= WORTH_OFFERING)
          : PERIOD.test(said) && !SCHEDULE_KINDS.has(read.kind as QuestionKind) && read.kind !== 'trend' && (!read.kind || ranked.some((c) => c.intent === 'trend' && c.score >= WORTH_OFFERING))
            ? { intent: 'trend' }
            : undefined;
  if (scheduled) return 'subscribe';
  // "who hasn't opened any app this month": people by what they did not launch, whatever the word "app" pulled the classifier to.
  if (asksWhoLaunchedNothing(asked)) return 'ranking';
  // "welche Apps nutzt niemand?": the apps nobody launched (quietApps.ts), not the misclassified ones.
  if (asksWhichAppsUnused(asked) || asksWhoHoldsPerUser(asked)) return 'ranking';
  // "will we run short before March?": a deadline, whichever of the questions of time the classifier had in mind.
  if (timed && TIMED.has(timed.intent as TrainedKind) && month && BEFORE_MONTH.test(sentence.typed)) return 'buyBefore';
  if (timed) return timed.intent as TrainedKind;
  const kind = ofOne(named(continued(read.kind, ranked, sentence), ranked, sentence), ranked, sentence);
  if (kind === 'over' && WHY_ASKED.test(asked)) return 'why';
  // "We switched auto-assign off. Did that reduce the bookings?": whether a change worked, never the digest.
  if (AUTO_ASSIGN.test(said) && kind !== 'trend' && (DIGEST_KINDS.has(kind as TrainedKind) || kind === 'unsubscribe' || (CHANGED.test(asked) && (DONE.test(said) || ranked.some((c) => c.intent === 'trend' && c.score >= WORTH_OFFERING))))) return 'trend';
  if (DIGEST_KINDS.has(kind as TrainedKind) && STOP.test(asked)) return 'unsubscribe';
  if (kind === 'subscribe' && STATUS_ASKED.test(asked) && !sentence.typed.includes(PLACEHOLDER.day) && !sentence.typed.includes(PLACEHOLDER.time)) return 'digestStatus';
  return notTheSpend(notTheDigest(fileWay(kind, asked, ranked, sentence), ranked, sentence, asked), ranked, asked);
}

/** Words of money: "cost", "spend", "paying", "bill", "Gesamtkosten", "zahlen", "geben ... aus", "coûtent", "dépensons" ("pay-as-you-go" is none). */
const MONEY = /\b(cost\w*|spe?n[dt]\w*|spnd|pay(?!-?\s*as)\w*|paid|bill\w*|pric\w*|expensive|money|budget\w*|\p{L}*kost\p{L}*|zahl(en|t)|bezahl\p{L}*|ausgeb\p{L}*|geben\b[^.?!]{0,40}?\baus|preis\p{L}*|geld|teuer\p{L}*|co[uû]t\p{L}*|d[ée]pens\p{L}*|pay(ons|ez|er|e)|prix|argent|cher)\b|[$€]/iu;
/** Cutting a cost, another way to pay, or buying, is what to do, the advice's: "how can we spend less", "how much would premium cost instead", "what would 10 more passes cost to buy", "Kosten senken", "baisser nos coûts". */
const WHAT_TO_DO = /\b(instead|rather|per user|pro (benutzer|nutzer)|stattdessen|par utilisateur|plut[ôo]t|save|saving\w*|reduc\w*|cut\w*|lower\w*|less|cheap\w*|sparen|spart|senk\w*|reduzier\w*|günstig\w*|[ée]conomis\w*|r[ée]dui\w*|baiss\w*|moins|buy\w*|purchas\w*|kauf\w*|achet\w*|achat)\b/iu;
/** Apps asked for by a question word ("Welche Standard-Apps kosten uns Pässe?"): the apps, not the bill. */
const WHICH_APPS = /\b(which|what|welche\w*|quel\w*)\s+(\S+\s+)?(standard[- ])?(apps?|applis?|applications?|anwendungen)\b/i;
/** "how much", "what do ... cost", "wie viel", "combien", "a breakdown": a question of an amount. */
const AMOUNT = /\b(how much|what|wie ?viel\w*|was|combien|quel\w*|breakdown|break\s+down|total|overall|aufschlüssel\w*|gesamt\w*|r[ée]partition)\b/iu;
/** "which environment costs the most": a ranking, not the bill. */
const SUPERLATIVE = /\b(most|least|highest|lowest|biggest|largest|top|meisten|höchst\w*|größt\w*|plus)\b/iu;
/** Kinds a question of cost was taken for ("what do our passes cost" read as the advice, "cost breakdown by environment" as a ranking): the cost, when the classifier had it in mind. */
const TAKEN_FOR_COST = new Set<TrainedKind>(['advice', 'over', 'trend', 'overview', 'environment', 'ranking']);

/**
 * What the passes cost is a question of money, not of what to do about it, nor of which
 * apps. An amount of money asked ("what do our passes cost?") is the cost whenever the
 * classifier had it in mind at all; a leaning to the cost without a word of money is the
 * next kind it had in mind.
 */
function notTheSpend(kind: TrainedKind | null, ranked: readonly Ranked[], asked: string): TrainedKind | null {
  const inMind = ranked.some((c) => c.intent === 'spend' && c.score >= WORTH_OFFERING);
  const leaning = kind === 'spend' || (!kind && ranked[0]?.intent === 'spend');
  // Neither the cost in mind nor the advice: nothing below changes the kind (the words of money are read only when they can).
  if (!inMind && !leaning && kind !== 'advice') return kind;
  const money = MONEY.test(asked);
  const toDo = WHAT_TO_DO.test(asked);
  const apps = WHICH_APPS.test(asked);
  const cost = money && !toDo && !apps;
  if (cost && inMind && TAKEN_FOR_COST.has(kind as TrainedKind) && AMOUNT.test(asked) && !(kind === 'ranking' && SUPERLATIVE.test(asked))) return 'spend';
  // "Which apps cost us passes?", read as the cost or the advice: the apps booked against their classification.
  if (money && apps && !SUPERLATIVE.test(asked) && (leaning || kind === 'advice')) return 'misclassified';
  if (!leaning || cost) return kind;
  // Money and what to do about it: the advice.
  if (money && toDo) return 'advice';
  // No word of money ("Pour quelle raison ?"): sure of the cost, any other kind it had in mind, however faintly; unsure, one worth offering.
  const next = ranked.find((c) => c.intent !== 'spend' && c.intent !== 'followUp' && (kind !== null || c.score >= WORTH_OFFERING));
  return next ? (next.intent as TrainedKind) : null;
}

/** A file that goes to the bot: an upload ("how do I upload the csv", "can I send you the report", "wo lade ich ... hoch", "comment te transmettre"). */
const FILE_TO_BOT = /\b(upload\w*|to you|send you|give you|attach\w*|drop|drag|(?<!(can|could|may) )i have|hochlad\w*|lade \w+ hoch|dir (schicken|senden|geben)|an dich|ich habe|t'envoyer|te (l'|le |la )?(envoyer|donner|transmettre)|t[ée]l[ée]vers\w*|d[ée]pos\w*|j'ai (le|un|ce)|active users|aktive\w* benutzer|utilisateurs actifs|admin cent(er|re)|centre d'administration|ppac)\b/i;
/**
 * A file the bot gives: the findings sent to the asker ("send me this in excel", "ich
 * brauche das als CSV", "envoie-moi ça en csv"). "Export" and "download" alone say
 * nothing: admins export the Active users report too.
 */
const FILE_TO_ASKER = /\b(send me|give me|email me|mail me|schick mir|gib mir|envoie-moi|donne-moi|m'envoyer|me l'envoyer)\b|\bmir\b[^.?!]{0,30}\b(schicken|senden|geben|mailen)\b|\b(need|want|like|brauche|möchte|hätte gern|besoin|veux|voudrais)\b[^.?!]{0,40}\b(excel|csv|xlsx|spreadsheet|tabelle|tableur)\b/i;
export const A_FILE = /\b(excel|csv|xlsx|spreadsheet|file|datei|tabelle|fichier|tableur|download\w*|export\w*|herunterlad\w*|t[ée]l[ée]charg\w*)\b/i;

/** Words of the digest: without one, "status" is not the digest's ("a quick status across all environments", "premium status"). */
const DIGEST_WORDS = /\b(digest|summary|recap|weekly|subscri\w*|schedule\w*|channel|post\w*|here|zusammenfassung|bericht|wochen\w*|abonn\w*|kanal|hier|r[ée]sum[ée]|r[ée]cap|hebdo\w*|canal|ici)\b/i;
/** Things of the tenant a status may be about. */
const TENANT_THINGS = /\b(environments?|envs?|apps?|premium|pass(es)?|allocation|usage|umgebung\w*|pässe|lizenz\w*|environnements?|applis?|applications?|licences?)\b/i;

/** A status of the tenant's things, not of the digest: the next kind the classifier had in mind. */
function notTheDigest(kind: TrainedKind | null, ranked: readonly Ranked[], sentence: SentenceRead, asked: string): TrainedKind | null {
  if (kind !== 'digestStatus' || DIGEST_WORDS.test(asked) || !(sentence.mentions.length || TENANT_THINGS.test(asked))) return kind;
  const next = ranked.find((c) => !DIGEST_KINDS.has(c.intent as TrainedKind) && c.intent !== 'unsubscribe' && c.intent !== 'followUp' && c.score >= WORTH_OFFERING);
  return next ? (next.intent as TrainedKind) : kind;
}

/**
 * A report the asker wants from PassLens, for themselves or someone ("I need a report for
 * my boss", "can you give me the default view", "zeig mir ...", "donne-moi ..."): the
 * upload's help answers where to get Microsoft's report and how to hand it over, which
 * they did not ask.
 */
const FOR_THE_ASKER = /\b(i need|we need|i want|we want|i'?d like|give me|send me|show me|get me|can i (have|get|see)|for (my|our|the) (boss|manager|cfo|cio|cto|director|team|management|leadership|meeting|board)|ich brauche|wir brauchen|gib mir|zeig mir|schick mir|j'ai besoin|donne-moi|montre-moi|envoie-moi)\b/i;
/** "where do I get the report", "how do I ...", "which report ...": the way to Microsoft's report, the upload's help. */
const HOW_OR_WHERE = /\b(how|where|which|what now|wie|wo|welche\w*|comment|o[uù]|quel\w*)\b/i;

/** Which way a file goes decides between the upload's help and the findings' export, whichever the classifier leaned to. */
function fileWay(kind: TrainedKind | null, asked: string, ranked: readonly Ranked[], sentence: SentenceRead): TrainedKind | null {
  // Only these three are ever changed below: any other kind is left as it is, its words unread.
  if (kind !== null && kind !== 'uploadHelp' && kind !== 'exportFindings') return kind;
  const toAsker = FILE_TO_ASKER.test(asked) && A_FILE.test(asked);
  const toBot = FILE_TO_BOT.test(asked);
  if ((kind === null || kind === 'uploadHelp') && toAsker && !toBot) return 'exportFindings';
  // A report to read, not a file to hand over: the overview, the page an admin shows.
  // Unsure, the upload's help among the two it had most in mind ("can you give me the default view": it and the overview, 0.47 each): the same question.
  const uploadOrOverview = kind === 'uploadHelp' || (kind === null && ranked.slice(0, 2).some((c) => c.intent === 'uploadHelp' && c.score >= WORTH_OFFERING));
  if (uploadOrOverview && !toBot && FOR_THE_ASKER.test(asked) && !HOW_OR_WHERE.test(asked) && !A_FILE.test(asked)) return 'overview';
  if (kind === 'exportFindings' && toBot && !toAsker) return 'uploadHelp';
  // "is it safe to turn off per app licensing in HR?": no file, no hand-over, so no file; the next kind the classifier had in mind, one that takes the name said, else the question about that name.
  if (kind === 'exportFindings' && !A_FILE.test(asked) && !FILE_TO_ASKER.test(asked)) {
    const first = sentence.email ? 'user' : sentence.mentions[0]?.kind;
    const next = ranked.find((c) => c.intent !== 'exportFindings' && c.intent !== 'followUp' && c.score >= WORTH_OFFERING && !(first && NAMELESS.has(c.intent as TrainedKind)));
    return (next?.intent as TrainedKind | undefined) ?? first ?? null;
  }
  return kind;
}

/** The sentence with the names of its question sentence only (see mentionsAsked), and that sentence. */
export function namesAsked(sentence: SentenceRead, said: string, asked: number | undefined): SentenceRead & { asked: string } {
  return { ...sentence, mentions: mentionsAsked(sentence, said, asked), asked: asked === undefined ? said : said.split(SENTENCES)[asked] };
}

/**
 * The names a kind is asked with: tenant-wide kinds take those of the question asked, the
 * others those of the whole text, its subject first. One app named before a question
 * about "it" rather than about apps gets the app's own card ("Team Directory is ...
 * Should this need a pass?").
 */
export function namesFor(kind: QuestionKind, sentence: SentenceRead, asked: SentenceRead & { asked: string }): SentenceRead {
  const oneApp = new Set(sentence.mentions.filter((m) => m.kind === 'app').map((m) => m.candidates[0].id)).size === 1 && !sentence.mentions.some((m) => m.kind !== 'app');
  return OF_THE_QUESTION.has(kind) && !(oneApp && (kind === 'misclassified' || kind === 'why') && !MANY_APPS.test(asked.asked)) ? asked : sentence;
}
