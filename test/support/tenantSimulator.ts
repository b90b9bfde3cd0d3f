import https from 'node:https';
import http from 'node:http';
import { createPublicKey, generateKeyPairSync, randomBytes, sign, verify, constants, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Socket } from 'node:net';
import * as selfsigned from 'selfsigned';
import type { TenantSnapshot, UserLicense } from '../../src/licensing/snapshot';
import { buildDemoTenant } from '../../src/tenant/demo/demoTenant';
import { AuditSimulator, seedLaunches } from './auditSimulator';

/**
 * A local simulator of the Microsoft endpoints PassLens reads, over real HTTPS with a
 * certificate made at start: the Entra ID token endpoint and OpenID metadata (what MSAL
 * reads), App Service managed identity, BAP, Power Apps admin, the Power Platform API and
 * Graph, in their documented shapes, served from a seed snapshot. Switches inject the
 * faults a client must survive, and the scenarios of the public record (usage insight
 * refused, answering or unlisted; a Disabled billing policy; one whose environment list
 * is 404; environments without governanceConfiguration). Runnable by hand:
 *   node --import tsx test/support/tenantSimulator.ts [--port 8443] [--insight refused|answers|unlisted]
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
  /** API paths (regex) answered 403, as a missing permission on one route. */
  refusedPaths: RegExp | null;
  /**
   * Entitlement insight for the AppPass entitlement: `refused` answers app-only tokens 403
   * (as a field report saw), `answers` gives the documented shape, `unlisted` lists no
   * AppPass entitlement at all (Microsoft documents none).
   */
  insight: 'refused' | 'answers' | 'unlisted';
  /** Environments whose BAP payload has no governanceConfiguration (older api-versions omit it). */
  withoutGovernance: string[];
  /** Environments whose entitlements carry no isManagedEnvironment. */
  withoutManagedFlag: string[];
  /** BAP protectionLevel per environment id where BAP disagrees with the seed (and so with the entitlements). */
  protectionLevelOf: Record<string, string>;
  tokenLifetimeSeconds: number;
  /**
   * API paths (regex) always answered 429 with this Retry-After, in seconds: one
   * environment's apps throttled for an hour, as a fault run saw. Microsoft throttles with
   * 429 and Retry-After (Graph "throttling guidance"; Power Platform "service protection API limits").
   */
  throttledPath: { path: RegExp; retryAfter: number } | null;
  /**
   * Paged answers (paths matching) whose next link is rewritten: `self` points back at the
   * page just answered, `again` at the same page under a new query each time, an origin
   * such as "http://127.0.0.1:9" at another host with the same path and query. None is
   * Microsoft's documented behaviour: hostile or broken answers.
   */
  nextLinkTo: { path: RegExp; to: 'self' | 'again' | string } | null;
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
  refusedPaths: null,
  insight: 'refused',
  withoutGovernance: [],
  withoutManagedFlag: [],
  protectionLevelOf: {},
  tokenLifetimeSeconds: 3600,
  throttledPath: null,
  nextLinkTo: null,
};

/** A retired billing policy (Disabled) and one whose environment list is gone (404): neither bills. */
export const DISABLED_POLICY_ID = 'policy-disabled';
export const GONE_POLICY_ID = 'policy-gone';

export interface RecordedCall {
  at: number;
  method: string;
  path: string;
  api: string;
  status: number | 'reset';
  /** When a 429 said to come back, in ms since epoch. */
  retryAt?: number;
  clientRequestId?: string;
  /** For a token request: the resource (audience) asked for. */
  resource?: string;
  /** The Host header: which name of this server the client called. */
  host?: string;
}

