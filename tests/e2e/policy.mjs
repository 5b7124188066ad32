#!/usr/bin/env node
// Policy enforcement through sentinel (sentinel-only checks), with server-filesystem 2026.8.31 and
// the official SDK client 1.32.2. Without SENTINEL_BIN every check is reported as SKIP.
//
// The main policy under test ("no-writes"):
//   version: 1 / default: allow / rules: [{id: no-writes, effect: deny,
//     tools: [write_file, edit_file, move_file], reason: read-only session}]
// Checks: denied tools are absent from tools/list; calling them anyway gives McpError -32001
// with data {rule, reason, decision_id}; nothing is written; read tools still work; --observe
// lets the same call through; --audit records the decision; and the denial cannot be bypassed
// by task augmentation, JSON escapes, duplicate keys or a batch array.
import fs from 'node:fs';
import path from 'node:path';
import { McpError, CreateTaskResultSchema } from '@modelcontextprotocol/sdk/types.js';
import {
    T, errString, assert, scratch, writePolicy, openConnection, filesystemServer, everythingServer, runSuite,
    isResponseTo, withTimeout, sleep,
} from './lib/harness.mjs';

const RO = { timeout: T };

const NO_WRITES = `version: 1
default: allow
rules:
  - id: no-writes
    effect: deny
    tools: ["write_file", "edit_file", "move_file"]
    reason: read-only session
`;
const DENIED = ['write_file', 'edit_file', 'move_file'];

let rootCounter = 0;
function makeRoot() {
    const root = path.join(scratch(), `policy-${++rootCounter}`);
    fs.mkdirSync(path.join(root, 'sub'), { recursive: true });
    fs.writeFileSync(path.join(root, 'a.txt'), 'alpha\n');
    fs.writeFileSync(path.join(root, 'sub', 'b.txt'), 'beta\n');
    return root;
}

const text = (r) => (r.content || []).filter((c) => c.type === 'text').map((c) => c.text).join('\n');
const exists = (p) => fs.existsSync(p);

/** Call a tool expecting a JSON-RPC error; returns the McpError (throws if the call succeeded). */
async function expectRpcError(conn, name, args) {
    try {
        const r = await conn.client.callTool({ name, arguments: args }, undefined, RO);
        throw new Error(`expected a JSON-RPC error for ${name}, got result: ${JSON.stringify(r).slice(0, 300)}`);
    } catch (e) {
        if (!(e instanceof McpError)) throw e;
        return e;
    }
}

function assertDenial(e, what) {
    assert(e.code === -32001, `${what}: code -32001 (got ${e.code}: ${e.message})`);
    assert(e.data && e.data.rule === 'no-writes', `${what}: data.rule == "no-writes" (got ${JSON.stringify(e.data)})`);
    assert(e.data.reason === 'read-only session', `${what}: data.reason == "read-only session" (got ${JSON.stringify(e.data.reason)})`);
    assert(typeof e.data.decision_id === 'string' && e.data.decision_id.length > 0, `${what}: data.decision_id is a non-empty string (got ${JSON.stringify(e.data.decision_id)})`);
}

/** Write one raw line and wait for the response with `id`. */
async function rawCall(conn, line, id, label) {
    conn.tap.sendRaw(line);
    const e = await conn.tap.waitFor(isResponseTo(id), { label: `response to ${label}` });
    return e.msg;
}

/**
 * Send a raw line that sentinel must answer with an error that has no usable id; return the raw
 * reply line, its parse, and whether the SDK client accepted it (a line it rejects shows up as a
 * transport error instead of a message).
 */
