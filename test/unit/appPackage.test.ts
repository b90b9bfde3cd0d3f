import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import JSZip from 'jszip';
import { PNG } from 'pngjs';
import { AppManifestUtils } from '@microsoft/app-manifest';
import { APP_PACKAGE_DIR, fillManifest, manifestCommands, PackageError, readManifestTemplate } from '../../src/appPackage';
import { buildAppPackage } from '../../scripts/package-app';
import { QuestionReader } from '../../src/conversation/understanding';
import { botHarness, cardText, lastCard } from '../support/botHarness';

const ENV = {
  TEAMS_APP_ID: '5c1d7b9e-2f4a-4e6b-9c3d-8a7f6e5d4c3b',
  BOT_ID: '0b6c1f2e-3d4a-4b5c-8d6e-7f8091a2b3c4',
  BOT_DOMAIN: 'passlens-demo.azurewebsites.net',
};

describe('Teams app package', () => {
  const manifest = JSON.parse(fillManifest(readManifestTemplate(), ENV));

  it('fills every placeholder and validates against the bundled 1.27 schema, offline', async () => {
    assert.equal(manifest.manifestVersion, '1.27');
    assert.doesNotMatch(JSON.stringify(manifest), /\$\{\{/);
    const errors = await AppManifestUtils.validateAgainstSchema(manifest);
    assert.deepEqual(errors, []);
    assert.deepEqual(manifest.bots[0].scopes.sort(), ['groupChat', 'personal', 'team']);
    assert.equal(manifest.bots[0].supportsFiles, true);
    assert.equal(manifest.bots[0].botId, ENV.BOT_ID);
    assert.deepEqual(manifest.validDomains, [ENV.BOT_DOMAIN]);
    assert.equal(manifest.webApplicationInfo, undefined, 'not used, so not declared');
  });

  it('names the missing settings instead of writing a broken manifest', () => {
    assert.throws(() => fillManifest(readManifestTemplate(), {}), (e: Error) => e instanceof PackageError && /TEAMS_APP_ID.*BOT_DOMAIN.*BOT_ID/.test(e.message));
  });

  it('has a 192x192 colour icon and a 32x32 white-on-transparent outline icon', () => {
    const color = PNG.sync.read(readFileSync(join(APP_PACKAGE_DIR, 'color.png')));
    assert.deepEqual([color.width, color.height], [192, 192]);
    const outline = PNG.sync.read(readFileSync(join(APP_PACKAGE_DIR, 'outline.png')));
    assert.deepEqual([outline.width, outline.height], [32, 32]);
    let transparent = 0;
    for (let i = 0; i < outline.data.length; i += 4) {
      const [r, g, b, a] = outline.data.subarray(i, i + 4);
      if (a === 0) transparent++;
      else assert.deepEqual([r, g, b], [255, 255, 255], `pixel ${i / 4} is not white`);
    }
    assert.ok(transparent > 32 * 32 * 0.4, `${transparent} transparent pixels`);
    assert.ok(transparent < 32 * 32, 'something is drawn');
  });

  it('lists only commands the bot understands, each answered with a card', async () => {
    const commands = manifestCommands(manifest);
    assert.ok(commands.length >= 5);
    const reader = await QuestionReader.train();
    for (const command of commands) {
      const question = reader.read(command);
      if (command !== 'Help') assert.ok(question.kind !== 'help' && question.kind !== 'unclear', `${command}: ${question.kind}`);
      const text = cardText(lastCard(await botHarness().say(command)));
      assert.doesNotMatch(text, /Something went wrong|I don't know/, command);
    }
  });

  it('npm run package writes a zip with exactly the three files at its root', async () => {
    const out = mkdtempSync(join(tmpdir(), 'passlens-pkg-'));
    const path = await buildAppPackage(ENV, out);
    const zip = await JSZip.loadAsync(readFileSync(path));
    assert.deepEqual(Object.keys(zip.files).sort(), ['color.png', 'manifest.json', 'outline.png']);
    const inZip = JSON.parse(await zip.file('manifest.json')!.async('string'));
    assert.equal(inZip.id, ENV.TEAMS_APP_ID);
  });
});
