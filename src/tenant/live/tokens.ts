import { readFileSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import { AuthError, ConfidentialClientApplication, ManagedIdentityApplication, type Configuration } from '@azure/msal-node';
import { ConfigError, type LiveSettings } from '../../config';
import { CLOUDS } from './cloud';
import { signInError, type ApiName } from './errors';

/**
 * App-only tokens, one per audience (the cloud table's, see cloud.ts: BAP and Power Apps
 * share the Power Apps service audience), from @azure/msal-node: client secret,
 * certificate or managed identity. MSAL caches each token and renews it before it
 * expires; this class adds only that concurrent callers for one audience share one request.
 */

export interface TokenSource {
  token(api: Exclude<ApiName, 'token'>): Promise<string>;
}

export class MsalTokenSource implements TokenSource {
  private readonly confidential: ConfidentialClientApplication | null = null;
  private readonly managed: ManagedIdentityApplication | null = null;
  private readonly pending = new Map<string, Promise<string>>();
  private readonly audiences: LiveSettings['audiences'];
  private readonly officeManagementAudience: string | null;

  constructor(settings: LiveSettings) {
    this.audiences = settings.audiences;
    this.officeManagementAudience = settings.officeManagementAudience;
    const loggerOptions = { piiLoggingEnabled: false, loggerCallback: () => {} };
    if (settings.credential.kind === 'managedIdentity') {
      this.managed = new ManagedIdentityApplication({
        managedIdentityIdParams: settings.credential.clientId ? { userAssignedClientId: settings.credential.clientId } : undefined,
        system: { loggerOptions },
      });
      return;
    }
    const host = new URL(settings.authorityHost).host;
    const auth: Configuration['auth'] = {
      clientId: settings.clientId,
      authority: `${settings.authorityHost}/${settings.tenantId}`,
      // A sign-in host of no Microsoft cloud (a proxy, the simulator): MSAL must not ask the public instance discovery.
      ...(Object.values(CLOUDS).some((c) => c.authorityHost === settings.authorityHost) ? {} : { knownAuthorities: [host] }),
    };
    if (settings.credential.kind === 'secret') auth.clientSecret = settings.credential.secret;
    else auth.clientCertificate = readCertificate(settings.credential.path);
    this.confidential = new ConfidentialClientApplication({ auth, system: { loggerOptions } });
  }

  token(api: Exclude<ApiName, 'token'>): Promise<string> {
    const resource = api === 'officeManagement' ? this.officeManagementAudience : this.audiences[api];
    if (!resource) return Promise.reject(signInError(null, 'invalid_resource', 'no Office 365 Management Activity API in this cloud'));
    let p = this.pending.get(resource);
    if (!p) {
      p = this.acquire(resource).finally(() => this.pending.delete(resource));
      this.pending.set(resource, p);
    }
    return p;
  }

  private async acquire(resource: string): Promise<string> {
    try {
      const result = this.managed
        ? await this.managed.acquireToken({ resource })
        : await this.confidential!.acquireTokenByClientCredential({ scopes: [`${resource}/.default`] });
      if (!result?.accessToken) throw signInError(null, 'no_token', 'the sign-in returned no token');
      return result.accessToken;
    } catch (e) {
      if (e instanceof AuthError) {
        const description = `${e.errorMessage ?? ''} ${(e as { subError?: string }).subError ?? ''}`;
        throw signInError(null, e.errorCode, description);
      }
      throw e;
    }
  }
}

/** A PEM file holding the private key and the certificate (as App Service and Key Vault export them). */
function readCertificate(path: string): { thumbprintSha256: string; privateKey: string; x5c: string } {
  let pem: string;
  try {
    pem = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ConfigError(`PASSLENS_CLIENT_CERTIFICATE_PATH ${path} cannot be read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}.`);
  }
  const key = /-----BEGIN (?:RSA |EC )?PRIVATE KEY-----[\s\S]+?-----END (?:RSA |EC )?PRIVATE KEY-----/.exec(pem)?.[0];
  const cert = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(pem)?.[0];
  if (!key || !cert) throw new ConfigError(`PASSLENS_CLIENT_CERTIFICATE_PATH ${path} must hold both the private key and the certificate in PEM.`);
  const thumbprintSha256 = new X509Certificate(cert).fingerprint256.replace(/:/g, '');
  return { thumbprintSha256, privateKey: key, x5c: cert };
}
