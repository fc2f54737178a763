// Well-behaved clients, one per generation and transport, that keep echoing with acknowledgements while
// something else happens (a fuzz, a soak). Each checks that every ack comes back with what it sent.
import { WireClient } from './wire/wire-client.mjs';
import { GENERATIONS } from './wire/wire-codec.mjs';

const NAMESPACES = ['/', '/chat', '/cls'];

/**
 * Connects the six good clients and starts their loops: an `echo` with an ack every `intervalMs`, each
 * waiting for its ack before the next. A client that is disconnected, or whose ack has not come back
 * within `ackTimeoutMs`, or comes back wrong, is a failure (see `failures`).
 */
export async function startGoodClients(port, { intervalMs = 50, ackTimeoutMs = 20_000 } = {}) {
  const failures = [];
  const figures = {};
  const loops = [];
  let running = true;
  const clients = [];
  for (const generation of GENERATIONS) {
    for (const transport of ['websocket', 'polling']) {
      const name = `${generation}/${transport}`;
      const client = await WireClient.connect({ port, generation, transport, namespaces: NAMESPACES, timeoutMs: 30_000 });
      clients.push(client);
      figures[name] = { acks: 0 };
      client.on('close', (reason) => {
        if (running) failures.push(`${name} was disconnected: ${reason}`);
      });
      loops.push(
        (async () => {
          for (let seq = 0; running && !client.closed; seq++) {
            const nsp = NAMESPACES[seq % NAMESPACES.length];
            const payload = { seq, nsp, text: `good ${name} ${seq}` };
            let timer;
            const late = new Promise((_resolve, reject) => {
              timer = setTimeout(() => reject(new Error(`no ack for ${nsp} echo #${seq} within ${ackTimeoutMs} ms`)), ackTimeoutMs);
            });
            try {
              const [back] = await Promise.race([client.emitWithAck(nsp, 'echo', [payload]), late]);
              if (JSON.stringify(back) !== JSON.stringify(payload)) throw new Error(`ack #${seq} came back as ${JSON.stringify(back)}`);
              figures[name].acks++;
            } catch (err) {
              if (running) failures.push(`${name}: ${err.message}`);
              return;
            } finally {
              clearTimeout(timer);
            }
            await new Promise((resolve) => setTimeout(resolve, intervalMs));
          }
        })(),
      );
    }
  }
  return {
    failures,
    figures,
    count: clients.length,
    /** Stops the loops (waiting for the acks in flight), then closes the clients. */
    async stop() {
      running = false;
      await Promise.all(loops);
      await Promise.all(clients.map((c) => c.close()));
    },
  };
}
