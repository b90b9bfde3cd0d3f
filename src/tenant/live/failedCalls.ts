import { LiveApiError } from './errors';

/** Calls of one kind that failed in some environments: named once in the source's warnings. */
export class FailedCalls {
  private readonly byWhat = new Map<string, { envs: string[]; error: LiveApiError | Error }>();

  add(what: string, envName: string, error: LiveApiError | Error): void {
    const entry = this.byWhat.get(what) ?? { envs: [], error };
    entry.envs.push(envName);
    this.byWhat.set(what, entry);
  }

  warnings(): string[] {
    return [...this.byWhat].map(([what, { envs, error }]) => {
      const names = envs.length > 5 ? `${envs.slice(0, 5).join(', ')} and ${envs.length - 5} more` : envs.join(', ');
      return `${what} could not be read in ${envs.length} environment(s) (${names}): ${describe(error)}`;
    });
  }
}

export function describe(e: LiveApiError | Error): string {
  return e instanceof LiveApiError ? `${e.message} ${e.action}` : `unexpected failure (${e.name}).`;
}
