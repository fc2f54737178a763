// Type tests of io.inspect() and io.inspectCluster(): checked by `tsc` in the typecheck task.
import { expectTypeOf } from 'vitest';
import { type ClientGenerationName, type ClusterSnapshot, type ConnectionCounts, Server, type ServerSnapshot } from '../src/index.js';

const io = new Server();

expectTypeOf(io.inspect()).toEqualTypeOf<ServerSnapshot>();
expectTypeOf(io.inspect({ sessions: false })).toEqualTypeOf<ServerSnapshot>();
expectTypeOf(io.inspectCluster({ timeout: 1000 })).toEqualTypeOf<Promise<ClusterSnapshot>>();
expectTypeOf(io.inspect().engine.clients).toEqualTypeOf<ConnectionCounts>();
expectTypeOf(io.inspect().engine.clients.byGeneration).toEqualTypeOf<Record<ClientGenerationName, number>>();
expectTypeOf(io.inspect().engine.sessions).toEqualTypeOf<ServerSnapshot['engine']['sessions']>();
expectTypeOf<ClientGenerationName>().toEqualTypeOf<'4.x' | '2.x' | '0.9'>();

const session = io.inspect().engine.sessions?.[0];
if (session !== undefined) {
  expectTypeOf(session.protocol).toEqualTypeOf<1 | 3 | 4>();
  expectTypeOf(session.namespaces).toEqualTypeOf<string[]>();
}

// @ts-expect-error: the cluster's snapshot is a promise
void io.inspectCluster().nodes;
// @ts-expect-error: an option inspect() does not take
io.inspect({ timeout: 1000 });

void io.close();
