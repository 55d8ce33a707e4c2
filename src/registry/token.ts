// Trading a login for a Bearer token at the realm a registry's challenge names (the Docker token
// protocol): GET with Basic credentials, or anonymously when there are none; an identity token (OAuth2
// refresh token) is POSTed as a form instead. Tokens are short-lived and shown to nobody. Redirects are
// followed with the same checks as the registry's own (token-redirects.ts).

import { ProvenanceError } from '../common/errors.ts';
import { fetchAndRead, type RetryPolicy } from '../http/retry.ts';
import type { RegistryCredentials } from './credentials.ts';
import { assertSecureURL } from './endpoint.ts';
import { isObject, parseJSON } from '../common/json.ts';
import { readLimited } from './limits.ts';
import { sendFollowingCheckedRedirects } from './token-redirects.ts';

export interface BearerToken {
  token: string;
  expiresAt: number; // ms since the epoch
}

export interface TokenRequest {
  registry: string;
  realm: string;
  service: string | undefined;
  scopes: readonly string[];
  credentials: RegistryCredentials | undefined;
  /** What the user should do when the token service refuses, e.g. "Log in to ghcr.io …". */
  hint: string;
}

const MAX_TOKEN_RESPONSE_BYTES = 1024 * 1024;
const DEFAULT_LIFETIME_S = 60; // the token protocol's default when expires_in is absent
const CLIENT_ID = 'provenance-action';

export async function fetchBearerToken(req: TokenRequest, retry: RetryPolicy): Promise<BearerToken> {
  let realm: URL;
  try {
    realm = new URL(req.realm);
  } catch (err) {
    throw new ProvenanceError(
      'REGISTRY_AUTH_FAILED',
      `registry ${req.registry} named a token service that is not a URL`,
      'The registry is misconfigured; report it to its operator',
      { cause: err },
    );
  }
  assertSecureURL(realm, `registry ${req.registry}`, 'its token service');
  const service = `token service ${realm.host} of registry ${req.registry}`;
  const { credentials } = req;
  const init: RequestInit = { headers: { accept: 'application/json' } };
  if (credentials?.identityToken !== undefined) {
    const form = new URLSearchParams({
      grant_type: 'refresh_token',
      refresh_token: credentials.identityToken,
      client_id: CLIENT_ID,
      scope: req.scopes.join(' '),
    });
    if (req.service !== undefined) form.set('service', req.service);
    init.method = 'POST';
    init.body = form.toString();
    init.headers = { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' };
  } else {
    if (req.service !== undefined) realm.searchParams.set('service', req.service);
    for (const scope of req.scopes) realm.searchParams.append('scope', scope);
    if (credentials !== undefined) {
      realm.searchParams.set('account', credentials.username);
      init.headers = { accept: 'application/json', authorization: basicAuthorization(credentials) };
    }
  }
  // fetchWithRetry names only origin + path in its errors: the query and the headers stay out of sight.
  // A body that breaks off, is not JSON or holds no token is retried like a 5xx, then named.
  const { body, token } = await fetchAndRead(
    {
      service,
      code: 'REGISTRY_AUTH_FAILED',
      hint: req.hint,
      url: realm.toString(),
      init,
      send: sendFollowingCheckedRedirects(service),
    },
    async (response) => {
      const parsed = parseJSON(
        await readLimited(response, MAX_TOKEN_RESPONSE_BYTES, `${service}: ${init.method ?? 'GET'} ${realm.pathname}`),
      );
      const body = parsed.ok && isObject(parsed.value) ? parsed.value : {};
      const token = typeof body['token'] === 'string' && body['token'] !== '' ? body['token'] : body['access_token'];
      if (typeof token !== 'string' || token === '')
        return {
          ok: false,
          problem: `HTTP ${response.status} without a token${parsed.ok ? '' : ' (the body is not JSON)'}`,
        };
      return { ok: true, value: { body, token } };
    },
    retry,
  );
  const lifetime =
    typeof body['expires_in'] === 'number' && body['expires_in'] > 0 ? body['expires_in'] : DEFAULT_LIFETIME_S;
  // Renew a little early, so a token does not expire between our check and the registry's.
  return { token, expiresAt: Date.now() + Math.max(lifetime - 10, lifetime / 2) * 1000 };
}

export function basicAuthorization(credentials: RegistryCredentials): string {
  return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
}
