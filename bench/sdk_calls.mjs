// sdk_calls.mjs - small tools/call throughput as a real client drives it: the official MCP SDK
// client (Client + StdioClientTransport) keeps --inflight calls of the echo server's `echo` tool
// in flight, directly and through sentinel with no audit log, with `--audit-fsync always` and
// with `--audit-fsync commit`, interleaved, and reports calls/s per target (median of rounds)
// and each sentinel target against sentinel without a log. Every result is checked.
//
// usage: node bench/sdk_calls.mjs [--bin DIR] [--calls N] [--inflight K] [--rounds R]
//                                 [--policy FILE]
// prints one JSON line per target: {"target", "calls_s", "min", "max", "vs_direct", "vs_none"}
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { Client, StdioClientTransport, ROOT, median } from './sdk.mjs';

const opt = { bin: path.join(ROOT, 'build', 'bin'), calls: 20000, inflight: 64, rounds: 5,
              policy: path.join(ROOT, 'policies', 'allow-all.yaml') };
for (let i = 2; i < process.argv.length; i++) {
  const a = process.argv[i], v = process.argv[i + 1];
  if (a === '--bin') opt.bin = v;
  else if (a === '--calls') opt.calls = Number(v);
  else if (a === '--inflight') opt.inflight = Number(v);
  else if (a === '--rounds') opt.rounds = Number(v);
  else if (a === '--policy') opt.policy = v;
  else { console.error(`sdk_calls: unknown argument ${a}`); process.exit(2); }
  i++;
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sdk-calls-'));
const echo = path.join(opt.bin, 'echo_server');
const sentinel = (extra) => ['run', '--policy', opt.policy, ...extra, '--', echo];
const targets = [
  { name: 'direct', command: echo, args: () => [] },
  { name: 'none', command: path.join(opt.bin, 'sentinel'), args: () => sentinel([]) },
  { name: 'always', command: path.join(opt.bin, 'sentinel'),
    args: (r) => sentinel(['--audit', path.join(dir, `always-${r}.jsonl`), '--audit-fsync', 'always']) },
  { name: 'commit', command: path.join(opt.bin, 'sentinel'),
    args: (r) => sentinel(['--audit', path.join(dir, `commit-${r}.jsonl`), '--audit-fsync', 'commit']) },
];

async function round(t, r) {
  const transport = new StdioClientTransport({ command: t.command, args: t.args(r), stderr: 'ignore' });
  const client = new Client({ name: 'sdk-calls-bench', version: '1.0.0' });
  await client.connect(transport);
  const one = async (i) => {
    const text = `call ${i}`;
    const res = await client.callTool({ name: 'echo', arguments: { text } }, undefined, { timeout: 60000 });
    const got = (res.content || []).map((c) => c.text).join('');
    if (!got.includes(text)) throw new Error(`${t.name}: call ${i} returned ${got.slice(0, 100)}`);
  };
  for (let i = 0; i < 200; i++) await one(-i); // warm up
  let next = 0;
  const t0 = process.hrtime.bigint();
  const worker = async () => { while (next < opt.calls) await one(next++); };
  await Promise.all(Array.from({ length: opt.inflight }, worker));
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  await client.close();
  return opt.calls / s;
}

const rates = targets.map(() => []);
for (let r = 0; r < opt.rounds; r++)
  for (let k = 0; k < targets.length; k++)
    rates[k].push(await round(targets[k], r));
fs.rmSync(dir, { recursive: true, force: true });
const direct = median(rates[0]), none = median(rates[1]);
targets.forEach((t, k) => {
  const m = median(rates[k]);
  console.log(JSON.stringify({ target: t.name, calls: opt.calls, inflight: opt.inflight, calls_s: Math.round(m),
                               min: Math.round(Math.min(...rates[k])), max: Math.round(Math.max(...rates[k])),
                               vs_direct: +(m / direct).toFixed(3), vs_none: +(m / none).toFixed(3) }));
});
