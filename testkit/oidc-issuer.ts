// A stand-in for GitHub Actions' OIDC provider (token.actions.githubusercontent.com) plus the runner's
// token-request endpoint, on 127.0.0.1. The action under test asks it for a job token exactly as on a
// runner (ACTIONS_ID_TOKEN_REQUEST_URL/_TOKEN) and verifies tokens against its JWKS; tests shape the claims
// to play different repositories, refs, events and forgeries.
import { randomBytes, randomUUID } from 'node:crypto';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import type { CryptoKey, JWK } from 'jose';
import { applyFault, faultDelay, sendError, sendJSON, serve } from './http.ts';
import type { Fault } from './http.ts';

// Claims as GitHub puts them into a job token (all values strings, ids included). Time claims (iat, nbf,
// exp), jti and `sigstore_subject` are added at mint time unless set here or in overrides.
export interface GitHubJobClaims {
  iss: string;
  aud: string;
  sub: string;
  repository: string;
  repository_owner: string;
  repository_id: string;
  repository_owner_id: string;
  repository_visibility: string;
  ref: string;
  ref_type: string;
  ref_protected: string;
  sha: string;
  head_ref: string;
  base_ref: string;
  workflow: string;
  workflow_ref: string;
  workflow_sha: string;
  job_workflow_ref: string;
  job_workflow_sha: string;
  event_name: string;
  run_id: string;
  run_number: string;
  run_attempt: string;
  runner_environment: string;
  actor: string;
  actor_id: string;
  [claim: string]: unknown;
}

// A claim set to `undefined` in overrides is removed from the token.
export type ClaimOverrides = Record<string, unknown>;

export interface MintOptions {
  // Sign with a key the issuer's JWKS does not contain (same `kid`, so only the signature gives it away).
  untrusted?: boolean;
  // iat/nbf an hour ago and exp ten minutes ago (explicit claims still win).
  expired?: boolean;
}

export interface IssuerRequestCounts {
  token: number;
  discovery: number;
  jwks: number;
}

export interface OidcIssuer {
  // http://127.0.0.1:PORT, the `iss` of every token.
  readonly issuer: string;
  readonly jwksURL: string;
  // ACTIONS_ID_TOKEN_REQUEST_URL: already has `?api-version=2.0`, so `&audience=X` can be appended.
  readonly requestURL: string;
  // ACTIONS_ID_TOKEN_REQUEST_TOKEN: the bearer the token endpoint demands.
  readonly requestToken: string;
  // Defaults for every token; mutate before a run to change what the action receives.
  claims: GitHubJobClaims;
  mint(overrides?: ClaimOverrides, audience?: string, options?: MintOptions): Promise<string>;
  // FIFO of faults for the token endpoint only (discovery and JWKS are never faulted).
  faults: Fault[];
  readonly requests: IssuerRequestCounts;
  stop(): Promise<void>;
}

export interface OidcIssuerOptions {
  // Merged over the default claims.
  claims?: ClaimOverrides;
}

export const DEFAULT_REPOSITORY = 'octo-org/octo-repo';
export const DEFAULT_REF = 'refs/tags/v1.2.0';
export const DEFAULT_SHA = '8f3c1b2a9d4e5f60718293a4b5c6d7e8f9012345';
const WORKFLOW_PATH = '.github/workflows/release.yml';

export function defaultClaims(issuer: string): GitHubJobClaims {
  const workflowRef = `${DEFAULT_REPOSITORY}/${WORKFLOW_PATH}@${DEFAULT_REF}`;
  return {
    iss: issuer,
    // GitHub's default audience when none is requested is the owner's URL.
    aud: 'https://github.com/octo-org',
    sub: `repo:${DEFAULT_REPOSITORY}:ref:${DEFAULT_REF}`,
    repository: DEFAULT_REPOSITORY,
    repository_owner: 'octo-org',
    repository_id: '681234567',
    repository_owner_id: '91234567',
    repository_visibility: 'public',
    ref: DEFAULT_REF,
    ref_type: 'tag',
    ref_protected: 'false',
    sha: DEFAULT_SHA,
    head_ref: '',
    base_ref: '',
    workflow: 'Release',
    workflow_ref: workflowRef,
    workflow_sha: DEFAULT_SHA,
    job_workflow_ref: workflowRef,
    job_workflow_sha: DEFAULT_SHA,
    event_name: 'push',
    run_id: '9876543210',
    run_number: '42',
    run_attempt: '1',
    runner_environment: 'github-hosted',
    actor: 'octocat',
    actor_id: '583231',
  };
}

