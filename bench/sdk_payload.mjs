// sdk_payload.mjs - large tool results as a real client sees them: the official MCP SDK client
// (Client + StdioClientTransport, the kernel's default pipes) calls the echo server's `blob`
// tool directly and through sentinel, interleaved, and reports MB/s per target (median of
// rounds). Every result is checked: the text must be the a..z pattern of the asked size (inside
// the spotlight fence when the policy fences).
//
// usage: node bench/sdk_payload.mjs [--bin DIR] [--size BYTES] [--rounds N] [--calls N]
//                                   [--policy FILE]... (one sentinel target per policy)
// prints one JSON line per target: {"target", "policy", "size", "mb_s", "min", "max"}
import path from 'node:path';

import { Client, StdioClientTransport, ROOT, median } from './sdk.mjs';

// The SDK refuses a message over 10 MiB (its ReadBuffer limit), so the default result is
// 10,000,000 bytes of text: the largest round size whose fenced message still fits.
const opt = { bin: path.join(ROOT, 'build', 'bin'), size: 10000000, rounds: 5, calls: 5,
              policies: [] };
for (let i = 2; i < process.argv.length; i++) {
  const a = process.argv[i], v = process.argv[i + 1];
  if (a === '--bin') opt.bin = v;
  else if (a === '--size') opt.size = Number(v);
  else if (a === '--rounds') opt.rounds = Number(v);
  else if (a === '--calls') opt.calls = Number(v);
  else if (a === '--policy') opt.policies.push(v);
  else { console.error(`sdk_payload: unknown argument ${a}`); process.exit(2); }
  i++;
}
if (opt.policies.length === 0) opt.policies.push(path.join(ROOT, 'bench', 'policies', 'guarded.yaml'));

const echo = path.join(opt.bin, 'echo_server');
const targets = [{ name: 'direct', policy: null, command: echo, args: [] }];
for (const p of opt.policies)
  targets.push({ name: 'sentinel', policy: path.basename(p), command: path.join(opt.bin, 'sentinel'),
                 args: ['run', '--policy', p, '--', echo] });

const pattern = (() => {
  const s = 'abcdefghijklmnopqrstuvwxyz';
  return s.repeat(Math.ceil(opt.size / s.length)).slice(0, opt.size);
})();

function check(result) {
  const text = (result.content || []).filter((c) => c.type === 'text').map((c) => c.text).join('');
  if (text === pattern) return;
  // a fenced result: the pattern must sit whole between the markers
  if (text.length > opt.size && text.includes(pattern)) return;
  throw new Error(`result of ${text.length} chars is not the ${opt.size}-byte pattern`);
}

async function round(t) {
  const transport = new StdioClientTransport({ command: t.command, args: t.args, stderr: process.env.BENCH_VERBOSE ? 'inherit' : 'ignore' });
  const client = new Client({ name: 'sdk-payload-bench', version: '1.0.0' });
  await client.connect(transport);
  const warm = await client.callTool({ name: 'blob', arguments: { size: opt.size } }, undefined,
                                     { timeout: 120000 });
  check(warm);
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < opt.calls; i++) {
    const r = await client.callTool({ name: 'blob', arguments: { size: opt.size } }, undefined,
                                    { timeout: 120000 });
    check(r);
  }
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  await client.close();
  return (opt.size * opt.calls) / 1e6 / s;
}

const rates = targets.map(() => []);
for (let r = 0; r < opt.rounds; r++)
  for (let k = 0; k < targets.length; k++)
    rates[k].push(await round(targets[k]));
const direct = median(rates[0]);
targets.forEach((t, k) => {
  const m = median(rates[k]);
  console.log(JSON.stringify({ target: t.name, policy: t.policy, size: opt.size, mb_s: +m.toFixed(1),
                               min: +Math.min(...rates[k]).toFixed(1), max: +Math.max(...rates[k]).toFixed(1),
                               vs_direct: +(m / direct).toFixed(3) }));
});
