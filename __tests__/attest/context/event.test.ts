import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dispatchInputs, inputsFromPayload } from '../../../src/attest/context/event.ts';
import { githubClaimsFrom } from '../../../src/attest/context/claims.ts';
import { trustedIssuer } from '../../../src/attest/context/issuers.ts';
import { PUSH_CLAIMS } from '../../fixtures.ts';

const dispatch = { ...PUSH_CLAIMS, event_name: 'workflow_dispatch' };

describe('inputsFromPayload', () => {
  it('returns the inputs of a payload for this run', () => {
    const payload = { ref: dispatch.ref, repository: { full_name: dispatch.repository }, inputs: { env: 'prod' } };
    assert.deepEqual(inputsFromPayload(payload, dispatch), { env: 'prod' });
  });
  it('refuses a payload for another ref or repository', () => {
    assert.throws(
      () =>
        inputsFromPayload(
          { ref: 'refs/heads/evil', repository: { full_name: dispatch.repository }, inputs: {} },
          dispatch,
        ),
      /event payload .* describes/,
    );
    assert.throws(
      () => inputsFromPayload({ ref: dispatch.ref, repository: { full_name: 'evil/repo' }, inputs: {} }, dispatch),
      /evil\/repo/,
    );
  });
});

describe('githubClaimsFrom', () => {
  it('names every missing claim', () => {
    const { sha: _sha, run_id: _run, ...partial } = PUSH_CLAIMS;
    assert.throws(() => githubClaimsFrom(partial), /lacks the claims provenance is built from: sha, run_id/);
  });
  it('refuses non-string claims', () => {
    assert.throws(() => githubClaimsFrom({ ...PUSH_CLAIMS, run_id: 5 }), /run_id/);
  });
});

describe('trustedIssuer', () => {
  it('knows github.com and GHE.com issuers and their servers', () => {
    assert.equal(trustedIssuer('https://token.actions.githubusercontent.com', {})?.serverURL, 'https://github.com');
    assert.equal(trustedIssuer('https://token.actions.acme.ghe.com', {})?.serverURL, 'https://acme.ghe.com');
  });
  it('trusts nothing else, and a test issuer only on loopback when named', () => {
    assert.equal(trustedIssuer('https://token.actions.githubusercontent.com.evil.com', {}), undefined);
    assert.equal(trustedIssuer('https://gitlab.com', {}), undefined);
    assert.equal(
      trustedIssuer('https://evil.example', { PROVENANCE_TEST_OIDC_ISSUER: 'https://evil.example' }),
      undefined,
    );
    assert.equal(
      trustedIssuer('http://127.0.0.1:4000', { PROVENANCE_TEST_OIDC_ISSUER: 'http://127.0.0.1:4000' })?.serverURL,
      'https://github.com',
    );
    assert.equal(trustedIssuer('http://127.0.0.1:4000', {}), undefined);
  });
});

// Issue #14, item 8, "workflow_dispatch inputs" — confirmed, and it holds as documented (README, "What the
// provenance says"; docs/threat-model.md): the inputs are read from the file GITHUB_EVENT_PATH names,
// which an earlier step of the job can rewrite; only its repository and ref are checked against the token.
describe('dispatchInputs reads the event file an earlier step can rewrite', () => {
  it('records whatever inputs the file holds, as long as its repository and ref match the token', async () => {
    const { mkdtemp, writeFile, rm } = await import('node:fs/promises');
    const os = await import('node:os');
    const path = await import('node:path');
    const dir = await mkdtemp(path.join(os.tmpdir(), 'event-'));
    try {
      const file = path.join(dir, 'event.json');
      // What the runner wrote, then what an earlier step of the same job put there instead.
      await writeFile(
        file,
        JSON.stringify({
          ref: dispatch.ref,
          repository: { full_name: dispatch.repository },
          inputs: { env: 'staging' },
        }),
      );
      await writeFile(
        file,
        JSON.stringify({
          ref: dispatch.ref,
          repository: { full_name: dispatch.repository },
          inputs: { env: 'prod', injected: 'by an earlier step' },
        }),
      );
      assert.deepEqual(await dispatchInputs(githubClaimsFrom(dispatch), { GITHUB_EVENT_PATH: file }), {
        env: 'prod',
        injected: 'by an earlier step',
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