const TOKEN_LIFETIME_S = 10 * 60;

export async function startOidcIssuer(options: OidcIssuerOptions = {}): Promise<OidcIssuer> {
  const [trusted, untrusted] = await Promise.all([generateKeyPair('RS256'), generateKeyPair('RS256')]);
  const kid = randomBytes(16).toString('hex');
  const jwk: JWK = { ...(await exportJWK(trusted.publicKey)), kid, alg: 'RS256', use: 'sig' };
  const requestToken = randomBytes(24).toString('base64url');
  // Shaped like the runner's real endpoint; only the query matters to clients.
  const tokenPath = `/_apis/distributedtask/hubs/Actions/plans/${randomUUID()}/jobs/${randomUUID()}/idtoken`;
  const requests: IssuerRequestCounts = { token: 0, discovery: 0, jwks: 0 };

  let issuerURL = '';
  // The object is created before the server so the route reads the live `claims` and `faults`.
  const state: { claims: GitHubJobClaims; faults: Fault[] } = { claims: defaultClaims(''), faults: [] };

  const mint = async (
    overrides: ClaimOverrides = {},
    audience?: string,
    mintOptions: MintOptions = {},
  ): Promise<string> => {
    const now = Math.floor(Date.now() / 1000);
    const iat = mintOptions.expired ? now - 3600 : now;
    const exp = mintOptions.expired ? now - 600 : now + TOKEN_LIFETIME_S;
    const payload: Record<string, unknown> = {
      jti: randomUUID(),
      iat,
      nbf: iat,
      exp,
      ...state.claims,
      ...overrides,
      ...(audience !== undefined ? { aud: audience } : {}),
    };
    // Computed from the final claims so an overridden job_workflow_ref changes the certificate's SAN too.
    if (!('sigstore_subject' in overrides) && typeof payload['job_workflow_ref'] === 'string') {
      payload['sigstore_subject'] = `https://github.com/${payload['job_workflow_ref']}`;
    }
    for (const [k, v] of Object.entries(payload)) if (v === undefined) delete payload[k];
    const key: CryptoKey = mintOptions.untrusted ? untrusted.privateKey : trusted.privateKey;
    return new SignJWT(payload).setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' }).sign(key);
  };

  const server = await serve(async (req, _body, res) => {
    const url = new URL(req.url ?? '/', issuerURL);
    if (req.method !== 'GET') return sendError(res, 405, 'method not allowed');
    switch (url.pathname) {
      case '/.well-known/openid-configuration':
        requests.discovery++;
        return sendJSON(res, 200, {
          issuer: issuerURL,
          jwks_uri: `${issuerURL}/.well-known/jwks`,
          subject_types_supported: ['public', 'pairwise'],
          response_types_supported: ['id_token'],
          claims_supported: ['sub', 'aud', 'exp', 'iat', 'iss', 'jti', 'nbf', ...Object.keys(defaultClaims(''))],
          id_token_signing_alg_values_supported: ['RS256'],
          scopes_supported: ['openid'],
        });
      case '/.well-known/jwks':
        requests.jwks++;
        return sendJSON(res, 200, { keys: [jwk] });
      case tokenPath: {
        requests.token++;
        const fault = state.faults.shift();
        if (applyFault(fault, req, res)) return;
        const delay = faultDelay(fault);
        if (delay !== undefined) await new Promise((resolve) => setTimeout(resolve, delay));
        if (req.headers.authorization !== `Bearer ${requestToken}`) return sendError(res, 401, 'Bad credentials');
        const audience = url.searchParams.get('audience');
        return sendJSON(res, 200, { value: await mint({}, audience ?? undefined) });
      }
      default:
        return sendError(res, 404, `no route for ${url.pathname}`);
    }
  });
  issuerURL = server.url;
  state.claims = { ...defaultClaims(issuerURL), ...options.claims };

  return {
    issuer: issuerURL,
    jwksURL: `${issuerURL}/.well-known/jwks`,
    requestURL: `${issuerURL}${tokenPath}?api-version=2.0`,
    requestToken,
    get claims() {
      return state.claims;
    },
    set claims(value: GitHubJobClaims) {
      state.claims = value;
    },
    mint,
    get faults() {
      return state.faults;
    },
    set faults(value: Fault[]) {
      state.faults = value;
    },
    requests,
    stop: () => server.stop(),
  };
}
