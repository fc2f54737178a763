// The Server's `router` option: new session ids go through markId, and only requests carrying a session
// id this process does not hold are offered to the router.
import { describe, expect, it } from 'vitest';
import type { SessionRouter } from '../src/index.js';
import { useSio } from './sio-helpers.js';

function recordingRouter() {
  const offered: string[] = [];
  let bound = 0;
  const router: SessionRouter = {
    bind: () => void bound++,
    markId: (id) => `here.${id}`,
    routeRequest(_req, res, sid) {
      offered.push(sid);
      if (!sid.startsWith('there.')) return false;
      res.writeHead(299).end('forwarded');
      return true;
    },
    routeUpgrade: () => false,
  };
  return { router, offered, bound: () => bound };
}

describe('Server router option', () => {
  const sio = useSio();

  it('marks session ids and offers only foreign session ids to the router', async () => {
    const { router, offered, bound } = recordingRouter();
    const { url, connect } = await sio.start({ router });
    expect(bound()).toBe(1);
    const socket = await connect('/', { transports: ['polling'] });
    const sid = socket.io.engine.id;
    expect(sid.startsWith('here.')).toBe(true);
    expect(offered).toEqual([]);

    const foreign = await fetch(`${url}/socket.io/?EIO=4&transport=polling&sid=there.abc`);
    expect(foreign.status).toBe(299);
    expect(await foreign.text()).toBe('forwarded');
    const unknown = await fetch(`${url}/socket.io/?EIO=4&transport=polling&sid=here.gone`);
    expect(unknown.status).toBe(400);
    expect(offered).toEqual(['there.abc', 'here.gone']);
  });

  it('marks the ids of a generateId assigned to io.engine after construction', async () => {
    const { router } = recordingRouter();
    const { io, connect } = await sio.start({ router });
    io.engine.generateId = () => 'mine';
    const socket = await connect('/', { transports: ['websocket'] });
    expect(socket.io.engine.id).toBe('here.mine');
  });
});
