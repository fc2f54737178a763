'use client';
/* global window */
import Script from 'next/script';
import { useRef, useState } from 'react';

/** Signs in through Next (GET /login), then chats over the official client bundle served by Switchyard. */
export default function Chat() {
  const [me, setMe] = useState('…');
  const [lines, setLines] = useState([]);
  const chat = useRef(null);
  const say = (text) => setLines((all) => [...all, text]);

  const start = () => {
    const mine = window.io('/me');
    mine.on('connect_error', () => setMe(null));
    mine.on('hello', async (name) => {
      setMe(name);
      chat.current = window.io('/chat');
      chat.current.on('message', (m) => say(`${m.from}: ${m.text}`));
      if (await chat.current.emitWithAck('login', name)) say(`you joined as ${name}`);
    });
  };

  const send = (event) => {
    event.preventDefault();
    const input = event.currentTarget.elements.text;
    if (input.value) chat.current?.emit('message', input.value);
    input.value = '';
  };

  return (
    <main>
      <Script src="/socket.io/socket.io.min.js" onLoad={start} />
      <h1>Switchyard chat</h1>
      <p>Session: <strong>{me ?? 'not signed in'}</strong></p>
      {me === null ? (
        <form action="/login" method="get">
          <input name="name" autoComplete="off" placeholder="Your name" /> <button>Sign in</button>
        </form>
      ) : (
        <form onSubmit={send}>
          <input name="text" autoComplete="off" placeholder="Say something" /> <button>Send</button>
        </form>
      )}
      <pre style={{ border: '1px solid #ccc', minHeight: '12rem', padding: '0.5rem' }}>{lines.join('\n')}</pre>
    </main>
  );
}
