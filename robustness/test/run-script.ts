// Runs one of the robustness scripts (src/*.mjs) as a user would, in a process of its own, and hands back
// its exit code, its output and the JSON of its last `<TAG>-SUMMARY` line.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface ScriptRun<TSummary> {
  code: number | null;
  output: string;
  summary: TSummary | undefined;
}

export function runScript<TSummary>(script: string, args: readonly string[], tag: string): Promise<ScriptRun<TSummary>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [fileURLToPath(new URL(`../src/${script}`, import.meta.url)), ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => {
      const line = output.split('\n').find((l) => l.startsWith(`${tag}-SUMMARY `));
      const summary = line === undefined ? undefined : (JSON.parse(line.slice(tag.length + 9)) as TSummary);
      resolve({ code, output: output.split('\n').filter((l) => !l.includes('-SUMMARY ')).join('\n'), summary });
    });
  });
}
