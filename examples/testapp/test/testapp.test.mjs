// The test application's behaviours (behaviours.mjs) for every client generation, in Node, on every
// transport its Node build has.
import { afterEach, beforeEach, describe } from 'vitest';
import { defineBehaviours } from './behaviours.mjs';
import { V09 } from './generations/v09.mjs';
import { V2 } from './generations/v2.mjs';
import { V4 } from './generations/v4.mjs';
import { nodeClients } from './support/node-clients.mjs';
import { startTestApp } from './support/start-app.mjs';

for (const generation of [V4, V2, V09]) {
  for (const transport of generation.transports) {
    describe(`testapp with ${generation.title} over ${transport.name}`, () => {
      let app;
      let clients;
      beforeEach(async () => {
        app = await startTestApp();
        clients = nodeClients(generation, transport, app.url);
      });
      afterEach(async () => {
        await clients?.close();
        await app?.stop();
      });
      defineBehaviours(generation, () => ({ app, transport, connect: clients.connect, refused: clients.refused }));
    });
  }
}
