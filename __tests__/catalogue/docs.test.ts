// docs/troubleshooting.md is generated from the catalogue (scripts/troubleshooting.ts): the
// committed page must be exactly what the script writes, so it cannot drift from the cases the
// catalogue test checks against the action.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { PAGE, troubleshootingPage } from '../../scripts/troubleshooting.ts';
import { CASES } from './cases.ts';

describe('docs/troubleshooting.md', () => {
  it('is what `npm run docs` generates from the catalogue', async () => {
    const committed = await readFile(PAGE, 'utf8');
    assert.ok(committed === troubleshootingPage(), 'docs/troubleshooting.md is stale: run `npm run docs`');
  });

  it('lists every catalogued error with its line, cause and fix', async () => {
    const page = await readFile(PAGE, 'utf8');
    for (const c of CASES) {
      for (const text of [
        `<a id="${c.id}"></a>`,
        `### ${c.title}`,
        c.example,
        `**Cause.** ${c.cause}`,
        `**Fix.** ${c.fix}`,
        `\`${c.code}\``,
      ]) {
        assert.ok(page.includes(text), `${c.id}: ${text}`);
      }
    }
  });

  it('is linked from the README', async () => {
    assert.match(
      await readFile(new URL('../../README.md', import.meta.url), 'utf8'),
      /\]\(docs\/troubleshooting\.md\)/,
    );
  });
});
