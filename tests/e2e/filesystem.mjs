#!/usr/bin/env node
// End-to-end fidelity checks against @modelcontextprotocol/server-filesystem 2026.8.31, run
// directly and through sentinel (allow-all policy), with the official SDK client 1.32.2.
// Each mode works in its own temporary directory; paths are normalised to <ROOT> before comparing.
// Usage: SENTINEL_BIN=build/bin/sentinel node tests/e2e/filesystem.mjs
import { ListRootsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
    T, canon, sha, errString, normDeep, assert, scratch,
    openConnection, filesystemServer, runSuite, connPids, waitGone, killLeftovers, isS2CRequest,
} from './lib/harness.mjs';

const RO = { timeout: T };
const TINY_PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

/** Populate a fresh sandbox for one mode. */
function makeRoot(mode) {
    const root = path.join(scratch(), `fs-${mode}`);
    fs.rmSync(root, { recursive: true, force: true });
    fs.mkdirSync(path.join(root, 'sub', 'deeper'), { recursive: true });
    fs.mkdirSync(path.join(root, 'node_modules_like'), { recursive: true });
    fs.writeFileSync(path.join(root, 'a.txt'), 'alpha\nbeta\ngamma\ndelta\n');
    fs.writeFileSync(path.join(root, 'sub', 'b.md'), '# Title\n\nSome *markdown* text.\n');
    fs.writeFileSync(path.join(root, 'sub', 'deeper', 'c.txt'), 'deep file\n');
    fs.writeFileSync(path.join(root, 'node_modules_like', 'skip.txt'), 'skip\n');
    fs.writeFileSync(path.join(root, 'pixel.png'), TINY_PNG);
    fs.writeFileSync(path.join(root, 'unicode-é中.txt'), 'ünïcödé ✓\n');
    fs.symlinkSync('/etc/hostname', path.join(root, 'escape-link'));
    return root;
}

const text = (r) => (r.content || []).filter((c) => c.type === 'text').map((c) => c.text).join('\n');

/** Tool call returning a normalised {isError, text, structuredContent} (or the JSON-RPC error). */
async function tool(ctx, name, args) {
    const n = (v) => normDeep(v, [[pathToFileURL(ctx.root).href, 'file://<ROOT>'], [ctx.root, '<ROOT>']]);
    try {
        const r = await ctx.conn.client.callTool({ name, arguments: args }, undefined, RO);
        const content = r.content.map((c) => (c.data ? { ...c, data: `<${c.data.length}b sha ${sha(c.data)}>` } : c));
        return n({ isError: r.isError ?? false, content, structuredContent: r.structuredContent });
    } catch (e) {
        return n({ rpcError: errString(e) });
    }
}
const short = (r) => (r.rpcError ? `ERR ${r.rpcError}` : `${r.isError ? 'isError: ' : ''}${r.content.map((c) => c.text ?? c.type).join(' ')}`);
const P = (ctx, ...p) => path.join(ctx.root, ...p);
const disk = (ctx, ...p) => {
    try {
        return fs.readFileSync(P(ctx, ...p), 'utf8');
    } catch {
        return '<absent>';
    }
};

function normInfo(t) {
    return t.replace(/^(created|modified|accessed): .*$/gm, '$1: <TIME>');
}

