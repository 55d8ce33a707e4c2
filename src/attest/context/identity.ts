// The identity sigstore-js signs with. It hands Fulcio the token whose claims were verified and
// used for the predicate; when a long run (thousands of files) outlives that token, it fetches a
// fresh one and refuses it unless it names the same job run.

import type { IdentityProvider } from '@sigstore/sign';
import { ProvenanceError } from '../../common/errors.ts';
import { requestToken, verifyToken, type IdentityToken } from './token.ts';

const REFRESH_MARGIN_SECONDS = 60;
const SAME_RUN_CLAIMS = ['iss', 'repository', 'job_workflow_ref', 'sha', 'ref', 'run_id', 'run_attempt'] as const;

export function jobIdentityProvider(
  first: IdentityToken,
  env: NodeJS.ProcessEnv,
  now = () => Date.now(),
): IdentityProvider {
  let current = first;
  return {
    async getToken() {
      const exp = current.payload.exp;
      if (exp === undefined || exp - REFRESH_MARGIN_SECONDS > now() / 1000) return current.jwt;
      const next = await verifyToken(await requestToken(env), env);
      for (const claim of SAME_RUN_CLAIMS) {
        if (next.payload[claim] !== first.payload[claim]) {
          throw new ProvenanceError(
            'OIDC_TOKEN_INVALID',
            `a refreshed OIDC token names another ${claim} (${String(next.payload[claim])}) than the one the provenance was built from`,
            'Re-run the job; signing stops rather than mix identities',
          );
        }
      }
      current = next;
      return current.jwt;
    },
  };
}
