// The whole demo in one command: NODES chat nodes (default 3) on ports PORT+1, PORT+2, … and the
// balancer on PORT (default 3000), all with the same REDIS_URL. Ctrl-C stops them all. To kill and
// restart single nodes, start them yourself instead (see README.md).
import { spawn } from 'node:child_process';

const port = Number(process.env.PORT ?? 3000);
const nodes = Number(process.env.NODES ?? 3);
const nodePorts = Array.from({ length: nodes }, (_, i) => port + 1 + i);
const children = new Set();

function start(script, env) {
  const child = spawn(process.execPath, [new URL(script, import.meta.url).pathname], { env: { ...process.env, ...env }, stdio: 'inherit' });
  children.add(child);
  child.on('exit', (code, signal) => {
    children.delete(child);
    if (!stopping) console.log(`${script} (PORT=${env.PORT}) exited (${signal ?? code})`);
    if (children.size === 0) process.exit(0);
  });
}

let stopping = false;
const stop = () => {
  stopping = true;
  for (const child of children) child.kill('SIGTERM');
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

for (const nodePort of nodePorts) start('server.mjs', { PORT: String(nodePort) });
start('balancer.mjs', { PORT: String(port), TARGETS: nodePorts.join(',') });
