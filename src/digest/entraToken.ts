import { createPublicKey, verify, type JsonWebKey } from 'node:crypto';

/**
 * Accepts an Entra ID access token as an alternative to the digest secret, for an
 * external timer that signs in with its managed identity (Azure Functions, Logic Apps):
 * RS256 signature against the tenant's published keys, issuer, tenant, audience and
 * lifetime. Keys are fetched from the OpenID metadata and cached for an hour.
 */
export interface EntraTokenPolicy {
  authorityHost: string;
  tenantId: string;
  audience: string;
}

interface Jwk extends JsonWebKey {
  kid?: string;
}

const JWKS_TTL_MS = 3_600_000;

export class EntraTokenValidator {
  private keys: { at: number; issuer: string; keys: Jwk[] } | null = null;

  constructor(private readonly policy: EntraTokenPolicy) {}

  async validate(token: string, now = Date.now()): Promise<boolean> {
    const [h, p, s] = token.split('.');
    if (!h || !p || !s) return false;
    let header: { alg?: string; kid?: string };
    let claims: { iss?: string; aud?: string | string[]; tid?: string; exp?: number; nbf?: number };
    try {
      header = JSON.parse(Buffer.from(h, 'base64url').toString());
      claims = JSON.parse(Buffer.from(p, 'base64url').toString());
    } catch {
      return false;
    }
    if (header.alg !== 'RS256') return false;
    const { issuer, keys } = await this.metadata(now);
    let jwk = keys.find((k) => k.kid === header.kid);
    if (!jwk) jwk = (await this.metadata(now, true)).keys.find((k) => k.kid === header.kid); // keys rotate
    if (!jwk) return false;
    const signed = verify('RSA-SHA256', Buffer.from(`${h}.${p}`), createPublicKey({ key: jwk, format: 'jwk' }), Buffer.from(s, 'base64url'));
    if (!signed) return false;
    const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    const seconds = now / 1000;
    return (
      (claims.iss === issuer || claims.iss === `https://sts.windows.net/${this.policy.tenantId}/`) &&
      claims.tid === this.policy.tenantId &&
      audiences.includes(this.policy.audience) &&
      typeof claims.exp === 'number' &&
      claims.exp > seconds - 60 &&
      (claims.nbf === undefined || claims.nbf <= seconds + 60)
    );
  }

  private async metadata(now: number, reload = false): Promise<{ issuer: string; keys: Jwk[] }> {
    if (this.keys && !reload && now - this.keys.at < JWKS_TTL_MS) return this.keys;
    const config = (await (await fetch(`${this.policy.authorityHost}/${this.policy.tenantId}/v2.0/.well-known/openid-configuration`)).json()) as { issuer: string; jwks_uri: string };
    const jwks = (await (await fetch(config.jwks_uri)).json()) as { keys: Jwk[] };
    this.keys = { at: now, issuer: config.issuer, keys: jwks.keys };
    return this.keys;
  }
}
