import type { Finding } from '../report';
import { finding, sampleText, type EnvFacts, type FindingWords } from './finding';

/** TEAMS_ENVIRONMENT (R15): a Dataverse for Teams environment. */

export function teamsEnvironment(env: EnvFacts, launches: number, premiumApps: string[]): Finding {
  return finding('TEAMS_ENVIRONMENT', 'R15', 'info', env, { count: launches }, [env, launches, premiumApps] satisfies Parameters<typeof teamsEnvironment>);
}

export function teamsEnvironmentWords(f: Finding): FindingWords {
  const title = 'Dataverse for Teams environment';
  const [env, _launches, premiumApps] = f.detail as Parameters<typeof teamsEnvironment>;
  return {
    title,
    evidence: [`${env.name} is a Dataverse for Teams environment (environmentSku Teams)`, premiumApps.length ? sampleText('Premium apps', premiumApps.slice(0, 5), premiumApps.length) : 'No premium app launched here this month'],
    explanation: `Apps in a Dataverse for Teams environment are covered by Microsoft 365 rights only when used inside Teams. Premium connectors there need a pass or Premium, and once the environment is upgraded to full Dataverse every user needs a standalone license.`,
    fix: premiumApps.length
      ? `Cover the users of ${premiumApps.length === 1 ? 'the premium app' : 'the premium apps'} with passes or Premium; plan licenses before upgrading ${env.name} to full Dataverse.`
      : `Nothing to license while the apps stay inside Teams with standard connectors; plan licenses before upgrading ${env.name} to full Dataverse.`,
  };
}
