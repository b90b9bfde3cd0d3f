import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * No Bicep compiler is reachable here, so the templates are checked as text: every
 * parameter used, modules called with the parameters they declare, no secret in the
 * parameters file, and the app settings named exactly as the code reads them.
 */
const INFRA = join(__dirname, '../../infra');
const read = (p: string) => readFileSync(join(INFRA, p), 'utf8');
const files = ['main.bicep', ...readdirSync(join(INFRA, 'modules')).map((f) => `modules/${f}`)];

function params(text: string): string[] {
  return [...text.matchAll(/^param (\w+) /gm)].map((m) => m[1]);
}

/** Settings the code reads: the keys of the configuration schemas (the whole config, the prices), and any process.env.NAME in src/. */
function settingsReadByCode(): Set<string> {
  const names = new Set<string>();
  const config = readFileSync(join(__dirname, '../../src/config.ts'), 'utf8');
  for (const start of ['const schema = z.object({', 'const priceSchema = z.object({']) {
    const schema = config.slice(config.indexOf(start), config.indexOf('});', config.indexOf(start)));
    for (const m of schema.matchAll(/^\s+(\w+):/gm)) names.add(m[1]);
  }
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts')) for (const m of readFileSync(path, 'utf8').matchAll(/process\.env\.([A-Z][A-Za-z0-9_]+)/g)) names.add(m[1]);
    }
  };
  walk(join(__dirname, '../../src'));
  return names;
}

function settingsSetByBicep(): Set<string> {
  return new Set([...read('modules/appService.bicep').matchAll(/\{ name: '([A-Za-z_][A-Za-z0-9_]*)', value:/g)].map((m) => m[1]));
}

/** Read by the code but rightly not set in Azure, each with its reason. */
const NOT_SET_IN_AZURE: Record<string, string> = {
  PORT: 'App Service sets it',
  PASSLENS_PLAYGROUND_PORT: 'local Agents Playground only',
  PASSLENS_CA_FILE: 'only behind a TLS-inspecting proxy or against the simulator',
  PASSLENS_CLIENT_CERTIFICATE_PATH: 'the alternative to the Key Vault secret',
  TEAMSAPPTESTER_BROWSER: 'local Agents Playground only',
  PASSLENS_DIGEST_AUDIENCE: 'optional: set when the external timer signs in with Entra ID instead of the secret',
  PASSLENS_LOCAL_TRUST_ACTIVITY_IDENTITY: 'local testing only; Azure runs with a bot identity',
  PASSLENS_TEAMS_SERVICE_URL: 'the public Teams connector is the default; set only in a government cloud',
  PASSLENS_DIGEST_LEASE_MINUTES: 'the default (10 minutes) suits the hourly external timer',
  HOST: 'with a bot identity PassLens listens on every interface, as App Service needs',
  PASSLENS_AUTHORITY_HOST: 'PASSLENS_CLOUD gives it; an override is for a proxy or the simulator',
  PASSLENS_BAP_URL: 'PASSLENS_CLOUD gives it',
  PASSLENS_POWERAPPS_URL: 'PASSLENS_CLOUD gives it',
  PASSLENS_POWERPLATFORM_URL: 'PASSLENS_CLOUD gives it',
  PASSLENS_GRAPH_URL: 'PASSLENS_CLOUD gives it',
  PASSLENS_OFFICE_MANAGEMENT_URL: 'PASSLENS_CLOUD gives it',
};
const PLATFORM = /^(APPLICATIONINSIGHTS_|SCM_|WEBSITE_)/;

describe('infrastructure as code (infra/)', () => {
  it('uses every parameter it declares, in main.bicep and in each module', () => {
    for (const file of files) {
      const text = read(file);
      for (const p of params(text)) {
        const uses = text.match(new RegExp(`\\b${p}\\b`, 'g'))?.length ?? 0;
        assert.ok(uses >= 2, `${file}: parameter ${p} is never used`);
      }
    }
  });

  it('calls each module with every parameter it requires, and none it does not declare', () => {
    const main = read('main.bicep');
    const modules = [...main.matchAll(/module (\w+) '([^']+)' = \{[\s\S]*?params: \{([\s\S]*?)\n {2}\}\n\}/g)];
    assert.equal(modules.length, 6, 'identity, monitoring, storage, keyvault, app, bot');
    for (const m of modules) {
      const text = read(m[2]);
      const declared = params(text);
      const required = declared.filter((d) => !new RegExp(`^param ${d} [^\n]*=`, 'm').test(text));
      const given = [...m[3].matchAll(/^\s{4}(\w+):/gm)].map((x) => x[1]);
      for (const r of required) assert.ok(given.includes(r), `module ${m[1]} needs ${r}`);
      for (const g of given) assert.ok(declared.includes(g), `module ${m[1]} is given ${g}, which it does not declare`);
    }
  });

  it('has a parameters file with only declared parameters and no secrets', () => {
    const declared = params(read('main.bicep'));
    const file = JSON.parse(read('main.parameters.json'));
    for (const name of Object.keys(file.parameters)) {
      assert.ok(declared.includes(name), `${name} is not a parameter of main.bicep`);
      assert.doesNotMatch(name, /secret|password|key/i, `${name}: secrets belong in Key Vault`);
    }
    const required = read('main.bicep').split('\n').filter((l) => /^param \w+ \w+$/.test(l.trim())).map((l) => l.split(' ')[1]);
    for (const r of required) assert.ok(r in file.parameters, `required parameter ${r} missing from main.parameters.json`);
  });

  it('sets every setting the code reads, by the same name, and nothing the code does not read', () => {
    const read = settingsReadByCode();
    const set = settingsSetByBicep();
    for (const name of read) if (!(name in NOT_SET_IN_AZURE)) assert.ok(set.has(name), `${name} is read by src/ but not set in infra/modules/appService.bicep`);
    for (const name of set) if (!PLATFORM.test(name)) assert.ok(read.has(name), `${name} is set in Azure but no code reads it`);
  });

  it('keeps secrets in Key Vault references, never as values', () => {
    const app = read('modules/appService.bicep');
    for (const name of ['PASSLENS_CLIENT_SECRET', 'MicrosoftAppPassword', 'PASSLENS_STORAGE_CONNECTION_STRING', 'PASSLENS_DIGEST_SECRET']) {
      assert.match(app, new RegExp(`name: '${name}', value: '\\$\\{kvRef\\}`), name);
    }
  });

  it('is ready to scale out with one parameter, and uses only single-tenant or managed identity bots', () => {
    const main = read('main.bicep');
    assert.match(main, /param instanceCount int = 1/);
    assert.match(read('modules/appService.bicep'), /capacity: instanceCount/);
    assert.match(read('modules/appService.bicep'), /PASSLENS_DIGEST_TIMER', value: instanceCount > 1 \? 'external' : 'in-process'/);
    assert.doesNotMatch(files.map(read).join('\n'), /MultiTenant/);
    assert.match(read('modules/bot.bicep'), /MsTeamsChannel/);
  });

  it('outputs what docs/deployment.md tells the admin to use', () => {
    const guide = readFileSync(join(__dirname, '../../docs/deployment.md'), 'utf8');
    for (const m of read('main.bicep').matchAll(/^output (\w+) /gm)) assert.ok(guide.includes(m[1]), `docs/deployment.md does not mention output ${m[1]}`);
  });
});
