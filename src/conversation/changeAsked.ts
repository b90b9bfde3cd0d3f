/**
 * "assign 5 more passes to HR", "turn off per-app licensing for Timesheet", "buy 10
 * passes": a request to change the tenant, which PassLens cannot do (it only reads). The
 * question is still answered (HR's card, the app's, the advice), with a line above it that
 * says nothing was changed and where the admin does it. "should we move passes to Sales?"
 * asks for advice, not a change: only a sentence that starts with the request counts.
 */
export type ChangeAsked = 'allocation' | 'setting' | 'purchase';

/** Politeness before the verb: "please", "can you", "kannst du", "peux-tu". */
const ASKING = String.raw`^(?:(?:ok|so|and|hey|please|pls|plz|can you|could you|would you|will you|kindly|bitte|kannst du|könntest du|s'il te plaît|peux-tu|pourrais-tu|tu peux)[\s,]+)*`;
const CHANGES: readonly [RegExp, ChangeAsked][] = [
  [new RegExp(`${ASKING}(?:turn|switch|set|flip|toggle|disable|enable|deactivate|activate|schalte|désactive|active)\\b.*\\b(?:per[\\s-]?app licensing|per[\\s-]?app setting|auto[\\s-]?assign|pass assignment|the setting)\\b`, 'i'), 'setting'],
  [new RegExp(`${ASKING}(?:buy|purchase|order|get us|kaufe?|bestelle?|achète|commande)\\b.*\\b(?:pass(?:es)?|licen[cs]es?|premium|pässe)\\b`, 'i'), 'purchase'],
  // With a figure or a direction ("5 more passes to HR", "passes from Operations"): "add the passes up" is no request.
  [new RegExp(`${ASKING}(?:assign|allocate|add|remove|move|transfer|reallocate|shift|reduce|increase|release|free up|weise|verschiebe|alloue|déplace|ajoute|retire|transfère)\\b.*\\b(?:pass(?:es)?|licen[cs]es?|capacity|pässe|allocation)\\b.*(?:\\d|\\b(?:to|from|in|into|zu|von|nach|à|de|vers)\\b)|${ASKING.slice(1)}(?:assign|allocate|add|remove|move|transfer|reallocate|increase|reduce)\\b.*\\d`, 'i'), 'allocation'],
  // German puts the verb last: "kannst du 5 Pässe nach HR verschieben", "bitte 10 Pässe kaufen"; asked of PassLens, not "sollen wir ... kaufen?".
  [/^(?:bitte|kannst du|könntest du|würdest du)\b.*\b(?:einstellung|per[\s-]?app[\s-]lizenzierung)\b.*\b(?:ausschalten|abschalten|deaktivieren|einschalten|aktivieren)\b/i, 'setting'],
  [/^(?:bitte|kannst du|könntest du|würdest du)\b.*\b(?:pässe|lizenzen)\b.*\b(?:kaufen|bestellen)\b/i, 'purchase'],
  [/^(?:bitte|kannst du|könntest du|würdest du)\b.*\b(?:pässe|lizenzen)\b.*\b(?:verschieben|zuweisen|zuteilen|entfernen|hinzufügen|umverteilen)\b/i, 'allocation'],
];

/** The change a sentence asks PassLens to make, if it asks one. */
export function changeAsked(said: string): ChangeAsked | null {
  return CHANGES.find(([pattern]) => pattern.test(said))?.[1] ?? null;
}

/**
 * Where the admin makes each change. Allocation: Licensing > Power Apps > Summary, the Per
 * app licenses part's "Manage capacity" link (view-license-consumption-issues.md,
 * 2026-04-01). The setting: the app's Settings in Power Apps (about-powerapps-perapp.md,
 * "Set up apps to use per app plans"). Passes are bought from the sales channel or the
 * Microsoft 365 admin center (about-powerapps-perapp.md, "Purchase per app plans"), and no
 * longer from every channel (R13).
 */
export const WHERE_TO_CHANGE: Record<ChangeAsked, string> = {
  allocation: 'I only read your tenant, so nothing was changed. Allocate or move passes in the Power Platform admin center: Licensing > Power Apps > Summary, "Manage capacity" under Per app licenses.',
  setting: 'I only read your tenant, so nothing was changed. Switch an app\'s "Per-app licensing" in Power Apps: open the app > Settings.',
  purchase: 'I only read your tenant, so nothing was bought. Per-app passes are bought from your Microsoft sales channel or the Microsoft 365 admin center, where your channel still sells them (R13).',
};
