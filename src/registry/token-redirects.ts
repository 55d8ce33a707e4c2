// Redirects of a token request, followed by hand with the checks every other registry request gets
// (transport.ts): each hop must be https (or loopback), the login's Authorization header stays with the
// token service's own origin, and a request carrying a secret in its body (an identity token POSTed as a
// form) is never re-sent to another origin. fetch's own `redirect: 'follow'` would downgrade to plain
// http on the network and replay a 307's body anywhere.

import { ProvenanceError } from '../common/errors.ts';
import { assertSecureURL } from './endpoint.ts';

/** Hops of one token request; the transport allows as many. */
export const MAX_TOKEN_REDIRECTS = 5;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** A `send` for fetchAndRead: `init` as built for the token service at `url`, its redirects checked. */
export function sendFollowingCheckedRedirects(service: string): (url: string, init: RequestInit) => Promise<Response> {
  return async (url, init) => {
    const origin = new URL(url).origin;
    let current = new URL(url);
    let method = init.method ?? 'GET';
    let body = init.body;
    for (let hop = 0; ; hop++) {
      const headers = new Headers(init.headers);
      if (current.origin !== origin) headers.delete('authorization');
      const { body: _ignored, ...rest } = init;
      const response = await fetch(current, {
        ...rest,
        method,
        headers,
        ...(body === undefined || body === null ? {} : { body }),
        redirect: 'manual',
      });
      const location = response.headers.get('location');
      if (!REDIRECTS.has(response.status) || location === null || hop >= MAX_TOKEN_REDIRECTS) return response;
      await response.body?.cancel();
      const next = URL.parse(location, current.href);
      if (next === null)
        throw new ProvenanceError(
          'REGISTRY_AUTH_FAILED',
          `${service} redirected ${method} ${current.pathname} to a Location that is not a URL`,
          "The token service is misconfigured; report it to the registry's operator",
        );
      assertSecureURL(next, service, `a redirect of ${method} ${current.pathname}`);
      const keepsBody = response.status === 307 || response.status === 308;
      if (keepsBody && body !== undefined && body !== null && next.origin !== origin) {
        throw new ProvenanceError(
          'REGISTRY_AUTH_FAILED',
          `${service} redirected ${method} ${current.pathname} (which carries the login) to another origin, ${next.origin}; expected the token service to answer itself or redirect within ${origin}`,
          "The token service is misconfigured or hostile; log in with a password instead of an identity token, or report it to the registry's operator",
        );
      }
      if (!keepsBody && method !== 'GET' && method !== 'HEAD') {
        method = 'GET';
        body = undefined;
      }
      current = next;
    }
  };
}
