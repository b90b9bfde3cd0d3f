import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import JSZip from 'jszip';
import { APP_PACKAGE_DIR, fillManifest, PackageError, readManifestTemplate } from '../src/appPackage';

/**
 * `npm run package`: build/appPackage.zip with manifest.json (placeholders filled from
 * TEAMS_APP_ID, BOT_ID or MicrosoftAppId, BOT_DOMAIN, PASSLENS_PUBLISHER) and the two
 * icons at its root, ready to upload in Teams.
 */
export async function buildAppPackage(env: NodeJS.ProcessEnv, outDir: string): Promise<string> {
  const zip = new JSZip();
  zip.file('manifest.json', fillManifest(readManifestTemplate(), env));
  for (const icon of ['color.png', 'outline.png']) zip.file(icon, readFileSync(join(APP_PACKAGE_DIR, icon)));
  mkdirSync(outDir, { recursive: true });
  const path = join(outDir, 'appPackage.zip');
  writeFileSync(path, await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }));
  return path;
}

if (require.main === module) {
  buildAppPackage(process.env, join(__dirname, '..', 'build')).then(
    (path) => process.stdout.write(`Wrote ${path}\n`),
    (e) => {
      process.stderr.write(`npm run package: ${e instanceof PackageError ? e.message : String(e)}\n`);
      process.exitCode = 2;
    },
  );
}
