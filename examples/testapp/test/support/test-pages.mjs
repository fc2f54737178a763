// The pages the browser tests load, served by the test application's own http server: one page per
// generation that loads the official browser bundle and then this harness, which runs the generation's
// operations (generations/*.mjs) in the page.
import { readFileSync } from 'node:fs';
import { fromWire, next, sleep, toWire } from './client-ops.mjs';

const PREFIX = '/__testapp/';

/** The page's side of a test client; runs in the page, so it uses nothing but its arguments. */
function installPageRuntime(kit, ops, toWire, fromWire) {
  // An ArrayBuffer: socket.io-client 2's browser bundle counts it as binary, not a typed array.
  const bytes = (list) => new Uint8Array(list).buffer;
  const replies = new Map();
  let lastReply = 0;
  let socket;
  globalThis.testapp = {
    async connect(nsp, transport, auth) {
      socket = ops.open(kit, globalThis.location.origin, nsp, transport, auth);
      await ops.connected(kit, socket, transport);
      return { id: ops.socketId(kit, socket), sessionId: ops.sessionId(kit, socket) };
    },
    refused(nsp, transport, auth) {
      socket = ops.open(kit, globalThis.location.origin, nsp, transport, auth);
      return ops.refusal(kit, socket);
    },
    async call(op, args) {
      return toWire(await ops[op](kit, socket, ...fromWire(args, bytes)));
    },
    /** Hands every `event` to Node; an acknowledgement callback stays here, under a number. */
    listen(event) {
      socket.on(event, (...args) => {
        let replyId = null;
        if (typeof args[args.length - 1] === 'function') {
          replyId = ++lastReply;
          replies.set(replyId, args.pop());
        }
        globalThis.testappEvent(event, toWire(args), replyId);
      });
    },
    reply(replyId, args) {
      const reply = replies.get(replyId);
      replies.delete(replyId);
      reply(...fromWire(args, bytes));
    },
  };
}

/** The page script: the runtime above, given the generation's operations as source text. */
function harnessScript(ops) {
  for (const [name, fn] of Object.entries(ops)) {
    // A method's source (`name(…) {…}`) is no expression: only arrows and function expressions travel.
    if (!/^(async\s*)?(\(|function\b|[\w$]+\s*=>)/.test(String(fn))) throw new TypeError(`operation "${name}" must be an arrow function to run in a page`);
  }
  const entries = Object.entries(ops).map(([name, fn]) => `${JSON.stringify(name)}: ${fn}`);
  return `(${installPageRuntime})({ io: globalThis.io, next: ${next}, sleep: ${sleep} }, {\n${entries.join(',\n')}\n}, ${toWire}, ${fromWire});\n`;
}

/** The address of `generation`'s test page. */
export function pagePath(generation) {
  return `${PREFIX}${generation.key}.html`;
}

/**
 * Serves the test pages of `generations` from the test application's http server: the page, the
 * harness and the browser bundle from node_modules (4.x's comes from the server's own `serveClient`).
 * Every other request goes to the server's listeners as before.
 */
export function serveTestPages(httpServer, generations) {
  const routes = new Map();
  for (const generation of generations) for (const [path, route] of generationRoutes(generation)) routes.set(path, route);
  const listeners = httpServer.listeners('request');
  httpServer.removeAllListeners('request');
  httpServer.on('request', (req, res) => {
    const route = routes.get(req.url);
    if (route === undefined) for (const listener of listeners) listener.call(httpServer, req, res);
    else res.writeHead(200, { 'Content-Type': route[0] }).end(route[1]);
  });
}

const built = new Map();

/** The routes of one generation's page, built once: `[path, [content type, body]]`. */
function generationRoutes(generation) {
  if (built.has(generation)) return built.get(generation);
  const routes = new Map();
  const bundle = generation.browser.script ?? `${PREFIX}${generation.key}/socket.io.js`;
  const harness = `${PREFIX}${generation.key}.js`;
  if (generation.browser.file !== undefined) routes.set(bundle, ['application/javascript', readFileSync(generation.browser.file)]);
  routes.set(harness, ['application/javascript', harnessScript(generation.ops)]);
  const page = `<!doctype html><meta charset="utf-8"><title>${generation.title}</title><script src="${bundle}"></script><script src="${harness}"></script>`;
  routes.set(pagePath(generation), ['text/html; charset=utf-8', page]);
  built.set(generation, routes);
  return routes;
}
