// Which OIDC issuers we trust to describe a GitHub Actions job, and which GitHub server each
// one speaks for. The server URL is derived from the (verified) issuer rather than read from
// GITHUB_SERVER_URL, so a step that rewrites the environment cannot redirect the provenance.

import { isLoopbackURL } from '../../http/loopback.ts';

export const GITHUB_COM_ISSUER = 'https://token.actions.githubusercontent.com';
const GHE_COM_ISSUER = /^https:\/\/token\.actions\.([a-z0-9][a-z0-9-]*)\.ghe\.com$/;

/**
 * Tests and the demo run a GitHub-style issuer on loopback. It is trusted only when this
 * variable names it and it is a loopback http URL: a token from such an issuer can never obtain
 * a certificate from a real Fulcio, so this cannot make a forged identity verifiable.
 */
export const TEST_ISSUER_VARIABLE = 'PROVENANCE_TEST_OIDC_ISSUER';

export interface TrustedIssuer {
  issuer: string;
  serverURL: string; // the GitHub the issuer speaks for, e.g. https://github.com
}

/** The trusted issuer for `iss`, or undefined when `iss` is not a GitHub Actions issuer. */
export function trustedIssuer(iss: string, env: NodeJS.ProcessEnv): TrustedIssuer | undefined {
  if (iss === GITHUB_COM_ISSUER) return { issuer: iss, serverURL: 'https://github.com' };
  const ghe = GHE_COM_ISSUER.exec(iss);
  if (ghe) return { issuer: iss, serverURL: `https://${ghe[1] ?? ''}.ghe.com` };
  const testIssuer = env[TEST_ISSUER_VARIABLE];
  if (testIssuer && iss === testIssuer && isLoopbackURL(iss)) {
    return { issuer: iss, serverURL: 'https://github.com' };
  }
  return undefined;
}
