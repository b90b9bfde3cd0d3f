import type { QuestionKind } from './question';

/**
 * What a question is answered from, which decides what a turn waits for before it reads
 * or answers it (bot/passLensBot.ts).
 */

/** Questions about licensing data, which an open upload set can answer; the rest (help, digest, setup, refresh) are about the tenant or the chat. */
export const FROM_UPLOADS: ReadonlySet<QuestionKind> = new Set<QuestionKind>(['over', 'environment', 'why', 'misclassified', 'app', 'user', 'advice', 'exportFindings', 'trend', 'overview', 'ranking', 'buyBefore', 'isNormal', 'spend']);

/**
 * Questions that hold no name of the tenant, so a typed one is answered without waiting
 * for its names (a slow live tenant is read for up to TENANT_WAIT_MS). Not "refresh": it
 * may name an environment ("refresh Sales Prod"), and its answer waits for that reading anyway.
 */
export const NAMELESS: ReadonlySet<QuestionKind> = new Set<QuestionKind>(['help', 'thanks', 'rule', 'uploadHelp', 'clearUploads', 'subscribe', 'unsubscribe', 'digestStatus', 'digestNow', 'checkSetup', 'dataAge']);

/**
 * Questions answered for the data's month alone (the trend and "buy before" take a month of
 * their own): a month said with one ("are we over in October?") is kept as `monthSaid`, and
 * the answer says which month its figures are for when that is another.
 */
export const OF_THE_MONTH: ReadonlySet<QuestionKind> = new Set<QuestionKind>(['overview', 'over', 'environment', 'why', 'misclassified', 'app', 'user', 'advice', 'ranking', 'isNormal', 'exportFindings', 'spend']);
