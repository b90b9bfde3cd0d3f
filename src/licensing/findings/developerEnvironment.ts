import type { Finding } from '../report';
import { plural } from '../wording';
import { finding, type EnvFacts, type FindingWords } from './finding';

/** DEVELOPER_ENVIRONMENT (R16): a developer environment in use. */

export function developerEnvironment(env: EnvFacts, launches: number, users: number): Finding {
  return finding('DEVELOPER_ENVIRONMENT', 'R16', 'info', env, { count: users }, [env, launches, users] satisfies Parameters<typeof developerEnvironment>);
}

export function developerEnvironmentWords(f: Finding): FindingWords {
  const title = `Developer environment used by ${plural(f.count ?? 0, 'user')}`;
  const [env, launches, users] = f.detail as Parameters<typeof developerEnvironment>;
  return {
    title,
    evidence: [`${env.name} is a developer environment (environmentSku Developer)`, `${plural(users, 'user')}, ${plural(launches, 'user-app launch', 'user-app launches')} this month; ${env.allocatedPasses ?? 'unknown'} passes allocated`],
    explanation: `Developer environments are for building and testing, not for production use, and add-ons cannot raise their capacity${(env.allocatedPasses ?? 0) > 0 ? ', so passes allocated here are likely doing nothing' : ''}. A managed developer environment needs premium licenses for its users.`,
    fix: `If ${plural(users, 'person uses', 'people use')} these apps for real work, move them to a production environment and license them there${(env.allocatedPasses ?? 0) > 0 ? '; move the passes allocated here to where they are needed' : ''}.`,
  };
}
