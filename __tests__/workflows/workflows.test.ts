// The repository's workflows and the README's examples, read by GitHub's own parser: a file it refuses
// never runs on github.com, and a README example it refuses fails the first user who copies it.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { loadActionManifest } from '../../testkit/action-manifest.ts';
import { REPO_ROOT } from '../../testkit/runner.ts';
import { parseWorkflowText } from '../../testkit/workflow-parser.ts';
import { parseSnippet, workflowSteps, yamlBlocks } from '../../testkit/workflow-steps.ts';

const WORKFLOWS = path.join(REPO_ROOT, '.github', 'workflows');
const files = readdirSync(WORKFLOWS).filter((f) => /\.ya?ml$/.test(f));
const read = (file: string): string => readFileSync(path.join(WORKFLOWS, file), 'utf8');
const action = await loadActionManifest(REPO_ROOT);

describe('.github/workflows/ as GitHub reads it', () => {
  it('holds ci.yml, provenance-slsa3.yml and release.yml', () =>
    assert.deepEqual(files.sort(), ['ci.yml', 'provenance-slsa3.yml', 'release.yml']));

  for (const file of files) {
    it(`${file} parses with GitHub's parser`, async () => {
      const parsed = await parseWorkflowText(file, read(file));
      assert.deepEqual(parsed.errors, []);
      assert.ok(parsed.template && parsed.template.jobs.length > 0);
    });
  }

  it('the check fails on a broken workflow: a permission GitHub does not know, an unclosed quote', async () => {
    const release = read('release.yml');
    assert.match(
      (await parseWorkflowText('x.yml', release.replace('id-token: write', 'id-token: sign'))).errors.join('\n'),
      /Unexpected value 'sign'/,
    );
    assert.match(
      (await parseWorkflowText('x.yml', release.replace("tags: ['v", "tags: ['v\n"))).errors.join('\n'),
      /quote|Unexpected|flow/i,
    );
  });

  it('ci.yml runs .ci/run, the one definition of CI', async () => {
    const steps = workflowSteps(await parseWorkflowText('ci.yml', read('ci.yml')));
    assert.deepEqual(
      steps.filter((s) => s.run !== undefined).map((s) => s.run?.trim()),
      ['bash .ci/run'],
    );
  });

  it('release.yml runs on vX.Y.Z tags, hashes before npm runs, signs through provenance-slsa3.yml, and requires it', async () => {
    const parsed = await parseWorkflowText('release.yml', read('release.yml'));
    const doc = parsed.document as {
      on: { push: { tags: string[] } };
      jobs: Record<
        string,
        {
          permissions?: Record<string, string>;
          needs?: string | string[];
          uses?: string;
          with?: Record<string, string>;
        }
      >;
    };
    assert.deepEqual(doc.on.push.tags, ['v[0-9]+.[0-9]+.[0-9]+']);
    const permissions = Object.fromEntries(Object.entries(doc.jobs).map(([id, job]) => [id, job.permissions]));
    assert.deepEqual(permissions, {
      subjects: { contents: 'read' },
      dist: { contents: 'read' },
      release: { contents: 'write' },
      provenance: { 'id-token': 'write', contents: 'write', attestations: 'write' },
      'major-tag': { contents: 'write' },
      verify: { contents: 'read', attestations: 'read' },
    });
    const steps = workflowSteps(parsed);
    // The hashing job runs only checkout and sha256sum; npm runs only where no write token is.
    assert.deepEqual(
      steps.filter((s) => s.job === 'subjects').map((s) => s.uses ?? s.run?.match(/sha256sum/)?.[0]),
      ['actions/checkout@v4', 'sha256sum'],
    );
    const npmJobs = new Set(steps.filter((s) => s.run?.includes('npm ')).map((s) => s.job));
    assert.deepEqual([...npmJobs], ['dist']);
    assert.ok(
      steps.some((s) => s.job === 'dist' && s.run?.includes('git diff --exit-code -- dist')),
      'dist/ checked against the tag',
    );
    assert.equal(doc.jobs['provenance']?.uses, './.github/workflows/provenance-slsa3.yml');
    assert.deepEqual(doc.jobs['provenance']?.with, {
      subjects: '${{ needs.subjects.outputs.hashes }}',
      'upload-to-release': 'auto',
      'release-asset-name': 'provenance-action.intoto.jsonl',
      'attestations-api': 'true',
    });
    assert.ok(!steps.some((s) => s.uses === './' && s.with['mode'] !== 'verify'), 'no plain attest step is left');
    assert.equal(doc.jobs['major-tag']?.needs, 'provenance');
    assert.ok(
      steps.some((s) => s.job === 'major-tag' && s.run?.includes('git push --force origin "refs/tags/$major"')),
    );
    assert.equal(doc.jobs['verify']?.needs, 'provenance');
    const verify = steps.find((s) => s.job === 'verify' && s.uses === './');
    assert.equal(verify?.with['mode'], 'verify');
    assert.equal(
      verify?.with['signer-workflow'],
      '${{ github.repository }}/.github/workflows/provenance-slsa3.yml@${{ github.ref }}',
    );
  });

  it('provenance-slsa3.yml takes what a caller passes: every with: key of a job calling it is an input it declares', async () => {
    const signer = await parseWorkflowText('provenance-slsa3.yml', read('provenance-slsa3.yml'));
    const declaredInputs = Object.keys(
      (signer.document as { on: { workflow_call: { inputs: Record<string, unknown> } } }).on.workflow_call.inputs,
    );
    const readme = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
    const callers = [
      read('release.yml'),
      ...yamlBlocks(readme)
        .map((b) => b.text)
        .filter((t) => t.includes('provenance-slsa3.yml@v')),
    ];
    assert.ok(callers.length >= 2);
    for (const text of callers) {
      const parsed = await parseSnippet(text);
      assert.deepEqual(parsed.errors, []);
      const jobs = (parsed.document as { jobs: Record<string, { uses?: string; with?: Record<string, unknown> }> })
        .jobs;
      const calls = Object.values(jobs).filter((j) => j.uses?.includes('provenance-slsa3.yml'));
      assert.ok(calls.length > 0);
      for (const call of calls)
        assert.deepEqual(
          Object.keys(call.with ?? {}).filter((k) => !declaredInputs.includes(k)),
          [],
          call.uses,
        );
    }
  });
});

