import type { Finding } from '../report';
import { plural } from '../wording';
import { finding, type EnvFacts, type FindingWords } from './finding';

/** PAYG_IGNORES_PASSES (R10): passes allocated to a pay-as-you-go environment. */

export function paygIgnoresPasses(env: EnvFacts, allocated: number, movesOut: { to: string; passes: number }[]): Finding {
  return finding('PAYG_IGNORES_PASSES', 'R10', 'action', env, { count: allocated }, [env, allocated, movesOut] satisfies Parameters<typeof paygIgnoresPasses>);
}

export function paygIgnoresPassesWords(f: Finding): FindingWords {
  const title = `${plural(f.count ?? 0, 'pass', 'passes')} ignored: pay-as-you-go`;
  const [env, allocated, movesOut] = f.detail as Parameters<typeof paygIgnoresPasses>;
  return {
    title,
    evidence: [`${env.name} is linked to a pay-as-you-go billing policy`, `${allocated} passes are allocated to it`],
    explanation: `${env.name} bills app use through pay-as-you-go, which ignores per-app passes: the ${plural(allocated, 'pass', 'passes')} allocated here cover nobody.`,
    fix: movesOut.length
      ? `Move them: ${movesOut.map((m) => `${m.passes} to ${m.to}`).join(', ')}; then set the allocation here to 0.`
      : 'Set the allocation here to 0 and use the passes in an environment without a billing policy.',
  };
}
