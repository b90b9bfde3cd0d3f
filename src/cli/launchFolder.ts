import envPaths from 'env-paths';

/**
 * Where the CLI keeps the launch store: PASSLENS_DATA_DIR when set (the bot's setting, so
 * both can share one store), else the per-user data folder of the platform (env-paths:
 * $XDG_DATA_HOME/passlens or ~/.local/share/passlens on Linux, ~/Library/Application
 * Support/passlens on macOS, %LOCALAPPDATA%\passlens\Data on Windows), the same from any folder
 * the CLI is run in, so a month collected once is not collected again.
 */
export function cliDataDir(env: NodeJS.ProcessEnv): string {
  const set = env.PASSLENS_DATA_DIR?.trim();
  return set ? set : envPaths('passlens', { suffix: '' }).data;
}