describe('the README examples as GitHub reads them', () => {
  const readme = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
  const blocks = yamlBlocks(readme);
  const declared = new Set(action.inputs.map((i) => i.id));

  it('has examples to check', () => assert.ok(blocks.length >= 8, String(blocks.length)));

  for (const block of blocks) {
    it(`README line ${block.line}: parses, and every step of this action uses inputs action.yml declares`, async () => {
      const parsed = await parseSnippet(block.text);
      assert.deepEqual(parsed.errors, []);
      for (const step of workflowSteps(parsed).filter((s) => /provenance-action@|^\.\/$/.test(s.uses ?? ''))) {
        assert.deepEqual(
          Object.keys(step.with).filter((k) => !declared.has(k)),
          [],
          `step ${step.index} of line ${block.line}`,
        );
      }
    });
  }

  it('the snippet check fails on an undeclared key and on YAML GitHub refuses', async () => {
    const bad = await parseSnippet('- uses: OWNER/provenance-action@v1\n  with:\n    subject-path: a\n  wiht: x');
    assert.notDeepEqual(bad.errors, []);
    const steps = workflowSteps(
      await parseSnippet('- uses: OWNER/provenance-action@v1\n  with:\n    subject-paths: a'),
    );
    assert.deepEqual(
      Object.keys(steps[0]?.with ?? {}).filter((k) => !declared.has(k)),
      ['subject-paths'],
    );
  });
});
