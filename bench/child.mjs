// A forked bench process (a server or the load client) seen from the orchestrator: request/reply over
// IPC with a timeout, the tail of its stderr kept for the report, and a stop that always ends it.
import { execFileSync, fork } from 'node:child_process';

const STDERR_KEEP = 8000;

export class Child {
  #proc;
  #waiters = new Set();
  #listeners = new Map();
  #exit;
  /** The last few thousand characters the process wrote to stderr. */
  stderr = '';
  /** `{ code, signal }` once the process has exited. */
  exited;

  /** Forks `file` and resolves once it sent `{ type: 'ready' }` (within `timeoutMs`). */
  static async start(name, file, { execArgv = [], env = {}, cpu, timeoutMs = 15_000 } = {}) {
    const child = new Child(name, file, execArgv, env);
    if (cpu !== undefined) child.pin(cpu);
    child.ready = await child.wait('ready', timeoutMs);
    return child;
  }

  constructor(name, file, execArgv, env) {
    this.name = name;
    this.#proc = fork(file, [], { execArgv, env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'pipe', 'ipc'] });
    this.#proc.stderr.setEncoding('utf8');
    this.#proc.stderr.on('data', (chunk) => {
      this.stderr = (this.stderr + chunk).slice(-STDERR_KEEP);
    });
    this.#proc.on('message', (msg) => {
      this.#listeners.get(msg.type)?.(msg);
      for (const waiter of this.#waiters) waiter(msg);
    });
    this.#exit = new Promise((resolve) => {
      this.#proc.on('exit', (code, signal) => {
        this.exited = { code, signal };
        for (const waiter of this.#waiters) waiter({ type: 'exit', code, signal });
        resolve();
      });
    });
  }

  /** Pins every thread of the process to CPU `cpu` with `taskset`; false when that did not work. */
  pin(cpu) {
    try {
      execFileSync('taskset', ['-a', '-pc', String(cpu), String(this.pid)], { stdio: 'ignore' });
      this.pinned = cpu;
      return true;
    } catch {
      return false;
    }
  }

  get pid() {
    return this.#proc.pid;
  }

  /** Calls `fn(msg)` for every message of this type (e.g. the load client's marks). */
  on(type, fn) {
    this.#listeners.set(type, fn);
  }

  /** Resolves with the next message of `type`; rejects on an error message, exit or timeout. */
  wait(type, timeoutMs) {
    return new Promise((resolve, reject) => {
      const done = (fn, value) => {
        clearTimeout(timer);
        this.#waiters.delete(waiter);
        fn(value);
      };
      const timer = setTimeout(() => done(reject, new Error(`${this.name}: no '${type}' within ${timeoutMs} ms`)), timeoutMs);
      const waiter = (msg) => {
        if (msg.type === type) done(resolve, msg);
        else if (msg.type === 'error') done(reject, new Error(`${this.name}: ${msg.message}`));
        else if (msg.type === 'exit') {
          done(reject, new Error(`${this.name} exited (code ${msg.code}, signal ${msg.signal}) while we waited for '${type}'`));
        }
      };
      if (this.exited !== undefined) return waiter({ type: 'exit', ...this.exited });
      this.#waiters.add(waiter);
    });
  }

  /** Sends `msg` and waits for the reply of type `type`. */
  request(msg, type, timeoutMs) {
    const reply = this.wait(type, timeoutMs);
    if (this.exited === undefined) this.#proc.send(msg);
    return reply;
  }

  /**
   * Closes the IPC channel (each bench process exits when it loses its parent), then kills the
   * process with SIGKILL if it is still there after `graceMs`.
   */
  async stop(graceMs = 2000) {
    if (this.exited !== undefined) return;
    if (this.#proc.connected) this.#proc.disconnect();
    const timer = setTimeout(() => this.#proc.kill('SIGKILL'), graceMs);
    await this.#exit;
    clearTimeout(timer);
  }
}
