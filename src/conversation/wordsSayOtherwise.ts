import { A_FILE, type TrainedKind } from './questionKind';
import { readAgainAsked } from './dataAge';
import { changeAsked } from './changeAsked';

/**
 * A kind the classifier gave that the words say otherwise. "buy 10 passes" read as nothing
 * or as the digest: a change asked is answered with what bears on it (the advice before
 * buying, the apps whose setting is on, the allocations). "those numbers look old, please
 * update them" read as help, the digest's status, a file with no file named, or nothing: a
 * fresh read. "what's our utilization?", "how many passes do we need in total?" read as
 * nothing (or as help, the digest's status), naming nothing: the tenant's totals, the overview.
 * "top 3 actions", "what are the quick wins?": what to do first, the advice. "show me idle
 * passes", "what are idle passes?", read as nothing, the overview or the trend: where passes sit idle.
 */
const ANSWERING_A_CHANGE = { purchase: 'advice', setting: 'misclassified', allocation: 'over' } as const;
const TOTALS = /\b(utili[sz]ation|utili[sz]ed|usage rate|how (full|used)|in total|overall|altogether|all together|insgesamt|auslastung|au total|taux d'utilisation)\b/i;
/** "top 3 actions", "what are the quick wins?", "the 3 most important things", "what's our biggest problem?": what to do, read as a ranking, the trend or nothing. */
const ACTIONS = /\b(actions?|quick wins?|to-?dos?|next steps?|most important things?|priorit(y|ies|i[sz]e)|(biggest|main|largest|worst) (problem|issue|risk)s?|maßnahmen|massnahmen|größte\w* problem\w*|prochaines étapes|priorités|plus gros problème)\b/i;
const ACTIONS_FOR = new Set<TrainedKind>(['ranking', 'trend', 'help', 'overview', 'digestStatus', 'isNormal']);
/** What a ranking ranks: "top 3 environments" stays the ranking. */
const RANKED_THINGS = /\b(environments?|envs?|apps?|users?|people|who|umgebung\w*|benutzer|environnements?|utilisateurs?)\b/i;
const READ_AGAIN_FOR = new Set<TrainedKind>(['help', 'digestStatus', 'checkSetup', 'uploadHelp']);
/** "show me idle passes", "what are idle passes?", "unused capacity", "ungenutzte Pässe", "pass inutilisés": where passes sit idle (the ranking by idle passes, ranking.ts), read as nothing, the overview, the trend or help. */
const IDLE_PASSES = /\b(idle|unused|spare|left\s?over|ungenutzte?n?)\s+(per[\s-]?app\s+)?(pass(es)?|pässe|capacity|allocation)\b|\bpass\s+(inutilis[ée]s?|non utilis[ée]s?)\b/i;
const IDLE_FOR = new Set<TrainedKind>(['overview', 'trend', 'help']);
/** "is anyone using more than 4 apps?", "wer nutzt mehr als 3 Apps?": people by the apps they use (ranking.ts), read as nothing, help or the overview. */
const MORE_APPS_THAN = /\b(more than|over|at least|mehr als|über|plus de|au moins)\s+\d+\s+(apps?|applis?|applications?|anwendungen)\b/i;
/**
 * "what if we turn off per-app licensing everywhere?", "was passiert, wenn wir die Einstellung
 * ausschalten?": what the setting does, asked as a supposition, read as nothing or the digest's
 * own kinds (stopping the digest, for "turn off"): the apps whose setting is on, with what
 * switching it off frees (ANSWERING_A_CHANGE's answer to the setting).
 */
const WHAT_IF_SETTING = /\b(what if|what happens if|what would happen if|if we|suppose we|was (wäre|passiert),? wenn|et si|que se passe-t-il si)\b[^.?!]{0,30}\b(turn\w*|switch\w*|disabl\w*|deactivat\w*|schalte\w*|ausschalte\w*|abschalte\w*|deaktivier\w*|désactiv\w*)\b[^.?!]{0,30}\b(per[\s-]?app licensing|per[\s-]?app setting|auto[\s-]?assign|pass assignment|einstellung|per[\s-]?app[\s-]lizenzierung|licences? par appli\w*)\b/i;
/** "who in HR needs a pass?", "wer in Operations braucht einen Pass?": the people of the environment named, by the passes they need (the ranking), read as that environment's card. */
const WHO_NEEDS = /^\W*(?:(?:so|and|ok)\s+)?(who|which users|which people|wer|welche (?:benutzer|nutzer)|qui|quels utilisateurs)\b[^.?!]*\b(needs?|uses?|takes?|consumes?|brauch\w*|nutz\w*|benötig\w*|besoin|utilise\w*)\b/i;
/** "what permissions do you need?", "which roles does the app need?", "welche Berechtigungen brauchst du?": the setup check, which names each permission and whether it is granted, read as help or nothing. */
const PERMISSIONS = /\b(permissions?|consent|api access|admin roles?|berechtigung\w*|autorisations?)\b/i;
/** "who is affected?", "wer ist betroffen?", "qui est concerné ?": the people by the passes they need (the ranking; after an answer about one environment, its people), read as help or nothing. */
const WHO_AFFECTED = /^\W*(?:(?:and|so|ok)\s+)?(who|which users|which people|wer|qui)\b[^.?!]{0,20}\b(affected|impacted|concerned|betroffen|concern[ée]s?|touch[ée]s?)(?![\p{L}\p{N}])/iu;
/** "which apps are premium?", "how many premium apps do we have?", "which apps need a pass?": the apps by classification, whose card names the premium ones, read as a ranking of apps or the overview. */
const PREMIUM_APPS = /\b(premium apps|which apps (are premium|need (a )?pass(es)?|require (a )?pass(es)?)|apps (that|which) need (a )?pass(es)?|welche apps (sind premium|brauchen (einen )?pass)|applis premium|quelles applis (sont premium|ont besoin d'un pass))\b/i;
/** "will Microsoft block our users?", "are we going to be blocked?": whether anyone is over or unlicensed where Microsoft blocks (the over card: allocation 0 blocks, overage does not, R5; Managed Environments from February 2027, R8), read as a ranking, help or nothing. */
const BLOCKED = /\b(block(s|ed|ing)?|lock(ed)? out|cut off|stop working)\b/i;
/** "who should get premium?", "which users would be cheaper per user?": the people by the passes they need, whose cards say when per user is cheaper (R14), read as help or nothing. */
const WHO_SHOULD_GET = /\b(who|which users|which people|wer|qui)\b[^.?!]{0,20}\b((should|would|could|ought to)\s+(get|have|be moved to|move to|switch to|be)|sollte\w*|soll|müsste\w*|devrai\w*)\b[^.?!]{0,20}\b(premium|per[\s-]?user|pro benutzer|par utilisateur)/i;
/** "should we switch to pay as you go?", "what if we moved to PAYG?": moving off passes is one of the advice's options, with what it would cost, read as nothing or help. */
const TO_PAY_AS_YOU_GO = /\b(switch|move|go|change|migrate|moving|switching|umsteig|umstell|wechsel|passer|basculer|migrer)\w*\b[^.?!]{0,30}\b(pay[\s-]?as[\s-]?you[\s-]?go|payg|paiement à l'utilisation)|\b(pay[\s-]?as[\s-]?you[\s-]?go|payg)\b[^.?!]{0,20}\b(umsteigen|umstellen|wechseln)\b/i;
const PEOPLE = /\b(who|anyone|anybody|someone|somebody|users?|people|wer|jemand|benutzer|nutzer|qui|quelqu'un|utilisateurs?)\b/i;

/** Kinds that are about the conversation, not a person: an address in them is not the question. */
const CONVERSATION_KIND_LIST: readonly TrainedKind[] = ['subscribe', 'unsubscribe', 'digestNow', 'digestStatus', 'checkSetup', 'help', 'uploadHelp', 'clearUploads'];
export const CONVERSATION_KINDS: ReadonlySet<TrainedKind> = new Set(CONVERSATION_KIND_LIST);

/** Words that say another kind than the classifier gave, for the kinds it gives in their place (null: none it was sure of), tried in order. */
interface WordRule {
  readAs: ReadonlySet<TrainedKind | null>;
  /** Whether the sentence must name (true) or must not name (false) something of the tenant's; either when absent. */
  named?: boolean;
  says: (said: string) => boolean;
  answer: TrainedKind;
}
const kinds = (...k: (TrainedKind | null)[]): ReadonlySet<TrainedKind | null> => new Set(k);
const WORD_RULES: readonly WordRule[] = [
  // Before the totals: "paiement à l'utilisation" is no utilization.
  { readAs: kinds(null, 'help', 'overview'), named: false, says: (s) => TO_PAY_AS_YOU_GO.test(s), answer: 'advice' },
  { readAs: kinds(null, ...READ_AGAIN_FOR), named: false, says: (s) => TOTALS.test(s), answer: 'overview' },
  { readAs: kinds(null, ...ACTIONS_FOR), named: false, says: (s) => ACTIONS.test(s) && !RANKED_THINGS.test(s), answer: 'advice' },
  { readAs: kinds(null, ...IDLE_FOR), named: false, says: (s) => IDLE_PASSES.test(s), answer: 'ranking' },
  { readAs: kinds(null, 'help', 'overview'), says: (s) => MORE_APPS_THAN.test(s) && PEOPLE.test(s), answer: 'ranking' },
  { readAs: kinds(null, ...CONVERSATION_KIND_LIST), says: (s) => WHAT_IF_SETTING.test(s), answer: ANSWERING_A_CHANGE.setting },
  { readAs: kinds('environment'), named: true, says: (s) => WHO_NEEDS.test(s), answer: 'ranking' },
  { readAs: kinds(null, 'help', 'uploadHelp'), named: false, says: (s) => PERMISSIONS.test(s), answer: 'checkSetup' },
  { readAs: kinds(null, 'help', 'digestStatus', 'isNormal'), says: (s) => WHO_AFFECTED.test(s), answer: 'ranking' },
  { readAs: kinds(null, 'ranking', 'overview', 'help'), says: (s) => PREMIUM_APPS.test(s), answer: 'misclassified' },
  { readAs: kinds(null, 'ranking', 'help', 'isNormal'), named: false, says: (s) => BLOCKED.test(s), answer: 'over' },
  { readAs: kinds(null, 'help', 'misclassified'), says: (s) => WHO_SHOULD_GET.test(s), answer: 'ranking' },
  { readAs: kinds('app'), named: false, says: (s) => WHO_SHOULD_GET.test(s), answer: 'ranking' },
];

export function instead(kind: TrainedKind | null, said: string, named: boolean): TrainedKind | null {
  // A fresh read asked, also in words the classifier took for the findings file with no file named.
  const misread = !kind || READ_AGAIN_FOR.has(kind) || (kind === 'exportFindings' && !A_FILE.test(said));
  if (misread && readAgainAsked(said)) return 'refresh';
  const rule = WORD_RULES.find((r) => r.readAs.has(kind) && (r.named === undefined || r.named === named) && r.says(said));
  if (rule) return rule.answer;
  if (kind && !CONVERSATION_KINDS.has(kind)) return kind;
  const change = changeAsked(said);
  return change ? ANSWERING_A_CHANGE[change] : kind;
}
