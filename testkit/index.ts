// Entry point of the testkit: the local Sigstore stack, the GitHub-style OIDC issuer, the GitHub REST API
// stand-in, and helpers that wire them together the way a GitHub-hosted runner presents them to an action step.
import { startGitHubApi, type GitHubApiStandIn } from './github-api/index.ts';
import { startOidcIssuer } from './oidc-issuer.ts';
import type { OidcIssuer, OidcIssuerOptions } from './oidc-issuer.ts';
import { startSigstoreStack } from './sigstore-stack.ts';
import type { SigstoreStack } from './sigstore-stack.ts';

export * from './oidc-issuer.ts';
export * from './sigstore-stack.ts';
export type * from './trust.ts';
export { TRUSTED_ROOT_MEDIA_TYPE, SIGNING_CONFIG_MEDIA_TYPE } from './trust.ts';

export interface LocalServices {
  sigstore: SigstoreStack;
  issuer: OidcIssuer;
  /** GitHub's REST API as a job on github.com always has one: GITHUB_API_URL, answering the job's token. */
  github: GitHubApiStandIn;
  stop(): Promise<void>;
}

export interface LocalServicesOptions {
  issuer?: OidcIssuerOptions;
  // false: Fulcio accepts any well-formed JWT (to isolate the action's own token checks). Default true:
  // Fulcio verifies tokens against the local issuer's JWKS like the real one.
  fulcioVerifiesTokens?: boolean;
}

export async function startLocalServices(options: LocalServicesOptions = {}): Promise<LocalServices> {
  const issuer = await startOidcIssuer(options.issuer);
  let sigstore: SigstoreStack;
  let github: GitHubApiStandIn;
  try {
    sigstore = await startSigstoreStack({
      oidcIssuer: issuer.issuer,
      ...(options.fulcioVerifiesTokens === false ? {} : { trustedIssuers: [issuer.issuer] }),
    });
  } catch (err) {
    await issuer.stop();
    throw err;
  }
  try {
    github = await startGitHubApi({ repositories: [issuer.claims.repository] });
  } catch (err) {
    await Promise.all([sigstore.stop(), issuer.stop()]);
    throw err;
  }
  return {
    sigstore,
    issuer,
    github,
    stop: async () => {
      await Promise.all([sigstore.stop(), issuer.stop(), github.stop()]);
    },
  };
}

export interface ActionEnvExtra {
  // Paths the runner would provide; the caller creates them (usually under a temporary directory).
  workspace: string;
  runnerTemp: string;
  stepSummary: string;
  output: string;
  // Anything else (INPUT_*, GITHUB_API_URL of a local API, ...), applied last.
  env?: Record<string, string>;
}

// The environment a GitHub-hosted runner gives an action step, consistent with the issuer's current claims.
// It holds only these variables: merge it over process.env (for PATH and the like) when spawning the action.
export function actionEnv(
  services: Pick<LocalServices, 'issuer'> & Partial<Pick<LocalServices, 'github'>>,
  extra: ActionEnvExtra,
): Record<string, string> {
  const { issuer } = services;
  const c = issuer.claims;
  const ref = String(c.ref);
  return {
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_API_URL: services.github?.url ?? 'https://api.github.com',
    GITHUB_REPOSITORY: c.repository,
    GITHUB_REPOSITORY_OWNER: c.repository_owner,
    GITHUB_REPOSITORY_ID: c.repository_id,
    GITHUB_REPOSITORY_OWNER_ID: c.repository_owner_id,
    GITHUB_REF: ref,
    GITHUB_REF_NAME: ref.replace(/^refs\/(heads|tags)\//, ''),
    GITHUB_REF_TYPE: c.ref_type,
    GITHUB_SHA: c.sha,
    GITHUB_EVENT_NAME: c.event_name,
    GITHUB_WORKFLOW: c.workflow,
    GITHUB_WORKFLOW_REF: c.workflow_ref,
    GITHUB_WORKFLOW_SHA: c.workflow_sha,
    GITHUB_RUN_ID: c.run_id,
    GITHUB_RUN_NUMBER: c.run_number,
    GITHUB_RUN_ATTEMPT: c.run_attempt,
    GITHUB_ACTOR: c.actor,
    GITHUB_ACTOR_ID: c.actor_id,
    RUNNER_ENVIRONMENT: c.runner_environment,
    RUNNER_OS: 'Linux',
    ACTIONS_ID_TOKEN_REQUEST_URL: issuer.requestURL,
    ACTIONS_ID_TOKEN_REQUEST_TOKEN: issuer.requestToken,
    GITHUB_WORKSPACE: extra.workspace,
    RUNNER_TEMP: extra.runnerTemp,
    GITHUB_STEP_SUMMARY: extra.stepSummary,
    GITHUB_OUTPUT: extra.output,
    // The action accepts a loopback token issuer only when this names it.
    PROVENANCE_TEST_OIDC_ISSUER: issuer.issuer,
    ...extra.env,
  };
}
