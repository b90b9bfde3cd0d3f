import { basename } from 'node:path';

/**
 * Whether the golden files may be rewritten: PASSLENS_UPDATE_GOLDEN=1 on the command line
 * of the golden test, that is, a mocha run whose only test file named on the command line
 * is the golden test (the command docs/development.md gives). An environment variable
 * exported in a shell or a CI job, inherited by `npm test` or a run of other files, is
 * ignored: a whole suite never rewrites what it is meant to check.
 */
export function goldenUpdateAsked(env: NodeJS.ProcessEnv, argv: readonly string[], goldenTest: string): boolean {
  if (env.PASSLENS_UPDATE_GOLDEN !== '1') return false;
  const files = argv.slice(2).filter((a) => /\.(test\.)?[cm]?[jt]s$/.test(a) && !a.startsWith('-'));
  return files.length === 1 && basename(files[0]) === basename(goldenTest);
}
