// The chat pages' client logic, in the browser, apart from how a page draws it: the testapp's plain page
// (served as /assets/chat-client.mjs) and the Next example's React page (bundled) both call it.
// It chats in `/chat`, where the server allows only `login` until a name is given. The name comes from the
// framework's session through the `/me` namespace when the server has one, else from the page's form. After
// a reconnect the server knows nothing of the new socket, so the client logs in again by itself.

/**
 * `io` is socket.io-client's `io`. `view` draws: `status(state, text)` with state connecting, connected or
 * disconnected; `line({ from, text, kind })` with from null for a notice, kind '', 'mine', 'notice' or
 * 'error'; `users(names)`; `form(name)` shows the one form ('signin', 'login' or 'say'); `me(name)` when the
 * framework's session named the user; `online(yes)` whether a message can be sent now.
 * Returns `{ login(name), send(text), close() }`.
 */
export function connectChat(io, view) {
  let name = null; // the name the server accepted, kept to log in again after a reconnect
  let online = false;
  const notice = (text, kind = 'notice') => view.line({ from: null, text, kind });
  const setOnline = (yes) => {
    online = yes;
    view.online(yes);
  };

  const chat = io('/chat');
  let watchedEngine = null;
  const showTransport = () => view.status('connected', `connected over ${chat.io.engine.transport.name}`);

  const login = async (wanted) => {
    let accepted;
    try {
      accepted = await chat.timeout(10_000).emitWithAck('login', wanted);
    } catch {
      return; // disconnected meanwhile: the next connect logs in again
    }
    if (!accepted) return notice('Pick a name first.', 'error');
    notice(name === null ? `You joined as ${wanted.trim()}.` : `Back online as ${wanted.trim()}.`);
    name = wanted.trim();
    setOnline(true);
    view.form('say');
  };

  chat.on('connect', () => {
    showTransport();
    // A reconnect opens a new Engine.IO connection: watch its upgrade to websocket too.
    if (chat.io.engine !== watchedEngine) {
      watchedEngine = chat.io.engine;
      watchedEngine.on('upgrade', showTransport);
    }
    if (name !== null) login(name);
  });
  chat.on('disconnect', (reason) => {
    setOnline(false);
    view.status('disconnected', 'disconnected');
    notice(`Connection lost (${reason}). Reconnecting…`, 'error');
    if (reason === 'io server disconnect') chat.connect(); // the client does not retry this one by itself
  });
  chat.on('connect_error', () => view.status('disconnected', 'offline, retrying…'));
  const reconnecting = (attempt) => view.status('connecting', `reconnecting… (${attempt})`);
  chat.io.on('reconnect_attempt', reconnecting);
  chat.on('message', (m) => view.line({ from: m.from, text: m.text, kind: m.from === name ? 'mine' : '' }));
  chat.on('joined', (who) => notice(`${who} joined.`));
  chat.on('left', (who) => notice(`${who} left.`));
  chat.on('users', (names) => view.users(names));
  chat.on('error', (code, message) => notice(`${message} (${code})`, 'error'));

  // The framework examples name the user from their session (GET /login signs in); the plain testapp has no
  // `/me` namespace, so the user picks a name in the page.
  const session = io('/me');
  session.on('hello', (signed) => {
    session.close();
    view.me(signed);
    login(signed);
  });
  session.on('connect_error', (err) => {
    const form = { 'not signed in': 'signin', 'Invalid namespace': 'login' }[err.message];
    if (form === undefined) return; // the server is not reachable yet: the client tries again
    session.close();
    view.form(form);
  });

  return {
    login,
    send(text) {
      if (!online || !text) return false;
      chat.emit('message', text);
      return true;
    },
    /** Closes both sockets; the view hears nothing more from them. */
    close() {
      chat.io.off('reconnect_attempt', reconnecting);
      for (const socket of [session, chat]) {
        socket.off();
        socket.close();
      }
    },
  };
}
