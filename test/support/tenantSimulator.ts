import https from 'node:https';
import http from 'node:http';
import { createPublicKey, generateKeyPairSync, randomBytes, sign, verify, constants, type KeyObject } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Socket } from 'node:net';
import * as selfsigned from 'selfsigned';
import type { TenantSnapshot, UserLicense } from '../../src/licensing/snapshot';
import { buildDemoTenant } from '../../src/tenant/demo/demoTenant';

/**
 * A local simulator of the Microsoft endpoints PassLens reads, over real HTTPS with a
 * certificate made at start: the Entra ID token endpoint and OpenID metadata (what MSAL
 * reads), App Service managed identity, BAP, Power Apps admin, the Power Platform API and
 * Graph, in their documented shapes, served from a seed snapshot. Switches inject the
 * faults a client must survive. Runnable by hand:
 *   node --import tsx test/support/tenantSimulator.ts [--port 8443]
 */

export interface Faults {
  pageSize: number;
  latencyMs: number;
  /** Share of API calls answered 429 with Retry-After. */
  throttleRate: number;
  retryAfter: number | 'date';
  /** Share of API calls answered 503 / 500. */
  serverErrorRate: number;
  /** Share of API calls whose connection is reset. */
  resetRate: number;
  /** API paths (regex) answered with malformed JSON, every time. */
  malformedJson: RegExp | null;
  /** An environment whose own calls always fail with 500. */
  failingEnvironmentId: string | null;
  /** APIs that answer 403 (permission missing). */
  forbidden: ('bap' | 'powerapps' | 'powerplatform' | 'graph')[];
  tokenLifetimeSeconds: number;
}

export const NO_FAULTS: Faults = {
  pageSize: 50,
  latencyMs: 0,
  throttleRate: 0,
  retryAfter: 1,
  serverErrorRate: 0,
  resetRate: 0,
  malformedJson: null,
  failingEnvironmentId: null,
  forbidden: [],
  tokenLifetimeSeconds: 3600,
};

export interface RecordedCall {
  at: number;
  method: string;
  path: string;
  api: string;
  status: number | 'reset';
  /** When a 429 said to come back, in ms since epoch. */
  retryAt?: number;
  clientRequestId?: string;
}

const SKUS: Record<UserLicense, { skuId: string; part: string } | null> = {
  M365E5: { skuId: '06ebc4ee-1bb5-47dd-8120-11324bc54e06', part: 'SPE_E5' },
  M365E3: { skuId: '05e9a617-0261-4cee-bb44-138d3ef5d965', part: 'SPE_E3' },
  PowerAppsPremium: { skuId: 'b30411f5-fea1-4a59-9ad9-3db7c7ead579', part: 'POWERAPPS_PER_USER' },
  PowerAppsPerApp: { skuId: 'b4d7b828-e8dc-4518-91f9-e123ae48440d', part: 'POWERAPPS_PER_APP_NEW' },
  D365Enterprise: { skuId: 'ea126fc5-a19e-42e2-a731-da9d437bffcf', part: 'DYN365_ENTERPRISE_PLAN1' },
  D365Professional: { skuId: '1e615a51-59db-4807-9957-aa83c3657351', part: 'D365_SALES_PRO' },
  Other: null,
};

export const SIM_TENANT_ID = '72f988bf-0000-4000-9000-00000000c0de';
export const SIM_CLIENT_ID = '0b6c1f2e-3d4a-4b5c-8d6e-7f8091a2b3c4';
export const SIM_SECRET = 'simulated-secret-value';
export const SIM_IDENTITY_HEADER = 'simulated-identity-header';