const SKUS: Record<UserLicense, { skuId: string; part: string } | null> = {
  M365E5: { skuId: '06ebc4ee-1bb5-47dd-8120-11324bc54e06', part: 'SPE_E5' },
  M365E3: { skuId: '05e9a617-0261-4cee-bb44-138d3ef5d965', part: 'SPE_E3' },
  O365E5: { skuId: 'c7df2760-2c81-4ef7-b578-5b5392b571df', part: 'ENTERPRISEPREMIUM' },
  O365E3: { skuId: '6fd2c87f-b296-42f0-b197-1e91e994b900', part: 'ENTERPRISEPACK' },
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
  /** The CA written to a private file at start, for PassLens's NODE_EXTRA_CA_CERTS-style setting; removed at stop. */
  caFile = '';
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

  /** The audit log APIs (Graph audit log queries, Office 365 Management Activity API), serving the seed's launches. */
  readonly audit: AuditSimulator;

  constructor(public seed: TenantSnapshot = buildDemoTenant()) {
    this.audit = new AuditSimulator(seedLaunches(seed), SIM_TENANT_ID);
  }

  async start(port = 0): Promise<this> {
    const pems = await Promise.resolve(
      selfsigned.generate([{ name: 'commonName', value: 'localhost' }], {
        notAfterDate: new Date(Date.now() + 2 * 86_400_000),
        keySize: 2048,
        extensions: [{ name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }] }],
      }),
    );
    this.caPem = pems.cert;
    this.caFile = join(mkdtempSync(join(tmpdir(), 'passlens-sim-ca-')), 'ca.pem');
    writeFileSync(this.caFile, this.caPem);
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

  /** Before each test: the given faults, and no calls recorded yet. */
  reset(faults: Faults = { ...NO_FAULTS }): void {
    this.faults = faults;
    this.audit.reset();
    this.calls.length = 0;
    this.maxInFlight = 0;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    if (this.caFile) rmSync(join(this.caFile, '..'), { recursive: true, force: true });
    await Promise.all([
      new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve())),
      new Promise<void>((resolve) => (this.msiServer ? this.msiServer.close(() => resolve()) : resolve())),
    ]);
  }

  /** The settings PassLens needs to read this simulator (a secret credential). */
  env(caFile = this.caFile): Record<string, string> {
    return {
      PASSLENS_TENANT_ID: SIM_TENANT_ID,
      PASSLENS_CLIENT_ID: SIM_CLIENT_ID,
      PASSLENS_CLIENT_SECRET: SIM_SECRET,
      PASSLENS_AUTHORITY_HOST: this.url,
      PASSLENS_BAP_URL: this.url,
      PASSLENS_POWERAPPS_URL: this.url,
      PASSLENS_POWERPLATFORM_URL: this.url,
      PASSLENS_GRAPH_URL: this.url,
      PASSLENS_OFFICE_MANAGEMENT_URL: this.url,
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
    const record: RecordedCall = { at: Date.now(), method: req.method ?? 'GET', path, api, status: 200, clientRequestId: req.headers['x-ms-client-request-id'] as string | undefined, host: req.headers.host };
    this.calls.push(record);
    // Calls in flight to the APIs; sign-in is MSAL's, outside the client's cap.
    const counted = api !== 'token' && api !== 'metadata' && api !== 'keys';
    if (counted) this.inFlight++;
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
      if (this.faults.forbidden.includes(api as Faults['forbidden'][number]) || this.faults.refusedPaths?.test(path)) {
        return json(res, record, 403, { error: { code: 'Authorization_RequestDenied', message: 'Insufficient privileges to complete the operation.' } });
      }
      if (this.faults.failingEnvironmentId && path.toLowerCase().includes(this.faults.failingEnvironmentId.toLowerCase())) {
        return json(res, record, 500, { error: { code: 'InternalServerError', message: 'simulated permanent failure' } });
      }
      if (this.faults.throttledPath?.path.test(path)) {
        record.retryAt = Date.now() + this.faults.throttledPath.retryAfter * 1000;
        return json(res, record, 429, { error: { code: 'TooManyRequests' } }, { 'Retry-After': String(this.faults.throttledPath.retryAfter) });
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
      if (AuditSimulator.handles(path)) {
        const a = this.audit.answer(record.method, url, body, this.url);
        return json(res, record, a.status, a.body as object, a.headers);
      }
      const answer = this.route(url);
      if (answer && 'status' in answer && typeof answer.status === 'number' && 'body' in answer) return json(res, record, answer.status, answer.body as object);
      if (!answer) return json(res, record, 404, { error: { code: 'NotFound', message: `no route for ${path}` } });
      return json(res, record, 200, answer);
    } finally {
      if (counted) this.inFlight--;
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
    record.resource = resource;
    if (!KNOWN_RESOURCES.has(resource)) return json(res, record, 400, unknownResource(resource));
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
    record.resource = resource;
    if (!KNOWN_RESOURCES.has(resource)) return json(res, record, 400, unknownResource(resource));
    return json(res, record, 200, this.mint(resource));
  }

  /**
   * The documented shapes, from the seed snapshot; each route names its public source.
   * A `{ status, body }` answer is an error the real service documents for that case.
   */
  private route(url: URL): object | null {
    const path = url.pathname;
    const seed = this.seed;
    const faults = this.faults;
    const page = <T>(items: T[], linkKey: 'nextLink' | '@odata.nextLink' | 'continuationtoken'): object => {
      const size = Number(url.searchParams.get('pageSize') ?? url.searchParams.get('$top') ?? faults.pageSize);
      const effective = Math.min(size || faults.pageSize, faults.pageSize);
      const token = url.searchParams.get(linkKey === 'continuationtoken' ? 'continuationToken' : '$skiptoken');
      const start = token ? Number(Buffer.from(token, 'base64url').toString()) : 0;
      const slice = items.slice(start, start + effective);
      const out: Record<string, unknown> = { value: slice };
      if (start + effective < items.length) {
        const next = Buffer.from(String(start + effective)).toString('base64url');
        // The licensing API returns its token in the lower-case `continuationtoken` property and takes it back as `continuationToken`.
        if (linkKey === 'continuationtoken') out.continuationtoken = next;
        else {
          const u = new URL(url.toString());
          u.searchParams.set('$skiptoken', next);
          out[linkKey] = u.toString();
        }
      }
      const rewrite = faults.nextLinkTo;
      if (rewrite?.path.test(path) && linkKey !== 'continuationtoken') {
        const again = new URL(url.toString());
        again.searchParams.set('again', String(Number(again.searchParams.get('again') ?? 0) + 1));
        out[linkKey] = rewrite.to === 'self' ? url.toString() : rewrite.to === 'again' ? again.toString() : `${rewrite.to}${url.pathname}${url.search}`;
      }
      return out;
    };
    let ids: Map<string, string> | null = null;
    // Entra object ids: the seed's, or one made from the user's place in the seed.
    const userIdOf = (upn: string): string => {
      ids ??= new Map((seed.users ?? []).map((u, i) => [u.userPrincipalName.toLowerCase(), u.id ?? `00000000-0000-4000-9000-${String(i).padStart(12, '0')}`]));
      return ids.get(upn.toLowerCase()) ?? `unknown-${upn.toLowerCase()}`;
    };
    const payg = seed.environments.filter((e) => e.payAsYouGo);
    const firstNotPayg = seed.environments.find((e) => !e.payAsYouGo);
    let m: RegExpExecArray | null;
    // learn.microsoft.com/power-platform/admin/list-environments (api-version 2020-10-01, the example response);
    // governanceConfiguration.protectionLevel: Terraform provider, services/environment; billingPolicy only with
    // $expand=properties.billingPolicy: Terraform provider, services/environment (the expand it sends).
    if (path === '/providers/Microsoft.BusinessAppPlatform/scopes/admin/environments') {
      const expand = (url.searchParams.get('$expand') ?? '').split(',');
      return page(
        seed.environments.map((e, i) => ({
          id: `/providers/Microsoft.BusinessAppPlatform/scopes/admin/environments/${e.id}`,
          name: e.id,
          type: 'Microsoft.BusinessAppPlatform/scopes/environments',
          location: 'unitedstates',
          properties: {
            displayName: e.name,
            environmentSku: e.environmentType ?? 'Production',
            isDefault: e.environmentType === 'Default',
            azureRegion: 'westus',
            ...(faults.withoutGovernance.includes(e.id) || e.managed === null ? {} : { governanceConfiguration: { protectionLevel: faults.protectionLevelOf[e.id] ?? (e.managed ? 'Standard' : 'Basic'), settings: {} } }),
            ...(expand.includes('properties.billingPolicy') && e.payAsYouGo ? { billingPolicy: { id: `policy-${e.id}` } } : {}),
            ...(expand.includes('properties.capacity') ? { capacity: [{ capacityType: 'Database', actualConsumption: 1024.5, ratedConsumption: 1024.5, capacityUnit: 'MB' }] } : {}),
            // Every other environment lacks add-ons in BAP, so the allocation must come from the newer API.
            ...(expand.includes('properties.addons') && i % 2 === 0 ? { addons: [{ addonType: 'AppPass', allocated: e.allocatedPasses ?? 0, addonUnit: 'Unit' }, { addonType: 'PortalViews', allocated: 0, addonUnit: 'Unit' }] } : {}),
          },
        })),
        'nextLink',
      );
    }
    // Admin apps: the public payloads of Get-AdminPowerApp (Microsoft.PowerApps.Administration.PowerShell) and
    // pnp/cli-microsoft365 `pa app list` fixtures: top-level appType, properties.appPlanClassification, usesPremiumApi,
    // usesCustomApi, usesOnPremiseGateway, canConsumeAppPass, connectionReferences with apiTier; paging nextLink.
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
    // REST reference, licensing/currency-allocation: {environmentId, currencyAllocations[{currencyType, allocated}]}; 404 when none.
    if ((m = /^\/licensing\/environments\/([^/]+)\/allocations$/.exec(path))) {
      const env = seed.environments.find((e) => e.id === decodeURIComponent(m![1]));
      if (!env || env.allocatedPasses === null) return { status: 404, body: { error: { code: 'NotFound', message: 'No allocations found for the environment.' } } };
      return { environmentId: env.id, currencyAllocations: [{ currencyType: 'AppPass', allocated: env.allocatedPasses }] };
    }
    // REST reference, licensing/billing-policy/list-billing-policies: value[] {id, name, status, location}; only Enabled ones bill.
    if (path === '/licensing/billingPolicies') {
      return page(
        [
          ...payg.map((e) => ({ id: `policy-${e.id}`, name: `Policy for ${e.name}`, status: 'Enabled', location: 'unitedstates' })),
          { id: DISABLED_POLICY_ID, name: 'Retired pay-as-you-go policy', status: 'Disabled', location: 'unitedstates' },
          { id: GONE_POLICY_ID, name: 'Policy whose environments are gone', status: 'Enabled', location: 'unitedstates' },
        ],
        'nextLink',
      );
    }
    // REST reference, licensing/billing-policy-environment/list-billing-policy-environments: value[] {billingPolicyId, environmentId}.
    if ((m = /^\/licensing\/billingPolicies\/([^/]+)\/environments$/.exec(path))) {
      const policyId = decodeURIComponent(m[1]);
      if (policyId === GONE_POLICY_ID) return { status: 404, body: { error: { code: 'BillingPolicyNotFound', message: 'The billing policy has no environments.' } } };
      if (policyId === DISABLED_POLICY_ID) return page(firstNotPayg ? [{ billingPolicyId: policyId, environmentId: firstNotPayg.id }] : [], 'nextLink');
      const envId = policyId.replace(/^policy-/, '');
      return page(payg.filter((e) => e.id === envId).map((e) => ({ billingPolicyId: policyId, environmentId: e.id })), 'nextLink');
    }
    // REST reference, licensing/entitlement/get-many-environment-entitlements (api-version 2024-10-01): a bare array;
    // per item entitlementId, isManagedEnvironment, environmentType. The documented ids are Copilot ones (MCSMessages);
    // no AppPass entitlement is documented, so the `unlisted` scenario lists none.
    if ((m = /^\/licensing\/environments\/([^/]+)\/entitlements$/.exec(path))) {
      const env = seed.environments.find((e) => e.id === decodeURIComponent(m![1]));
      if (!env) return { status: 404, body: { error: { code: 'EnvironmentNotFound', message: 'Environment not found.' } } };
      const managed = env.managed === null || faults.withoutManagedFlag.includes(env.id) ? {} : { isManagedEnvironment: env.managed };
      const item = (entitlementId: string) => ({ entitlementId, environmentId: env.id, environmentType: 'Production', ...managed });
      return [item('MCSMessages'), ...(faults.insight === 'unlisted' ? [] : [item('AppPass')])];
    }
    // REST reference, licensing/entitlement-insight/get-tenant-users (api-version 2024-10-01): tenant-wide,
    // value[].users[] {userId (Entra object id), environmentId, consumed, unit, asOfDate, metadata}; no UPN, no app;
    // paging by the lower-case `continuationtoken` property. App-only callers were refused 403 in a field report (2026-09).
    if ((m = /^\/licensing\/entitlements\/([^/]+)\/users$/.exec(path))) {
      const id = decodeURIComponent(m[1]);
      if (id === 'MCSMessages') return page([], 'continuationtoken');
      if (id !== 'AppPass' || faults.insight === 'unlisted') return { status: 404, body: { error: { code: 'EntitlementNotFound', message: `Entitlement ${id} not found.` } } };
      if (faults.insight === 'refused') return { status: 403, body: { error: { code: 'Forbidden', message: 'The caller is not authorized to perform this operation.' } } };
      const from = url.searchParams.get('fromDate') ?? '0000';
      const to = url.searchParams.get('toDate') ?? '9999';
      const consumed = new Map<string, { userId: string; environmentId: string; pairs: Set<string>; date: string }>();
      for (const l of seed.launches) {
        const date = `${l.month ?? '2026-11'}-15`;
        if (l.licenseType !== 'AppPass' || date < from || date > to) continue;
        const key = `${l.userPrincipalName}|${l.environmentId}`;
        const c = consumed.get(key) ?? { userId: userIdOf(l.userPrincipalName), environmentId: l.environmentId, pairs: new Set(), date };
        c.pairs.add(l.appId);
        consumed.set(key, c);
      }
      const rows = [...consumed.values()].map((c) => ({ userId: c.userId, environmentId: c.environmentId, consumed: c.pairs.size, unit: 'Unit', asOfDate: `${c.date}T00:00:00Z`, metadata: {}, tenantId: SIM_TENANT_ID }));
      const paged = page(rows, 'continuationtoken') as { value: object[]; continuationtoken?: string };
      return { value: [{ users: paged.value }], ...(paged.continuationtoken ? { continuationtoken: paged.continuationtoken } : {}) };
    }
    // REST reference, licensing/tenant-capacity/get-currency-reports: [{currencyType, purchased, allocated, consumed}].
    if (path === '/licensing/tenantCapacity/currencyReports') {
      const allocated = seed.environments.reduce((s, e) => s + (e.allocatedPasses ?? 0), 0);
      return [{ currencyType: 'AppPass', purchased: allocated, allocated, consumed: 0 }];
    }
    // learn.microsoft.com/graph/api/subscribedsku-list: value[] {skuId, skuPartNumber, consumedUnits, prepaidUnits, servicePlans}.
    if (path === '/v1.0/subscribedSkus') {
      return { value: Object.values(SKUS).filter(Boolean).map((s) => ({ skuId: s!.skuId, skuPartNumber: s!.part, consumedUnits: 1, prepaidUnits: { enabled: 100, suspended: 0, warning: 0 }, servicePlans: [] })) };
    }
    // learn.microsoft.com/graph/api/user-list with $select: value[] {id, userPrincipalName, displayName, assignedLicenses[{skuId, disabledPlans}]}; @odata.nextLink.
    if (path === '/v1.0/users') {
      return page(
        (seed.users ?? []).map((u) => ({
          id: userIdOf(u.userPrincipalName),
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

/** The audience of each API's token (the public cloud's: BAP and Power Apps share the Power Apps service audience). */
const RESOURCE_OF: Record<string, string> = {
  bap: 'https://service.powerapps.com',
  powerapps: 'https://service.powerapps.com',
  powerplatform: 'https://api.powerplatform.com',
  graph: 'https://graph.microsoft.com',
  // The Office 365 Management Activity API's host is its audience (troubleshooting-the-office-365-management-activity-api.md).
  officeManagement: 'https://manage.office.com',
};
const KNOWN_RESOURCES = new Set(Object.values(RESOURCE_OF));

/**
 * Entra ID's answer to a token request for a resource no service principal of the tenant
 * has: 400 invalid_resource with AADSTS500011 (learn.microsoft.com/entra/identity-platform/
 * reference-error-codes, "AADSTS500011 InvalidResourceServicePrincipalNotFound").
 */
function unknownResource(resource: string): object {
  return {
    error: 'invalid_resource',
    error_description: `AADSTS500011: The resource principal named ${resource} was not found in the tenant named ${SIM_TENANT_ID}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.`,
    error_codes: [500011],
  };
}

function apiOf(path: string): string {
  if (/\/\.well-known\/openid-configuration$/.test(path)) return 'metadata';
  if (/\/oauth2\/v2\.0\/token$/.test(path)) return 'token';
  if (/\/discovery\/v2\.0\/keys$/.test(path)) return 'keys';
  if (path.startsWith('/providers/Microsoft.BusinessAppPlatform')) return 'bap';
  if (path.startsWith('/providers/Microsoft.PowerApps')) return 'powerapps';
  if (path.startsWith('/licensing')) return 'powerplatform';
  if (path.startsWith('/v1.0')) return 'graph';
  if (path.startsWith('/api/v1.0/')) return 'officeManagement';
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
  const j = process.argv.indexOf('--insight');
  const sim = new TenantSimulator();
  const insight = j > 0 ? process.argv[j + 1] : 'refused';
  if (insight !== 'refused' && insight !== 'answers' && insight !== 'unlisted') {
    process.stderr.write(`--insight must be refused, answers or unlisted, got "${insight}".\n`);
    process.exit(2);
  }
  sim.faults.insight = insight;
  void sim.start(i > 0 ? Number(process.argv[i + 1]) : 8443).then(() => {
    const caFile = `${process.cwd()}/.simulator-ca.pem`;
    writeFileSync(caFile, sim.caPem);
    process.stdout.write(`Tenant simulator on ${sim.url} (demo tenant seed; usage insight ${insight}). Point PassLens at it with:\n`);
    for (const [k, v] of Object.entries(sim.env(caFile))) process.stdout.write(`export ${k}=${v}\n`);
  });
}
