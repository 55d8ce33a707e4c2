import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { stagePredicate } from '../../../src/attest/stages/index.ts';
import { GITHUB_APPROVAL_FIELD, HUMAN_REVIEW_V01 } from '../../../src/stages/presets.ts';
import { CTX, GITHUB, NO_GITHUB, NOW, ORIGIN, RUN_URL, refuses } from './helpers.ts';

const approval = (document: object | undefined, ctx = CTX) => stagePredicate('approval', document, ORIGIN, ctx);

describe('approval stage', () => {
  it("records the run, the time, and the job's environment and actor", () => {
    const out = approval(undefined);
    assert.equal(out.predicateType, HUMAN_REVIEW_V01);
    const expected = {
      result: 'pass',
      reviewLink: RUN_URL,
      timestamp: NOW.toISOString(),
      [GITHUB_APPROVAL_FIELD]: { environment: 'production', actor: 'octocat' },
    };
    assert.deepEqual(out.predicate, expected);
    assert.equal(JSON.stringify(out.predicate), JSON.stringify(expected));
    assert.deepEqual(out.warnings, []);
  });

  it('trims a trailing slash of the server URL', () => {
    const out = approval(undefined, { now: NOW, github: { ...GITHUB, serverURL: 'https://acme.ghe.com/' } });
    assert.equal(
      out.predicate['reviewLink'],
      'https://acme.ghe.com/octo-org/octo-repo/actions/runs/987654321/attempts/2',
    );
  });

  it('warns when the job has no environment, and records only the actor', () => {
    const out = approval(undefined, { now: NOW, github: { ...GITHUB, environment: undefined } });
    assert.deepEqual(out.predicate[GITHUB_APPROVAL_FIELD], { actor: 'octocat' });
    assert.equal(out.warnings.length, 1);
    assert.match(out.warnings[0] ?? '', /no deployment environment.*environment:/);
  });

  it('leaves the context field out when the token names neither environment nor actor', () => {
    const out = approval(undefined, { now: NOW, github: { ...GITHUB, environment: undefined, actor: undefined } });
    assert.equal(Object.hasOwn(out.predicate, GITHUB_APPROVAL_FIELD), false);
    assert.equal(out.predicate['reviewLink'], RUN_URL);
  });

  it('warns without a GitHub identity, and records no link nor context', () => {
    const out = approval(undefined, NO_GITHUB);
    assert.deepEqual(out.predicate, { result: 'pass', timestamp: NOW.toISOString() });
    assert.equal(out.warnings.length, 1);
    assert.match(out.warnings[0] ?? '', /not a GitHub Actions job/);
  });

  it('lets the document set result, reviewLink and timestamp, keeping the key order', () => {
    const document = {
      timestamp: '2025-03-01T08:00:00+01:00',
      reviewLink: 'https://tickets.example.com/CHG-42',
      result: 'fail',
    };
    const out = approval(document, NO_GITHUB);
    const expected = {
      result: 'fail',
      reviewLink: 'https://tickets.example.com/CHG-42',
      timestamp: '2025-03-01T08:00:00+01:00',
    };
    assert.equal(JSON.stringify(out.predicate), JSON.stringify(expected));
    const withGithub = approval({ result: 'fail' });
    assert.deepEqual(withGithub.predicate, {
      result: 'fail',
      reviewLink: RUN_URL,
      timestamp: NOW.toISOString(),
      [GITHUB_APPROVAL_FIELD]: { environment: 'production', actor: 'octocat' },
    });
  });

  it('refuses any other key, so a typo cannot vanish', () => {
    refuses(() => approval({ reslut: 'pass' }), 'PREDICATE_INVALID', '"reslut"');
    refuses(
      () => approval({ [GITHUB_APPROVAL_FIELD]: { actor: 'someone-else' } }),
      'PREDICATE_INVALID',
      'github-approval',
    );
    refuses(
      () => approval(JSON.parse('{"__proto__": {"result": "fail"}}') as object),
      'PREDICATE_INVALID',
      '"__proto__"',
    );
  });

  it('refuses bad values, naming what it found', () => {
    refuses(() => approval({ result: 'approved' }), 'PREDICATE_INVALID', 'result', '"approved"', '"pass" or "fail"');
    refuses(
      () => approval({ reviewLink: 'http://tickets.example.com/1' }),
      'PREDICATE_INVALID',
      'reviewLink',
      '"http://tickets.example.com/1"',
    );
    refuses(() => approval({ reviewLink: 'not a url' }), 'PREDICATE_INVALID', 'reviewLink', '"not a url"');
    refuses(() => approval({ timestamp: 1740900000 }), 'PREDICATE_INVALID', 'timestamp', 'number 1740900000');
    refuses(() => approval([]), 'PREDICATE_INVALID', 'an empty array');
  });
});