export class TenantSimulator {
  faults: Faults = { ...NO_FAULTS };
  readonly calls: RecordedCall[] = [];
  inFlight = 0;
  maxInFlight = 0;
  tokensIssued = 0;
  url = '';
  msiUrl = '';
  caPem = '';
  /** A registered certificate (PEM) whose key may sign client assertions. */
  certificatePem = '';
  private server: https.Server | null = null;
  private msiServer: http.Server | null = null;
  private readonly sockets = new Set<Socket>();
  private readonly tokens = new Map<string, { resource: string; expires: number }>();
  private rngState = 12345;
  /** The key Entra ID signs access tokens with, published as JWKS. */
  private readonly signingKey: { privateKey: KeyObject; publicKey: KeyObject } = generateKeyPairSync('rsa', { modulusLength: 2048 });

  /** An RS256 access token as Entra ID issues one (v2 issuer), for tests of token validation. */
  signAccessToken(claims: Record<string, unknown>, key: KeyObject = this.signingKey.privateKey): string {
    const header = Buffer.from(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: 'sim-key-1' })).toString('base64url');
    const now = Math.floor(Date.now() / 1000);
    const body = Buffer.from(JSON.stringify({ iss: `${this.url}/${SIM_TENANT_ID}/v2.0`, tid: SIM_TENANT_ID, iat: now, nbf: now, exp: now + 3600, ...claims })).toString('base64url');
    const signature = sign('RSA-SHA256', Buffer.from(`${header}.${body}`), key).toString('base64url');
    return `${header}.${body}.${signature}`;
  }

  constructor(public seed: TenantSnapshot = buildDemoTenant()) {}

  async start(port = 0): Promise<this> {
    const pems = await Promise.resolve(
      selfsigned.generate([{ name: 'commonName', value: 'localhost' }], {
        notAfterDate: new Date(Date.now() + 2 * 86_400_000),
        keySize: 2048,
        extensions: [{ name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }] }],
      }),
    );
    this.caPem = pems.cert;
    this.certificatePem = `${pems.private}\n${pems.cert}`;
    this.server = https.createServer({ key: pems.private, cert: pems.cert }, (req, res) => void this.handle(req, res));
    this.server.on('connection', (s: Socket) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    this.url = `https://localhost:${(this.server.address() as AddressInfo).port}`;
    this.msiServer = http.createServer((req, res) => void this.handleManagedIdentity(req, res));
    await new Promise<void>((resolve) => this.msiServer!.listen(0, '127.0.0.1', resolve));
    this.msiUrl = `http://127.0.0.1:${(this.msiServer.address() as AddressInfo).port}/msi/token`;
    return this;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await Promise.all([
      new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve())),
      new Promise<void>((resolve) => (this.msiServer ? this.msiServer.close(() => resolve()) : resolve())),
    ]);
  }

  /** The settings PassLens needs to read this simulator (a secret credential). */
  env(caFile: string): Record<string, string> {
    return {
      PASSLENS_TENANT_ID: SIM_TENANT_ID,
      PASSLENS_CLIENT_ID: SIM_CLIENT_ID,
      PASSLENS_CLIENT_SECRET: SIM_SECRET,
      PASSLENS_AUTHORITY_HOST: this.url,
      PASSLENS_BAP_URL: this.url,
      PASSLENS_POWERAPPS_URL: this.url,
      PASSLENS_POWERPLATFORM_URL: this.url,
      PASSLENS_GRAPH_URL: this.url,
      PASSLENS_CA_FILE: caFile,
    };
  }

  apiCalls(): RecordedCall[] {
    return this.calls.filter((c) => c.api !== 'token' && c.api !== 'metadata' && c.api !== 'keys');
  }

  private random(): number {
    this.rngState = (Math.imul(this.rngState, 1103515245) + 12345) >>> 0;
    return this.rngState / 4294967296;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const path = url.pathname;
    const body = await readBody(req);
    const api = apiOf(path);
    const record: RecordedCall = { at: Date.now(), method: req.method ?? 'GET', path, api, status: 200, clientRequestId: req.headers['x-ms-client-request-id'] as string | undefined };
    this.calls.push(record);
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      if (this.faults.latencyMs) await new Promise((r) => setTimeout(r, this.faults.latencyMs));
      if (api === 'metadata') return json(res, record, 200, this.openIdConfiguration(path));
      if (api === 'keys') return json(res, record, 200, { keys: [{ ...this.signingKey.publicKey.export({ format: 'jwk' }), kid: 'sim-key-1', use: 'sig', alg: 'RS256' }] });
      if (api === 'token') return this.issueToken(res, record, path, body);
      const resource = RESOURCE_OF[api];
      const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      const token = bearer ? this.tokens.get(bearer) : undefined;
      if (!token || token.resource !== resource || token.expires < Date.now()) {
        return json(res, record, 401, { error: { code: 'InvalidAuthenticationToken', message: 'Access token is missing, expired or for another resource.' } });
      }
      if (this.faults.forbidden.includes(api as Faults['forbidden'][number])) {
        return json(res, record, 403, { error: { code: 'Authorization_RequestDenied', message: 'Insufficient privileges to complete the operation.' } });
      }
      if (this.faults.failingEnvironmentId && path.toLowerCase().includes(this.faults.failingEnvironmentId.toLowerCase())) {
        return json(res, record, 500, { error: { code: 'InternalServerError', message: 'simulated permanent failure' } });
      }
      if (this.random() < this.faults.resetRate) {
        record.status = 'reset';
        req.socket.destroy();
        return;
      }
      if (this.random() < this.faults.throttleRate) {
        const seconds = this.faults.retryAfter === 'date' ? 2 : this.faults.retryAfter;
        record.retryAt = Date.now() + seconds * 1000;
        // An HTTP date has whole seconds: the client may come back at the start of that second.
        const header = this.faults.retryAfter === 'date' ? new Date(Math.ceil(record.retryAt / 1000) * 1000).toUTCString() : String(seconds);
        if (this.faults.retryAfter === 'date') record.retryAt = Math.floor(record.retryAt / 1000) * 1000;
        return json(res, record, 429, { error: { code: 'TooManyRequests' } }, { 'Retry-After': header });
      }
      if (this.random() < this.faults.serverErrorRate) return json(res, record, this.random() < 0.5 ? 503 : 500, { error: { code: 'ServiceUnavailable' } });
      if (this.faults.malformedJson?.test(path)) {
        record.status = 200;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"value": [ {"name": "truncated');
        return;
      }
      const answer = this.route(url);
      if (!answer) return json(res, record, 404, { error: { code: 'NotFound', message: `no route for ${path}` } });
      return json(res, record, 200, answer);
    } finally {
      this.inFlight--;
    }
  }

  private openIdConfiguration(path: string): object {
    const tenant = path.split('/')[1];
    const base = `${this.url}/${tenant}`;
    return {
      token_endpoint: `${base}/oauth2/v2.0/token`,
      authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
      end_session_endpoint: `${base}/oauth2/v2.0/logout`,
      issuer: `${base}/v2.0`,
      jwks_uri: `${base}/discovery/v2.0/keys`,
      token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt'],
      response_types_supported: ['code', 'id_token', 'token'],
      scopes_supported: ['openid'],
      subject_types_supported: ['pairwise'],
      id_token_signing_alg_values_supported: ['RS256'],
      tenant_region_scope: 'NA',
      cloud_instance_name: 'localhost',
    };
  }

  private issueToken(res: http.ServerResponse, record: RecordedCall, path: string, body: string): void {
    const form = new URLSearchParams(body);
    const tenant = path.split('/')[1];
    if (tenant !== SIM_TENANT_ID) return json(res, record, 400, { error: 'invalid_request', error_description: `AADSTS90002: Tenant '${tenant}' not found.` });
    if (form.get('client_id') !== SIM_CLIENT_ID) return json(res, record, 400, { error: 'unauthorized_client', error_description: `AADSTS700016: Application with identifier '${form.get('client_id')}' was not found in the directory.` });
    const secretOk = form.get('client_secret') === SIM_SECRET;
    const assertion = form.get('client_assertion');
    const assertionOk = assertion ? this.verifyAssertion(assertion) : false;
    if (!secretOk && !assertionOk) {
      return json(res, record, 401, { error: 'invalid_client', error_description: 'AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.' });
    }
    const scope = form.get('scope') ?? '';
    const resource = scope.split(' ').find((s) => s.endsWith('/.default'))?.replace(/\/\.default$/, '') ?? '';
    return json(res, record, 200, this.mint(resource));
  }

  private mint(resource: string): { token_type: string; expires_in: number; ext_expires_in: number; access_token: string; expires_on: string; resource: string } {
    const accessToken = `sim.${randomBytes(16).toString('hex')}`;
    const lifetime = this.faults.tokenLifetimeSeconds;
    this.tokens.set(accessToken, { resource, expires: Date.now() + lifetime * 1000 });
    this.tokensIssued++;
    return { token_type: 'Bearer', expires_in: lifetime, ext_expires_in: lifetime, access_token: accessToken, expires_on: String(Math.floor(Date.now() / 1000) + lifetime), resource };
  }

  private verifyAssertion(jwt: string): boolean {
    const [h, p, s] = jwt.split('.');
    if (!h || !p || !s) return false;
    try {
      const header = JSON.parse(Buffer.from(h, 'base64url').toString());
      const key = createPublicKey(this.caPem);
      const data = Buffer.from(`${h}.${p}`);
      const signature = Buffer.from(s, 'base64url');
      if (header.alg === 'PS256') return verify('sha256', data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }, signature);
      if (header.alg === 'RS256') return verify('sha256', data, key, signature);
      return false;
    } catch {
      return false;
    }
  }

  private async handleManagedIdentity(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.msiUrl);
    const record: RecordedCall = { at: Date.now(), method: req.method ?? 'GET', path: url.pathname, api: 'token', status: 200 };
    this.calls.push(record);
    if (req.headers['x-identity-header'] !== SIM_IDENTITY_HEADER) return json(res, record, 401, { error: 'invalid_request', error_description: 'missing identity header' });
    const resource = url.searchParams.get('resource') ?? '';
    return json(res, record, 200, this.mint(resource));
  }

  /** The documented shapes, from the seed snapshot. */
  private route(url: URL): object | null {
    const path = url.pathname;
    const seed = this.seed;
    const page = <T>(items: T[], linkKey: 'nextLink' | '@odata.nextLink' | 'continuationToken'): object => {
      const size = Number(url.searchParams.get('pageSize') ?? url.searchParams.get('$top') ?? this.faults.pageSize);
      const effective = Math.min(size || this.faults.pageSize, this.faults.pageSize);
      const token = url.searchParams.get(linkKey === 'continuationToken' ? 'continuationToken' : '$skiptoken');
      const start = token ? Number(Buffer.from(token, 'base64url').toString()) : 0;
      const slice = items.slice(start, start + effective);
      const out: Record<string, unknown> = { value: slice };
      if (start + effective < items.length) {
        const next = Buffer.from(String(start + effective)).toString('base64url');
        if (linkKey === 'continuationToken') out.continuationToken = next;
        else {
          const u = new URL(url.toString());
          u.searchParams.set('$skiptoken', next);
          out[linkKey] = u.toString();
        }
      }
      return out;
    };
    let m: RegExpExecArray | null;
    if (path === '/providers/Microsoft.BusinessAppPlatform/scopes/admin/environments') {
      return page(
        seed.environments.map((e, i) => ({
          id: `/providers/Microsoft.BusinessAppPlatform/environments/${e.id}`,
          name: e.id,
          type: 'Microsoft.BusinessAppPlatform/environments',
          location: 'unitedstates',
          properties: {
            displayName: e.name,
            environmentSku: e.environmentType ?? 'Production',
            isDefault: e.environmentType === 'Default',
            azureRegion: 'westus',
            governanceConfiguration: { protectionLevel: e.managed ? 'Standard' : 'Basic', settings: {} },
            // Every other pay-as-you-go environment shows its policy in BAP; the rest only through the Power Platform API.
            ...(e.payAsYouGo && i % 2 === 0 ? { billingPolicy: { id: `policy-${e.id}` } } : {}),
            capacity: [{ capacityType: 'Database', actualConsumption: 1024.5, ratedConsumption: 1024.5, capacityUnit: 'MB' }],
            // Every other environment lacks add-ons in BAP, so the allocation must come from the newer API.
            ...(i % 2 === 0 ? { addons: [{ addonType: 'AppPass', allocated: e.allocatedPasses ?? 0, addonUnit: 'Unit' }, { addonType: 'PortalViews', allocated: 0, addonUnit: 'Unit' }] } : {}),
          },
        })),
        'nextLink',
      );
    }
    if ((m = /^\/providers\/Microsoft\.PowerApps\/scopes\/admin\/environments\/([^/]+)\/apps$/.exec(path))) {
      const envId = decodeURIComponent(m[1]);
      return page(
        (seed.apps ?? [])
          .filter((a) => a.environmentId === envId)
          .map((a) => ({
            id: `/providers/Microsoft.PowerApps/scopes/admin/environments/${envId}/apps/${a.id}`,
            name: a.id,
            type: 'Microsoft.PowerApps/scopes/admin/apps',
            appType: a.type === 'model-driven' ? 'ModelDrivenApp' : a.type === 'code' ? 'CodeApp' : 'ClassicCanvasApp',
            properties: {
              displayName: a.name,
              environment: { name: envId },
              owner: { id: 'owner', email: 'maker@contoso.com' },
              appPlanClassification: a.planClassification,
              usesPremiumApi: a.usesPremiumApi,
              usesCustomApi: a.usesCustomApi,
              usesOnPremiseGateway: a.usesOnPremiseGateway,
              usesOnlyGrandfatheredPremiumApis: a.usesOnlyGrandfatheredPremiumApis ?? false,
              usesPcfExternalServiceUsage: a.usesPcfExternalServiceUsage ?? false,
              canConsumeAppPass: a.canConsumeAppPass,
              sharedUsersCount: 10,
              connectionReferences: Object.fromEntries(
                a.connectors.map((c, i) => [`conn-${i}`, { id: `/providers/Microsoft.PowerApps/apis/shared_${i}`, displayName: c.name, apiTier: c.tier, isCustomApiConnection: c.custom, isOnPremiseConnection: c.onPremises }]),
              ),
            },
          })),
        'nextLink',
      );
    }
    if ((m = /^\/licensing\/environments\/([^/]+)\/allocations$/.exec(path))) {
      const env = seed.environments.find((e) => e.id === decodeURIComponent(m![1]));
      return env ? { environmentId: env.id, currencyAllocations: [{ currencyType: 'AppPass', allocated: env.allocatedPasses ?? 0 }] } : null;
    }
    if (path === '/licensing/billingPolicies') {
      return page(seed.environments.filter((e) => e.payAsYouGo).map((e) => ({ id: `policy-${e.id}`, name: `Policy for ${e.name}`, status: 'Enabled' })), 'nextLink');
    }
    if ((m = /^\/licensing\/billingPolicies\/([^/]+)\/environments$/.exec(path))) {
      const envId = decodeURIComponent(m[1]).replace(/^policy-/, '');
      return page(seed.environments.filter((e) => e.id === envId && e.payAsYouGo).map((e) => ({ environmentId: e.id, billingPolicyId: `policy-${e.id}` })), 'nextLink');
    }
    if ((m = /^\/licensing\/environments\/([^/]+)\/entitlements$/.exec(path))) {
      const envId = decodeURIComponent(m[1]);
      return { value: [{ entitlementId: `ent-${envId}`, entitlementType: 'PowerApps', environmentId: envId }] };
    }
    if ((m = /^\/licensing\/entitlements\/ent-([^/]+)\/users$/.exec(path))) {
      const envId = decodeURIComponent(m[1]);
      const from = url.searchParams.get('fromDate') ?? '0000';
      const to = url.searchParams.get('toDate') ?? '9999';
      const byUser = new Map<string, object[]>();
      for (const l of seed.launches) {
        const date = `${l.month ?? '2026-11'}-15`;
        if (l.environmentId !== envId || date < from || date > to) continue;
        const list = byUser.get(l.userPrincipalName) ?? [];
        list.push({ resourceId: l.appId, resourceName: l.appName, environmentId: l.environmentId, licenseType: l.licenseType, isPremium: l.reportedPremium, lastAccessedDate: `${date}T10:00:00Z`, unknownFutureField: { kept: true } });
        byUser.set(l.userPrincipalName, list);
      }
      return page([...byUser].map(([upn, resources]) => ({ userPrincipalName: upn, userId: `id-${upn}`, resources })), 'continuationToken');
    }
    if (path === '/licensing/tenantCapacity/currencyReports') {
      const allocated = seed.environments.reduce((s, e) => s + (e.allocatedPasses ?? 0), 0);
      return { value: [{ currencyType: 'AppPass', purchased: allocated, allocated, consumed: {} }] };
    }
    if (path === '/v1.0/subscribedSkus') {
      return { value: Object.values(SKUS).filter(Boolean).map((s) => ({ skuId: s!.skuId, skuPartNumber: s!.part, consumedUnits: 1, prepaidUnits: { enabled: 100, suspended: 0, warning: 0 }, servicePlans: [] })) };
    }
    if (path === '/v1.0/users') {
      return page(
        (seed.users ?? []).map((u, i) => ({
          id: u.id ?? `00000000-0000-4000-9000-${String(i).padStart(12, '0')}`,
          userPrincipalName: u.userPrincipalName,
          displayName: u.displayName,
          assignedLicenses: u.licenses.map((l) => SKUS[l]).filter(Boolean).map((s) => ({ skuId: s!.skuId, disabledPlans: [] })),
        })),
        '@odata.nextLink',
      );
    }
    return null;
  }
}

