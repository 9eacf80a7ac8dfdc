#!/usr/bin/env node
// Runs a command under a Node.js that can execute this project's TypeScript sources directly.
// Node 22.18+ strips types by default and ships node:sqlite; older Node (this machine's image
// ships Node 20) gets Node 24 LTS installed from the npm registry's `node` package into
// .node/, which is then put first on PATH for the command. Written in plain JavaScript on
// purpose: it must run on the old Node it replaces.
//
// Usage: node scripts/node24.mjs <command> [args...]   e.g. node scripts/node24.mjs node src/main.ts
import { spawnSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const localBin = join(root, '.node', 'node_modules', '.bin');
const localNode = join(localBin, process.platform === 'win32' ? 'node.cmd' : 'node');

function isRecentEnough(version) {
  const [major, minor] = version.replace(/^v/, '').split('.').map(Number);
  return major > 22 || (major === 22 && minor >= 18);
}

function ensureNode() {
  if (isRecentEnough(process.versions.node)) return null;
  if (!existsSync(localNode)) {
    process.stderr.write(`Node ${process.versions.node} is too old for this project; installing Node 24 LTS into .node/ (once)...\n`);
    const result = spawnSync('npm', ['install', '--no-save', '--no-audit', '--no-fund', '--loglevel=error', '--prefix', join(root, '.node'), 'node@24'], {
      // npm's output goes to stderr: stdout carries only the answer when the caller captures it.
      stdio: ['ignore', 2, 2],
      shell: process.platform === 'win32',
    });
    if (result.status !== 0 || !existsSync(localNode)) {
      process.stderr.write('Could not install Node 24 from the npm registry. Install Node >= 22.18 yourself and retry.\n');
      process.exit(1);
    }
  }
  return localBin;
}

const [command, ...args] = process.argv.slice(2);
const bin = ensureNode();
if (!command) {
  // No command: print the directory to put on PATH (empty when the running Node is fine).
  process.stdout.write(`${bin ?? ''}\n`);
  process.exit(0);
}
const env = { ...process.env };
if (bin) env.PATH = `${bin}${delimiter}${env.PATH ?? ''}`;
const child = spawn(command, args, { stdio: 'inherit', env, shell: process.platform === 'win32' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => {
  if (signal) process.kill(process.pid, signal);
  else process.exit(code ?? 1);
});
