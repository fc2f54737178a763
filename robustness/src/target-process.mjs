// Forks target-server.mjs and talks to it: `await startTarget(options)` resolves once it listens.
import { fork } from 'node:child_process';

export async function startTarget(serverOptions, { onExit = () => {} } = {}) {
  const child = fork(new URL('./target-server.mjs', import.meta.url), {
    execArgv: ['--expose-gc'],
    env: { ...process.env, TARGET_OPTIONS: JSON.stringify(serverOptions) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let stopping = false;
  const waiters = [];
  child.on('message', (msg) => {
    const i = waiters.findIndex((w) => w.type === msg.type);
    if (i >= 0) waiters.splice(i, 1)[0].resolve(msg);
  });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  exited.then((how) => {
    for (const w of waiters.splice(0)) w.reject(new Error(`server exited (${how.code ?? how.signal})`));
    if (!stopping) onExit(how);
  });
  const next = (type) => new Promise((resolve, reject) => waiters.push({ type, resolve, reject }));
  const { port } = await next('ready');
  return {
    port,
    pid: child.pid,
    /** Heap after gc, RSS, session counts, the closes by generation/reason/code, event-loop delay. */
    stats(resetDelay = false) {
      child.send({ cmd: 'stats', resetDelay });
      return next('stats');
    },
    /** Emits `tick` with 0, 1, 2, … to `room` of `/` every `ms`. */
    startBroadcast(ms, room) {
      child.send({ cmd: 'broadcast', ms, room });
    },
    /** Stops the broadcast; resolves how many ticks were sent. */
    async stopBroadcast() {
      child.send({ cmd: 'stop-broadcast' });
      return (await next('stopped')).sent;
    },
    /** Closes the IPC channel (the server closes and exits); resolves once it has exited. */
    async stop() {
      stopping = true;
      if (child.connected) child.disconnect();
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
