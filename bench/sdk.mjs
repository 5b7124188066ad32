// sdk.mjs - what the SDK benchmarks share: the project root, the official MCP SDK client from
// tests/e2e/node_modules (installed by `make test`, pinned by its lockfile), and a median.
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SDK = path.join(ROOT, 'tests', 'e2e', 'node_modules', '@modelcontextprotocol', 'sdk',
                      'dist', 'esm', 'client');
export const { Client } = await import(pathToFileURL(path.join(SDK, 'index.js')));
export const { StdioClientTransport } = await import(pathToFileURL(path.join(SDK, 'stdio.js')));

export const median = (a) => { const b = [...a].sort((x, y) => x - y); return b[Math.floor(b.length / 2)]; };
