// Shared harness for sentinel's end-to-end tests.
//
// Every check runs twice: once against the MCP server directly ("direct") and once through
// `$SENTINEL_BIN run --policy <policy> -- <server>` ("sentinel"). Each check returns a
// normalised, deterministic JSON value; the two values are compared and printed side by side.
//
//   - both succeed with equal values            -> PASS
//   - both fail with the same (normalised) error -> N/A  ("n/a in both": not supported by the server)
//   - anything else                              -> FAIL (the difference is printed with the wire traffic)
//
// Checks marked `sentinelOnly` run only through sentinel and pass or fail on their own assertions.
//
// Environment:
//   SENTINEL_BIN       path to the sentinel binary; unset -> direct mode only (development)
//   SENTINEL_POLICIES  directory holding allow-all.yaml (optional; a temp policy is written otherwise)
//   E2E_ARTIFACTS      directory for traffic logs (default: a fresh dir under $TMPDIR)
//   E2E_ONLY           comma-separated substrings: run only checks whose name contains one of them
//   E2E_VERBOSE=1      print server/sentinel stderr and traffic for every check

import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { McpError } from '@modelcontextprotocol/sdk/types.js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const E2E_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const MCP_DIR = path.join(E2E_DIR, 'node_modules', '@modelcontextprotocol');
export const EVERYTHING = path.join(MCP_DIR, 'server-everything', 'dist', 'index.js');
export const FILESYSTEM = path.join(MCP_DIR, 'server-filesystem', 'dist', 'index.js');
export const NODE = process.execPath;

/** Default timeout for every await, in milliseconds. */
export const T = 15000;

export const SENTINEL_BIN = process.env.SENTINEL_BIN || '';
export const VERBOSE = process.env.E2E_VERBOSE === '1';

for (const f of [EVERYTHING, FILESYSTEM]) {
    if (!fs.existsSync(f)) {
        console.error(`missing ${f}: run 'npm ci' in ${E2E_DIR}`);
        process.exit(2);
    }
}

// ---------------------------------------------------------------------------------------------
// Small utilities

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export class TimeoutError extends Error {}

/** Rejects after `ms` with a TimeoutError naming `label`. */
export function withTimeout(promise, ms = T, label = 'operation') {
    let timer;
    return Promise.race([
        promise,
        new Promise((_, reject) => {
            timer = setTimeout(() => reject(new TimeoutError(`timeout after ${ms} ms: ${label}`)), ms);
        }),
    ]).finally(() => clearTimeout(timer));
}

/** JSON with object keys sorted, so equal values give equal strings. */
export function canon(v) {
    return JSON.stringify(sortKeys(v));
}
function sortKeys(v) {
    if (Array.isArray(v)) return v.map(sortKeys);
    if (v && typeof v === 'object') {
        const o = {};
        for (const k of Object.keys(v).sort()) if (v[k] !== undefined) o[k] = sortKeys(v[k]);
        return o;
    }
    return v;
}

/** First path at which two JSON values differ, or null. */
export function firstDiff(a, b, p = '$') {
    if (canon(a) === canon(b)) return null;
    if (a && b && typeof a === 'object' && typeof b === 'object' && Array.isArray(a) === Array.isArray(b)) {
        const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
        for (const k of [...keys].sort()) {
            const d = firstDiff(a[k], b[k], Array.isArray(a) ? `${p}[${k}]` : `${p}.${k}`);
            if (d) return d;
        }
    }
    return { path: p, a, b };
}

export function sha(s) {
    let h = 0x811c9dc5;
    for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
    return h.toString(16).padStart(8, '0');
}

/** Normalise an error into a comparable string. */
export function errString(e) {
    if (e instanceof McpError) {
        return `McpError ${e.code}: ${e.message}`;
    }
    if (e instanceof TimeoutError) return `Timeout: ${e.message}`;
    if (e && e.name === 'ZodError') return `ZodError: ${(e.issues || []).map((i) => i.message).join('; ')}`;
    return `${e?.name || 'Error'}: ${e?.message ?? String(e)}`;
}

/** Replace values that legitimately differ between runs (times, ids, temp dirs). */
export function normText(s, extra = []) {
    if (typeof s !== 'string') return s;
    let out = s;
    for (const [from, to] of extra) out = out.split(from).join(to);
    out = out.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '<UUID>');
    out = out.replace(/\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z?\b/g, '<ISOTIME>');
    out = out.replace(/\b\d{1,2}:\d{2}:\d{2}(\s?[AP]M)?\b/g, '<TIME>');
    return out;
}