const checks = [
    {
        name: 'initialize',
        run: ({ conn }) => {
            const r = conn.tap.log.find((e) => e.dir === 's2c' && e.msg.id === 0).msg.result;
            return { summary: `v=${r.protocolVersion} ${r.serverInfo.name}@${r.serverInfo.version}`, r };
        },
    },
    {
        name: 'tools/list',
        run: async ({ conn }) => {
            const r = await conn.client.listTools(undefined, RO);
            return { summary: `${r.tools.length} tools, next=${r.nextCursor ?? '-'}, sha ${sha(canon(r.tools))}`, names: r.tools.map((t) => t.name), tools: r.tools };
        },
    },
    {
        name: 'list_allowed_directories',
        run: async (ctx) => {
            const r = await tool(ctx, 'list_allowed_directories', {});
            return { summary: short(r), r };
        },
    },
    {
        name: 'write_file (+disk)',
        run: async (ctx) => {
            const r = await tool(ctx, 'write_file', { path: P(ctx, 'new.txt'), content: 'first line\nsecond line ✓\n' });
            return { summary: `${short(r)} | disk: ${JSON.stringify(disk(ctx, 'new.txt'))}`, r, disk: disk(ctx, 'new.txt') };
        },
    },
    {
        name: 'read_text_file (+head/tail)',
        run: async (ctx) => {
            const all = await tool(ctx, 'read_text_file', { path: P(ctx, 'a.txt') });
            const head = await tool(ctx, 'read_text_file', { path: P(ctx, 'a.txt'), head: 2 });
            const tail = await tool(ctx, 'read_text_file', { path: P(ctx, 'a.txt'), tail: 1 });
            const uni = await tool(ctx, 'read_text_file', { path: P(ctx, 'unicode-é中.txt') });
            return { summary: [all, head, tail, uni].map((x) => JSON.stringify(x.content?.[0]?.text)).join(' '), all, head, tail, uni };
        },
    },
    {
        name: 'read_file (deprecated)',
        run: async (ctx) => {
            const r = await tool(ctx, 'read_file', { path: P(ctx, 'sub', 'b.md') });
            return { summary: JSON.stringify(r.content?.[0]?.text), r };
        },
    },
    {
        name: 'read_multiple_files',
        run: async (ctx) => {
            const r = await tool(ctx, 'read_multiple_files', { paths: [P(ctx, 'a.txt'), P(ctx, 'sub/deeper/c.txt'), P(ctx, 'missing.txt')] });
            return { summary: short(r).slice(0, 80), r };
        },
    },
    {
        name: 'read_media_file',
        run: async (ctx) => {
            const r = await tool(ctx, 'read_media_file', { path: P(ctx, 'pixel.png') });
            return { summary: r.content?.map((c) => `${c.type} ${c.mimeType} ${c.data}`).join(' '), r };
        },
    },
    {
        name: 'create_directory + list_directory',
        run: async (ctx) => {
            const c = await tool(ctx, 'create_directory', { path: P(ctx, 'made', 'nested') });
            const l = await tool(ctx, 'list_directory', { path: ctx.root });
            return { summary: `${short(c)} | ${short(l).replace(/\n/g, ' ')}`, c, l };
        },
    },
    {
        name: 'list_directory_with_sizes',
        run: async (ctx) => {
            const r = await tool(ctx, 'list_directory_with_sizes', { path: P(ctx, 'sub'), sortBy: 'size' });
            return { summary: short(r).replace(/\s+/g, ' ').slice(0, 80), r };
        },
    },
    {
        name: 'directory_tree',
        run: async (ctx) => {
            const r = await tool(ctx, 'directory_tree', { path: P(ctx, 'sub'), excludePatterns: ['*.png'] });
            const r2 = await tool(ctx, 'directory_tree', { path: ctx.root, excludePatterns: ['node_modules_like', 'made'] });
            return { summary: `sha ${sha(canon(r))} / ${sha(canon(r2))}: ${JSON.stringify(JSON.parse(r.content[0].text).map((e) => e.name))}`, r, r2 };
        },
    },
    {
        name: 'search_files',
        run: async (ctx) => {
            const r = await tool(ctx, 'search_files', { path: ctx.root, pattern: '**/*.txt', excludePatterns: ['node_modules_like/**'] });
            const lines = (r.content?.[0]?.text ?? '').split('\n').sort();
            return { summary: lines.join(' '), lines, isError: r.isError };
        },
    },
    {
        name: 'edit_file (dryRun, real, no match)',
        run: async (ctx) => {
            const dry = await tool(ctx, 'edit_file', { path: P(ctx, 'a.txt'), edits: [{ oldText: 'beta', newText: 'BETA' }], dryRun: true });
            const afterDry = disk(ctx, 'a.txt');
            const real = await tool(ctx, 'edit_file', { path: P(ctx, 'a.txt'), edits: [{ oldText: 'gamma\ndelta', newText: 'GAMMA\nDELTA\nepsilon' }] });
            const nomatch = await tool(ctx, 'edit_file', { path: P(ctx, 'a.txt'), edits: [{ oldText: 'not there', newText: 'x' }] });
            return { summary: `dry unchanged: ${afterDry === 'alpha\nbeta\ngamma\ndelta\n'}; disk: ${JSON.stringify(disk(ctx, 'a.txt'))}; nomatch: ${short(nomatch).slice(0, 40)}`, dry, real, nomatch, disk: disk(ctx, 'a.txt'), afterDry };
        },
    },
    {
        name: 'get_file_info',
        run: async (ctx) => {
            const r = await tool(ctx, 'get_file_info', { path: P(ctx, 'sub', 'b.md') });
            const d = await tool(ctx, 'get_file_info', { path: P(ctx, 'sub') });
            const t = normInfo(r.content[0].text);
            const td = normInfo(d.content[0].text).replace(/^size: .*$/m, 'size: <N>');
            return { summary: t.replace(/\n/g, '; ').slice(0, 80), file: t, dir: td, isError: r.isError };
        },
    },
    {
        name: 'move_file',
        run: async (ctx) => {
            fs.writeFileSync(P(ctx, 'to-move.txt'), 'moving\n');
            const r = await tool(ctx, 'move_file', { source: P(ctx, 'to-move.txt'), destination: P(ctx, 'sub', 'moved.txt') });
            const again = await tool(ctx, 'move_file', { source: P(ctx, 'to-move.txt'), destination: P(ctx, 'sub', 'moved2.txt') });
            return { summary: `${short(r)} | again: ${short(again).slice(0, 50)}`, r, again, disk: [disk(ctx, 'to-move.txt'), disk(ctx, 'sub', 'moved.txt')] };
        },
    },
    {
        name: 'outside allowed dir refused',
        run: async (ctx) => {
            const outside = path.join(scratch(), `outside-${ctx.mode}.txt`);
            const r1 = await tool(ctx, 'read_text_file', { path: '/etc/hostname' });
            const r2 = await tool(ctx, 'read_text_file', { path: P(ctx, '..', 'x.txt') });
            const r3 = await tool(ctx, 'read_text_file', { path: P(ctx, 'escape-link') });
            const r4 = await tool(ctx, 'write_file', { path: outside, content: 'should not exist' });
            const r5 = await tool(ctx, 'list_directory', { path: '/' });
            const wrote = fs.existsSync(outside);
            const n = (r) => ({ isError: r.isError, rpcError: r.rpcError, text: (r.content?.[0]?.text ?? '').replace(scratch(), '<SCRATCH>').replace(/outside-\w+\.txt/, 'outside-<MODE>.txt') });
            return {
                summary: `refused: ${[r1, r2, r3, r4, r5].map((r) => (r.isError || r.rpcError ? 'Y' : 'N')).join('')}; outside file written: ${wrote}`,
                results: [r1, r2, r3, r4, r5].map(n),
                wrote,
            };
        },
    },
    {
        name: 'invalid arguments',
        run: async (ctx) => {
            const r = await tool(ctx, 'read_text_file', {});
            return { summary: short(r).slice(0, 80), r };
        },
    },
    {
        name: 'roots replace the sandbox (s->c roots/list)',
        run: async (ctx) => {
            const sub = P(ctx, 'sub');
            let roots = [{ uri: pathToFileURL(sub).href, name: 'sub only' }];
            const c = await ctx.open(filesystemServer(ctx.root), {
                capabilities: { roots: { listChanged: true } },
                handlers: (client) => client.setRequestHandler(ListRootsRequestSchema, async () => ({ roots })),
            });
            await c.tap.waitFor(isS2CRequest('roots/list'), { label: 'initial roots/list' });
            // the server applies the roots asynchronously after answering nothing; poll until it took effect
            const n = (t) => t.split(ctx.root).join('<ROOT>');
            const allowed = async () => n(text(await c.client.callTool({ name: 'list_allowed_directories', arguments: {} }, undefined, RO)));
            let a1;
            for (let i = 0; i < 40; i++) {
                a1 = await allowed();
                if (a1.includes('<ROOT>/sub') && !a1.match(/<ROOT>$/m)) break;
                await new Promise((r) => setTimeout(r, 50));
            }
            const denied = await c.client.callTool({ name: 'read_text_file', arguments: { path: P(ctx, 'a.txt') } }, undefined, RO);
            const okRead = await c.client.callTool({ name: 'read_text_file', arguments: { path: P(ctx, 'sub', 'b.md') } }, undefined, RO);
            roots = [{ uri: pathToFileURL(ctx.root).href, name: 'whole root' }];
            const mark = c.tap.mark;
            await c.client.sendRootsListChanged();
            await c.tap.waitFor(isS2CRequest('roots/list'), { since: mark, label: 'roots/list after list_changed' });
            let a2;
            for (let i = 0; i < 40; i++) {
                a2 = await allowed();
                if (a2.match(/<ROOT>$/m)) break;
                await new Promise((r) => setTimeout(r, 50));
            }
            return {
                summary: `${a1.replace(/\n/g, ' ')} -> ${a2.replace(/\n/g, ' ')}; a.txt denied: ${!!denied.isError}; sub/b.md ok: ${!okRead.isError}`,
                a1, a2, deniedText: n(text(denied)), okRead: text(okRead),
            };
        },
    },
    {
        name: 'shutdown: tree gone <3s after close()',
        run: async (ctx) => {
            const c = await ctx.open(filesystemServer(ctx.root), {});
            await c.client.ping(RO);
            const all = connPids(c);
            const t0 = Date.now();
            await c.close();
            const closeMs = Date.now() - t0;
            const w = await waitGone(all, 3000);
            killLeftovers(all);
            ctx.note(`close() took ${closeMs} ms; gone ${w.ms} ms later`);
            return { summary: w.gone ? 'tree gone' : `LEFT: ${w.left.join(' ')}`, gone: w.gone };
        },
    },
];

process.exit(await runSuite({
    suite: 'filesystem',
    title: 'sentinel e2e: server-filesystem 2026.8.31, SDK client 1.32.2 (direct vs via sentinel)',
    checks,
    setup: async (mode) => {
        const root = makeRoot(mode);
        const conn = await openConnection(mode, filesystemServer(root), { capabilities: {}, tag: 'shared' });
        return { conn, root };
    },
    teardown: async ({ conn, root }) => {
        await conn.close();
        fs.rmSync(root, { recursive: true, force: true });
    },
}));
