// A clone of the repository is a complete project: no test, testkit, script or source file reads
// data from beside the checkout, and the external corpora the tests use are in
// __tests__/fixtures/corpus/, unchanged (what can be checked without upstream: OCI blobs still hash
// to their names, each layout lists its image, the DSSE statement names the artifact beside it).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { CORPORA, CORPUS, COSIGN_CONTAINERS, REPO_ROOT, SLSA_GENERATOR_DSSE } from './verify/crypto/corpus.ts';

const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

function record(value: unknown, what: string): Record<string, unknown> {
  assert.ok(typeof value === 'object' && value !== null && !Array.isArray(value), `${what}: expected an object`);
  return value as Record<string, unknown>;
}
function list(value: unknown, what: string): unknown[] {
  assert.ok(Array.isArray(value), `${what}: expected an array`);
  return value;
}
function text(value: unknown, what: string): string {
  assert.equal(typeof value, 'string', `${what}: expected a string`);
  return value as string;
}
const readJSON = (file: string): unknown => JSON.parse(readFileSync(file, 'utf8'));

/** Every file under `dir`, recursively, skipping the folders in `skip` (absolute paths). */
function filesUnder(dir: string, skip: readonly string[]): string[] {
  if (skip.includes(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return filesUnder(full, skip);
    return entry.isFile() ? [full] : [];
  });
}

