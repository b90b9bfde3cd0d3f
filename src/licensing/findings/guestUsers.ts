import type { Finding } from '../report';
import { plural } from '../wording';
import { finding, sampleText, type EnvFacts, type FindingWords } from './finding';

/** GUEST_USERS (R17): guests whose launches need a license. */

export function guestUsers(env: EnvFacts, guests: number, sample: string[]): Finding {
  return finding('GUEST_USERS', 'R17', 'warning', env, { count: guests }, [env, guests, sample] satisfies Parameters<typeof guestUsers>);
}

export function guestUsersWords(f: Finding): FindingWords {
  const title = `${plural(f.count ?? 0, 'guest')} running apps that need a license`;
  const [env, guests, sample] = f.detail as Parameters<typeof guestUsers>;
  return {
    title,
    evidence: [sampleText(`Guests (#EXT# in the UPN) whose launches in ${env.name} need a license`, sample, guests)],
    explanation: `${plural(guests, 'guest')} ran apps in ${env.name} that need a license beyond Microsoft 365. A guest needs that license from your tenant or from their home tenant (with Dataverse: from the tenant that holds the data); licenses held in their home tenant are invisible here, so they may be covered. In a pay-as-you-go environment guests run without one.`,
    fix: `Ask the guests' organisations whether they license them; otherwise assign licenses here, allocate passes to ${env.name}, or link it to a pay-as-you-go billing policy.`,
  };
}
