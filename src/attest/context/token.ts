// Obtaining the job's identity token and proving it genuine. One token, audience "sigstore",
// is fetched per signing; its verified claims describe the build and the same token is what
// Fulcio turns into the signing certificate, so predicate and certificate cannot disagree.

import { createLocalJWKSet, decodeJwt, errors, jwtVerify, type JSONWebKeySet, type JWTPayload } from 'jose';
import { ProvenanceError } from '../../common/errors.ts';
import { fetchAndRead, jsonBody, type RetryPolicy, type ServiceRequest } from '../../http/retry.ts';
import { trustedIssuer, type TrustedIssuer } from './issuers.ts';

export const SIGSTORE_AUDIENCE = 'sigstore';

export interface IdentityToken {
  jwt: string;
  payload: JWTPayload;
  /** Set when the token was verified against a GitHub Actions issuer's published keys. */
  github: TrustedIssuer | undefined;
}

const PERMISSION_HINT =
  'Grant the job "permissions: id-token: write" (and keep "contents: read"); outside GitHub Actions, set SIGSTORE_ID_TOKEN to an OIDC token with audience "sigstore"';

/** Fetches a raw token the way a GitHub runner offers it, or from SIGSTORE_ID_TOKEN elsewhere. */
export async function requestToken(env: NodeJS.ProcessEnv, retry?: RetryPolicy): Promise<string> {
  const requestURL = env['ACTIONS_ID_TOKEN_REQUEST_URL'];
  const requestBearer = env['ACTIONS_ID_TOKEN_REQUEST_TOKEN'];
  if (requestURL && requestBearer) {
    const url = new URL(requestURL);
    url.searchParams.set('audience', SIGSTORE_AUDIENCE);
    // A garbage answer (not JSON, or no token in it; say, a proxy's HTML page with status 200) is
    // retried like a 5xx, and named as such if it persists.
    return fetchAndRead(
      {
        service: 'GitHub OIDC token endpoint',
        code: 'OIDC_REQUEST_FAILED',
        hint: 'Check that the job has "permissions: id-token: write"; if it does, re-run the job (GitHub may be degraded)',
        url: url.href,
        init: { headers: { authorization: `Bearer ${requestBearer}`, accept: 'application/json' } },
      },
      jsonBody('{"value": "<JWT>"}', (body) => {
        const value = typeof body === 'object' && body !== null ? (body as { value?: unknown }).value : undefined;
        return typeof value === 'string' && value !== '' ? value : undefined;
      }),
      retry,
    );
  }
  const explicit = env['SIGSTORE_ID_TOKEN'];
  if (explicit) return explicit.trim();
  const where = env['GITHUB_ACTIONS'] === 'true' ? 'this job has no id-token permission' : 'no OIDC token is available';
  throw new ProvenanceError(
    'OIDC_UNAVAILABLE',
    `cannot sign: ${where} (ACTIONS_ID_TOKEN_REQUEST_URL is not set)`,
    PERMISSION_HINT,
  );
}

/**
 * Verifies a GitHub Actions token against its issuer's published keys (audience, expiry,
 * signature). Tokens from other issuers are returned unverified with `github` undefined:
 * Fulcio verifies them, and they are only allowed where no claim is copied into a predicate.
 */
export async function verifyToken(jwt: string, env: NodeJS.ProcessEnv, retry?: RetryPolicy): Promise<IdentityToken> {
  let unverified: JWTPayload;
  try {
    unverified = decodeJwt(jwt);
  } catch {
    throw new ProvenanceError('OIDC_TOKEN_INVALID', 'the OIDC token is not a JWT', PERMISSION_HINT);
  }
  const issuer = typeof unverified.iss === 'string' ? trustedIssuer(unverified.iss, env) : undefined;
  if (!issuer) return { jwt, payload: unverified, github: undefined };

  const keys = await issuerKeys(issuer.issuer, retry);
  try {
    const { payload } = await jwtVerify(jwt, createLocalJWKSet(keys), {
      issuer: issuer.issuer,
      audience: SIGSTORE_AUDIENCE,
      clockTolerance: 30,
    });
    return { jwt, payload, github: issuer };
  } catch (err) {
    throw tokenRefused(err, unverified, issuer.issuer);
  }
}

/** Why a genuine-looking GitHub token was refused: a wrong audience or an expired token say what to change. */
function tokenRefused(err: unknown, unverified: JWTPayload, issuer: string): ProvenanceError {
  if (err instanceof errors.JWTClaimValidationFailed && err.claim === 'aud') {
    const audience = Array.isArray(unverified.aud) ? unverified.aud.join(', ') : String(unverified.aud ?? 'none');
    return new ProvenanceError(
      'OIDC_CLAIMS_INVALID',
      `the OIDC token from ${issuer} is for audience "${audience}"; expected "${SIGSTORE_AUDIENCE}"`,
      `Request the token for audience "${SIGSTORE_AUDIENCE}" (e.g. core.getIDToken('${SIGSTORE_AUDIENCE}'), or "&audience=${SIGSTORE_AUDIENCE}" on ACTIONS_ID_TOKEN_REQUEST_URL) before passing it as SIGSTORE_ID_TOKEN`,
    );
  }
  if (err instanceof errors.JWTExpired) {
    return new ProvenanceError(
      'OIDC_TOKEN_INVALID',
      `the OIDC token from ${issuer} has expired`,
      'Request the token right before signing (it is valid for minutes), or let the action request it in GitHub Actions',
    );
  }
  const reason = err instanceof Error ? err.message : String(err);
  return new ProvenanceError(
    'OIDC_TOKEN_INVALID',
    `the job's OIDC token does not verify against ${issuer}: ${reason}`,
    'Re-run the job; a token that fails verification is never used to sign',
  );
}

async function issuerKeys(issuer: string, retry?: RetryPolicy): Promise<JSONWebKeySet> {
  const service = `OIDC issuer ${issuer}`;
  const hint = 'Re-run the job; the issuer publishes the keys that prove the job identity';
  const config = await fetchJSON(
    { service, code: 'OIDC_REQUEST_FAILED', hint, url: `${issuer}/.well-known/openid-configuration` },
    retry,
  );
  const jwksURI = (config as { jwks_uri?: unknown }).jwks_uri;
  if (typeof jwksURI !== 'string') {
    throw new ProvenanceError('OIDC_REQUEST_FAILED', `${service} published no jwks_uri`, hint);
  }
  const jwks = await fetchJSON({ service, code: 'OIDC_REQUEST_FAILED', hint, url: jwksURI }, retry);
  if (!Array.isArray((jwks as { keys?: unknown }).keys)) {
    throw new ProvenanceError('OIDC_REQUEST_FAILED', `${service} published keys that are not a JWKS`, hint);
  }
  return jwks as JSONWebKeySet;
}

async function fetchJSON(req: ServiceRequest, retry?: RetryPolicy): Promise<object> {
  return fetchAndRead(
    req,
    jsonBody('a JSON object', (body) => (typeof body === 'object' && body !== null ? body : undefined)),
    retry,
  );
}
