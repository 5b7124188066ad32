#!/usr/bin/env node
// End-to-end fidelity checks against @modelcontextprotocol/server-everything 2026.8.31, run
// directly and through sentinel (allow-all policy), with the official SDK client 1.32.2.
// Usage: SENTINEL_BIN=build/bin/sentinel node tests/e2e/everything.mjs
import {
    CreateMessageRequestSchema,
    ElicitRequestSchema,
    ListRootsRequestSchema,
    ResultSchema,
    CreateTaskResultSchema,
    McpError,
} from '@modelcontextprotocol/sdk/types.js';
import { InMemoryTaskStore } from '@modelcontextprotocol/sdk/experimental/tasks';
import path from 'node:path';
import {
    T, E2E_DIR, NODE, sleep, withTimeout, canon, sha, errString, normText, normDeep, assert,
    openConnection, everythingServer, runSuite, serverPids, connPids, waitGone,
    isNotif, isResponseTo, isS2CRequest, procState, killLeftovers,
} from './lib/harness.mjs';

const peerServer = () => ({ name: 'peer-server', argv: [NODE, path.join(E2E_DIR, 'fixtures', 'peer-server.mjs')] });

const FULL_CAPS = {
    sampling: {},
    elicitation: { form: {}, url: {} },
    roots: { listChanged: true },
    tasks: { requests: { sampling: { createMessage: {} }, elicitation: { create: {} } } },
};
const RO = { timeout: T }; // request options for every SDK call

/** Handlers shared by all connections of this suite; `state` is per connection. */
function installHandlers(client, conn) {
    const state = (conn.state = { roots: [{ uri: 'file:///tmp/e2e-root-a', name: 'root A' }], elicitAction: 'accept', samplingHold: null });
    const deferTaskResult = async (extra, result) => {
        const task = await extra.taskStore.createTask({ ttl: 60000, pollInterval: 200 });
        setTimeout(() => extra.taskStore.storeTaskResult(task.taskId, 'completed', result).catch(() => {}), 150);
        return { task };
    };
    client.setRequestHandler(CreateMessageRequestSchema, async (req, extra) => {
        conn.received.push(req);
        const p = req.params;
        if (state.samplingHold === 'until-cancelled') {
            // peer-server's sample-then-cancel: never answer; note the cancellation
            await new Promise((resolve) => extra.signal.addEventListener('abort', resolve, { once: true }));
            state.samplingCancelled = String(extra.signal.reason ?? 'aborted');
            throw new McpError(-32800, 'cancelled');
        }
        const text = p.messages.map((m) => m.content?.text ?? '').join(' / ');
        const result = { model: 'e2e-model', role: 'assistant', content: { type: 'text', text: `sampled[${p.maxTokens}]: ${text}` }, stopReason: 'endTurn' };
        if (p.task) return deferTaskResult(extra, result);
        return result;
    });
    client.setRequestHandler(ElicitRequestSchema, async (req, extra) => {
        conn.received.push(req);
        const p = req.params;
        let result;
        if (state.elicitAction !== 'accept') result = { action: state.elicitAction };
        else if (p.mode === 'url') result = { action: 'accept' };
        else if (p.requestedSchema?.properties?.interpretation) {
            const opts = p.requestedSchema.properties.interpretation.oneOf.map((o) => o.const);
            result = { action: 'accept', content: { interpretation: opts.includes('snake') ? 'snake' : opts[0] } };
        } else result = { action: 'accept', content: { name: 'Ada Lovelace', check: true, email: 'ada@example.com', integer: 7, number: 2.5 } };
        if (p.task) return deferTaskResult(extra, result);
        return result;
    });
    client.setRequestHandler(ListRootsRequestSchema, async (req) => {
        conn.received.push(req);
        return { roots: state.roots };
    });
}

const text = (r) => (r.content || []).filter((c) => c.type === 'text').map((c) => c.text).join('\n');
const call = (conn, name, args, opts = {}) => conn.client.callTool({ name, arguments: args }, undefined, { ...RO, ...opts });

/** Generic request through the shared client, result validated only loosely. */
const rawRequest = (conn, method, params, opts = {}) => conn.client.request({ method, params }, ResultSchema, { ...RO, ...opts });

function normContent(content) {
    return (content || []).map((c) => {
        const o = { ...c };
        if (o.data) o.data = `<${o.data.length}b sha ${sha(o.data)}>`;
        if (o.resource?.blob) o.resource = { ...o.resource, blob: normText(Buffer.from(o.resource.blob, 'base64').toString('latin1')) };
        return normDeep(o);
    });
}

async function allPages(fetch, key) {
    const items = [];
    let cursor;
    let pages = 0;
    do {
        const r = await fetch(cursor ? { cursor } : undefined);
        items.push(...r[key]);
        cursor = r.nextCursor;
        pages++;
    } while (cursor && pages < 50);
    return { items, pages };
}

// ---------------------------------------------------------------------------------------------

