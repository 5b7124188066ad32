#!/usr/bin/env node
// Runs every e2e suite (everything, filesystem, policy) one after the other and exits non-zero if
// any failed. SENTINEL_BIN defaults to <repo>/build/bin/sentinel when that exists.
//   node tests/e2e/run_e2e.mjs [suite...]
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..', '..');
const env = { ...process.env };
if (!env.SENTINEL_BIN && fs.existsSync(path.join(repo, 'build', 'bin', 'sentinel'))) env.SENTINEL_BIN = path.join(repo, 'build', 'bin', 'sentinel');
if (!env.SENTINEL_POLICIES && fs.existsSync(path.join(repo, 'policies'))) env.SENTINEL_POLICIES = path.join(repo, 'policies');

const suites = process.argv.slice(2).length ? process.argv.slice(2) : ['everything', 'filesystem', 'policy', 'guards'];
const failed = [];
for (const s of suites) {
    console.log(`\n======== ${s} ========`);
    const r = spawnSync(process.execPath, [path.join(here, `${s}.mjs`)], { stdio: 'inherit', env });
    if (r.status !== 0) failed.push(`${s} (exit ${r.status ?? r.signal})`);
}
console.log(`\ne2e suites: ${suites.length - failed.length} passed, ${failed.length} failed${failed.length ? ': ' + failed.join(', ') : ''}`);
process.exit(failed.length ? 1 : 0);
