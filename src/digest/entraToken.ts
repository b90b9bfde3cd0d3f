import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from 'jose';

/**
 * Accepts an Entra ID access token as an alternative to the digest secret, for an
 * external timer that signs in with its managed identity (Azure Functions, Logic Apps):
 * RS256 signature against the tenant's published keys, issuer, tenant, audience and
 * lifetime. jose's remote key set fetches the keys, caches them, refetches for an unknown
 * `kid` at most once per cool-down and gives up on a slow key host after a timeout, so
 * unauthenticated callers cannot make PassLens hammer or hang on the key host.
 */
export interface EntraTokenPolicy {
  authorityHost: string;
  tenantId: string;
  audience: string;
  /** Overrides of the key set's timings (tests); defaults below. */
  keys?: Partial<KeySetTimings>;
}

export interface KeySetTimings {
  /** After a fetch, an unknown kid waits this long before the next one. */
  cooldownMs: number;
  /** A fetch slower than this fails the check (401), it never hangs the request. */
  timeoutMs: number;
  /** Keys are refetched at least this often (Entra ID rotates them, announced ahead). */
  cacheMaxAgeMs: number;
}

export const KEY_SET_TIMINGS: KeySetTimings = { cooldownMs: 5 * 60_000, timeoutMs: 3_000, cacheMaxAgeMs: 60 * 60_000 };

/** Tokens of either format: 60 s of clock skew either way. */
const CLOCK_TOLERANCE_S = 60;

export class EntraTokenValidator {
  private readonly keySet: JWTVerifyGetKey;
  private readonly issuers: string[];

  constructor(private readonly policy: EntraTokenPolicy) {
    const timings = { ...KEY_SET_TIMINGS, ...policy.keys };
    const tenantBase = `${policy.authorityHost}/${policy.tenantId}`;
    // The tenant's signing keys and issuers, as Microsoft documents them for access tokens
    // (learn.microsoft.com/entra/identity-platform/access-tokens, "Validate the signature":
    // jwks_uri https://login.microsoftonline.com/{tenant}/discovery/v2.0/keys; issuer
    // https://login.microsoftonline.com/{tid}/v2.0 for v2.0 tokens, https://sts.windows.net/{tid}/ for v1.0).
    this.keySet = createRemoteJWKSet(new URL(`${tenantBase}/discovery/v2.0/keys`), {
      cooldownDuration: timings.cooldownMs,
      timeoutDuration: timings.timeoutMs,
      cacheMaxAge: timings.cacheMaxAgeMs,
    });
    this.issuers = [`${tenantBase}/v2.0`, `https://sts.windows.net/${policy.tenantId}/`];
  }

  async validate(token: string, now = Date.now()): Promise<boolean> {
    try {
      const { payload } = await jwtVerify(token, this.keySet, {
        algorithms: ['RS256'],
        issuer: this.issuers,
        audience: this.policy.audience,
        requiredClaims: ['exp', 'tid'],
        clockTolerance: CLOCK_TOLERANCE_S,
        currentDate: new Date(now),
      });
      return payload.tid === this.policy.tenantId;
    } catch {
      // Bad signature, claims, or an unreachable key host: not a token PassLens accepts.
      return false;
    }
  }
}