const RESOURCE_OF: Record<string, string> = {
  bap: 'https://api.bap.microsoft.com',
  powerapps: 'https://service.powerapps.com',
  powerplatform: 'https://api.powerplatform.com',
  graph: 'https://graph.microsoft.com',
};

function apiOf(path: string): string {
  if (/\/\.well-known\/openid-configuration$/.test(path)) return 'metadata';
  if (/\/oauth2\/v2\.0\/token$/.test(path)) return 'token';
  if (/\/discovery\/v2\.0\/keys$/.test(path)) return 'keys';
  if (path.startsWith('/providers/Microsoft.BusinessAppPlatform')) return 'bap';
  if (path.startsWith('/providers/Microsoft.PowerApps')) return 'powerapps';
  if (path.startsWith('/licensing')) return 'powerplatform';
  if (path.startsWith('/v1.0')) return 'graph';
  return 'unknown';
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', () => resolve(''));
  });
}

function json(res: http.ServerResponse, record: RecordedCall, status: number, body: object, headers: Record<string, string> = {}): void {
  record.status = status;
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

if (require.main === module) {
  const i = process.argv.indexOf('--port');
  const sim = new TenantSimulator();
  void sim.start(i > 0 ? Number(process.argv[i + 1]) : 8443).then(() => {
    const caFile = `${process.cwd()}/.simulator-ca.pem`;
    writeFileSync(caFile, sim.caPem);
    process.stdout.write(`Tenant simulator on ${sim.url} (demo tenant seed). Point PassLens at it with:\n`);
    for (const [k, v] of Object.entries(sim.env(caFile))) process.stdout.write(`export ${k}=${v}\n`);
  });
}