/** Deep-map every string through normText. */
export function normDeep(v, extra = []) {
    if (typeof v === 'string') return normText(v, extra);
    if (Array.isArray(v)) return v.map((x) => normDeep(x, extra));
    if (v && typeof v === 'object') {
        const o = {};
        for (const [k, x] of Object.entries(v)) o[k] = normDeep(x, extra);
        return o;
    }
    return v;
}

export function assert(cond, msg) {
    if (!cond) throw new Error(`assertion failed: ${msg}`);
}

// ---------------------------------------------------------------------------------------------
// Process tree inspection via /proc

/** Map pid -> {ppid, state} for every process visible in /proc. */
export function procTable() {
    const t = new Map();
    for (const d of fs.readdirSync('/proc')) {
        if (!/^\d+$/.test(d)) continue;
        try {
            const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
            const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
            t.set(Number(d), { state: rest[0], ppid: Number(rest[1]) });
        } catch {
            /* raced with exit */
        }
    }
    return t;
}

/** All descendants of pid (children, grandchildren, ...). */
export function descendants(pid) {
    const t = procTable();
    const out = [];
    const todo = [pid];
    while (todo.length) {
        const p = todo.pop();
        for (const [c, info] of t) if (info.ppid === p && !out.includes(c)) { out.push(c); todo.push(c); }
    }
    return out;
}

/** 'running' | 'zombie' | 'gone' */
export function procState(pid) {
    try {
        const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
        const st = stat.slice(stat.lastIndexOf(')') + 2)[0];
        return st === 'Z' ? 'zombie' : 'running';
    } catch {
        return 'gone';
    }
}

/** SIGKILL processes (that this test started) which outlived a failed shutdown check. */
export function killLeftovers(pids) {
    for (const p of pids) {
        if (procState(p) === 'running') {
            try {
                process.kill(p, 'SIGKILL');
            } catch {
                /* already gone */
            }
        }
    }
}

export function cmdline(pid) {
    try {
        return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
    } catch {
        return '';
    }
}

/** Poll until none of `pids` is running or a zombie; returns {gone, left, ms}. */
export async function waitGone(pids, ms = 3000) {
    const t0 = Date.now();
    for (;;) {
        const left = pids.filter((p) => procState(p) !== 'gone');
        if (!left.length) return { gone: true, left: [], ms: Date.now() - t0 };
        if (Date.now() - t0 >= ms) return { gone: false, left: left.map((p) => `${p}(${procState(p)}:${cmdline(p)})`), ms: Date.now() - t0 };
        await sleep(25);
    }
}

// ---------------------------------------------------------------------------------------------
// Wire tap

/**
 * A Transport that wraps StdioClientTransport and records every JSON-RPC message in both
 * directions, with a millisecond timestamp. Also lets a test write raw lines to the server.
 */