// What reading from beside the checkout looks like. The patterns are written so that this file's
// own text does not match them.
const ANYWHERE: readonly RegExp[] = [
  /\.\.[\\/]+shared\b/, // a relative path to the sibling shared folder
  /\bshared[\\/]+corpus\b/, // the corpus where it was before it was copied in
];
// An absolute path into the developers' machine, in code (comments may point readers to notes).
const IN_CODE: readonly RegExp[] = [/(?<![\w.-])\/work\//];
const isComment = (line: string): boolean => /^\s*(\/\/|\/\*|\*|#)/.test(line);

/** `file:line: text` for each line of the project's own files that reaches outside the checkout. */
function outsideReferences(): string[] {
  const data = path.join(REPO_ROOT, '__tests__', 'fixtures');
  const sources = [
    ...['__tests__', 'testkit', 'scripts', 'src', '.ci', '.github'].flatMap((dir) =>
      existsSync(path.join(REPO_ROOT, dir)) ? filesUnder(path.join(REPO_ROOT, dir), [data]) : [],
    ),
    ...['package.json', 'tsconfig.json', 'eslint.config.js', 'action.yml'].map((name) => path.join(REPO_ROOT, name)),
  ];
  assert.ok(sources.length > 100, `only ${sources.length} source files found under ${REPO_ROOT}`);
  const found: string[] = [];
  for (const file of sources) {
    readFileSync(file, 'utf8')
      .split('\n')
      .forEach((line, i) => {
        const patterns = isComment(line) ? ANYWHERE : [...ANYWHERE, ...IN_CODE];
        if (patterns.some((p) => p.test(line)))
          found.push(`${path.relative(REPO_ROOT, file)}:${i + 1}: ${line.trim()}`);
      });
  }
  return found;
}

void describe('the repository is self-contained', () => {
  void it('no test, testkit, script or source file reads from beside the checkout', () => {
    assert.deepEqual(outsideReferences(), []);
  });

  void it('the guard sees a reference to the sibling shared folder', () => {
    // The pattern, not a file: proves the guard above would catch what it is there to catch.
    const line = `export const CORPUS = path.resolve(REPO_ROOT, '${['..', 'shared', 'corpus'].join('/')}');`;
    assert.ok(ANYWHERE.some((p) => p.test(line)));
    assert.ok(IN_CODE.some((p) => p.test(`const dir = '${['', 'work', 'shared'].join('/')}';`)));
    assert.ok(
      !IN_CODE.some((p) => p.test("example: 'in /home/runner/work/app/app'")),
      "a runner's workspace in an example is no reference",
    );
    assert.equal(isComment(`  // see ${['', 'work', 'shared', 'notes'].join('/')}`), true);
  });

  void it('keeps the corpora inside the repository', () => {
    for (const dir of [CORPORA, CORPUS, COSIGN_CONTAINERS, SLSA_GENERATOR_DSSE]) {
      const rel = path.relative(REPO_ROOT, dir);
      assert.ok(!rel.startsWith('..') && !path.isAbsolute(rel), `${dir} is outside ${REPO_ROOT}`);
      assert.ok(statSync(dir).isDirectory(), `${dir} is missing`);
    }
    const readme = readFileSync(path.join(CORPORA, 'README.md'), 'utf8');
    for (const name of ['sigstore-conformance/', 'cosign-containers/', 'slsa-generator-dsse/', 'Apache', 'unchanged']) {
      assert.ok(readme.includes(name), `the corpus README does not mention ${name}`);
    }
    assert.match(
      readFileSync(path.join(CORPORA, 'LICENSE-Apache-2.0.txt'), 'utf8'),
      /Apache License\s+Version 2\.0, January 2004/,
    );
  });
});

void describe('the copied corpora are whole', () => {
  void it('sigstore-conformance: 70 cases, each with a bundle, the default artifact and the protocol', () => {
    const cases = readdirSync(CORPUS, { withFileTypes: true }).filter((d) => d.isDirectory());
    assert.equal(cases.length, 70);
    assert.equal(cases.filter((d) => d.name.endsWith('_fail')).length > 0, true);
    for (const d of cases)
      assert.ok(existsSync(path.join(CORPUS, d.name, 'bundle.sigstore.json')), `${d.name} has no bundle`);
    assert.ok(statSync(path.join(CORPUS, 'a.txt')).isFile());
    assert.match(
      readFileSync(path.join(CORPORA, 'sigstore-conformance/docs/cli_protocol.md'), 'utf8'),
      /verify-bundle/,
    );
  });

  const releases = ['v1.4.0', 'v1.9.0', 'v2.1.0'];
  for (const release of releases) {
    void it(`cosign-containers ${release}: every blob hashes to its name, and the layout lists the image and its attestation`, () => {
      const layout = path.join(COSIGN_CONTAINERS, release, 'container_workflow_dispatch');
      assert.deepEqual(readJSON(path.join(layout, 'oci-layout')), { imageLayoutVersion: '1.0.0' });
      const blobs = path.join(layout, 'blobs', 'sha256');
      const names = readdirSync(blobs);
      assert.ok(names.length >= 5, `${release}: only ${names.length} blobs`);
      for (const name of names)
        assert.equal(sha256(readFileSync(path.join(blobs, name))), name, `${release}: blob ${name} changed`);

      const blob = (digest: string): Buffer => readFileSync(path.join(blobs, digest.replace(/^sha256:/, '')));
      const manifests = list(
        record(readJSON(path.join(layout, 'index.json')), 'index.json')['manifests'],
        'index.json manifests',
      );
      const byKind = new Map<string, Record<string, unknown>>();
      for (const [i, m] of manifests.entries()) {
        const descriptor = record(m, `manifests[${i}]`);
        const digest = text(descriptor['digest'], `manifests[${i}].digest`);
        assert.equal(
          blob(digest).length,
          descriptor['size'],
          `${release}: ${digest} has another size than index.json says`,
        );
        byKind.set(text(record(descriptor['annotations'], 'annotations')['kind'], 'kind'), descriptor);
      }
      const image = byKind.get('dev.cosignproject.cosign/imageIndex') ?? byKind.get('dev.cosignproject.cosign/image');
      const imageDigest = readFileSync(
        path.join(COSIGN_CONTAINERS, release, 'container_workflow_dispatch.digest'),
        'utf8',
      ).trim();
      assert.equal(image?.['digest'], imageDigest, `${release}: the .digest file names the image the layout lists`);

      const atts = byKind.get('dev.cosignproject.cosign/atts');
      assert.ok(atts, `${release}: no attestation manifest`);
      const layers = list(
        record(JSON.parse(blob(text(atts['digest'], 'atts digest')).toString('utf8')), 'atts manifest')['layers'],
        'layers',
      );
      assert.ok(layers.length > 0);
      for (const [i, l] of layers.entries()) {
        const layer = record(l, `layers[${i}]`);
        assert.equal(layer['mediaType'], 'application/vnd.dsse.envelope.v1+json');
        const annotations = record(layer['annotations'], `layers[${i}].annotations`);
        for (const key of ['dev.sigstore.cosign/certificate', 'dev.sigstore.cosign/bundle'])
          assert.equal(typeof annotations[key], 'string', `${release}: ${key}`);
        const envelope = record(JSON.parse(blob(text(layer['digest'], 'layer digest')).toString('utf8')), 'envelope');
        assert.equal(envelope['payloadType'], 'application/vnd.in-toto+json');
      }
    });
  }

  void it('slsa-generator-dsse: the envelope is one JSON line whose statement names the artifact beside it by its SHA-256', () => {
    const artifact = path.join(SLSA_GENERATOR_DSSE, 'binary-linux-amd64-workflow_dispatch');
    const lines = readFileSync(`${artifact}.intoto.jsonl`, 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '');
    assert.equal(lines.length, 1);
    const envelope = record(JSON.parse(lines[0] ?? ''), 'envelope');
    assert.equal(envelope['payloadType'], 'application/vnd.in-toto+json');
    const statement = record(
      JSON.parse(Buffer.from(text(envelope['payload'], 'payload'), 'base64').toString('utf8')),
      'statement',
    );
    const subjects = list(statement['subject'], 'subject').map((s, i) => record(s, `subject[${i}]`));
    assert.equal(subjects.length, 1);
    const digest = record(subjects[0]?.['digest'], 'subject digest');
    assert.equal(digest['sha256'], sha256(readFileSync(artifact)));
  });
});
