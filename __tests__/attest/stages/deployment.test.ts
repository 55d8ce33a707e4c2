// The deployment stage: what the predicate records (environment from the verified token, present or
// explicitly absent; the target from the inputs; the time and the run), the refusals of targets
// before anything is signed, and links carried in the extension field as for any other stage.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { attestSettings } from '../../../src/attest/settings.ts';
import { deploymentTarget, stagePredicate, type DeploymentTarget } from '../../../src/attest/stages/index.ts';
import { MAX_CLUSTER_NAME, MAX_TARGET_URL } from '../../../src/attest/stages/deployment.ts';
import { linkedDigests, withLinks } from '../../../src/stages/links.ts';
import { DEPLOYMENT_V1, LINKS_FIELD, STAGE_PRESETS } from '../../../src/stages/presets.ts';
import { CTX, GITHUB, NO_GITHUB, NOW, RUN_URL, refuses } from './helpers.ts';

const deployment = (target: DeploymentTarget | undefined, ctx = CTX) =>
  stagePredicate('deployment', undefined, 'the deployment', ctx, target);

describe('deployment stage: the predicate', () => {
  it("records the job's environment, the target, the time, the run and the actor, in our predicate type", () => {
    const out = deployment({ url: 'https://shop.example.com' });
    assert.equal(out.predicateType, DEPLOYMENT_V1);
    assert.equal(DEPLOYMENT_V1, 'https://provenance-action.github.io/attestation/deployment/v1');
    assert.deepEqual(STAGE_PRESETS.deployment.predicateTypes, [DEPLOYMENT_V1]);
    assert.deepEqual(out.predicate, {
      environment: 'production',
      target: { url: 'https://shop.example.com' },
      timestamp: NOW.toISOString(),
      runURL: RUN_URL,
      actor: 'octocat',
    });
    assert.deepEqual(out.warnings, []);
  });

  it('records a job without an environment as "environment": null, not by leaving it out', () => {
    const out = deployment(
      { cluster: 'prod-eu-1', namespace: 'shop' },
      { now: NOW, github: { ...GITHUB, environment: undefined } },
    );
    assert.equal(Object.hasOwn(out.predicate, 'environment'), true);
    assert.equal(out.predicate['environment'], null);
    assert.deepEqual(out.predicate['target'], { cluster: 'prod-eu-1', namespace: 'shop' });
    assert.match(JSON.stringify(out.predicate), /^\{"environment":null,/);
    assert.deepEqual(out.warnings, [], 'a deployment to a named target needs no environment');
  });

  it('takes the environment alone as where it went, with no target', () => {
    const out = deployment(undefined);
    assert.equal(out.predicate['environment'], 'production');
    assert.equal(Object.hasOwn(out.predicate, 'target'), false);
  });

  it('refuses a deployment that names neither an environment nor a target, before signing', () => {
    refuses(
      () => deployment(undefined, { now: NOW, github: { ...GITHUB, environment: undefined } }),
      'INPUT_CONFLICT',
      'no deployment environment and deployment-target is empty',
    );
    refuses(() => deployment(undefined, NO_GITHUB), 'INPUT_CONFLICT', 'deployment-target is empty');
  });

  it('warns without a GitHub identity, and records no run nor actor', () => {
    const out = deployment({ cluster: 'edge' }, NO_GITHUB);
    assert.deepEqual(out.predicate, { environment: null, target: { cluster: 'edge' }, timestamp: NOW.toISOString() });
    assert.equal(out.warnings.length, 1);
    assert.match(out.warnings[0] ?? '', /not a GitHub Actions job/);
  });

  it('takes no document', () => {
    refuses(
      () => stagePredicate('deployment', { environment: 'forged' }, 'predicate-path "d.json"', CTX, { cluster: 'x' }),
      'INPUT_CONFLICT',
      'takes no document',
      'predicate-path "d.json"',
    );
  });

  it('carries links in the extension field, where verify mode reads them', () => {
    const digest = 'a'.repeat(64);
    const { predicateType, predicate } = deployment({ url: 'https://shop.example.com' });
    const linked = withLinks(predicateType, predicate, [
      {
        statementDigest: digest,
        predicateType: 'https://in-toto.io/attestation/human-review/v0.1',
        source: 'approval.sigstore.json',
      },
    ]);
    assert.deepEqual(linked[LINKS_FIELD], [
      {
        name: 'approval.sigstore.json',
        digest: { sha256: digest },
        mediaType: 'application/vnd.in-toto+json',
        annotations: { predicateType: 'https://in-toto.io/attestation/human-review/v0.1' },
      },
    ]);
    assert.deepEqual([...linkedDigests(linked)], [digest]);
    assert.equal(linked['environment'], 'production', 'the rest of the predicate unchanged');
  });
});

describe('deployment stage: the target inputs', () => {
  it('reads a URL, a cluster, a cluster with a namespace, or a namespace alone', () => {
    assert.deepEqual(deploymentTarget(' https://shop.example.com/v2 ', ''), { url: 'https://shop.example.com/v2' });
    assert.deepEqual(deploymentTarget('http://10.0.0.7:8080', ''), { url: 'http://10.0.0.7:8080' });
    assert.deepEqual(deploymentTarget('prod-eu-1', 'shop'), { cluster: 'prod-eu-1', namespace: 'shop' });
    assert.deepEqual(deploymentTarget('arn:aws:eks:eu-west-1:123456789012:cluster/prod', ''), {
      cluster: 'arn:aws:eks:eu-west-1:123456789012:cluster/prod',
    });
    assert.deepEqual(deploymentTarget('gke_acme_europe-west1_prod', ''), { cluster: 'gke_acme_europe-west1_prod' });
    assert.deepEqual(deploymentTarget('', 'shop'), { namespace: 'shop' });
    assert.equal(deploymentTarget('  ', ''), undefined);
  });

  const refused: [string, string, string, RegExp][] = [
    ['another scheme', 'ftp://files.example.com/app', '', /is not an http or https URL/],
    ['a javascript: lookalike', 'javascript://example.com/%0aalert(1)', '', /is not an http or https URL/],
    [
      'credentials in the URL',
      'https://deploy:s3cret@shop.example.com',
      '',
      /the URL "https:\/\/shop\.example\.com\/" holds a user name or password/,
    ],
    ['white space in a URL', 'https://shop.example.com/a b', '', /white space or a control character/],
    ['a URL too long', `https://shop.example.com/${'a'.repeat(MAX_TARGET_URL)}`, '', /more than 2048/],
    ['a URL that does not parse', 'https://[::1', '', /is not a URL/],
    ['a cluster name with spaces', 'prod eu', '', /neither an http\(s\) URL nor a cluster name/],
    ['a cluster name starting with -', '-prod', '', /neither an http\(s\) URL nor a cluster name/],
    ['a cluster name with a newline', 'prod\n::error::x', '', /neither an http\(s\) URL nor a cluster name/],
    ['a cluster name too long', 'c'.repeat(MAX_CLUSTER_NAME + 1), '', /more than 253/],
    ['an uppercase namespace', 'prod', 'Shop', /not a Kubernetes namespace name/],
    ['a namespace ending in -', 'prod', 'shop-', /not a Kubernetes namespace name/],
    ['a namespace over 63 characters', 'prod', 'n'.repeat(64), /not a Kubernetes namespace name/],
    ['a namespace with a URL', 'https://shop.example.com', 'shop', /deployment-target is a URL/],
  ];
  for (const [what, target, namespace, message] of refused) {
    it(`refuses ${what}, naming the input`, () => {
      const code = what === 'a namespace with a URL' ? 'INPUT_CONFLICT' : 'INPUT_INVALID';
      const err = refuses(() => deploymentTarget(target, namespace), code);
      assert.match(err.message, message);
      assert.match(err.message, /^deployment-(target|namespace)/);
      assert.doesNotMatch(err.message, /s3cret/, 'credentials never reach the log');
    });
  }
});

describe('deployment stage: attest settings', () => {
  const reader = (inputs: Record<string, string>) => (name: string) => inputs[name] ?? '';
  const settings = (inputs: Record<string, string>) =>
    attestSettings(reader({ 'subject-path': 'app.tar.gz', stage: 'deployment', ...inputs }));

  it('turns the inputs into a deployment stage with its target', () => {
    assert.deepEqual(settings({ 'deployment-target': 'prod-eu-1', 'deployment-namespace': 'shop' }).predicate, {
      kind: 'stage',
      stage: 'deployment',
      document: undefined,
      target: { cluster: 'prod-eu-1', namespace: 'shop' },
    });
    assert.deepEqual(settings({}).predicate, {
      kind: 'stage',
      stage: 'deployment',
      document: undefined,
      target: undefined,
    });
  });

  it('refuses a target on another stage, and a document on a deployment', () => {
    assert.throws(
      () => attestSettings(reader({ 'subject-path': 'a', stage: 'approval', 'deployment-target': 'prod' })),
      /deployment-target or deployment-namespace is set, but stage is "approval"/,
    );
    assert.throws(
      () => attestSettings(reader({ 'subject-path': 'a', 'deployment-namespace': 'shop' })),
      /but stage is empty/,
    );
    assert.throws(() => settings({ 'predicate-path': 'd.json' }), /stage: deployment takes no document/);
    assert.throws(() => settings({ 'deployment-target': 'ftp://x' }), /deployment-target: "ftp:\/\/x" is not an http/);
  });
});