async function sendExpectingIdlessError(conn, line, label) {
    const mark = conn.tap.mark;
    const rawMark = conn.tap.rawOut.length;
    conn.tap.sendRaw(line);
    const e = await conn.tap.waitFor((x) => (x.dir === 's2c' && x.msg.error && (x.msg.id === undefined || x.msg.id === null)) || x.dir === 'err', { since: mark, timeout: 5000, label: `reply to ${label}` });
    await sleep(50);
    const raw = conn.tap.rawOut.slice(rawMark).find((l) => /"error"/.test(l) && !/"id":\s*(0|"[^"]*"|\d+)\s*[,}]/.test(l)) ?? '(none captured)';
    let msg;
    try {
        msg = JSON.parse(raw);
    } catch {
        msg = e.dir === 's2c' ? e.msg : undefined;
    }
    return { raw, msg, parsedBySdk: e.dir === 's2c', sdkError: e.dir === 'err' ? e.msg.error.slice(0, 200).replace(/\s+/g, ' ') : undefined };
}

const open = (ctx, root, policyYaml = NO_WRITES, extra = {}) =>
    ctx.open(filesystemServer(root), { policy: writePolicy(`policy-${rootCounter}.yaml`, policyYaml), ...extra });

const checks = [
    {
        name: 'deny: tools/list omits denied tools',
        sentinelOnly: true,
        run: async (ctx) => {
            const root = makeRoot();
            const base = await openConnection('direct', filesystemServer(root), { tag: 'baseline' });
            const direct = (await base.client.listTools(undefined, RO)).tools.map((t) => t.name);
            await base.close();
            const c = await open(ctx, root);
            const via = (await c.client.listTools(undefined, RO)).tools.map((t) => t.name);
            const expected = direct.filter((n) => !DENIED.includes(n));
            assert(JSON.stringify(via) === JSON.stringify(expected), `tools/list through sentinel == direct minus denied, in order\n  direct: ${direct}\n  via:    ${via}`);
            return { summary: `${direct.length} -> ${via.length} tools; absent: ${DENIED.filter((d) => !via.includes(d)).join(',')}` };
        },
    },
    {
        name: 'deny: write_file -> McpError -32001',
        sentinelOnly: true,
        run: async (ctx) => {
            const root = makeRoot();
            const c = await open(ctx, root);
            await c.client.listTools(undefined, RO);
            const target = path.join(root, 'written.txt');
            const e = await expectRpcError(c, 'write_file', { path: target, content: 'must not be written' });
            assertDenial(e, 'write_file');
            assert(!exists(target), 'the file was not written');
            const e2 = await expectRpcError(c, 'edit_file', { path: path.join(root, 'a.txt'), edits: [{ oldText: 'alpha', newText: 'ALPHA' }] });
            assertDenial(e2, 'edit_file');
            const e3 = await expectRpcError(c, 'move_file', { source: path.join(root, 'a.txt'), destination: path.join(root, 'moved.txt') });
            assertDenial(e3, 'move_file');
            assert(fs.readFileSync(path.join(root, 'a.txt'), 'utf8') === 'alpha\n' && !exists(path.join(root, 'moved.txt')), 'a.txt untouched');
            assert(new Set([e.data.decision_id, e2.data.decision_id, e3.data.decision_id]).size === 3, 'decision ids are distinct');
            ctx.note(`error: ${JSON.stringify({ code: e.code, message: e.message, data: e.data })}`);
            return { summary: `-32001 rule=${e.data.rule} reason="${e.data.reason}" id=${e.data.decision_id.slice(0, 12)}…; nothing written` };
        },
    },
    {
        name: 'deny: read tools still work',
        sentinelOnly: true,
        run: async (ctx) => {
            const root = makeRoot();
            const c = await open(ctx, root);
            await expectRpcError(c, 'write_file', { path: path.join(root, 'x.txt'), content: 'x' });
            const r1 = await c.client.callTool({ name: 'read_text_file', arguments: { path: path.join(root, 'a.txt') } }, undefined, RO);
            const r2 = await c.client.callTool({ name: 'list_directory', arguments: { path: root } }, undefined, RO);
            const r3 = await c.client.callTool({ name: 'search_files', arguments: { path: root, pattern: '**/*.txt' } }, undefined, RO);
            assert(text(r1) === 'alpha\n', `read_text_file works (got ${JSON.stringify(text(r1))})`);
            assert(text(r2) === '[FILE] a.txt\n[DIR] sub' || text(r2) === '[DIR] sub\n[FILE] a.txt', `list_directory works (got ${JSON.stringify(text(r2))})`);
            assert(!r3.isError && text(r3).includes('b.txt'), 'search_files works');
            return { summary: 'read_text_file, list_directory, search_files ok after a denial' };
        },
    },
    {
        name: 'observe: denied call goes through',
        sentinelOnly: true,
        run: async (ctx) => {
            const root = makeRoot();
            const c = await open(ctx, root, NO_WRITES, { observe: true });
            const names = (await c.client.listTools(undefined, RO)).tools.map((t) => t.name);
            const target = path.join(root, 'observed.txt');
            const r = await c.client.callTool({ name: 'write_file', arguments: { path: target, content: 'observed\n' } }, undefined, RO);
            assert(!r.isError, `write_file succeeded (got ${JSON.stringify(r)})`);
            assert(exists(target) && fs.readFileSync(target, 'utf8') === 'observed\n', 'the file was written');
            ctx.note(`tools/list under --observe lists write_file: ${names.includes('write_file')}`);
            return { summary: `written; tools/list has write_file: ${names.includes('write_file')}` };
        },
    },
    {
        name: 'audit: denial recorded with decision_id',
        sentinelOnly: true,
        run: async (ctx) => {
            const root = makeRoot();
            const audit = path.join(scratch(), `audit-${rootCounter}.jsonl`);
            const c = await open(ctx, root, NO_WRITES, { audit });
            const e = await expectRpcError(c, 'write_file', { path: path.join(root, 'w.txt'), content: 'x' });
            assertDenial(e, 'write_file');
            await c.client.callTool({ name: 'read_text_file', arguments: { path: path.join(root, 'a.txt') } }, undefined, RO);
            await c.close();
            assert(exists(audit), `audit file ${audit} exists`);
            const lines = fs.readFileSync(audit, 'utf8').split('\n').filter(Boolean);
            const recs = lines.map((l, i) => {
                try {
                    return JSON.parse(l);
                } catch {
                    throw new Error(`audit line ${i + 1} is not JSON: ${l.slice(0, 200)}`);
                }
            });
            const hit = lines.find((l) => l.includes(e.data.decision_id));
            assert(hit, `a record carries decision_id ${e.data.decision_id}`);
            assert(hit.includes('no-writes'), 'that record names the rule');
            ctx.note(`${recs.length} records; denial record: ${hit.slice(0, 400)}`);
            return { summary: `${recs.length} JSON records; denial found with rule` };
        },
    },
    {
        name: 'deny: task-augmented tools/call',
        sentinelOnly: true,
        run: async (ctx) => {
            const root = makeRoot();
            const c = await open(ctx, root);
            const target = path.join(root, 'task.txt');
            const line = JSON.stringify({ jsonrpc: '2.0', id: 'raw-task', method: 'tools/call', params: { name: 'write_file', arguments: { path: target, content: 'x' }, task: { ttl: 60000 } } });
            const m = await rawCall(c, line, 'raw-task', 'task-augmented write_file');
            await sleep(200);
            assert(!exists(target), 'file not written');
            assert(m.error?.code === -32001 && m.error?.data?.rule === 'no-writes', `denied with -32001/no-writes (got ${JSON.stringify(m)})`);
            return { summary: `-32001 ${m.error.data.rule}` };
        },
    },
    {
        name: 'deny: escaped names (\\u005f, \\u002f)',
        sentinelOnly: true,
        run: async (ctx) => {
            const root = makeRoot();
            const c = await open(ctx, root);
            const t1 = path.join(root, 'esc1.txt');
            const t2 = path.join(root, 'esc2.txt');
            const line1 = `{"jsonrpc":"2.0","id":"raw-esc1","method":"tools/call","params":{"name":"write\\u005ffile","arguments":{"path":${JSON.stringify(t1)},"content":"x"}}}`;
            const line2 = `{"jsonrpc":"2.0","id":"raw-esc2","method":"tools\\u002fcall","params":{"name":"\\u0077rite_file","arguments":{"path":${JSON.stringify(t2)},"content":"x"}}}`;
            const m1 = await rawCall(c, line1, 'raw-esc1', 'escaped name');
            const m2 = await rawCall(c, line2, 'raw-esc2', 'escaped method');
            await sleep(200);
            assert(!exists(t1) && !exists(t2), `nothing written (esc1: ${exists(t1)}, esc2: ${exists(t2)})`);
            assert(m1.error?.code === -32001 && m2.error?.code === -32001, `both denied with -32001 (got ${JSON.stringify(m1.error)} / ${JSON.stringify(m2.error)})`);
            return { summary: 'both denied -32001, nothing written' };
        },
    },
    {
        name: 'deny: duplicate "name" key not forwarded',
        sentinelOnly: true,
        run: async (ctx) => {
            const root = makeRoot();
            const c = await open(ctx, root);
            const t = path.join(root, 'dup.txt');
            // JSON.parse (the server) keeps the last duplicate: write_file
            const line = `{"jsonrpc":"2.0","id":"raw-dup","method":"tools/call","params":{"name":"read_text_file","name":"write_file","arguments":{"path":${JSON.stringify(t)},"content":"dup"}}}`;
            c.tap.sendRaw(line);
            let m;
            try {
                m = (await c.tap.waitFor((e) => e.dir === 's2c' && (e.msg.id === 'raw-dup' || (e.msg.id === null && e.msg.error)), { timeout: 5000, label: 'reply to duplicate-key message' })).msg;
            } catch {
                m = null;
            }
            await sleep(200);
            assert(!exists(t), 'the file was not written (duplicate key passed through to the server)');
            ctx.note(`reply: ${JSON.stringify(m)}`);
            const ping = await c.client.ping(RO);
            return { summary: `not written; reply ${m ? `error ${m.error?.code}` : 'none'}; connection alive: ${!!ping}` };
        },
    },
    {
        name: 'batch array rejected (2025-11-25)',
        sentinelOnly: true,
        run: async (ctx) => {
            const root = makeRoot();
            const c = await open(ctx, root);
            const t = path.join(root, 'batch.txt');
            const line = JSON.stringify([
                { jsonrpc: '2.0', id: 'raw-b1', method: 'tools/call', params: { name: 'write_file', arguments: { path: t, content: 'x' } } },
                { jsonrpc: '2.0', id: 'raw-b2', method: 'tools/call', params: { name: 'read_text_file', arguments: { path: path.join(root, 'a.txt') } } },
            ]);
            const reply = await sendExpectingIdlessError(c, line, 'batch');
            await sleep(200);
            assert(!exists(t), 'nothing written');
            const ping = await c.client.ping(RO);
            assert(reply.msg?.error?.code === -32600, `reply is -32600 (got ${reply.raw})`);
            assert(reply.parsedBySdk, `the SDK client can parse the reply (MCP: reply -32600 with no id; ids are never null). Raw reply: ${reply.raw}; SDK error: ${reply.sdkError}`);
            return { summary: `-32600, SDK-parseable; nothing written; alive: ${!!ping}` };
        },
    },
    {
        name: 'malformed line -> -32700, session survives',
        sentinelOnly: true,
        run: async (ctx) => {
            const root = makeRoot();
            const c = await open(ctx, root);
            const reply = await sendExpectingIdlessError(c, 'this is not json {', 'malformed line');
            const r = await c.client.callTool({ name: 'read_text_file', arguments: { path: path.join(root, 'a.txt') } }, undefined, RO);
            assert(text(r) === 'alpha\n', 'session still works');
            assert(reply.msg?.error?.code === -32700, `reply is -32700 (got ${reply.raw})`);
            assert(reply.parsedBySdk, `the SDK client can parse the reply (error without id, never "id": null). Raw reply: ${reply.raw}; SDK error: ${reply.sdkError}`);
            return { summary: '-32700, SDK-parseable; session works' };
        },
    },
    {
        name: 'deny: ids echoed exactly (0, "0", "é")',
        sentinelOnly: true,
        run: async (ctx) => {
            const root = makeRoot();
            const c = await open(ctx, root);
            const out = [];
            for (const id of [0, '0', 'é-id', 2 ** 40]) {
                const line = JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'write_file', arguments: { path: path.join(root, 'id.txt'), content: 'x' } } });
                // id 0 was the SDK's initialize: match on error + id to find our reply
                c.tap.sendRaw(line);
                const m = (await c.tap.waitFor((e) => e.dir === 's2c' && e.msg.error && e.msg.id === id, { label: `denial for id ${JSON.stringify(id)}` })).msg;
                assert(m.error.code === -32001, `id ${JSON.stringify(id)}: -32001`);
                out.push(JSON.stringify(m.id));
            }
            assert(!exists(path.join(root, 'id.txt')), 'nothing written');
            return { summary: `ids ${out.join(' ')}` };
        },
    },
    {
        name: 'batch on a 2025-03-26 session: split + policed',
        sentinelOnly: true,
        run: async (ctx) => {
            const root = makeRoot();
            const c = await open(ctx, root, NO_WRITES, { raw: true });
            const send = (m) => c.tap.send({ jsonrpc: '2.0', ...m });
            await send({ id: 1, method: 'initialize', params: { protocolVersion: '2025-03-26', capabilities: {}, clientInfo: { name: 'raw', version: '0' } } });
            const init = await c.tap.waitFor(isResponseTo(1), { label: 'initialize' });
            assert(init.msg.result?.protocolVersion === '2025-03-26', `server agreed to 2025-03-26 (got ${JSON.stringify(init.msg)})`);
            await send({ method: 'notifications/initialized' });
            const t = path.join(root, 'batch.txt');
            c.tap.sendRaw(JSON.stringify([
                { jsonrpc: '2.0', id: 'b-w', method: 'tools/call', params: { name: 'write_file', arguments: { path: t, content: 'x' } } },
                { jsonrpc: '2.0', id: 'b-r', method: 'tools/call', params: { name: 'read_text_file', arguments: { path: path.join(root, 'a.txt') } } },
            ]));
            // JSON-RPC 2.0: a batch gets a batch response (an array); single responses are accepted too.
            // The SDK cannot parse arrays, so read the raw stdout lines.
            const find = () => {
                const got = {};
                for (const l of c.tap.rawOut) {
                    let v;
                    try {
                        v = JSON.parse(l);
                    } catch {
                        continue;
                    }
                    for (const m of Array.isArray(v) ? v : [v]) if (m && (m.id === 'b-w' || m.id === 'b-r')) got[m.id] = { m, inArray: Array.isArray(v) };
                }
                return got;
            };
            let got = {};
            for (let i = 0; i < 100 && !(got['b-w'] && got['b-r']); i++) {
                await sleep(50);
                got = find();
            }
            ctx.note(`raw replies: ${c.tap.rawOut.slice(-2).join(' || ').slice(0, 700)}`);
            assert(got['b-w'] && got['b-r'], `replies for both batch members (got ${Object.keys(got)})`);
            const w = got['b-w'].m;
            const r = got['b-r'].m;
            await sleep(200);
            assert(!exists(t), 'write_file in the batch was not executed');
            assert(w.error?.code === -32001 && w.error?.data?.rule === 'no-writes', `batched write_file denied (got ${JSON.stringify(w)})`);
            assert(r.result?.content?.[0]?.text === 'alpha\n', `batched read_text_file answered (got ${JSON.stringify(r).slice(0, 300)})`);
            return { summary: `b-w -> -32001 no-writes; b-r -> result (${got['b-w'].inArray ? 'batch response array' : 'single responses'})` };
        },
    },
    {
        name: 'deny: task-only tool (server-everything)',
        sentinelOnly: true,
        run: async (ctx) => {
            const c = await ctx.open(everythingServer(), {
                policy: writePolicy('no-research.yaml', 'version: 1\ndefault: allow\nrules:\n  - id: no-research\n    effect: deny\n    tools: ["simulate-research-query"]\n    reason: no background research\n'),
                capabilities: { elicitation: { form: {} } },
            });
            const names = (await c.client.listTools(undefined, RO)).tools.map((t) => t.name);
            assert(!names.includes('simulate-research-query') && names.includes('echo'), 'simulate-research-query hidden, echo listed');
            let err;
            try {
                await c.client.request({ method: 'tools/call', params: { name: 'simulate-research-query', arguments: { topic: 'x' }, task: { ttl: 60000 } } }, CreateTaskResultSchema, RO);
            } catch (e) {
                err = e;
            }
            assert(err instanceof McpError && err.code === -32001 && err.data?.rule === 'no-research', `task-augmented call denied (got ${errString(err)} ${JSON.stringify(err?.data)})`);
            const tasks = await c.client.experimental.tasks.listTasks(undefined, RO);
            assert(tasks.tasks.length === 0, `no task was created upstream (got ${tasks.tasks.length})`);
            const echo = await c.client.callTool({ name: 'echo', arguments: { message: 'still here' } }, undefined, RO);
            assert(text(echo) === 'Echo: still here', 'other tools work');
            return { summary: `hidden; task call -> -32001 ${err.data.rule}; no task upstream` };
        },
    },
    {
        name: 'default deny + allow rule',
        sentinelOnly: true,
        run: async (ctx) => {
            const root = makeRoot();
            const c = await open(ctx, root, `version: 1
default: deny
rules:
  - id: reads-only
    effect: allow
    tools: ["read_text_file", "list_allowed_directories"]
`);
            const names = (await c.client.listTools(undefined, RO)).tools.map((t) => t.name).sort();
            assert(JSON.stringify(names) === JSON.stringify(['list_allowed_directories', 'read_text_file']), `only allowed tools listed (got ${names})`);
            const r = await c.client.callTool({ name: 'read_text_file', arguments: { path: path.join(root, 'a.txt') } }, undefined, RO);
            assert(text(r) === 'alpha\n', 'allowed call works');
            const e = await expectRpcError(c, 'list_directory', { path: root });
            assert(e.code === -32001 && typeof e.data?.rule === 'string' && typeof e.data?.decision_id === 'string', `unmatched call denied -32001 with data (got ${e.code} ${JSON.stringify(e.data)})`);
            return { summary: `listed ${names.join(',')}; list_directory -> -32001 rule=${e.data.rule}` };
        },
    },
    {
        name: 'glob rule "read_*"',
        sentinelOnly: true,
        run: async (ctx) => {
            const root = makeRoot();
            const c = await open(ctx, root, `version: 1
default: allow
rules:
  - id: no-reads
    effect: deny
    tools: ["read_*"]
    reason: no reading
`);
            const names = (await c.client.listTools(undefined, RO)).tools.map((t) => t.name);
            const reads = names.filter((n) => n.startsWith('read_'));
            assert(reads.length === 0, `no read_* tool listed (got ${reads})`);
            assert(names.includes('list_directory') && names.includes('write_file'), 'other tools still listed');
            const e = await expectRpcError(c, 'read_multiple_files', { paths: [path.join(root, 'a.txt')] });
            assert(e.code === -32001 && e.data?.rule === 'no-reads', `read_multiple_files denied by no-reads (got ${e.code} ${JSON.stringify(e.data)})`);
            return { summary: `${names.length} listed, no read_*; read_multiple_files -> -32001 no-reads` };
        },
    },
];

process.exit(await runSuite({
    suite: 'policy',
    title: 'sentinel e2e: policy enforcement with server-filesystem 2026.8.31 (sentinel only)',
    checks,
    setup: async () => ({}),
}));