export class TapTransport {
    constructor(inner, label) {
        this.inner = inner;
        this.label = label;
        this.log = [];
        this.t0 = Date.now();
        this.listeners = new Set();
        this.closed = false;
    }
    async start() {
        this.inner.onmessage = (m) => {
            this._rec('s2c', m);
            this.onmessage?.(m);
        };
        this.inner.onerror = (e) => {
            this._rec('err', { error: String(e) });
            this.onerror?.(e);
        };
        this.inner.onclose = () => {
            this.closed = true;
            this._rec('close', {});
            this.onclose?.();
        };
        await this.inner.start();
        // Keep the last raw stdout lines too: a line the SDK cannot parse never reaches onmessage.
        this.rawOut = [];
        let buf = '';
        this.inner._process?.stdout?.on('data', (d) => {
            buf += d.toString('utf8');
            let i;
            while ((i = buf.indexOf('\n')) >= 0) {
                const line = buf.slice(0, i);
                buf = buf.slice(i + 1);
                this.rawOut.push(line.length > 2000 ? line.slice(0, 2000) + '…' : line);
                if (this.rawOut.length > 200) this.rawOut.shift();
            }
            if (buf.length > 1 << 20) buf = '';
        });
    }
    async send(m, o) {
        this._rec('c2s', m);
        return this.inner.send(m, o);
    }
    /** Write a raw line (no JSON encoding by us), e.g. to test escapes or duplicate keys. */
    sendRaw(line) {
        this._rec('c2s-raw', { raw: line });
        this.inner._process.stdin.write(line + '\n');
    }
    async close() {
        return this.inner.close();
    }
    get pid() {
        return this.inner.pid;
    }
    _rec(dir, msg) {
        const e = { i: this.log.length, t: Date.now() - this.t0, dir, msg };
        this.log.push(e);
        for (const l of [...this.listeners]) l(e);
    }
    /** Resolve with the first entry (index >= since) satisfying pred; reject if the connection closes first. */
    waitFor(pred, { since = 0, timeout = T, label = 'wire message' } = {}) {
        for (let i = since; i < this.log.length; i++) if (pred(this.log[i])) return Promise.resolve(this.log[i]);
        if (this.closed) return Promise.reject(new Error(`connection closed while waiting for ${label}`));
        let l;
        return withTimeout(
            new Promise((resolve, reject) => {
                l = (e) => {
                    if (e.i < since) return;
                    if (pred(e)) resolve(e);
                    else if (e.dir === 'close') reject(new Error(`connection closed while waiting for ${label}`));
                };
                this.listeners.add(l);
            }),
            timeout,
            label,
        ).finally(() => this.listeners.delete(l));
    }
    /** Entries from index `since` matching pred. */
    since(since, pred = () => true) {
        return this.log.slice(since).filter(pred);
    }
    get mark() {
        return this.log.length;
    }
}

export const isNotif = (method) => (e) => e.dir === 's2c' && e.msg.method === method && e.msg.id === undefined;
export const isResponseTo = (id) => (e) => e.dir === 's2c' && e.msg.id === id && e.msg.method === undefined;
export const isS2CRequest = (method) => (e) => e.dir === 's2c' && e.msg.method === method && e.msg.id !== undefined;

// ---------------------------------------------------------------------------------------------
// Policies and connections

let tmpRoot;
/** A per-process scratch directory, removed at exit. */
export function scratch() {
    if (!tmpRoot) {
        tmpRoot = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'sentinel-e2e-')));
        process.on('exit', () => {
            try {
                fs.rmSync(tmpRoot, { recursive: true, force: true });
            } catch {
                /* ignore */
            }
        });
    }
    return tmpRoot;
}

