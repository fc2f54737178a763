// Starts the simple chat: `pnpm -C examples/simple-chat start` (PORT, default 3000).
import { createChatApp } from './app.mjs';

const port = Number(process.env.PORT ?? 3000);
const { httpServer, io } = createChatApp();
httpServer.listen(port, () => console.log(`Switchyard simple chat: http://localhost:${port}/`));

const stop = async () => {
  await io.close();
  httpServer.close(() => process.exit(0));
  httpServer.closeAllConnections();
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
