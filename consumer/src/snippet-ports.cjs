// Preloaded (node --require) into every snippet the consumer test runs. Snippets listen on the port they
// name (3000) and clients connect to it, as a user writes them; to run beside whatever else the machine
// runs, the test moves those ports: in a server, a listen on a named port listens on a free one and tells
// the test which (over IPC); in a client, a connection to a named port goes to the one the server got.
'use strict';
const net = require('node:net');

if (process.env.SWITCHYARD_SNIPPET_ROLE === 'server') {
  const listen = net.Server.prototype.listen;
  net.Server.prototype.listen = function (...args) {
    const first = args[0];
    let requested;
    if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
      requested = Number(first);
      if (requested !== 0) args[0] = 0;
    } else if (first !== null && typeof first === 'object' && first.port !== undefined && Number(first.port) !== 0) {
      requested = Number(first.port);
      args[0] = { ...first, port: 0 };
    }
    if (requested !== undefined && requested !== 0) {
      this.once('listening', () => process.send?.({ requested, port: this.address().port }));
    }
    return listen.apply(this, args);
  };
} else if (process.env.SWITCHYARD_SNIPPET_PORTS !== undefined) {
  const ports = JSON.parse(process.env.SWITCHYARD_SNIPPET_PORTS);
  const connect = net.Socket.prototype.connect;
  net.Socket.prototype.connect = function (...args) {
    // net.connect() and http's agents hand over [options, callback] already normalized: move the port in place.
    const normalized = Array.isArray(args[0]) ? args[0][0] : undefined;
    if (normalized !== null && typeof normalized === 'object' && ports[normalized.port] !== undefined) {
      normalized.port = ports[normalized.port];
      return connect.apply(this, args);
    }
    const options = args[0];
    if (Array.isArray(options)) return connect.apply(this, args);
    if (options !== null && typeof options === 'object' && ports[options.port] !== undefined) {
      args[0] = { ...options, port: ports[options.port] };
    } else if ((typeof options === 'number' || typeof options === 'string') && ports[options] !== undefined) {
      args[0] = ports[options];
    }
    return connect.apply(this, args);
  };
}
