/**
 * The server-side event a Switchyard node answers itself (`serverSideEmitWithAck(NODE_REQUEST_EVENT,
 * kind, options)`), never handing it to the namespace's listeners: how one node asks every other for
 * something about itself (`io.inspectCluster()` asks for `'inspect'`). It travels as any serverSideEmit
 * does, so every cluster adapter carries it, ours and those built on socket.io-adapter alike.
 */
export const NODE_REQUEST_EVENT = 'switchyard:node-request';

/** Answers a request from another node; `undefined` leaves it unanswered (a kind this node does not know). */
export type AnswerNodeRequest = (kind: string, options: unknown) => unknown;

/** Whether a serverSideEmit from another node is a node request: `[NODE_REQUEST_EVENT, kind, options]`. */
export function isNodeRequest(args: readonly unknown[]): args is [typeof NODE_REQUEST_EVENT, string, unknown] {
  return args[0] === NODE_REQUEST_EVENT && typeof args[1] === 'string';
}
