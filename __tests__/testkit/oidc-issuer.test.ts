// The GitHub-style OIDC issuer: discovery, JWKS, the runner's token-request endpoint, and the forged and
// expired tokens tests use to prove the action (and Fulcio) refuse them.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import { actionEnv, startLocalServices, startOidcIssuer } from '../../testkit/index.ts';
import type { LocalServices, OidcIssuer } from '../../testkit/index.ts';
import { signStatement } from './helpers.ts';

void describe('OIDC issuer', () => {
  let issuer: OidcIssuer;
  let jwks: ReturnType<typeof createRemoteJWKSet>;
  before(async () => {
    issuer = await startOidcIssuer();
    const discovery = (await (await fetch(`${issuer.issuer}/.well-known/openid-configuration`)).json()) as {
      issuer: string;
      jwks_uri: string;
    };
    assert.equal(discovery.issuer, issuer.issuer);
    jwks = createRemoteJWKSet(new URL(discovery.jwks_uri));
  });
  after(() => issuer.stop());

  void it('mints tokens that verify against its JWKS with issuer and audience', async () => {
    const token = await issuer.mint({}, 'sigstore');
    const { payload, protectedHeader } = await jwtVerify(token, jwks, { issuer: issuer.issuer, audience: 'sigstore' });
    assert.equal(protectedHeader.alg, 'RS256');
    assert.equal(payload.sub, 'repo:octo-org/octo-repo:ref:refs/tags/v1.2.0');
    assert.equal(payload['repository'], 'octo-org/octo-repo');
    assert.equal(payload['job_workflow_ref'], 'octo-org/octo-repo/.github/workflows/release.yml@refs/tags/v1.2.0');
    assert.equal(
      payload['sigstore_subject'],
      'https://github.com/octo-org/octo-repo/.github/workflows/release.yml@refs/tags/v1.2.0',
    );
    assert.match(String(payload['sha']), /^[0-9a-f]{40}$/);
    for (const claim of ['repository_id', 'repository_owner_id', 'run_id', 'run_number', 'run_attempt', 'actor_id']) {
      assert.equal(typeof payload[claim], 'string', claim);
    }
    assert.equal(payload.exp! - payload.iat!, 600);
    await assert.rejects(jwtVerify(token, jwks, { issuer: issuer.issuer, audience: 'other' }), /aud/);
  });

  void it('has every claim a GitHub job token carries', async () => {
    const payload = decodeJwt(await issuer.mint());
    for (const claim of [
      'iss',
      'sub',
      'aud',
      'repository',
      'repository_owner',
      'repository_id',
      'repository_owner_id',
      'repository_visibility',
      'ref',
      'ref_type',
      'sha',
      'workflow',
      'workflow_ref',
      'workflow_sha',
      'job_workflow_ref',
      'job_workflow_sha',
      'event_name',
      'run_id',
      'run_number',
      'run_attempt',
      'runner_environment',
      'actor',
      'actor_id',
      'iat',
      'nbf',
      'exp',
    ]) {
      assert.ok(claim in payload, claim);
    }
    assert.equal(payload['repository_visibility'], 'public');
    assert.equal(payload['runner_environment'], 'github-hosted');
    assert.equal(payload['event_name'], 'push');
  });

  void it('applies overrides and claim changes at mint time, sigstore_subject included', async () => {
    const reusable = 'octo-org/shared/.github/workflows/build.yml@refs/heads/main';
    const overridden = decodeJwt(await issuer.mint({ job_workflow_ref: reusable, run_attempt: undefined }));
    assert.equal(overridden['sigstore_subject'], `https://github.com/${reusable}`);
    assert.equal('run_attempt' in overridden, false);

    const saved = issuer.claims.event_name;
    issuer.claims.event_name = 'pull_request';
    try {
      assert.equal(decodeJwt(await issuer.mint())['event_name'], 'pull_request');
    } finally {
      issuer.claims.event_name = saved;
    }
  });

  void it('signs forged tokens with an untrusted key that the JWKS refuses', async () => {
    const forged = await issuer.mint({}, 'sigstore', { untrusted: true });
    await assert.rejects(
      jwtVerify(forged, jwks, { issuer: issuer.issuer, audience: 'sigstore' }),
      /signature verification failed/,
    );
  });

  void it('mints expired tokens', async () => {
    const expired = await issuer.mint({}, 'sigstore', { expired: true });
    await assert.rejects(
      jwtVerify(expired, jwks, { issuer: issuer.issuer, audience: 'sigstore' }),
      /"exp" claim timestamp check failed/,
    );
  });

  void it('serves the runner token endpoint: bearer checked, audience honoured, faults applied', async () => {
    const url = `${issuer.requestURL}&audience=sigstore`;
    assert.match(issuer.requestURL, /\?api-version=2\.0$/);
    const wrong = await fetch(url, { headers: { authorization: 'Bearer nope' } });
    assert.equal(wrong.status, 401);
    assert.equal((await fetch(url)).status, 401);

    const before = issuer.requests.token;
    issuer.faults.push(503);
    const auth = { headers: { authorization: `Bearer ${issuer.requestToken}` } };
    assert.equal((await fetch(url, auth)).status, 503);
    const ok = await fetch(url, auth);
    assert.equal(ok.status, 200);
    const { value } = (await ok.json()) as { value: string };
    const { payload } = await jwtVerify(value, jwks, { issuer: issuer.issuer, audience: 'sigstore' });
    assert.equal(payload['repository'], 'octo-org/octo-repo');
    assert.equal(issuer.requests.token - before, 2);

    // Without an audience, GitHub's default (the owner URL) applies.
    const plain = (await (await fetch(issuer.requestURL, auth)).json()) as { value: string };
    assert.equal(decodeJwt(plain.value).aud, 'https://github.com/octo-org');
  });
});

