import { readFileSync } from 'node:fs';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { githubWorkflowPredicate, workflowPath } from '../../../src/attest/provenance/predicate.ts';
import { ProvenanceError } from '../../../src/common/errors.ts';
import { PUSH_CLAIMS } from '../../fixtures.ts';

const golden = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../../golden/${name}`, import.meta.url), 'utf8'));

describe('githubWorkflowPredicate', () => {
  it('emits exactly the workflow/v1 shape, key order included', () => {
    const predicate = githubWorkflowPredicate({
      claims: PUSH_CLAIMS,
      serverURL: 'https://github.com',
      dispatchInputs: undefined,
    });
    const expected = golden('predicate-push.json');
    assert.deepEqual(predicate, expected);
    // Key order matters to byte-level comparisons people make with GitHub's own output.
    assert.equal(JSON.stringify(predicate), JSON.stringify(expected));
  });

  it('names the reusable workflow as the builder, the caller as the source', () => {
    const claims = {
      ...PUSH_CLAIMS,
      job_workflow_ref: 'octo-org/builders/.github/workflows/build.yml@refs/heads/main',
    };
    const p = githubWorkflowPredicate({ claims, serverURL: 'https://github.com', dispatchInputs: undefined });
    assert.equal(
      p.runDetails.builder.id,
      'https://github.com/octo-org/builders/.github/workflows/build.yml@refs/heads/main',
    );
    assert.equal(p.buildDefinition.externalParameters.workflow.path, '.github/workflows/release.yml');
  });

  it('records workflow_dispatch inputs, and only for that event', () => {
    const inputs = { environment: 'prod', dry_run: false };
    const dispatch = githubWorkflowPredicate({
      claims: { ...PUSH_CLAIMS, event_name: 'workflow_dispatch' },
      serverURL: 'https://github.com',
      dispatchInputs: inputs,
    });
    assert.deepEqual(dispatch.buildDefinition.externalParameters.inputs, inputs);
    const push = githubWorkflowPredicate({
      claims: PUSH_CLAIMS,
      serverURL: 'https://github.com',
      dispatchInputs: inputs,
    });
    assert.equal('inputs' in push.buildDefinition.externalParameters, false);
    const empty = githubWorkflowPredicate({
      claims: { ...PUSH_CLAIMS, event_name: 'workflow_dispatch' },
      serverURL: 'https://github.com',
      dispatchInputs: {},
    });
    assert.equal('inputs' in empty.buildDefinition.externalParameters, false);
  });

  for (const event of ['pull_request', 'pull_request_target', 'schedule', 'repository_dispatch']) {
    it(`refuses ${event}, naming the event and the build type`, () => {
      assert.throws(
        () =>
          githubWorkflowPredicate({
            claims: { ...PUSH_CLAIMS, event_name: event },
            serverURL: 'https://github.com',
            dispatchInputs: undefined,
          }),
        (err: unknown) =>
          err instanceof ProvenanceError && err.code === 'EVENT_UNSUPPORTED' && err.message.includes(`"${event}"`),
      );
    });
  }

  it('uses the GHE.com server for GHE.com tokens', () => {
    const p = githubWorkflowPredicate({
      claims: PUSH_CLAIMS,
      serverURL: 'https://acme.ghe.com',
      dispatchInputs: undefined,
    });
    assert.equal(p.buildDefinition.externalParameters.workflow.repository, 'https://acme.ghe.com/octo-org/octo-repo');
    assert.match(p.runDetails.builder.id, /^https:\/\/acme\.ghe\.com\//);
  });
});

describe('workflowPath', () => {
  it('keeps "@" inside paths and refs', () => {
    const claims = {
      ...PUSH_CLAIMS,
      ref: 'refs/heads/feat@x',
      workflow_ref: 'octo-org/octo-repo/.github/workflows/a@b.yml@refs/heads/feat@x',
    };
    assert.equal(workflowPath(claims), '.github/workflows/a@b.yml');
  });
  it('rejects a workflow_ref of another repository', () => {
    assert.throws(
      () => workflowPath({ ...PUSH_CLAIMS, workflow_ref: 'evil/repo/.github/workflows/x.yml@refs/tags/v1.2.0' }),
      /does not have the form/,
    );
  });
});
