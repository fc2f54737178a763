// Type tests: checked by `tsc` in the typecheck task. Each `@ts-expect-error` must meet an error, or the
// build fails; every other line must type-check.
import { expectTypeOf } from 'vitest';
import { Server, type Socket } from '../src/index.js';

interface ClientToServer {
  chat: (text: string) => void;
  add: (a: number, b: number, ack: (sum: number) => void) => void;
}
interface ServerToClient {
  message: (from: string, text: string) => void;
  ask: (question: string, ack: (answer: string) => void) => void;
}
interface InterServer {
  ping: (node: number) => void;
}
interface Data {
  name: string;
}

const io = new Server<ClientToServer, ServerToClient, InterServer, Data>();

io.on('connection', (socket) => {
  expectTypeOf(socket).toEqualTypeOf<Socket<ClientToServer, ServerToClient, InterServer, Data>>();
  expectTypeOf(socket.data).toEqualTypeOf<Data>();

  socket.on('chat', (text) => expectTypeOf(text).toBeString());
  socket.on('add', (a, b, ack) => {
    expectTypeOf(a).toBeNumber();
    ack(a + b);
    // @ts-expect-error the ack takes a number
    ack('three');
  });
  // @ts-expect-error no such incoming event
  socket.on('nope', () => {});

  socket.emit('message', 'server', 'hello');
  // @ts-expect-error text must be a string
  socket.emit('message', 'server', 42);
  // @ts-expect-error no such outgoing event
  socket.emit('chat', 'x');

  socket.emit('ask', 'why?', (answer) => expectTypeOf(answer).toBeString());
  socket.timeout(1000).emit('ask', 'why?', (err, answer) => {
    expectTypeOf(err).toEqualTypeOf<Error | null>();
    expectTypeOf(answer).toBeString();
  });
  expectTypeOf(socket.emitWithAck('ask', 'why?')).toEqualTypeOf<Promise<string>>();

  socket.to('room').emit('message', 'a', 'b');
  // @ts-expect-error broadcast operators keep the event map
  socket.broadcast.emit('message', 1, 2);
  // @ts-expect-error reserved names are not events a server emits
  socket.emit('disconnect');
});

io.emit('message', 'all', 'hi');
io.to('r').except('s').emit('message', 'x', 'y');
// @ts-expect-error the namespace operators are typed too
io.of('/x').emit('message', false, 'y');

io.timeout(500).emit('ask', 'q', (err, answers) => {
  expectTypeOf(err).toEqualTypeOf<Error | null>();
  expectTypeOf(answers).toEqualTypeOf<string[]>();
});

io.serverSideEmit('ping', 1);
// @ts-expect-error server-side events are typed
io.serverSideEmit('ping', 'one');

io.use((socket, next) => {
  expectTypeOf(socket.data).toEqualTypeOf<Data>();
  next();
});

void io.fetchSockets().then((sockets) => {
  for (const remote of sockets) {
    expectTypeOf(remote.data).toEqualTypeOf<Data>();
    remote.emit('message', 'r', 's');
    // @ts-expect-error remote sockets are typed
    remote.emit('message', 1);
  }
});

// emitWithAck resolves with the answer(s), not with the error slot of a timeout callback.
io.on('connection', (socket) => {
  expectTypeOf(socket.timeout(100).emitWithAck('ask', 'q')).toEqualTypeOf<Promise<string>>();
});
expectTypeOf(io.timeout(100).emitWithAck('ask', 'q')).toEqualTypeOf<Promise<string[]>>();