const checks = [
    {
        name: 'initialize',
        run: ({ conn }) => {
            const init = conn.tap.log.find((e) => e.dir === 's2c' && e.msg.id === 0);
            const req = conn.tap.log.find((e) => e.dir === 'c2s' && e.msg.method === 'initialize');
            const r = init.msg.result;
            return {
                summary: `v=${r.protocolVersion} server=${r.serverInfo.name} caps=${Object.keys(r.capabilities).sort().join(',')}`,
                sent: req.msg.params.protocolVersion,
                protocolVersion: r.protocolVersion,
                serverInfo: r.serverInfo,
                capabilities: r.capabilities,
                instructions: r.instructions ? `<${r.instructions.length} chars sha ${sha(r.instructions)}>` : null,
                idType: typeof init.msg.id,
            };
        },
    },
    {
        name: 'version-negotiation',
        run: async (ctx) => {
            const versions = ['2025-11-25', '2025-06-18', '2025-03-26', '2024-11-05', '1999-01-01'];
            const out = {};
            await Promise.all(versions.map(async (v) => {
                const c = await ctx.open(everythingServer(), { raw: true });
                await c.tap.send({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: v, capabilities: {}, clientInfo: { name: 'raw', version: '0' } } });
                const e = await c.tap.waitFor(isResponseTo(1), { label: `initialize ${v}` });
                out[v] = e.msg.result ? e.msg.result.protocolVersion : `error ${e.msg.error.code}`;
                await c.close();
            }));
            return { summary: versions.map((v) => `${v}->${out[v]}`).join(' '), ...out };
        },
    },
    {
        name: 'ping client->server',
        run: async ({ conn }) => ({ result: await conn.client.ping(RO) }),
    },
    {
        name: 'tools/list (paged)',
        run: async ({ conn }) => {
            const { items, pages } = await allPages((p) => conn.client.listTools(p, RO), 'tools');
            const names = items.map((t) => t.name);
            return { summary: `${items.length} tools, ${pages} page(s), sha ${sha(canon(items))}`, pages, names, tools: items };
        },
    },
    {
        name: 'tools/list_changed on init',
        run: ({ conn }) => {
            const n = conn.tap.log.filter(isNotif('notifications/tools/list_changed')).length;
            return { summary: `${n} notifications`, count: n };
        },
    },
    {
        name: 'tools/call echo',
        run: async ({ conn }) => {
            const r = await call(conn, 'echo', { message: 'hello sentinel' });
            return { summary: text(r), result: r };
        },
    },
    {
        name: 'tools/call get-sum',
        run: async ({ conn }) => {
            const r = await call(conn, 'get-sum', { a: 19, b: 23.5 });
            return { summary: text(r), result: r };
        },
    },
    {
        name: 'tools/call unicode',
        run: async ({ conn }) => {
            const msg = 'é ü 中文 😀 \u2028 \u2029 \u0000 \u001f tab\t nl\n quote" bslash\\ \uFEFF \u200B end';
            const r = await call(conn, 'echo', { message: msg });
            const t = text(r);
            return { summary: `exact round trip: ${t === `Echo: ${msg}`}`, exact: t === `Echo: ${msg}`, sha: sha(t) };
        },
    },
    {
        name: 'tools/call large (64KiB, 4MiB)',
        run: async ({ conn }) => {
            const out = {};
            for (const n of [64 * 1024, 4 * 1024 * 1024]) {
                const msg = 'x'.repeat(n - 17) + '€' + 'y'.repeat(16);
                const r = await call(conn, 'echo', { message: msg });
                out[n] = text(r) === `Echo: ${msg}`;
            }
            return { summary: Object.entries(out).map(([n, ok]) => `${n}:${ok}`).join(' '), ...out };
        },
    },
    {
        name: 'tools/call concurrent x24',
        run: async ({ conn }) => {
            const ps = [];
            for (let i = 0; i < 24; i++) {
                ps.push(i % 2 ? call(conn, 'get-sum', { a: i, b: 1000 }) : call(conn, 'echo', { message: `m${i}` }));
            }
            const rs = await Promise.all(ps);
            const ok = rs.every((r, i) => text(r) === (i % 2 ? `The sum of ${i} and 1000 is ${i + 1000}.` : `Echo: m${i}`));
            return { summary: `all matched: ${ok}`, ok };
        },
    },
    {
        name: 'tools/call invalid args',
        run: async ({ conn }) => {
            try {
                const r = await call(conn, 'get-sum', { a: 'one' });
                return { summary: `isError=${r.isError} ${text(r).slice(0, 40)}`, result: r };
            } catch (e) {
                return { summary: errString(e).slice(0, 60), error: errString(e) };
            }
        },
    },
    {
        name: 'tools/call unknown tool',
        run: async ({ conn }) => {
            try {
                const r = await call(conn, 'no-such-tool', {});
                return { summary: `isError=${r.isError} ${text(r).slice(0, 40)}`, result: r };
            } catch (e) {
                return { summary: errString(e).slice(0, 60), error: errString(e), code: e.code };
            }
        },
    },
    {
        name: 'structuredContent',
        run: async ({ conn }) => {
            const r = await call(conn, 'get-structured-content', { location: 'Chicago' });
            return { summary: canon(r.structuredContent), result: r };
        },
    },
    {
        name: 'annotations + image content',
        run: async ({ conn }) => {
            const r = await call(conn, 'get-annotated-message', { messageType: 'error', includeImage: true });
            const r2 = await call(conn, 'get-tiny-image', {});
            const c = [...normContent(r.content), ...normContent(r2.content)];
            return { summary: c.map((x) => x.type + (x.annotations ? '+ann' : '')).join(','), content: c };
        },
    },
    {
        name: 'resource_link content',
        run: async ({ conn }) => {
            const r = await call(conn, 'get-resource-links', { count: 4 });
            const c = normContent(r.content);
            return { summary: c.map((x) => x.type).join(','), content: c };
        },
    },
    {
        name: 'embedded resource content',
        run: async ({ conn }) => {
            const a = await call(conn, 'get-resource-reference', { resourceType: 'Text', resourceId: 3 });
            const b = await call(conn, 'get-resource-reference', { resourceType: 'Blob', resourceId: 4 });
            const c = [...normContent(a.content), ...normContent(b.content)];
            return { summary: c.map((x) => x.type + (x.resource ? `(${x.resource.uri})` : '')).join(','), content: c };
        },
    },
    {
        name: 'progress notifications',
        run: async ({ conn, note }) => {
            const mark = conn.tap.mark;
            const cb = [];
            const r = await call(conn, 'trigger-long-running-operation', { duration: 1, steps: 4 }, { onprogress: (p) => cb.push(p) });
            const entries = conn.tap.since(mark);
            const req = entries.find((e) => e.dir === 'c2s' && e.msg.method === 'tools/call');
            const token = req.msg.params._meta.progressToken;
            const respIdx = entries.findIndex(isResponseTo(req.msg.id));
            const prog = entries.filter(isNotif('notifications/progress'));
            const onWire = prog.map((e) => e.msg.params);
            note(`SDK onprogress callbacks: ${cb.length} (>=1 required; SDK may drop the last one)`);
            assert(cb.length >= 1, 'at least one onprogress callback');
            return {
                summary: `wire=${onWire.map((p) => p.progress).join(',')}/${onWire[0]?.total} beforeResponse=${prog.every((e) => entries.indexOf(e) < respIdx)} cb>=1`,
                progress: onWire.map((p) => ({ progress: p.progress, total: p.total, tokenMatches: p.progressToken === token })),
                allBeforeResponse: prog.every((e) => entries.indexOf(e) < respIdx),
                callbacksAtLeastOne: cb.length >= 1,
                result: text(r),
            };
        },
    },
    {
        name: '_meta passthrough (request)',
        run: async ({ conn }) => {
            // A string progressToken and extra vendor/trace keys in _meta; the server echoes the token
            // in its progress notifications, proving _meta reached it unchanged.
            const mark = conn.tap.mark;
            const meta = { progressToken: 'e2e-tok-\u00e9-7', traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01', 'com.example/e2e': { n: 1, s: 'x' } };
            const r = await conn.client.callTool({ name: 'trigger-long-running-operation', arguments: { duration: 0.4, steps: 2 }, _meta: meta }, undefined, RO);
            const prog = conn.tap.since(mark, isNotif('notifications/progress')).map((e) => e.msg.params);
            return { summary: `tokens echoed: ${prog.map((p) => p.progressToken).join(',')}`, tokens: prog.map((p) => p.progressToken), result: text(r) };
        },
    },
    {
        name: 'cancellation (AbortController)',
        timeout: 25000,
        run: async ({ conn, note }) => {
            const mark = conn.tap.mark;
            const ac = new AbortController();
            const t0 = Date.now();
            const p = call(conn, 'trigger-long-running-operation', { duration: 3, steps: 6 }, { signal: ac.signal, onprogress: () => {} });
            const req = await conn.tap.waitFor((e) => e.dir === 'c2s' && e.msg.method === 'tools/call' && e.msg.params?.name === 'trigger-long-running-operation', { since: mark });
            await conn.tap.waitFor(isNotif('notifications/progress'), { since: mark, label: 'first progress' });
            ac.abort('e2e-cancel');
            let rejected;
            try {
                await withTimeout(p, T, 'aborted call');
                rejected = 'resolved (not rejected!)';
            } catch (e) {
                rejected = errString(e);
            }
            const cancelled = await conn.tap.waitFor((e) => e.dir === 'c2s' && e.msg.method === 'notifications/cancelled', { since: mark });
            // wait until well after the operation would have finished: the server must not answer it
            await sleep(Math.max(0, 3600 - (Date.now() - t0)));
            const late = conn.tap.since(mark).filter(isResponseTo(req.msg.id));
            const lateProgress = conn.tap.since(cancelled.i).filter(isNotif('notifications/progress')).length;
            note(`progress notifications after cancel: ${lateProgress} (server-everything keeps sending them)`);
            const after = await call(conn, 'echo', { message: 'after-cancel' });
            return {
                summary: `rejected; cancelled sent for id; response after cancel: ${late.length}; then ${text(after)}`,
                rejected,
                cancelledRequestIdMatches: cancelled.msg.params.requestId === req.msg.id,
                cancelReason: cancelled.msg.params.reason,
                responsesAfterCancel: late.length,
                echoAfter: text(after),
            };
        },
    },
    {
        name: 'resources/list (paged)',
        run: async ({ conn }) => {
            const { items, pages } = await allPages((p) => conn.client.listResources(p, RO), 'resources');
            return { summary: `${items.length} resources, ${pages} page(s), sha ${sha(canon(items))}`, pages, resources: items };
        },
    },
    {
        name: 'resources/templates/list',
        run: async ({ conn }) => {
            const { items, pages } = await allPages((p) => conn.client.listResourceTemplates(p, RO), 'resourceTemplates');
            return { summary: items.map((t) => t.uriTemplate).join(' '), pages, templates: items };
        },
    },
    {
        name: 'resources/read',
        run: async ({ conn }) => {
            const list = await conn.client.listResources(undefined, RO);
            const uris = [list.resources[0].uri, 'demo://resource/dynamic/text/1', 'demo://resource/dynamic/blob/2'];
            const out = [];
            for (const uri of uris) {
                const r = await conn.client.readResource({ uri }, RO);
                out.push(r.contents.map((c) => ({
                    uri: c.uri, mimeType: c.mimeType,
                    text: c.text === undefined ? undefined : c.text.length > 300 ? `<${c.text.length} chars sha ${sha(c.text)}>` : normText(c.text),
                    blob: c.blob === undefined ? undefined : normText(Buffer.from(c.blob, 'base64').toString('latin1')),
                })));
            }
            return { summary: out.map((c) => `${c[0].uri.split('/').slice(-2).join('/')}:${c[0].text ? 'text' : 'blob'}`).join(' '), contents: out };
        },
    },
    {
        name: 'resources/read unknown',
        run: async ({ conn }) => {
            try {
                const r = await conn.client.readResource({ uri: 'demo://resource/dynamic/text/0' }, RO);
                return { summary: 'no error', r };
            } catch (e) {
                return { summary: errString(e), error: errString(e) };
            }
        },
    },
    {
        name: 'resources/subscribe + updated',
        run: async ({ conn }) => {
            const uri = 'demo://resource/dynamic/text/7';
            const mark = conn.tap.mark;
            const sub = await conn.client.subscribeResource({ uri }, RO);
            const t1 = await call(conn, 'toggle-subscriber-updates', {});
            const upd = await conn.tap.waitFor((e) => isNotif('notifications/resources/updated')(e) && e.msg.params.uri === uri, { since: mark, label: 'resources/updated' });
            const t2 = await call(conn, 'toggle-subscriber-updates', {});
            const unsub = await conn.client.unsubscribeResource({ uri }, RO);
            return {
                summary: `subscribe ok, updated(${upd.msg.params.uri.split('/').pop()}) received, unsubscribe ok`,
                sub, unsub, updated: upd.msg.params,
                toggles: [normText(text(t1)).slice(0, 40), normText(text(t2)).slice(0, 40)],
            };
        },
    },
    {
        name: 'logging/setLevel + notifications/message',
        run: async ({ conn }) => {
            await conn.client.setLoggingLevel('info', RO);
            const m1 = conn.tap.mark;
            await conn.client.subscribeResource({ uri: 'demo://e2e/log-a' }, RO);
            const infoMsgs = conn.tap.since(m1, isNotif('notifications/message')).map((e) => e.msg.params);
            await conn.client.setLoggingLevel('error', RO);
            const m2 = conn.tap.mark;
            await conn.client.subscribeResource({ uri: 'demo://e2e/log-b' }, RO);
            const filtered = conn.tap.since(m2, isNotif('notifications/message')).map((e) => e.msg.params);
            await conn.client.setLoggingLevel('debug', RO);
            await conn.client.unsubscribeResource({ uri: 'demo://e2e/log-a' }, RO);
            await conn.client.unsubscribeResource({ uri: 'demo://e2e/log-b' }, RO);
            // simulated logging: one message is sent at once when it is switched on
            const m3 = conn.tap.mark;
            await call(conn, 'toggle-simulated-logging', {});
            await conn.tap.waitFor(isNotif('notifications/message'), { since: m3, label: 'simulated log message' });
            await call(conn, 'toggle-simulated-logging', {});
            return {
                summary: `info: ${infoMsgs.length} msg (${infoMsgs[0]?.level}), at error level: ${filtered.length}, simulated: >=1`,
                atInfo: infoMsgs,
                atError: filtered,
                simulated: true,
            };
        },
    },
    {
        name: 'prompts/list',
        run: async ({ conn }) => {
            const { items, pages } = await allPages((p) => conn.client.listPrompts(p, RO), 'prompts');
            return { summary: items.map((p) => p.name).join(','), pages, prompts: items };
        },
    },
    {
        name: 'prompts/get (+arguments)',
        run: async ({ conn }) => {
            const a = await conn.client.getPrompt({ name: 'simple-prompt' }, RO);
            const b = await conn.client.getPrompt({ name: 'args-prompt', arguments: { city: 'Paris', state: 'Texas' } }, RO);
            const c = await conn.client.getPrompt({ name: 'completable-prompt', arguments: { department: 'Sales', name: 'Eve' } }, RO);
            const d = await conn.client.getPrompt({ name: 'resource-prompt', arguments: { resourceType: 'Text', resourceId: '2' } }, RO);
            const msgs = [a, b, c, d].map((r) => normDeep(r.messages));
            return { summary: `${msgs.map((m) => m.length).join('+')} msgs; "${b.messages[0].content.text}"`, msgs };
        },
    },
    {
        name: 'prompts/get missing argument',
        run: async ({ conn }) => {
            try {
                const r = await conn.client.getPrompt({ name: 'args-prompt', arguments: {} }, RO);
                return { summary: 'no error', r };
            } catch (e) {
                return { summary: errString(e).slice(0, 60), error: errString(e) };
            }
        },
    },
    {
        name: 'completion/complete',
        run: async ({ conn }) => {
            const a = await conn.client.complete({ ref: { type: 'ref/prompt', name: 'completable-prompt' }, argument: { name: 'department', value: 'S' } }, RO);
            const b = await conn.client.complete({ ref: { type: 'ref/prompt', name: 'completable-prompt' }, argument: { name: 'name', value: '' }, context: { arguments: { department: 'Engineering' } } }, RO);
            const c = await conn.client.complete({ ref: { type: 'ref/resource', uri: 'demo://resource/dynamic/text/{resourceId}' }, argument: { name: 'resourceId', value: '42' } }, RO);
            return { summary: `${a.completion.values} | ${b.completion.values} | ${c.completion.values}`, a: a.completion, b: b.completion, c: c.completion };
        },
    },
    {
        name: 'sampling/createMessage (s->c)',
        run: async ({ conn }) => {
            const mark = conn.received.length;
            const r = await call(conn, 'trigger-sampling-request', { prompt: 'What is 2+2?', maxTokens: 17 });
            const req = conn.received.slice(mark).find((x) => x.method === 'sampling/createMessage');
            return { summary: normText(text(r)).replace(/\s+/g, ' ').slice(0, 60), request: req?.params, result: text(r) };
        },
    },
    {
        name: 'elicitation/create form (s->c)',
        run: async ({ conn }) => {
            const mark = conn.received.length;
            const r = await call(conn, 'trigger-elicitation-request', {});
            conn.state.elicitAction = 'decline';
            const r2 = await call(conn, 'trigger-elicitation-request', {}).finally(() => (conn.state.elicitAction = 'accept'));
            const reqs = conn.received.slice(mark).filter((x) => x.method === 'elicitation/create');
            return {
                summary: `accept -> ${text(r).split('\n')[0]}; decline -> ${text(r2).split('\n')[0]}`,
                requestSchemaSha: sha(canon(reqs[0]?.params)),
                requestKeys: Object.keys(reqs[0]?.params?.requestedSchema?.properties ?? {}),
                accept: text(r), decline: text(r2),
            };
        },
    },
    {
        name: 'elicitation/create url (s->c)',
        run: async ({ conn }) => {
            const mark = conn.received.length;
            const r = await call(conn, 'trigger-url-elicitation', { url: 'https://example.com/e2e/authorize', elicitationId: 'e2e-elicit-1' });
            const req = conn.received.slice(mark).find((x) => x.method === 'elicitation/create');
            return { summary: text(r).split('\n')[0], request: req?.params, result: text(r) };
        },
    },
    {
        name: 'elicitation url error path (-32042)',
        run: async ({ conn }) => {
            const args = { url: 'https://example.com/e2e/needs-auth', elicitationId: 'e2e-elicit-2', errorPath: true };
            let first;
            try {
                const r = await call(conn, 'trigger-url-elicitation', args);
                first = { result: text(r) };
            } catch (e) {
                first = { code: e.code, message: e.message, data: normDeep(e.data) };
            }
            const retry = await call(conn, 'trigger-url-elicitation', args);
            return { summary: `first: ${first.code ?? 'no error'}; retry: ${text(retry).split('\n')[0]}`, first, retry: text(retry) };
        },
    },
    {
        name: 'roots/list + list_changed (s->c)',
        run: async ({ conn }) => {
            // the server asked for roots 350 ms after initialization
            await conn.tap.waitFor(isS2CRequest('roots/list'), { label: 'initial roots/list' });
            const a = await call(conn, 'get-roots-list', {});
            conn.state.roots = [{ uri: 'file:///tmp/e2e-root-b', name: 'root B' }, { uri: 'file:///tmp/e2e-root-c' }];
            const mark = conn.tap.mark;
            await conn.client.sendRootsListChanged();
            await conn.tap.waitFor(isS2CRequest('roots/list'), { since: mark, label: 'roots/list after list_changed' });
            await conn.tap.waitFor((e) => isNotif('notifications/message')(e) && /Roots updated/.test(String(e.msg.params.data)), { since: mark, label: 'Roots updated log' });
            const b = await call(conn, 'get-roots-list', {});
            return { summary: `before: ${text(a).split('\n')[0]}; after: ${text(b).split('\n')[0]}`, before: text(a), after: text(b) };
        },
    },
    {
        name: 'tasks: callToolStream',
        timeout: 30000,
        run: async ({ conn }) => {
            const types = [];
            let result, taskId;
            const stream = conn.client.experimental.tasks.callToolStream({ name: 'simulate-research-query', arguments: { topic: 'tides' } }, undefined, { ...RO, task: { ttl: 60000 } });
            for await (const m of stream) {
                types.push(m.type);
                if (m.type === 'taskCreated') taskId = m.task.taskId;
                if (m.type === 'result') result = m.result;
                if (m.type === 'error') throw m.error;
            }
            const compact = types.filter((t, i) => t !== types[i - 1]);
            return {
                summary: `${compact.join('>')}; ${text(result).split('\n')[0]}`,
                sequence: [compact[0], compact[compact.length - 1]],
                result: normDeep(result, [[taskId, '<TASK>']]),
            };
        },
    },
    {
        name: 'tasks: get/list/result (+related-task _meta)',
        timeout: 30000,
        run: async ({ conn }) => {
            const created = await conn.client.request({ method: 'tools/call', params: { name: 'simulate-research-query', arguments: { topic: 'moon' }, task: { ttl: 60000 } } }, CreateTaskResultSchema, RO);
            const id = created.task.taskId;
            const got = await conn.client.experimental.tasks.getTask(id, RO);
            const listed = await conn.client.experimental.tasks.listTasks(undefined, RO);
            const res = await rawRequest(conn, 'tasks/result', { taskId: id }, { timeout: 20000 });
            const after = await conn.client.experimental.tasks.getTask(id, RO);
            const n = (x) => normDeep(x, [[id, '<TASK>']]);
            const strip = (t) => ({ taskId: t.taskId === id ? '<TASK>' : t.taskId, status: t.status, ttl: t.ttl, pollInterval: t.pollInterval });
            return {
                summary: `created ${created.task.status}; get ${got.status}; listed ${listed.tasks.some((t) => t.taskId === id)}; result _meta task ok: ${res._meta?.['io.modelcontextprotocol/related-task']?.taskId === id}; final ${after.status}`,
                created: strip(created.task), got: strip(got), listed: listed.tasks.some((t) => t.taskId === id),
                result: n(res), final: strip(after),
            };
        },
    },
    {
        name: 'tasks: cancel',
        run: async ({ conn }) => {
            const created = await conn.client.request({ method: 'tools/call', params: { name: 'simulate-research-query', arguments: { topic: 'cancel me' }, task: { ttl: 60000 } } }, CreateTaskResultSchema, RO);
            const id = created.task.taskId;
            const c = await conn.client.experimental.tasks.cancelTask(id, RO);
            const got = await conn.client.experimental.tasks.getTask(id, RO);
            let unknown;
            try {
                await conn.client.experimental.tasks.getTask('no-such-task-id', RO);
                unknown = 'no error';
            } catch (e) {
                unknown = errString(e);
            }
            // the code only: through sentinel an unknown task id never reaches the server, and
            // sentinel's refusal says so in its own words (docs/policy.md, Tasks)
            const unknownCode = unknown.replace(/^(McpError -?\d+):.*$/s, '$1');
            return { summary: `cancel -> ${c.status}; get -> ${got.status}; unknown id -> ${unknown.slice(0, 30)}`, cancel: c.status, get: got.status, statusMessage: got.statusMessage, unknown: unknownCode };
        },
    },
    {
        name: 'tasks: input_required + elicitation',
        timeout: 30000,
        run: async ({ conn }) => {
            const mark = conn.received.length;
            let result, taskId;
            const types = [];
            const stream = conn.client.experimental.tasks.callToolStream({ name: 'simulate-research-query', arguments: { topic: 'python', ambiguous: true } }, undefined, { ...RO, task: { ttl: 60000 } });
            for await (const m of stream) {
                types.push(m.type);
                if (m.type === 'taskCreated') taskId = m.task.taskId;
                if (m.type === 'result') result = m.result;
                if (m.type === 'error') throw m.error;
            }
            const el = conn.received.slice(mark).find((x) => x.method === 'elicitation/create');
            const clar = /Clarification\*\*: (.*)/.exec(text(result))?.[1];
            return {
                summary: `elicitation received: ${!!el}; clarification: ${clar}`,
                elicitation: normDeep(el?.params, [[taskId, '<TASK>']]),
                result: normDeep(result, [[taskId, '<TASK>']]),
            };
        },
    },
    {
        name: 'tasks: client-side sampling (s->c tasks/*)',
        timeout: 30000,
        run: async ({ conn }) => {
            const mark = conn.tap.mark;
            const r = await call(conn, 'trigger-sampling-request-async', { prompt: 'async please', maxTokens: 9 }, { timeout: 25000 });
            const s2c = conn.tap.since(mark).filter((e) => e.dir === 's2c' && e.msg.id !== undefined && e.msg.method).map((e) => e.msg.method);
            const t = text(r).replace(/[0-9a-f]{32}/g, '<TASK>').replace(/Poll \d+: working[^\n]*\n/g, '');
            return { summary: `${[...new Set(s2c)].join(',')}; ${t.split('\n')[0]}`, methods: [...new Set(s2c)].sort(), text: normText(t) };
        },
    },
    {
        name: 'tasks: client-side elicitation',
        timeout: 30000,
        run: async ({ conn }) => {
            const r = await call(conn, 'trigger-elicitation-request-async', {}, { timeout: 25000 });
            const t = text(r).replace(/[0-9a-f]{32}/g, '<TASK>').replace(/Poll \d+: working[^\n]*\n/g, '');
            return { summary: t.split('\n')[0], text: normText(t) };
        },
    },
    {
        name: 'resources/list_changed (gzip session resource)',
        run: async ({ conn }) => {
            const mark = conn.tap.mark;
            const r = await call(conn, 'gzip-file-as-resource', { name: 'e2e.txt.gz', data: 'data:text/plain;base64,aGVsbG8gc2VudGluZWwK', outputType: 'resourceLink' });
            const changed = conn.tap.since(mark, isNotif('notifications/resources/list_changed')).length;
            const list = await conn.client.listResources(undefined, RO);
            const mine = list.resources.find((x) => x.uri.endsWith('e2e.txt.gz'));
            const read = mine ? await conn.client.readResource({ uri: mine.uri }, RO) : null;
            return {
                summary: `list_changed x${changed}; listed ${!!mine}; read ${read?.contents?.[0]?.mimeType}`,
                content: normContent(r.content), listChanged: changed > 0, listed: mine, read: read && normContent(read.contents.map((c) => ({ ...c, data: c.blob, blob: undefined }))),
            };
        },
    },
    {
        name: 'unknown method passthrough',
        run: async ({ conn }) => {
            const out = {};
            for (const m of ['server/discover', 'e2e/no-such-method']) {
                try {
                    out[m] = { result: await rawRequest(conn, m, {}) };
                } catch (e) {
                    out[m] = { code: e.code, message: e.message };
                }
            }
            return { summary: Object.entries(out).map(([m, r]) => `${m}:${r.code ?? 'ok'}`).join(' '), ...out };
        },
    },
    {
        name: 'raw ids (string, "1" vs 1, 0)',
        run: async (ctx) => {
            const c = await ctx.open(everythingServer(), { raw: true });
            const send = (m) => c.tap.send({ jsonrpc: '2.0', ...m });
            await send({ id: 'init-É', method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '0' } } });
            await c.tap.waitFor(isResponseTo('init-É'));
            await send({ method: 'notifications/initialized' });
            await send({ id: 1, method: 'tools/call', params: { name: 'echo', arguments: { message: 'int one' } } });
            await send({ id: '1', method: 'tools/call', params: { name: 'echo', arguments: { message: 'string one' } } });
            await send({ id: 0, method: 'ping' });
            await send({ id: -5, method: 'tools/call', params: { name: 'get-sum', arguments: { a: 1, b: 2 } } });
            const got = {};
            for (const id of [1, '1', 0, -5]) {
                const e = await c.tap.waitFor(isResponseTo(id), { label: `response ${JSON.stringify(id)}` });
                got[`${typeof id}:${id}`] = e.msg.result?.content?.[0]?.text ?? canon(e.msg.result ?? e.msg.error);
            }
            await c.close();
            return { summary: Object.entries(got).map(([k, v]) => `${k}=${v}`).join(' '), ...got };
        },
    },
    {
        name: 'server env (names)',
        run: async ({ conn, note }) => {
            const r = await call(conn, 'get-env', {});
            const env = JSON.parse(text(r));
            note(`server sees ${Object.keys(env).length} variables: ${Object.keys(env).sort().join(',')}`);
            const base = ['HOME', 'LOGNAME', 'PATH', 'SHELL', 'TERM', 'USER'].filter((k) => k in process.env);
            return { summary: `SDK default vars present: ${base.filter((k) => k in env).join(',')}`, present: base.filter((k) => k in env), pathSame: env.PATH === process.env.PATH };
        },
    },
    {
        name: 'ping server->client (peer fixture)',
        run: async (ctx) => {
            const c = await ctx.open(peerServer(), { capabilities: FULL_CAPS, handlers: installHandlers });
            const r = await c.client.callTool({ name: 'ping-client', arguments: {} }, undefined, RO);
            const req = c.tap.log.find(isS2CRequest('ping'));
            const resp = c.tap.log.find((e) => e.dir === 'c2s' && e.msg.id === req?.msg.id && !e.msg.method);
            return { summary: text(r), result: text(r), answered: resp?.msg.result };
        },
    },
    {
        name: 'cancellation server->client (peer)',
        run: async (ctx) => {
            const c = await ctx.open(peerServer(), { capabilities: FULL_CAPS, handlers: installHandlers });
            c.state.samplingHold = 'until-cancelled';
            const r = await c.client.callTool({ name: 'sample-then-cancel', arguments: {} }, undefined, RO);
            const req = c.tap.log.find(isS2CRequest('sampling/createMessage'));
            const canc = await c.tap.waitFor(isNotif('notifications/cancelled'));
            await sleep(100);
            // the SDK client must not answer a request that the server cancelled
            const answered = c.tap.log.filter((e) => e.dir === 'c2s' && e.msg.id === req.msg.id && !e.msg.method).length;
            return {
                summary: `cancelled(requestId ok: ${canc.msg.params.requestId === req.msg.id}); handler aborted: ${!!c.state.samplingCancelled}; answered: ${answered}`,
                requestIdMatches: canc.msg.params.requestId === req.msg.id, reason: canc.msg.params.reason,
                handlerSawAbort: c.state.samplingCancelled, answered, result: text(r),
            };
        },
    },
    {
        name: 'list_changed x3 (peer)',
        run: async (ctx) => {
            const c = await ctx.open(peerServer(), { capabilities: {} });
            const mark = c.tap.mark;
            await c.client.callTool({ name: 'notify-list-changed', arguments: {} }, undefined, RO);
            const got = c.tap.since(mark).filter((e) => e.dir === 's2c' && /list_changed$/.test(e.msg.method ?? '')).map((e) => e.msg.method);
            return { summary: got.map((m) => m.split('/')[1]).join(','), got };
        },
    },
    {
        name: 'server stderr passes through',
        run: ({ conn }) => {
            const line = 'Starting default (STDIO) server...';
            return { summary: `stderr has "${line}": ${conn.stderr.includes(line)}`, present: conn.stderr.includes(line) };
        },
    },
    {
        name: 'shutdown: tree gone <3s after close()',
        run: async (ctx) => {
            const c = await ctx.open(everythingServer(), { capabilities: {} });
            // with simulated logging on, server-everything ignores stdin EOF
            await c.client.callTool({ name: 'toggle-simulated-logging', arguments: {} }, undefined, RO);
            const srv = serverPids(c);
            const all = connPids(c);
            assert(srv.length >= 1, `found the server process (pids: ${all})`);
            const t0 = Date.now();
            await c.close();
            const closeMs = Date.now() - t0;
            const w = await waitGone(all, 3000);
            killLeftovers(all);
            ctx.note(`close() took ${closeMs} ms; tree gone ${w.ms} ms after; server pids ${srv.join(',')}`);
            return { summary: w.gone ? 'tree gone' : `LEFT: ${w.left.join(' ')}`, gone: w.gone, left: w.left.length };
        },
    },
    {
        name: 'shutdown: client SIGKILLed',
        run: async (ctx) => {
            const c = await ctx.open(peerServer(), { capabilities: {} });
            await c.client.ping(RO);
            const all = connPids(c);
            const srv = serverPids(c);
            assert(srv.length >= 1, 'found the server process');
            // what the MCP client host sees as "the server": the process it spawned. Kill it hard.
            process.kill(c.tap.pid, 'SIGKILL');
            const w = await waitGone(all, 3000);
            ctx.note(`tree gone after ${w.ms} ms; pids ${all.join(',')}; states ${srv.map(procState).join(',')}`);
            killLeftovers(all);
            return { summary: w.gone ? 'tree gone' : `LEFT: ${w.left.join(' ')}`, gone: w.gone, left: w.left.length };
        },
    },
];

process.exit(await runSuite({
    suite: 'everything',
    title: 'sentinel e2e: server-everything 2026.8.31 + peer fixture, SDK client 1.32.2 (direct vs via sentinel)',
    checks,
    setup: async (mode) => {
        const conn = await openConnection(mode, everythingServer(), { capabilities: FULL_CAPS, taskStore: new InMemoryTaskStore(), handlers: installHandlers, tag: 'shared' });
        return { conn };
    },
    teardown: async ({ conn }) => {
        await conn.close();
    },
}));
