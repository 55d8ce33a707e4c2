// Answers registry challenges and remembers the answer: a Basic login per registry, a Bearer token per
// registry and scope (`repository:<name>:pull` or `…:pull,push`) until it expires. Requests first try
// what is remembered; only a 401 makes us ask the token service again.

import { ProvenanceError } from '../common/errors.ts';
import type { RetryPolicy } from '../http/retry.ts';
import type { Challenge } from './challenge.ts';
import type { CredentialStore, RegistryCredentials } from './credentials.ts';
import { basicAuthorization, fetchBearerToken } from './token.ts';

export interface Scope {
  repository: string;
  push: boolean;
}

export function scopeText(scope: Scope): string {
  return `repository:${scope.repository}:${scope.push ? 'pull,push' : 'pull'}`;
}

interface Remembered {
  authorization: string;
  expiresAt: number;
}

export class Authenticator {
  readonly #credentials: CredentialStore;
  readonly #retry: RetryPolicy;
  readonly #mask: (secret: string) => void;
  readonly #remembered = new Map<string, Remembered>();

  constructor(credentials: CredentialStore, retry: RetryPolicy, mask: (secret: string) => void) {
    this.#credentials = credentials;
    this.#retry = retry;
    this.#mask = mask;
  }

  /** The Authorization header to send, if an earlier challenge was answered for this registry and scope. */
  authorization(registry: string, scope: Scope): string | undefined {
    for (const key of [`${registry} ${scopeText(scope)}`, `${registry} *`]) {
      const hit = this.#remembered.get(key);
      if (hit !== undefined && hit.expiresAt > Date.now()) return hit.authorization;
    }
    return undefined;
  }

  /** What to tell a user whose request was refused: where to log in, and with which access. */
  async loginHint(registry: string, scope: Scope): Promise<string> {
    return this.#hint(registry, scope, await this.#credentials.forRegistry(registry));
  }

  /** Answers a 401's challenge; `request` ("GET /v2/…") and `hint` are for the error when that is impossible. */
  async answer(registry: string, scope: Scope, challenge: Challenge, request: string): Promise<void> {
    const credentials = await this.#credentials.forRegistry(registry);
    const hint = this.#hint(registry, scope, credentials);
    switch (challenge.scheme) {
      case 'basic': {
        if (credentials === undefined || credentials.identityToken !== undefined) {
          throw new ProvenanceError(
            'REGISTRY_AUTH_FAILED',
            `registry ${registry} asks for a username and password: ${request} answered HTTP 401`,
            hint,
          );
        }
        this.#remembered.set(`${registry} *`, {
          authorization: basicAuthorization(credentials),
          expiresAt: Number.POSITIVE_INFINITY,
        });
        return;
      }
      case 'bearer': {
        const wanted = scopeText(scope);
        // The challenge's scope is what this request needed; ask for ours too, so one token serves the job.
        const scopes =
          challenge.scope === undefined || challenge.scope === wanted ? [wanted] : [wanted, challenge.scope];
        const token = await fetchBearerToken(
          { registry, realm: challenge.realm, service: challenge.service, scopes, credentials, hint },
          this.#retry,
        );
        this.#mask(token.token);
        this.#remembered.set(`${registry} ${wanted}`, {
          authorization: `Bearer ${token.token}`,
          expiresAt: token.expiresAt,
        });
        return;
      }
      default: {
        const never: never = challenge;
        throw new Error(`unhandled challenge ${JSON.stringify(never)}`);
      }
    }
  }

  #hint(registry: string, scope: Scope, credentials: RegistryCredentials | undefined): string {
    const access = scope.push ? `push to ${scope.repository}` : `pull ${scope.repository}`;
    if (credentials === undefined) {
      return `Log in to ${registry} before this step (docker/login-action) with an account that can ${access}; no login was found in ${this.#credentials.location}`;
    }
    return `Check the login for ${registry} from ${credentials.source}: it must be current and able to ${access}`;
  }
}
