// An example's server.mjs as a child process on a free port, as `pnpm start` runs it (without the build,
// which the test command has done): ready when it prints its address, stopped with SIGTERM.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

export async function freePort() {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * Starts `node server.mjs` in `dir` with PORT set, and resolves once it printed `http://localhost:<port>/`
 * (every example does when it listens). `startTimeoutMs` is only a last resort against a hung start.
 * Returns `{ port, base, output(), stop() }`; `stop()` sends SIGTERM and resolves with the exit code.
 */
export async function startExample(dir, { env = {}, startTimeoutMs = 180_000 } = {}) {
  const port = await freePort();
  const child = spawn(process.execPath, ['server.mjs'], {
    cwd: fileURLToPath(dir),
    env: { ...process.env, PORT: String(port), NEXT_TELEMETRY_DISABLED: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = once(child, 'exit');
  const listening = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the example did not start within ${startTimeoutMs} ms:\n${output}`)), startTimeoutMs);
    const read = (chunk) => {
      output += chunk;
      if (output.includes(`http://localhost:${port}/`)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', read);
    child.stderr.on('data', (chunk) => (output += chunk));
    exited.then(([code]) => {
      clearTimeout(timer);
      reject(new Error(`the example exited (${code}) before it listened:\n${output}`));
    });
  });
  const running = {
    port,
    base: `http://127.0.0.1:${port}`,
    output: () => output,
    /** SIGTERM, then the exit code; SIGKILL if it has not exited after 10 s. */
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      const [code] = await exited;
      clearTimeout(timer);
      return code;
    },
  };
  try {
    await listening;
  } catch (err) {
    await running.stop();
    throw err;
  }
  return running;
}
