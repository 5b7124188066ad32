// workspace_server.mjs - the demo's upstream: a small "team workspace" MCP server built
// on the official SDK. Notes live in a directory given as argv[2]. run_command really
// runs a shell command: exactly the kind of tool an injected prompt would reach for, and
// the one the default policy keeps away from the agent.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { CallToolRequestSchema, ListToolsRequestSchema } from "@modelcontextprotocol/sdk/types.js";

const dir = process.argv[2] || fs.mkdtempSync("/tmp/workspace-");
const safe = (name) => path.join(dir, path.basename(String(name)));
const text = (t) => ({ content: [{ type: "text", text: t }] });

const tools = [
  { name: "list_notes", description: "List the workspace notes", inputSchema: { type: "object", properties: {} } },
  { name: "read_note", description: "Read one note", inputSchema: { type: "object", properties: { name: { type: "string" } }, required: ["name"] } },
  { name: "write_note", description: "Create or replace a note", inputSchema: { type: "object", properties: { name: { type: "string" }, text: { type: "string" } }, required: ["name", "text"] } },
  { name: "run_command", description: "Run a shell command in the workspace", inputSchema: { type: "object", properties: { command: { type: "string" } }, required: ["command"] } },
];

const server = new Server({ name: "workspace", version: "1.0.0" }, { capabilities: { tools: {} } });
server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools }));
server.setRequestHandler(CallToolRequestSchema, async (req) => {
  const a = req.params.arguments || {};
  switch (req.params.name) {
    case "list_notes":
      return text(fs.readdirSync(dir).join("\n") || "(no notes)");
    case "read_note":
      return text(fs.readFileSync(safe(a.name), "utf8"));
    case "write_note":
      fs.writeFileSync(safe(a.name), String(a.text));
      return text(`saved ${path.basename(String(a.name))}`);
    case "run_command":
      return text(execFileSync("/bin/sh", ["-c", String(a.command)], { cwd: dir, encoding: "utf8" }));
    default:
      return { isError: true, ...text(`unknown tool ${req.params.name}`) };
  }
});
await server.connect(new StdioServerTransport());
