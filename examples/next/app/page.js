'use client';
/* global window */
import Script from 'next/script';
import { useEffect, useRef, useState } from 'react';
import { connectChat } from 'switchyard-example-assets/chat-client.mjs';

const time = () => new Date().toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });

/**
 * The chat, as a React page: signs in through Next (GET /login sets a signed cookie that the `/me` namespace
 * reads), then chats in `/chat` over the official client bundle that Switchyard serves. The client logic is
 * the one the other examples' chat page uses (connectChat), drawn here with React state.
 */
export default function Chat() {
  const [status, setStatus] = useState({ state: 'connecting', text: 'connecting…' });
  const [form, setForm] = useState(null); // 'signin' or 'say', one at a time
  const [lines, setLines] = useState([]);
  const [users, setUsers] = useState([]);
  const [me, setMe] = useState(null);
  const [online, setOnline] = useState(false);
  const [bundleReady, setBundleReady] = useState(false);
  const chat = useRef(null);
  const log = useRef(null);

  useEffect(() => {
    log.current.scrollTop = log.current.scrollHeight;
  }, [lines]);
  // Connects once the client bundle is there; React (Strict Mode, Fast Refresh) may run this more than
  // once, so each run closes what the previous one opened.
  useEffect(() => {
    if (!bundleReady) return undefined;
    const client = connectChat(window.io, {
      status: (state, text) => setStatus({ state, text }),
      line: (line) => setLines((all) => [...all, { ...line, key: all.length, at: time() }]),
      users: setUsers,
      form: setForm,
      me: setMe,
      online: setOnline,
    });
    chat.current = client;
    return () => client.close();
  }, [bundleReady]);

  const send = (event) => {
    event.preventDefault();
    const input = event.currentTarget.elements.text;
    if (chat.current.send(input.value)) input.value = '';
  };

  return (
    <div className="app">
      <Script src="/socket.io/socket.io.min.js" onReady={() => setBundleReady(true)} />
      <header>
        <h1>
          <img src="/assets/favicon.svg" alt="" /> Switchyard chat · Next.js
        </h1>
        <span id="status" className={`status ${status.state}`} role="status">
          {status.text}
        </span>
      </header>
      <p className="subtitle">A React page of a Next.js app; Socket.IO runs on the same custom server. Open a private window to chat as someone else.</p>
      <div className="columns">
        <section className="card">
          <ul id="log" className="log" aria-live="polite" ref={log}>
            {lines.map((line) => (
              <li key={line.key} className={line.kind}>
                <span className="time">{line.at}</span>
                {line.from !== null && <span className="who">{line.from}</span>}
                {line.text}
              </li>
            ))}
          </ul>
          {form === 'signin' && (
            <form id="signin" className="row" action="/login" method="get">
              <input name="name" autoComplete="off" maxLength={32} placeholder="Your name" aria-label="Your name" required autoFocus />
              <button>Sign in</button>
            </form>
          )}
          {form === 'say' && (
            <form id="say" className="row" onSubmit={send}>
              <input id="text" name="text" autoComplete="off" placeholder="Say something" aria-label="Message" autoFocus />
              <button disabled={!online}>Send</button>
            </form>
          )}
        </section>
        <aside className="card">
          <h2>
            Online <span className="muted">({users.length})</span>
          </h2>
          <ul id="users" className="users">
            {users.map((user) => (
              <li key={user} className={user === me ? 'me' : undefined}>
                {user}
              </li>
            ))}
          </ul>
          {me !== null && (
            <p className="muted">
              Signed in through a Next.js route as <strong>{me}</strong>.
            </p>
          )}
        </aside>
      </div>
      <footer>
        Served by Switchyard on a Next.js custom server. This page uses socket.io-client 4, from <code>/socket.io/socket.io.min.js</code>.
      </footer>
    </div>
  );
}
