#!/usr/bin/env node
// Extract the real tool inputSchemas of the official MCP servers the project tests against
// (installed by `npm ci` in tests/e2e) into JSON fixtures for tests/unit/test_schema.c.
// Also writes sdk-zod.json: tools registered on the pinned SDK's McpServer with zod 4 and
// zod/v3 schemas, listed over an in-memory transport, so the fixtures hold exactly what the
// SDK's two converters (zod 4 toJSONSchema, zod-to-json-schema) emit for strict objects,
// regexes, lengths, formats, unions, records, tuples and recursion, which the official
// servers' schemas do not use.
// Run by hand when the pinned packages change; the unit test reads only the JSON files.
// Usage: node tests/unit/schemas/extract.mjs   (writes tests/unit/schemas/*.json)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const E2E = path.resolve(HERE, '..', '..', 'e2e');
const MODS = path.join(E2E, 'node_modules', '@modelcontextprotocol');
const sdk = (p) => import(pathToFileURL(path.join(MODS, 'sdk', 'dist', 'esm', p)).href);
const { Client } = await sdk('client/index.js');
const { StdioClientTransport } = await sdk('client/stdio.js');
const { ListRootsRequestSchema } = await sdk('types.js');
const { McpServer } = await sdk('server/mcp.js');
const { InMemoryTransport } = await sdk('inMemory.js');
const zodPkg = (p) => import(pathToFileURL(path.join(E2E, 'node_modules', 'zod', p)).href);
const { z } = await zodPkg('index.js');
const { z: z3 } = await zodPkg(path.join('v3', 'index.js'));

const version = (pkg) => JSON.parse(fs.readFileSync(path.join(MODS, pkg, 'package.json'), 'utf8')).version;
const sandbox = fs.mkdtempSync(path.join(os.tmpdir(), 'schema-extract-'));
const servers = [
    { name: 'server-everything', args: [path.join(MODS, 'server-everything', 'dist', 'index.js'), 'stdio'] },
    { name: 'server-filesystem', args: [path.join(MODS, 'server-filesystem', 'dist', 'index.js'), sandbox] },
];

async function extract(server) {
    const transport = server.transport ?? new StdioClientTransport({ command: process.execPath, args: server.args, stderr: 'ignore' });
    // every client capability, so that servers register the tools that depend on them
    const client = new Client(
        { name: 'sentinel-schema-extract', version: '0' },
        { capabilities: { sampling: {}, elicitation: { form: {}, url: {} }, roots: { listChanged: true } } },
    );
    client.setRequestHandler(ListRootsRequestSchema, async () => ({ roots: [{ uri: pathToFileURL(sandbox).href }] }));
    await client.connect(transport);
    const tools = {};
    let cursor;
    do {
        const r = await client.listTools(cursor ? { cursor } : {}, { timeout: 20000 });
        for (const t of r.tools) tools[t.name] = t.inputSchema;
        cursor = r.nextCursor;
    } while (cursor);
    await client.close();
    const out = server.describe ?? { server: `@modelcontextprotocol/${server.name}`, version: version(server.name) };
    out.tools = tools;
    const file = path.join(HERE, `${server.name}.json`);
    fs.writeFileSync(file, JSON.stringify(out, null, 2) + '\n');
    console.log(`${file}: ${Object.keys(tools).length} tools`);
}

/** An SDK server whose tools exercise the zod features MCP servers commonly use. */
async function sdkZodServer() {
    const server = new McpServer({ name: 'sdk-zod', version: '0' });
    const none = async () => ({ content: [] });
    server.registerTool('strict_write', {
        inputSchema: z.object({
            path: z.string().min(1).max(255).regex(/^[A-Za-z0-9_.\/-]+$/),
            mode: z.enum(['overwrite', 'append']).default('overwrite'),
            lines: z.array(z.string().max(1000)).max(100),
            count: z.number().int().min(0).max(1000).optional(),
        }).strict(),
    }, none);
    server.registerTool('formats', {
        inputSchema: z.object({
            email: z.email().optional(),
            id: z.uuid().optional(),
            when: z.iso.datetime().optional(),
            day: z.iso.date().optional(),
            site: z.url().optional(),
            ip4: z.ipv4().optional(),
            ip6: z.ipv6().optional(),
        }),
    }, none);
    server.registerTool('nested', {
        inputSchema: z.object({
            filters: z.array(z.object({
                field: z.string(),
                op: z.enum(['eq', 'lt', 'gt']),
                value: z.union([z.string(), z.number()]),
            }).strict()).min(1),
            limit: z.number().int().positive().optional(),
            step: z.number().multipleOf(0.25).optional(),
            note: z.string().nullable().optional(),
            tags: z.record(z.string(), z.string()).optional(),
            pair: z.tuple([z.string(), z.number()]).optional(),
            kind: z.literal('search'),
            unique: z.array(z.number()).refine((a) => new Set(a).size === a.length).optional(),
        }),
    }, none);
    const TreeNode = z.object({
        name: z.string().max(64),
        get children() {
            return z.array(TreeNode).optional();
        },
    });
    server.registerTool('tree', { inputSchema: z.object({ root: TreeNode }) }, none);
    server.registerTool('v3_search', {
        inputSchema: z3.object({
            query: z3.string().min(1).max(100),
            page: z3.number().int().min(1).default(1),
            sort: z3.enum(['asc', 'desc']).optional(),
            contact: z3.string().email().optional(),
            id: z3.string().uuid().optional(),
            nullable: z3.string().nullable().optional(),
            both: z3.union([z3.string(), z3.array(z3.string())]).optional(),
        }).strict(),
    }, none);
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await server.connect(serverSide);
    return {
        name: 'sdk-zod',
        transport: clientSide,
        describe: {
            server: `@modelcontextprotocol/sdk McpServer (zod ${version('../zod')}, zod-to-json-schema ${version('../zod-to-json-schema')} for zod/v3)`,
            version: version('sdk'),
        },
    };
}

try {
    for (const s of servers) await extract(s);
    await extract(await sdkZodServer());
} finally {
    fs.rmSync(sandbox, { recursive: true, force: true });
}
