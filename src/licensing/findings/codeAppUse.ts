import type { Finding } from '../report';
import { plural } from '../wording';
import { finding, type EnvFacts, type FindingWords } from './finding';

/** CODE_APP_USE (R20): launches of a code app. */

export function codeAppUse(env: EnvFacts, app: { appId: string; appName: string }, users: number, bookedAsAppPass: number, unlicensedAs: string[]): Finding {
  return finding('CODE_APP_USE', 'R20', 'warning', env, { appId: app.appId, appName: app.appName, count: users }, [env, app, users, bookedAsAppPass, unlicensedAs] satisfies Parameters<typeof codeAppUse>);
}

export function codeAppUseWords(f: Finding): FindingWords {
  const title = `Code app "${f.appName}": ${plural(f.count ?? 0, 'user')} need Power Apps Premium`;
  const [_env, app, users, bookedAsAppPass, unlicensedAs] = f.detail as Parameters<typeof codeAppUse>;
  return {
    title,
    evidence: [`"${app.appName}" is a code app (admin API appType CodeApp)`, `${plural(users, 'user')} this month, ${bookedAsAppPass} booked as AppPass${unlicensedAs.length ? `; others booked as ${unlicensedAs.join('/')}` : ''}`],
    explanation: `Microsoft documents that end users of code apps need Power Apps Premium; whether a per-app pass covers a code app is not documented${bookedAsAppPass > 0 ? `, so the ${plural(bookedAsAppPass, 'AppPass booking')} may not license ${bookedAsAppPass === 1 ? 'its user' : 'these users'}` : ''}.`,
    fix: `License the users of "${app.appName}" with Power Apps Premium (or ask Microsoft whether your passes cover it).`,
  };
}
