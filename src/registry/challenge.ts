// The `WWW-Authenticate` header of a registry's 401 (RFC 7235): `Basic realm="…"` asks for the login on
// every request; `Bearer realm="…",service="…",scope="…"` names a token service to trade the login for a
// short-lived token. One header may carry several challenges; Bearer is preferred, as Docker does.

export type Challenge =
  { scheme: 'basic' } | { scheme: 'bearer'; realm: string; service: string | undefined; scope: string | undefined };

export function parseChallenge(header: string | null): Challenge | undefined {
  if (header === null) return undefined;
  const challenges = splitChallenges(header);
  const bearer = challenges.find((c) => c.scheme === 'bearer');
  const realm = bearer?.params.get('realm');
  if (bearer !== undefined && realm !== undefined) {
    return { scheme: 'bearer', realm, service: bearer.params.get('service'), scope: bearer.params.get('scope') };
  }
  return challenges.some((c) => c.scheme === 'basic') ? { scheme: 'basic' } : undefined;
}

interface RawChallenge {
  scheme: string;
  params: Map<string, string>;
}

// Tokens are schemes (a word not followed by "="), or auth-params `key=value` / `key="quoted, \"value\""`.
const TOKEN = /\s*,?\s*([!#$%&'*+.^_`|~0-9A-Za-z-]+)(?:\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*)))?/y;

function splitChallenges(header: string): RawChallenge[] {
  const out: RawChallenge[] = [];
  TOKEN.lastIndex = 0;
  let current: RawChallenge | undefined;
  for (let m = TOKEN.exec(header); m !== null && m[0] !== ''; m = TOKEN.exec(header)) {
    const [, name = '', quoted, bare] = m;
    if (quoted === undefined && bare === undefined) {
      current = { scheme: name.toLowerCase(), params: new Map() };
      out.push(current);
    } else if (current !== undefined) {
      current.params.set(name.toLowerCase(), quoted === undefined ? (bare ?? '') : quoted.replace(/\\(.)/g, '$1'));
    }
  }
  return out;
}
