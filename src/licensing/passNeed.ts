import type { Prices } from './report';
import type { App } from './snapshot';

/** An app, or what a report says of it: its type may be unknown. */
type AppType = { type: App['type'] | null } | null | undefined;

/**
 * "Does this user need a pass for this app in this environment?": rules R6, R7, R8, R10
 * and R12 of shared/design/licensing.md, decided here and nowhere else. The analysis,
 * the advice and the answers all ask this function.
 *
 * `unknown` is a real answer: when the app's classification or the environment's
 * Managed status is missing and the answer depends on it, the caller says so and how to
 * find out; it never counts as "no".
 */

/** The rule a premium app's need rests on: R7 canvas, R12 model-driven, R20 code apps. */
export type PremiumRule = 'R7' | 'R12' | 'R20';

export interface PassNeedFacts {
  /** R6: a per-user license (Power Apps Premium) covers every app. */
  coveredPerUser: boolean;
  /** R10: the environment bills through pay-as-you-go; null = not known, treated as not. */
  payAsYouGo: boolean | null;
  /** R8: a Managed Environment; null = not known. */
  managed: boolean | null;
  /** R7/R12/R20: the app needs a premium license; null = no inventory and no report flag. */
  premium: boolean | null;
  /** premiumRule(app): the rule a premium "yes" rests on. */
  premiumRule: PremiumRule;
}

export type PassNeed =
  | { readonly need: 'no'; readonly rule: 'R6' | 'R10' | 'R7' }
  | { readonly need: 'yes'; readonly rule: PremiumRule | 'R8' }
  // missing: the fact the answer waits for; rule: the one that says "yes" if that fact is.
  | { readonly need: 'unknown'; readonly missing: 'premium' | 'managed'; readonly rule: PremiumRule | 'R8' };

// One object per answer, made once: the analysis asks for every (user, app) pair.
const NO_PER_USER: PassNeed = Object.freeze({ need: 'no', rule: 'R6' });
const NO_PAYG: PassNeed = Object.freeze({ need: 'no', rule: 'R10' });
const NO_STANDARD: PassNeed = Object.freeze({ need: 'no', rule: 'R7' });
const YES_MANAGED: PassNeed = Object.freeze({ need: 'yes', rule: 'R8' });
const UNKNOWN_MANAGED: PassNeed = Object.freeze({ need: 'unknown', missing: 'managed', rule: 'R8' });
const YES_PREMIUM: Record<PremiumRule, PassNeed> = { R7: Object.freeze({ need: 'yes', rule: 'R7' }), R12: Object.freeze({ need: 'yes', rule: 'R12' }), R20: Object.freeze({ need: 'yes', rule: 'R20' }) };
const UNKNOWN_PREMIUM: Record<PremiumRule, PassNeed> = {
  R7: Object.freeze({ need: 'unknown', missing: 'premium', rule: 'R7' }),
  R12: Object.freeze({ need: 'unknown', missing: 'premium', rule: 'R12' }),
  R20: Object.freeze({ need: 'unknown', missing: 'premium', rule: 'R20' }),
};

export function passNeed(facts: Readonly<PassNeedFacts>): PassNeed {
  // R10: pay-as-you-go ignores passes; R6: a per-user license needs none anywhere.
  if (facts.payAsYouGo === true) return NO_PAYG;
  if (facts.coveredPerUser) return NO_PER_USER;
  // A premium app needs a pass whatever the environment (R7, R12, R20).
  if (facts.premium === true) return YES_PREMIUM[facts.premiumRule];
  // R8: in a Managed Environment every app needs a standalone license, standard or not.
  if (facts.managed === true) return YES_MANAGED;
  if (facts.premium === null) return UNKNOWN_PREMIUM[facts.premiumRule];
  if (facts.managed === null) return UNKNOWN_MANAGED;
  return NO_STANDARD;
}

/** The rule that makes an app of this type premium: R12 model-driven, R20 code apps, R7 canvas. */
export function premiumRule(app: AppType): PremiumRule {
  return isModelDriven(app) ? 'R12' : app?.type === 'code' ? 'R20' : 'R7';
}

export function isModelDriven(app: AppType): boolean {
  return app?.type === 'model-driven';
}

/** R14: a per-user license is cheaper than this many passes at these prices. */
export function cheaperPerUser(passes: number, prices: Pick<Prices, 'perAppPass' | 'perUserPremium'>): boolean {
  return passes * prices.perAppPass > prices.perUserPremium;
}
