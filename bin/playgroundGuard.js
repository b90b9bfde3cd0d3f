'use strict';
/**
 * Loaded into the Agents Playground (`node --require`) by src/playground.ts, which starts it
 * for `npm start`. Two things its CLI has no option for (`agentsplayground --help`: port,
 * endpoint, channel, no host):
 *
 * - It listens on every interface (`server.listen(port, cb)`), so anyone on the network could
 *   post activities into local mode. Here every listen without a host gets
 *   PASSLENS_PLAYGROUND_HOST: 127.0.0.1 unless PassLens' HOST says otherwise.
 * - It outlived a PassLens killed with SIGKILL. Here it exits when its IPC channel to PassLens
 *   closes, which the operating system does when PassLens dies, however it dies (Node.js
 *   child_process: the child's 'disconnect' event).
 */
const net = require('node:net');

const host = process.env.PASSLENS_PLAYGROUND_HOST || '127.0.0.1';
const listen = net.Server.prototype.listen;

net.Server.prototype.listen = function listenOnHost(...args) {
  const [first] = args;
  if (first !== null && typeof first === 'object') {
    // listen(options): a TCP port without a host; a path or a handle is left alone.
    if (first.path === undefined && first.fd === undefined && first._handle === undefined && !first.host) args[0] = { ...first, host };
  } else if (first === undefined || first === null || typeof first === 'number' || /^\d+$/.test(String(first))) {
    // listen(port[, host][, backlog][, callback]): fill a missing or empty host.
    if (args.length === 0) args.push(0);
    if (typeof args[1] === 'string' && args[1] !== '') return listen.apply(this, args);
    if (args.length > 1 && (args[1] === undefined || args[1] === null || args[1] === '')) args[1] = host;
    else args.splice(1, 0, host);
  }
  return listen.apply(this, args);
};

if (process.send) process.on('disconnect', () => process.exit(0));