/** Write a policy file into the scratch dir (atomically: write + rename) and return its path. */
export function writePolicy(name, yaml) {
    const p = path.join(scratch(), name);
    const tmp = `${p}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    fs.writeFileSync(tmp, yaml);
    fs.renameSync(tmp, p);
    return p;
}

let allowAll;
/** The allow-all policy: $SENTINEL_POLICIES/allow-all.yaml if present, else a temp copy (written once). */
export function allowAllPolicy() {
    if (allowAll) return allowAll;
    const dir = process.env.SENTINEL_POLICIES;
    if (dir && fs.existsSync(path.join(dir, 'allow-all.yaml'))) allowAll = path.join(dir, 'allow-all.yaml');
    else allowAll = writePolicy('allow-all.yaml', 'version: 1\ndefault: allow\nrules: []\n');
    return allowAll;
}

export const everythingServer = () => ({ name: 'server-everything', argv: [NODE, EVERYTHING, 'stdio'] });
export const filesystemServer = (...dirs) => ({ name: 'server-filesystem', argv: [NODE, FILESYSTEM, ...dirs] });

/** argv for launching `server` in `mode`. */
export function launchArgv(mode, server, { policy, observe = false, audit, sentinelArgs = [] } = {}) {
    if (mode === 'direct') return server.argv;
    if (!SENTINEL_BIN) throw new Error('SENTINEL_BIN is not set');
    const a = [SENTINEL_BIN, 'run', '--policy', policy ?? allowAllPolicy()];
    if (observe) a.push('--observe');
    if (audit) a.push('--audit', audit);
    return [...a, ...sentinelArgs, '--', ...server.argv];
}

const allConnections = [];

/**
 * A live connection: an SDK Client (unless raw) over a TapTransport.
 *   mode: 'direct' | 'sentinel'; server: from everythingServer()/filesystemServer();
 *   opts: capabilities, taskStore, handlers(client, conn) to register request handlers,
 *         raw (no Client, no initialize), policy/observe/audit for sentinel, env.
 */
export async function openConnection(mode, server, opts = {}) {
    const argv = launchArgv(mode, server, opts);
    const inner = new StdioClientTransport({ command: argv[0], args: argv.slice(1), stderr: 'pipe', env: opts.env });
    const label = `${mode}:${server.name}${opts.tag ? ':' + opts.tag : ''}`;
    const tap = new TapTransport(inner, label);
    const conn = { mode, server, tap, label, argv, stderr: '', errors: [], received: [], notifications: [] };
    inner.stderr?.on('data', (d) => {
        conn.stderr += d.toString();
        if (conn.stderr.length > 200000) conn.stderr = conn.stderr.slice(-100000);
    });
    allConnections.push(conn);
    if (opts.raw) {
        tap.onmessage = (m) => conn.received.push(m);
        await tap.start();
        conn.close = async () => {
            await withTimeout(tap.close(), 8000, 'close').catch(() => {});
        };
        return conn;
    }
    const client = new Client(
        { name: 'sentinel-e2e', version: '1.0.0' },
        { capabilities: opts.capabilities ?? {}, taskStore: opts.taskStore, listChanged: opts.listChanged },
    );
    client.onerror = (e) => conn.errors.push(String(e?.message ?? e));
    conn.client = client;
    opts.handlers?.(client, conn);
    client.fallbackNotificationHandler = async (n) => {
        conn.notifications.push(n);
    };
    await withTimeout(client.connect(tap, { timeout: T }), T + 1000, `connect ${label}`);
    let closing;
    conn.close = () => {
        closing ??= withTimeout(client.close(), 8000, 'client.close').catch(() => {});
        return closing;
    };
    return conn;
}

/** PIDs of the process tree behind a connection: the transport's process and its descendants. */
export function connPids(conn) {
    const pid = conn.tap.pid;
    if (!pid) return [];
    return [pid, ...descendants(pid)];
}

/** PIDs of the MCP server itself: direct -> the transport process; sentinel -> its descendants. */
export function serverPids(conn) {
    const pid = conn.tap.pid;
    if (!pid) return [];
    return conn.mode === 'direct' ? [pid, ...descendants(pid)] : descendants(pid);
}

export async function closeAll() {
    await Promise.all(allConnections.map((c) => c.close?.().catch(() => {})));
}

// ---------------------------------------------------------------------------------------------
// Suite runner

function fmtValue(v) {
    if (v && typeof v === 'object' && !Array.isArray(v) && typeof v.summary === 'string') return v.summary;
    const s = typeof v === 'string' ? v : canon(v);
    return s;
}

function clip(s, n) {
    s = String(s).replace(/\s+/g, ' ');
    return s.length > n ? s.slice(0, n - 1) + '…' : s;
}

function artifactsDir(suite) {
    const d = process.env.E2E_ARTIFACTS
        ? path.join(process.env.E2E_ARTIFACTS, suite)
        : path.join(os.tmpdir(), `sentinel-e2e-artifacts-${suite}`);
    fs.rmSync(d, { recursive: true, force: true });
    fs.mkdirSync(d, { recursive: true });
    return d;
}

function dumpTraffic(entries, max = 60, width = 600) {
    const out = [];
    const list = entries.length > max ? [...entries.slice(0, 10), null, ...entries.slice(-(max - 10))] : entries;
    for (const e of list) {
        if (!e) { out.push(`      … ${entries.length - max} more …`); continue; }
        const arrow = { c2s: 'C→S', s2c: 'S→C', 'c2s-raw': 'C→S(raw)', err: 'ERR', close: 'CLOSE' }[e.dir] ?? e.dir;
        out.push(`      ${String(e.t).padStart(6)}ms ${arrow.padEnd(8)} ${clip(JSON.stringify(e.msg), width)}`);
    }
    return out.join('\n');
}

/**
 * Run `checks` in each mode and print the comparison table.
 *   suite: short name; checks: [{name, run(ctx) -> value, sentinelOnly?, timeout?}]
 *   setup(mode) -> ctx (shared state for the mode; may hold ctx.conn); teardown(ctx)
 * Exits the process with 0 (all PASS/N/A) or 1.
 */
export async function runSuite({ suite, title, checks, setup, teardown }) {
    const t0 = Date.now();
    const only = (process.env.E2E_ONLY || '').split(',').filter(Boolean);
    if (only.length) checks = checks.filter((c) => only.some((o) => c.name.includes(o)));
    const modes = SENTINEL_BIN ? ['direct', 'sentinel'] : ['direct'];
    const artifacts = artifactsDir(suite);
    console.log(`# ${title}`);
    console.log(`# node ${process.version}; sentinel: ${SENTINEL_BIN || '(SENTINEL_BIN not set: direct mode only)'}`);
    console.log(`# traffic logs: ${artifacts}`);
    if (!SENTINEL_BIN) console.log('# WARNING: no sentinel binary given; nothing is compared.');
    const results = {}; // name -> mode -> {ok, value|error, notes, traffic, stderr}
    for (const c of checks) results[c.name] = {};

    for (const mode of modes) {
        let ctx;
        try {
            ctx = await withTimeout(setup(mode), 30000, `setup ${mode}`);
        } catch (e) {
            for (const c of checks) results[c.name][mode] = { ok: false, error: `setup failed: ${errString(e)}`, notes: [] };
            continue;
        }
        for (const c of checks) {
            if (c.sentinelOnly && mode !== 'sentinel') continue;
            if (c.directOnly && mode !== 'direct') continue;
            const notes = [];
            const localConns = [];
            const cctx = {
                ...ctx,
                mode,
                note: (s) => notes.push(s),
                open: async (server, opts) => {
                    const conn = await openConnection(mode, server, { ...opts, tag: c.name });
                    localConns.push(conn);
                    return conn;
                },
            };
            const mark = ctx.conn ? ctx.conn.tap.mark : 0;
            const startCount = allConnections.length;
            const tc = Date.now();
            let r;
            try {
                const value = await withTimeout(Promise.resolve().then(() => c.run(cctx)), c.timeout ?? 30000, `check ${c.name}`);
                r = { ok: true, value: value === undefined ? 'ok' : value };
            } catch (e) {
                r = { ok: false, error: errString(e) };
                if (VERBOSE) console.error(e);
            }
            for (const lc of localConns) await lc.close().catch(() => {});
            r.notes = notes;
            r.ms = Date.now() - tc;
            // traffic of the shared connection during this check, plus every connection it opened
            r.traffic = [];
            if (ctx.conn) r.traffic.push({ label: ctx.conn.label, entries: ctx.conn.tap.log.slice(mark) });
            for (const lc of allConnections.slice(startCount)) r.traffic.push({ label: lc.label, entries: lc.tap.log, stderr: lc.stderr });
            results[c.name][mode] = r;
            if (VERBOSE) console.error(`[${mode}] ${c.name}: ${r.ok ? fmtValue(r.value) : r.error} (${r.ms} ms)`);
        }
        try {
            await withTimeout(Promise.resolve(teardown?.(ctx)), 15000, 'teardown');
        } catch (e) {
            console.log(`# teardown ${mode}: ${errString(e)}`);
        }
        if (ctx?.conn) {
            fs.writeFileSync(path.join(artifacts, `${mode}-shared.jsonl`), ctx.conn.tap.log.map((e) => JSON.stringify(e)).join('\n') + '\n');
            fs.writeFileSync(path.join(artifacts, `${mode}-shared.stderr`), ctx.conn.stderr);
        }
    }

    // verdicts
    let pass = 0, fail = 0, na = 0;
    const rows = [];
    const failures = [];
    for (const c of checks) {
        const d = results[c.name].direct;
        const s = results[c.name].sentinel;
        let verdict;
        if (c.sentinelOnly) {
            if (!SENTINEL_BIN) verdict = 'SKIP';
            else verdict = s?.ok ? 'PASS' : 'FAIL';
        } else if (!SENTINEL_BIN) {
            verdict = d?.ok ? 'PASS*' : 'N/A';
        } else if (d?.ok && s?.ok) {
            verdict = canon(d.value) === canon(s.value) ? 'PASS' : 'FAIL';
        } else if (!d?.ok && !s?.ok) {
            verdict = d?.error === s?.error ? 'N/A' : 'FAIL';
        } else {
            verdict = 'FAIL';
        }
        if (verdict.startsWith('PASS')) pass++;
        else if (verdict === 'FAIL') { fail++; failures.push(c); }
        else if (verdict === 'N/A') na++;
        const cell = (r) => (!r ? '—' : r.ok ? fmtValue(r.value) : `ERR ${r.error}`);
        rows.push({ name: c.name, direct: c.sentinelOnly ? '(sentinel only)' : cell(d), sentinel: SENTINEL_BIN ? cell(s) : '(not run)', verdict, c, d, s });
        for (const [mode, r] of [['direct', d], ['sentinel', s]]) {
            if (!r) continue;
            const f = path.join(artifacts, `${c.name.replace(/[^\w.-]+/g, '_')}.${mode}.txt`);
            const parts = [`result: ${r.ok ? JSON.stringify(r.value, null, 2) : r.error}`, `notes: ${r.notes.join(' | ')}`];
            for (const t of r.traffic || []) parts.push(`--- ${t.label}\n${t.entries.map((e) => JSON.stringify(e)).join('\n')}` + (t.stderr ? `\n--- stderr\n${t.stderr}` : ''));
            fs.writeFileSync(f, parts.join('\n') + '\n');
        }
    }

    const W1 = Math.min(34, Math.max(...rows.map((r) => r.name.length), 5));
    const W = 52;
    const line = (a, b, cc, v) => `${clip(a, W1).padEnd(W1)} | ${clip(b, W).padEnd(W)} | ${clip(cc, W).padEnd(W)} | ${v}`;
    console.log('');
    console.log(line('check', 'direct', 'via sentinel', 'verdict'));
    console.log(`${'-'.repeat(W1)}-+-${'-'.repeat(W)}-+-${'-'.repeat(W)}-+--------`);
    for (const r of rows) console.log(line(r.name, r.direct, r.sentinel, r.verdict));
    console.log('');
    const withNotes = rows.filter((r) => (r.d?.notes?.length || r.s?.notes?.length));
    if (withNotes.length) {
        console.log('notes (informational, not compared):');
        for (const r of withNotes) {
            if (r.d?.notes?.length) console.log(`  ${r.name} [direct]: ${r.d.notes.join(' | ')}`);
            if (r.s?.notes?.length) console.log(`  ${r.name} [sentinel]: ${r.s.notes.join(' | ')}`);
        }
        console.log('');
    }

    for (const r of rows.filter((x) => x.verdict === 'FAIL')) {
        console.log(`==== FAIL: ${r.name}`);
        const show = (label, x) => {
            if (!x) return console.log(`  ${label}: (not run)`);
            console.log(`  ${label}: ${x.ok ? clip(canon(x.value), 4000) : 'ERROR ' + x.error}`);
        };
        if (!r.c.sentinelOnly) show('direct  ', r.d);
        show('sentinel', r.s);
        if (r.d?.ok && r.s?.ok) {
            const fd = firstDiff(r.d.value, r.s.value);
            if (fd) console.log(`  first difference at ${fd.path}:\n    direct:   ${clip(JSON.stringify(fd.a), 800)}\n    sentinel: ${clip(JSON.stringify(fd.b), 800)}`);
        }
        for (const [label, x] of [['direct', r.d], ['sentinel', r.s]]) {
            if (!x?.traffic) continue;
            for (const t of x.traffic) {
                console.log(`  -- wire (${label}) ${t.label}, ${t.entries.length} entries:`);
                console.log(dumpTraffic(t.entries));
                if (t.stderr && label === 'sentinel') console.log(`  -- stderr ${t.label} (tail):\n${t.stderr.slice(-1500).replace(/^/gm, '      ')}`);
            }
        }
        console.log('');
    }

    await closeAll();
    // a sanitizer report from sentinel (the ASan+UBSan CI run) fails the suite, whatever
    // the checks said: stderr is kept per connection
    await new Promise((r) => setTimeout(r, 200));
    const reports = allConnections.filter((c) => c.mode === 'sentinel' &&
        /AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|runtime error:/.test(c.stderr));
    for (const c of reports) console.log(`==== sanitizer report from sentinel (${c.label}):\n${c.stderr.slice(-4000)}`);
    const failed = fail + reports.length;
    console.log(`# ${suite}: ${rows.length} checks in ${((Date.now() - t0) / 1000).toFixed(1)} s; artifacts in ${artifacts}`);
    console.log(`${pass} passed, ${failed} failed, ${na} skipped`);
    return failed === 0 ? 0 : 1;
}