void describe('Fulcio token checks and the runner environment', () => {
  let services: LocalServices;
  before(async () => {
    services = await startLocalServices();
  });
  after(() => services.stop());

  void it('Fulcio refuses forged, expired and wrong-audience tokens with 401', async () => {
    const { sigstore, issuer } = services;
    for (const token of [
      await issuer.mint({}, 'sigstore', { untrusted: true }),
      await issuer.mint({}, 'sigstore', { expired: true }),
      await issuer.mint({}, 'not-sigstore'),
    ]) {
      const res = await fetch(`${sigstore.fulcioURL}/api/v2/signingCert`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          credentials: { oidcIdentityToken: token },
          publicKeyRequest: { publicKey: { content: '' } },
        }),
      });
      assert.equal(res.status, 401);
    }
    // And a real token still works end to end.
    await signStatement(sigstore, issuer, { witness: 'tsa' });
  });

  void it('actionEnv gives what a runner gives an action step', () => {
    const env = actionEnv(services, {
      workspace: '/w',
      runnerTemp: '/t',
      stepSummary: '/t/summary.md',
      output: '/t/output',
      env: { INPUT_X: '1' },
    });
    assert.equal(env['ACTIONS_ID_TOKEN_REQUEST_URL'], services.issuer.requestURL);
    assert.equal(env['ACTIONS_ID_TOKEN_REQUEST_TOKEN'], services.issuer.requestToken);
    assert.equal(env['GITHUB_ACTIONS'], 'true');
    assert.equal(env['GITHUB_SERVER_URL'], 'https://github.com');
    assert.equal(env['GITHUB_REPOSITORY'], 'octo-org/octo-repo');
    assert.equal(env['GITHUB_WORKSPACE'], '/w');
    assert.equal(env['RUNNER_TEMP'], '/t');
    assert.equal(env['GITHUB_STEP_SUMMARY'], '/t/summary.md');
    assert.equal(env['GITHUB_OUTPUT'], '/t/output');
    assert.equal(env['PROVENANCE_TEST_OIDC_ISSUER'], services.issuer.issuer);
    assert.equal(env['GITHUB_REF_NAME'], 'v1.2.0');
    assert.equal(env['INPUT_X'], '1');
  });
});
