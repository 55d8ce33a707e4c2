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

  it("release.yml runs on vX.Y.Z tags, with each sink's permission, and attests every file the action runs", async () => {
    const parsed = await parseWorkflowText('release.yml', read('release.yml'));
    const doc = parsed.document as {
      on: { push: { tags: string[] } };
      jobs: Record<string, { permissions?: Record<string, string>; needs?: string }>;
    };
    assert.deepEqual(doc.on.push.tags, ['v[0-9]+.[0-9]+.[0-9]+']);
    assert.deepEqual(doc.jobs['release']?.permissions, {
      contents: 'write',
      'id-token': 'write',
      attestations: 'write',
    });
    assert.equal(doc.jobs['verify']?.needs, 'release');
    const steps = workflowSteps(parsed);
    const attest = steps.find((s) => s.job === 'release' && s.uses === './');
    assert.deepEqual(attest?.with['subject-path']?.trim().split('\n'), ['dist/**', 'action.yml']);
    assert.equal(attest?.with['upload-to-release'], 'auto');
    assert.equal(attest?.with['attestations-api'], 'true');
    const runs = steps.filter((s) => s.job === 'release' && s.run !== undefined).map((s) => s.run ?? '');
    assert.ok(
      runs.some((r) => r.includes('npm run build') && r.includes('git diff --exit-code -- dist')),
      'dist/ checked against the tag',
    );
    assert.ok(
      runs.some((r) => r.includes('git push --force origin "refs/tags/$major"')),
      'the major tag moves',
    );
    const verify = steps.find((s) => s.job === 'verify' && s.uses === './');
    assert.equal(verify?.with['mode'], 'verify');
    assert.equal(
      verify?.with['signer-workflow'],
      '${{ github.repository }}/.github/workflows/release.yml@${{ github.ref }}',
    );
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
