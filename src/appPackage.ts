import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The Teams app package: appPackage/manifest.json with its ${{NAME}} placeholders filled
 * from environment variables, beside the two icons. Used by `npm run package` and by the
 * tests that validate what would be uploaded.
 */
export const APP_PACKAGE_DIR = join(__dirname, '..', 'appPackage');

export const PLACEHOLDER_DEFAULTS: Record<string, string | undefined> = {
  PASSLENS_PUBLISHER: 'PassLens',
};

export class PackageError extends Error {}

/** Fills every ${{NAME}} from `env`; a missing value is an error that names it. */
export function fillManifest(template: string, env: NodeJS.ProcessEnv): string {
  const missing = new Set<string>();
  const filled = template.replace(/\$\{\{\s*([A-Z0-9_]+)\s*\}\}/g, (_, name: string) => {
    const value = env[name] ?? (name === 'BOT_ID' ? env.MicrosoftAppId : undefined) ?? PLACEHOLDER_DEFAULTS[name];
    if (!value) {
      missing.add(name);
      return '';
    }
    return value.replace(/["\\]/g, '');
  });
  if (missing.size) throw new PackageError(`Set ${[...missing].join(', ')} to build the app package (see docs/deployment.md: Uploading the app package).`);
  return filled;
}

export function readManifestTemplate(): string {
  return readFileSync(join(APP_PACKAGE_DIR, 'manifest.json'), 'utf8');
}

/** Command titles, per scope, as listed in the manifest. */
export function manifestCommands(manifest: { bots?: { commandLists?: { scopes: string[]; commands: { title: string }[] }[] }[] }): string[] {
  return [...new Set((manifest.bots ?? []).flatMap((b) => (b.commandLists ?? []).flatMap((l) => l.commands.map((c) => c.title))))];
}
