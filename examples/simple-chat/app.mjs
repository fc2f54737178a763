// gevent-socketio's simple_chat over Switchyard: a bare node:http server that routes its own requests
// and hands every Socket.IO request to `io.manage()`, as the WSGI app handed them to `socketio_manage`,
// with the namespace classes to serve and a "request" object every namespace instance shares (here, the
// lobby: who is in the chat). `createChatApp()` returns an http server that is not listening yet.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { BaseNamespace, Server } from '@switchyard/core';
import { serveAssets } from 'switchyard-example-assets';
import { notFound, packageFiles, serveFile, servePage } from 'switchyard-example-assets/example-server';

const page = readFileSync(new URL('./index.html', import.meta.url));
/** The older generations' browser builds, for `/?client=2` and `/?client=0.9` (4.x's comes from `serveClient`). */
const bundles = packageFiles(import.meta.url, {
  '/vendor/socket.io-2.5.0.js': 'socket.io-client-v2/dist/socket.io.js',
  '/vendor/socket.io-0.9.16.js': 'socket.io-client-v09/dist/socket.io.js',
});

export const MAX_NICKNAME = 24;
export const MAX_MESSAGE = 1000;
/** The room every named user joins (gevent-socketio's RoomsMixin); messages go only to it. */
const ROOM = 'lobby';

/**
 * `/chat`: one instance per connected browser. Until it has picked a nickname a socket may call nothing
 * but `nickname` (the ACL); after that it may talk.
 */
class ChatNamespace extends BaseNamespace {
  getInitialAcl() {
    return ['onNickname'];
  }

  /** `nickname(name, key)`: joins the chat. `key` is the page's own; it takes a name back after a reconnect. */
  onNickname(nickname, key) {
    const name = typeof nickname === 'string' ? nickname.trim() : '';
    if (name.length === 0 || name.length > MAX_NICKNAME) return { error: `Pick a nickname of 1 to ${MAX_NICKNAME} characters.` };
    const { members } = this.request;
    for (const [id, member] of members) {
      if (id === this.socket.id || member.name.toLowerCase() !== name.toLowerCase()) continue;
      if (typeof key !== 'string' || member.key !== key) return { error: `"${name}" is taken, pick another nickname.` };
      // The same page, back after a reconnect the server has not noticed yet: its old socket gives way.
      members.delete(id);
      member.namespace.disconnect();
    }
    const previous = members.get(this.socket.id)?.name;
    members.set(this.socket.id, { name, key, namespace: this });
    this.session.nickname = name;
    this.join(ROOM);
    this.liftAclRestrictions();
    if (previous !== name) this.broadcastEventNotMe('announcement', previous === undefined ? `${name} joined` : `${previous} is now ${name}`);
    this.broadcastEvent('nicknames', nicknamesOf(members));
    return { name };
  }

  /** `user message(text)`: to everyone else in the room; the sender shows it when acknowledged. */
  onUserMessage(text) {
    if (typeof text !== 'string' || text.trim().length === 0) return { error: 'Say something first.' };
    if (text.length > MAX_MESSAGE) return { error: `Messages are at most ${MAX_MESSAGE} characters.` };
    this.emitToRoom(ROOM, 'msg_to_room', this.session.nickname, text);
    return { sent: Date.now() };
  }

  recvConnect() {
    // Whoever arrives sees who is already there, before picking a nickname.
    this.emit('nicknames', nicknamesOf(this.request.members));
  }

  recvDisconnect() {
    const { members } = this.request;
    const member = members.get(this.socket.id);
    if (member === undefined || member.namespace !== this) return;
    members.delete(this.socket.id);
    this.broadcastEvent('announcement', `${member.name} left`);
    this.broadcastEvent('nicknames', nicknamesOf(members));
  }
}

function nicknamesOf(members) {
  return [...members.values()].map((member) => member.name).sort((a, b) => a.localeCompare(b));
}

export function createChatApp() {
  // What socketio_manage's third argument was in gevent-socketio: state the namespaces share.
  const lobby = { members: new Map() };
  const io = new Server();
  const namespaces = { '/chat': ChatNamespace };
  const httpServer = createServer((req, res) => {
    if (io.manage(req, res, namespaces, lobby) || serveAssets(req, res) || servePage(req, res, page) || serveFile(req, res, bundles)) return;
    notFound(res);
  });
  httpServer.on('upgrade', (req, socket, head) => {
    if (!io.handleUpgrade(req, socket, head)) socket.destroy();
  });
  return { httpServer, io, lobby };
}
