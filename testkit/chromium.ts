// Debian's headless Chromium (`/usr/bin/chromium`) driven from its command line, for tests that
// need a real browser's layout: --dump-dom returns the page after its scripts ran (within a
// virtual-time budget, which also waits for the page's promises and timers), --screenshot writes a
// PNG. No puppeteer or playwright: two flags do what the tests need. Each run gets a fresh
// profile in a temporary directory, is stopped by its own process group (the browser and the
// renderer and zygote processes it forks) when it overruns, and leaves nothing behind.

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export const CHROMIUM_BIN = '/usr/bin/chromium';
/**
 * Arial's metrics, what Helvetica and Arial in GitHub's font stack resolve to on Debian: without
 * it text falls back to DejaVu Sans, about a tenth wider, and every width measured is off.
 */
export const LIBERATION_SANS = '/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf';
const INSTALL = 'apt-get install -y --no-install-recommends chromium fonts-liberation fonts-noto-color-emoji';

/** Real-time limit of one run; the page's own scripts get a virtual-time budget well inside it. */
const RUN_TIMEOUT_MS = 90_000;
const VIRTUAL_TIME_BUDGET_MS = 15_000;
const MAX_STDERR = 16 * 1024;

/** Throws, saying how to install them, when Chromium or the fonts its measurements assume are missing. */
export function requireChromium(): void {
  const missing = [CHROMIUM_BIN, LIBERATION_SANS].filter((f) => !existsSync(f));
  if (missing.length > 0) {
    throw new Error(
      `${missing.join(' and ')} missing: the summary rendering tests need Debian's chromium and fonts-liberation packages. ` +
        `.ci/run installs them; on this machine run "${INSTALL}" (as root).`,
    );
  }
}

export interface PageRun {
  /** Viewport size: the width is what the page lays out in, the height what a screenshot shows. */
  width: number;
  height: number;
}

/** The page's DOM after its scripts ran, serialized as HTML (what `chromium --dump-dom` prints). */
export async function dumpDom(htmlFile: string, run: PageRun): Promise<string> {
  return (await runChromium(['--dump-dom', pathToFileURL(htmlFile).href], run)).stdout;
}

/** A PNG of the top `run.height` px of the page at `run.width` px, written to `pngFile`. */
export async function screenshot(htmlFile: string, pngFile: string, run: PageRun): Promise<void> {
  await runChromium([`--screenshot=${path.resolve(pngFile)}`, pathToFileURL(htmlFile).href], run);
  if (!existsSync(pngFile)) throw new Error(`chromium wrote no screenshot to ${pngFile}`);
}

async function runChromium(args: readonly string[], run: PageRun): Promise<{ stdout: string }> {
  requireChromium();
  const profile = await mkdtemp(path.join(os.tmpdir(), 'chromium-profile-'));
  try {
    const child = spawn(
      CHROMIUM_BIN,
      [
        '--headless',
        '--no-sandbox', // tests run as root in CI containers, where the sandbox cannot start
        '--disable-gpu',
        '--hide-scrollbars', // a scrollbar would take width from the 850 px column
        '--no-first-run',
        '--no-default-browser-check',
        '--allow-file-access-from-files', // the page loads mermaid.min.js from node_modules by file:// URL
        `--user-data-dir=${profile}`,
        `--virtual-time-budget=${VIRTUAL_TIME_BUDGET_MS}`,
        `--window-size=${run.width},${run.height}`,
        ...args,
      ],
      // Its own process group, so a stop reaches the renderer and zygote processes too.
      { stdio: ['ignore', 'pipe', 'pipe'], detached: true },
    );
    const pid = child.pid;
    if (pid === undefined) throw new Error(`${CHROMIUM_BIN} did not start`);
    const stdout: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => stdout.push(d));
    child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-MAX_STDERR)));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(pid);
    }, RUN_TIMEOUT_MS);
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', (c) => resolve(c));
    }).finally(() => clearTimeout(timer));
    // The browser is gone; a helper process it forked may not be yet.
    killGroup(pid);
    if (timedOut)
      throw new Error(`chromium did not finish within ${RUN_TIMEOUT_MS} ms (${args.join(' ')}): ${lastLines(stderr)}`);
    if (code !== 0) throw new Error(`chromium exited with ${code} (${args.join(' ')}): ${lastLines(stderr)}`);
    return { stdout: Buffer.concat(stdout).toString('utf8') };
  } finally {
    await rm(profile, { recursive: true, force: true, maxRetries: 3 });
  }
}

/** SIGKILL to the process group this module started (the browser's pid leads it); nothing else. */
function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // Already gone: ESRCH.
  }
}

/** Chromium's stderr is mostly D-Bus noise in a container; its error lines are at the end. */
const lastLines = (text: string): string => text.trim().split('\n').slice(-8).join('\n');
