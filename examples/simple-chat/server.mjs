// Starts the simple chat: `pnpm -C examples/simple-chat start` (PORT, default 3000).
import { startExample } from 'switchyard-example-assets/example-server';
import { createChatApp } from './app.mjs';

startExample(createChatApp(), 'simple chat');
