// The chat's processes as the test starts and kills them: nodes (server.mjs) and the balancer, each a
// child process that is ready once it prints its "listening" line.
import { spawn } from 'node:child_process';
import { once } from 'node:events';

const dir = new URL('..', import.meta.url).pathname;

/** Starts `script` with `env` and resolves once a line of its output matches `ready`. */
export async function startProcess(script, env, ready) {
  const child = spawn(process.execPath, [script], { cwd: dir, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exited = once(child, 'exit');
  await new Promise((resolve, reject) => {
    const onData = (chunk) => {
      output += chunk;
      if (ready.test(output)) resolve();
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    exited.then(([code, signal]) => reject(new Error(`${script} exited (${signal ?? code}) before it was ready:\n${output}`)));
  });
  return {
    child,
    output: () => output,
    /** Kills the process (SIGKILL: no goodbye to anyone) and waits until it is gone. */
    async kill(signal = 'SIGKILL') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

/** A chat node on `port`. */
export const startNode = (port, env) => startProcess('server.mjs', { ...env, PORT: String(port) }, /chat on http/);

/** The balancer on `port` in front of the nodes on `targets`. */
export const startBalancer = (port, targets) =>
  startProcess('balancer.mjs', { PORT: String(port), TARGETS: targets.join(','), HEALTH_INTERVAL: '300' }, /balancer on http/);
